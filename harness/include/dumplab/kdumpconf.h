/* kdump.conf as RHEL's kdumpctl reads it (/etc/kdump.conf): one dump
 * target, the path under it, the core collector, what to do when the dump
 * fails and when it is done. Errors name FILE:LINE as kdumpctl's do. */
#ifndef DUMPLAB_KDUMPCONF_H
#define DUMPLAB_KDUMPCONF_H

#include <glib.h>
#include <stdbool.h>

typedef enum {
    DL_KT_ROOTFS, /* no target line: the root file system (RHEL's default) */
    DL_KT_RAW,
    DL_KT_EXT4,
    DL_KT_XFS,
    DL_KT_NFS,
    DL_KT_SSH,
} DlKdumpTarget;

typedef enum {
    DL_KA_REBOOT, /* the default of both failure_action and final_action */
    DL_KA_HALT,
    DL_KA_POWEROFF,
    DL_KA_SHELL,
    DL_KA_DUMP_TO_ROOTFS, /* failure_action only */
} DlKdumpAction;

typedef struct DlKdumpConf {
    DlKdumpTarget target;
    char *device;  /* raw/ext4/xfs: /dev/vdb, LABEL=x or UUID=x; NULL otherwise */
    char *nfs;     /* nfs: "host:/export" */
    char *ssh;     /* ssh: "user@host" */
    char *path;    /* default /var/crash */
    char *sshkey;  /* default /root/.ssh/kdump_id_rsa */
    char *collector; /* the core_collector line as written, default
                        "makedumpfile -l --message-level 7 -d 31" */
    /* What the collector line means. */
    bool cp;           /* "cp": an ELF copy of /proc/vmcore */
    char compress;     /* 'c' zlib, 'l' lzo, 'p' snappy, 'z' zstd, 0 none */
    bool elf;          /* -E */
    bool flat;         /* -F (added for raw and ssh, as kdumpctl does) */
    int dump_level;    /* -d N, 0 when absent */
    int message_level; /* --message-level N, -1 when absent */
    DlKdumpAction failure_action;
    DlKdumpAction final_action;
    char *kdump_pre, *kdump_post; /* NULL when absent */
    GPtrArray *extra_modules;     /* char *, never NULL */
    int target_line;              /* where the target was named, 0 for the default */
} DlKdumpConf;

DlKdumpConf *dl_kdumpconf_parse(const char *text, const char *path, GError **err);
DlKdumpConf *dl_kdumpconf_load(const char *path, GError **err);
void dl_kdumpconf_free(DlKdumpConf *k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlKdumpConf, dl_kdumpconf_free)

const char *dl_kdump_target_name(DlKdumpTarget t);   /* "raw", "ext4", ... */
const char *dl_kdump_action_name(DlKdumpAction a);   /* "reboot", ... */
bool dl_kdump_action_from_name(const char *s, DlKdumpAction *out);

/* The makedumpfile argv (without input and output) the capture runs for
 * this configuration, as a NULL-terminated vector; NULL for cp. */
GStrv dl_kdumpconf_collector_argv(const DlKdumpConf *k);

#endif
