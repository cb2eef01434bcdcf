/* Shared by the files of lib/kdump/: the per-run state of a kdump.conf run. */
#ifndef DUMPLAB_KDUMP_INTERNAL_H
#define DUMPLAB_KDUMP_INTERNAL_H

#include "dumplab/kdumpconf.h"
#include "dumplab/kdumprun.h"

#include <sys/types.h>

struct DlKdumpRun {
    const DlScenario *scn;
    const DlKdumpConf *conf;
    char *workdir;
    char *crash_id;
    char *fault;    /* kdump_target_fault: NULL, "down" or "full" */
    GString *xml;   /* extra domain devices */
    GString *plan;  /* /etc/dumplab/kdump.plan */
    GString *hosts; /* /etc/hosts of the crash kernel */
    /* disk targets */
    char *disk;     /* the target image, attached as disk_dev */
    char *disk_dev; /* "vdb" */
    /* ssh */
    char *ssh_dir;   /* keys, config, log */
    char *sink_root; /* what the ssh sink writes under (the server's "/") */
    char *ssh_host;  /* the host name kdump.conf names */
    char *client_key, *known_hosts;
    int ssh_port;
    GPid sshd;
    /* nfs */
    char *nfs_dir;    /* config, log, recovery */
    char *nfs_export; /* the exported per-run folder */
    int nfs_port;
    GPid ganesha;
};

/* kdump_disk.c */
bool dl_kdump_disk_make(DlKdumpRun *k, GError **err);
bool dl_kdump_disk_fetch(DlKdumpRun *k, const char *folder, const char *vmcore, const char *dmesg,
                         DlKdumpResult *res, GError **err);
/* kdump_ssh.c */
/* Stops a per-run server we started: SIGTERM, up to ms_grace for it to
 * exit, then SIGKILL; reaps it and sets *pid to 0. Nothing when *pid <= 0. */
void dl_kdump_server_stop(GPid *pid, int ms_grace);
bool dl_kdump_ssh_start(DlKdumpRun *k, GError **err);
void dl_kdump_ssh_stop(DlKdumpRun *k);
bool dl_kdump_ssh_fetch(DlKdumpRun *k, const char *folder, const char *vmcore, const char *dmesg,
                        DlKdumpResult *res, GError **err);

/* Runs argv (a short host tool) with a deadline; stdout captured into *out
 * when out is not NULL. */
bool dl_kdump_tool(const char *const *argv, const char *stdin_path, const char *stdout_path,
                   char **out, GError **err);
/* kdump_xfs.c: an xfs image read through xfs_db, never mounted: the
 * names in a directory, and a file copied out (0600). */
GPtrArray *dl_kdump_xfs_ls(const char *img, const char *dir, GError **err);
bool dl_kdump_xfs_dump(const char *img, const char *src, const char *dst, GError **err);
/* makedumpfile -R: a flattened stream back into a dump file (0600). */
bool dl_kdump_unflatten(const char *flat, const char *vmcore, GError **err);
/* The dmesg of a dump, as the referee would read it. */
bool dl_kdump_host_dmesg(const char *vmcore, const char *dmesg, GError **err);
/* A free TCP port on 127.0.0.1 (-1 with err); whether one accepts. */
int dl_kdump_free_port(GError **err);
bool dl_kdump_port_open(int port);
/* kdump_nfs.c */
bool dl_kdump_nfs_start(DlKdumpRun *k, GError **err);
void dl_kdump_nfs_stop(DlKdumpRun *k);
bool dl_kdump_nfs_fetch(DlKdumpRun *k, const char *folder, const char *vmcore, const char *dmesg,
                        DlKdumpResult *res, GError **err);
/* The folder name kdump makes: <address>-<YYYY-MM-DD-HH:MM:SS>. */
bool dl_kdump_folder_name_ok(const char *leaf);

#endif
