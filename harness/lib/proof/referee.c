/* The referees: an independent tool must read the vmcore's printk log and
 * find the panic text there. makedumpfile first; for dumps it cannot read
 * (makedumpfile 1.7.2 finds no PT_LOAD in QEMU 7.2's ELF dumps) the crash
 * utility's `log`, when the kernel's debug vmlinux is cached
 * (vm-images/fetch-dbg.sh). */
#include "dumplab/elfcore.h"
#include "dumplab/error.h"
#include "dumplab/images.h"
#include "dumplab/runcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool run_makedumpfile(const char *vmcore, const char *out, GError **err)
{
    unlink(out); /* makedumpfile refuses to overwrite */
    char *argv[] = {(char *)"makedumpfile", (char *)"--dump-dmesg", (char *)vmcore, (char *)out,
                    NULL};
    g_autofree char *sout = NULL, *serr = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &sout, &serr, &status,
                      err)) {
        g_prefix_error(err, "referee makedumpfile: ");
        return false;
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "makedumpfile --dump-dmesg failed: %s",
                    g_strstrip(serr && *serr ? serr : sout));
        return false;
    }
    return true;
}

/* crash -s VMLINUX VMCORE with "log" on stdin, output to out. */
static bool run_crash_log(const char *vmcore, const char *out, GError **err)
{
    g_autoptr(DlCore) core = dl_core_open(vmcore, err);
    if (!core)
        return false;
    const char *os = dl_core_vmcoreinfo_get(core, "OSRELEASE");
    if (!os || strchr(os, '/')) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "no OSRELEASE in the dump's VMCOREINFO");
        return false;
    }
    g_autofree char *leaf = g_strdup_printf("vmlinux-%s", os);
    g_autofree char *vmlinux =
        g_build_filename(dl_repo_root(), "build", "cache", "dbg", leaf, NULL);
    if (!g_file_test(vmlinux, G_FILE_TEST_EXISTS)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "no debug vmlinux for %s cached (vm-images/fetch-dbg.sh %s)", os, os);
        return false;
    }
    g_autofree char *cmds = g_strdup_printf("%s.cmds", out);
    if (!g_file_set_contents(cmds, "log\nquit\n", -1, err))
        return false;
    int in = open(cmds, O_RDONLY | O_CLOEXEC);
    int o = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    unlink(cmds);
    if (in < 0 || o < 0) {
        dl_set_error_errno(err, errno, "referee crash: %s", out);
        if (in >= 0)
            close(in);
        if (o >= 0)
            close(o);
        return false;
    }
    const char *argv[] = {"crash", "-s", vmlinux, vmcore, NULL};
    GSubprocessLauncher *l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDERR_MERGE);
    g_subprocess_launcher_take_stdin_fd(l, in);
    g_subprocess_launcher_take_stdout_fd(l, o);
    GSubprocess *p = g_subprocess_launcher_spawnv(l, argv, err);
    g_object_unref(l);
    if (!p)
        return false;
    bool ok = g_subprocess_wait_check(p, NULL, err);
    g_object_unref(p);
    if (!ok)
        g_prefix_error(err, "crash log: ");
    return ok;
}

bool dl_referee_dmesg(const char *vmcore, const char *out, const char *needle, bool *found,
                      GError **err)
{
    GError *mk = NULL;
    if (!run_makedumpfile(vmcore, out, &mk)) {
        GError *cr = NULL;
        if (!run_crash_log(vmcore, out, &cr)) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "referee: %s; crash: %s", mk->message,
                        cr->message);
            g_error_free(mk);
            g_error_free(cr);
            return false;
        }
        g_error_free(mk);
    }
    chmod(out, 0600);
    g_autofree char *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(out, &text, &len, err)) {
        g_prefix_error(err, "referee output: ");
        return false;
    }
    *found = needle && *needle ? g_strstr_len(text, (gssize)len, needle) != NULL : true;
    return true;
}
