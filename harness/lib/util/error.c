#include "dumplab/error.h"

#include <stdarg.h>
#include <string.h>

GQuark dl_error_quark(void)
{
    return g_quark_from_static_string("dumplab-error-quark");
}

void dl_set_error_errno(GError **err, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(err, DL_ERROR, DL_ERROR_IO, "%s: %s", what, g_strerror(errnum));
}
