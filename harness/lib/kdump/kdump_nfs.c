/* The nfs target: nfs-ganesha (VFS backend, Debian's packages) on a
 * loopback port, NFSv4 only, exporting a per-run folder under the path
 * kdump.conf names (host:/export). The guest mounts it through QEMU user
 * networking (10.0.2.2); the host reads the dump straight from the folder. */
#include "dumplab/error.h"
#include "kdump_internal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

bool dl_kdump_nfs_start(DlKdumpRun *k, GError **err)
{
    const DlKdumpConf *c = k->conf;
    g_autofree char *host = g_strndup(c->nfs, strcspn(c->nfs, ":"));
    const char *export = strchr(c->nfs, ':') + 1;
    k->nfs_dir = g_build_filename(k->workdir, "kdump-nfs", NULL);
    k->nfs_export = g_build_filename(k->workdir, "kdump-nfs-export", NULL);
    g_autofree char *rec = g_build_filename(k->nfs_dir, "recovery", NULL);
    if (g_mkdir_with_parents(rec, 0700) < 0 || g_mkdir_with_parents(k->nfs_export, 0700) < 0) {
        dl_set_error_errno(err, errno, "making %s", k->nfs_dir);
        return false;
    }
    k->nfs_port = dl_kdump_free_port(err);
    if (k->nfs_port < 0)
        return false;
    g_string_append_printf(k->hosts, "10.0.2.2 %s\n", host);
    g_string_append_printf(k->plan, "net=1\nnfs=10.0.2.2:%s\nnfs_addr=10.0.2.2\nnfs_port=%d\n"
                                    "addr=10.0.2.15\n",
                           export, k->nfs_port);
    if (g_strcmp0(k->fault, "down") == 0)
        return true; /* nothing listens: the mount is refused */
    g_autofree char *cfg = g_build_filename(k->nfs_dir, "ganesha.conf", NULL);
    /* Graceless: a fresh server needs no grace period (no clients to
     * reclaim), or the crash kernel's OPEN would wait 90 s. QEMU's user
     * networking connects from the host's loopback. */
    g_autofree char *text = g_strdup_printf(
        "NFS_CORE_PARAM { Protocols = 4; NFS_Port = %d; Bind_Addr = 127.0.0.1;\n"
        "  Enable_NLM = false; Enable_RQUOTA = false; }\n"
        "NFSv4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = \"%s\"; }\n"
        "EXPORT { Export_Id = 1; Path = \"%s\"; Pseudo = \"%s\"; Access_Type = RW;\n"
        "  Squash = No_Root_Squash; SecType = sys; Protocols = 4; Transports = TCP;\n"
        "  FSAL { Name = VFS; } CLIENT { Clients = 127.0.0.1; Access_Type = RW; } }\n",
        k->nfs_port, rec, k->nfs_export, export);
    if (!g_file_set_contents(cfg, text, -1, err))
        return false;
    g_autofree char *log = g_build_filename(k->nfs_dir, "ganesha.log", NULL);
    g_autofree char *pid = g_build_filename(k->nfs_dir, "ganesha.pid", NULL);
    const char *argv[] = {"ganesha.nfsd", "-F", "-f", cfg, "-L", log, "-p", pid, "-N",
                          "NIV_EVENT", NULL};
    if (!g_spawn_async(k->nfs_dir, (char **)argv, NULL,
                       G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH |
                           G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, &k->ganesha, err)) {
        g_prefix_error(err, "nfs target: starting ganesha.nfsd (packages nfs-ganesha, "
                            "nfs-ganesha-vfs): ");
        return false;
    }
    for (int i = 0; i < 300; i++) {
        if (dl_kdump_port_open(k->nfs_port))
            return true;
        int st;
        if (waitpid(k->ganesha, &st, WNOHANG) == k->ganesha) {
            k->ganesha = 0;
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "nfs target: ganesha.nfsd exited at "
                                                        "once (see %s)", log);
            return false;
        }
        g_usleep(50 * 1000);
    }
    g_set_error(err, DL_ERROR, DL_ERROR_TIMEOUT, "nfs target: ganesha does not listen on %d",
                k->nfs_port);
    return false;
}

void dl_kdump_nfs_stop(DlKdumpRun *k)
{
    dl_kdump_server_stop(&k->ganesha, 5000);
}

bool dl_kdump_nfs_fetch(DlKdumpRun *k, const char *folder, const char *vmcore, const char *dmesg,
                        DlKdumpResult *res, GError **err)
{
    g_autofree char *leaf = g_path_get_basename(folder);
    if (!dl_kdump_folder_name_ok(leaf)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "the crash kernel named the folder %s, not <address>-<date>", folder);
        return false;
    }
    g_autofree char *dir = g_build_filename(k->nfs_export, folder, NULL);
    g_autofree char *src = g_build_filename(dir, "vmcore", NULL);
    g_autofree char *inc = g_build_filename(dir, "vmcore-incomplete", NULL);
    if (g_file_test(inc, G_FILE_TEST_EXISTS) || !g_file_test(src, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "%s holds no complete vmcore", dir);
        return false;
    }
    /* The export is the run's own folder: the dump is moved, not copied. */
    if (rename(src, vmcore) < 0) {
        dl_set_error_errno(err, errno, "moving %s", src);
        return false;
    }
    chmod(vmcore, 0600);
    g_autofree char *dm = g_build_filename(dir, "vmcore-dmesg.txt", NULL);
    if (rename(dm, dmesg) == 0)
        res->dmesg = g_strdup(dmesg);
    res->source = g_strdup_printf("nfs %s:%s/vmcore (ganesha on 127.0.0.1:%d)", k->conf->nfs,
                                  folder, k->nfs_port);
    return true;
}
