/* The one GError domain of libdumplab. Messages chain with g_prefix_error
 * ("run: capture: agent: connection closed"). */
#ifndef DUMPLAB_ERROR_H
#define DUMPLAB_ERROR_H

#include <glib.h>

#define DL_ERROR dl_error_quark()
GQuark dl_error_quark(void);

typedef enum {
    DL_ERROR_FAILED,      /* generic failure */
    DL_ERROR_IO,          /* a system call failed */
    DL_ERROR_PARSE,       /* bad input file or message */
    DL_ERROR_TIMEOUT,     /* a deadline passed */
    DL_ERROR_STOPPED,     /* the guest stopped */
    DL_ERROR_INTERRUPTED, /* SIGINT or SIGTERM */
    DL_ERROR_LIBVIRT,     /* libvirt refused */
    DL_ERROR_UNSUPPORTED, /* the way asked for cannot work here */
} DlErrorCode;

/* Sets err from errno with a printf-style prefix: "open foo: No such file". */
void dl_set_error_errno(GError **err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
