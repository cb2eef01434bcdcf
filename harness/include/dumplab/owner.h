/* Who owns a guest domain: the run's process, named so that another process,
 * on this host or another, can tell whether that run is still alive. Stored
 * in the domain's libvirt metadata (DL_OWNER_NS). Liveness is judged, never
 * guessed from a process name: a run may come from a renamed copy of the
 * binary, a wrapper, valgrind or a test program linked with libdumplab. */
#ifndef DUMPLAB_OWNER_H
#define DUMPLAB_OWNER_H

#include <glib.h>
#include <stdbool.h>

#define DL_OWNER_NS "https://dumplab.dev/xmlns/owner/1"
#define DL_OWNER_PREFIX "dumplab"

typedef struct {
    char *host;    /* gethostname() */
    char *machine; /* /etc/machine-id, "" when there is none */
    char *boot_id; /* /proc/sys/kernel/random/boot_id */
    char *pidns;   /* readlink /proc/self/ns/pid: "pid:[4026531836]" */
    int pid;
    guint64 start; /* field 22 of /proc/PID/stat: clock ticks after boot */
} DlOwner;

typedef enum {
    DL_OWNER_ALIVE,   /* the very process still runs */
    DL_OWNER_GONE,    /* provably gone: same machine, and a later boot or no such process */
    DL_OWNER_UNKNOWN, /* another host or pid namespace: not ours to judge */
} DlOwnerState;

/* The calling process. */
bool dl_owner_self(DlOwner *o, GError **err);
void dl_owner_clear(DlOwner *o);

/* The metadata element for the domain XML (<dumplab:owner xmlns:dumplab=NS .../>). */
char *dl_owner_xml(const DlOwner *o);
/* Parses what virDomainGetMetadata returns for DL_OWNER_NS. */
bool dl_owner_parse(const char *xml, DlOwner *o, GError **err);

/* Judges o from the point of view of self; *why says how (static text). */
DlOwnerState dl_owner_judge(const DlOwner *o, const DlOwner *self, const char **why);

/* Start time of pid from /proc/PID/stat, 0 when there is no such process. */
guint64 dl_owner_proc_start(int pid);

#endif
