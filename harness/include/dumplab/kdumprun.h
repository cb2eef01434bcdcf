/* A run whose scenario names a kdump.conf: the per-run targets dumplab
 * starts for it (disk images made with mkfs, the host's sshd on a loopback
 * port with per-run keys), what the crash kernel is told (the plan, the
 * files kdumpctl would put in its initramfs), the capture as kdump does it,
 * and the dump fetched back from the target without mounting anything. */
#ifndef DUMPLAB_KDUMPRUN_H
#define DUMPLAB_KDUMPRUN_H

#include "dumplab/guest.h"
#include "dumplab/report.h"
#include "dumplab/scenario.h"
#include "dumplab/subproc.h"

typedef struct DlKdumpRun DlKdumpRun;

/* Makes the target (disk image, keys, server) in workdir. */
DlKdumpRun *dl_kdump_run_new(const DlScenario *s, const char *workdir, GError **err);
/* Stops the servers, removes the target images. Safe on NULL. */
void dl_kdump_run_free(DlKdumpRun *k);

/* The <disk>/<interface> elements the domain needs (may be ""). */
const char *dl_kdump_run_devices_xml(const DlKdumpRun *k);
/* The crash kernel's extra command line: the scenario's crash_cmdline,
 * kdump_cmdline_append, and the crash id (dumplab_crash_id=...), as
 * kdumpctl test tags its crash. */
char *dl_kdump_run_crash_append(const DlKdumpRun *k, const char *base);
const char *dl_kdump_run_crash_id(const DlKdumpRun *k);

/* Sends the files and settings the first kernel packs into the crash
 * initramfs (KFILE lines, SET crash_remove). */
bool dl_kdump_run_send(DlKdumpRun *k, DlAgent *agent, GError **err);

typedef struct {
    char *vmcore;    /* the fetched dump, NULL when none was to be kept */
    char *dmesg;     /* vmcore-dmesg.txt, NULL when the target has none */
    char *source;    /* "raw /dev/vdb", "ssh root@host:/var/crash/<folder>" ... */
    char *action;    /* the failure_action taken, NULL when the dump succeeded */
    char *detail;    /* one line for the phase */
} DlKdumpResult;
void dl_kdump_result_clear(DlKdumpResult *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DlKdumpResult, dl_kdump_result_clear)

/* After CAPTURE: waits for the crash kernel's kdump to end, checks the
 * action it took against the console, and fetches the dump into
 * vmcore_path / dmesg_path (rootfs_disk is the lab's own disk, where
 * dump_to_rootfs writes). */
bool dl_kdump_run_capture(DlKdumpRun *k, DlGuest *g, int timeout_s, const char *rootfs_disk,
                          const char *vmcore_path, const char *dmesg_path, DlReport *rep,
                          DlKdumpResult *res, GError **err);

#endif
