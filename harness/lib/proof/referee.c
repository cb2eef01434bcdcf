/* The referees: an independent tool must read the vmcore's printk log and
 * find the panic text there. makedumpfile first; for dumps it cannot read
 * (makedumpfile 1.7.2 finds no PT_LOAD in QEMU 7.2's ELF dumps) the crash
 * utility's `log`, when the kernel's debug vmlinux is cached
 * (vm-images/fetch-dbg.sh). */
#include "dumplab/dump.h"
#include "dumplab/error.h"
#include "dumplab/images.h"
#include "dumplab/runcheck.h"
#include "dumplab/subproc.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* makedumpfile reads the log in seconds and crash in tens of seconds on
 * these machines, even from a 1 GiB dump under load. */
#define MAKEDUMPFILE_TIMEOUT_S 120
#define CRASH_TIMEOUT_S 300

typedef struct {
    double scale;
    DlProgressFn progress;
    void *data;
} Deadline;

static int scaled(const Deadline *d, int base)
{
    return (int)(base * (d->scale > 0 ? d->scale : 1.0) + 0.5);
}

static bool run_makedumpfile(const char *vmcore, const char *out, const Deadline *d, GError **err)
{
    unlink(out); /* makedumpfile refuses to overwrite */
    const char *argv[] = {"makedumpfile", "--dump-dmesg", vmcore, out, NULL};
    DlSubproc p = {.argv = argv,
                   .what = "makedumpfile --dump-dmesg",
                   .timeout_s = scaled(d, MAKEDUMPFILE_TIMEOUT_S),
                   .progress = d->progress,
                   .progress_data = d->data};
    g_auto(DlSubprocResult) res = {0};
    return dl_subproc_run(&p, &res, err);
}

/* crash -s VMLINUX VMCORE with "log" on stdin, output to out. */
static bool run_crash_log(const char *vmcore, const char *out, const Deadline *d, GError **err)
{
    g_autoptr(DlDump) core = dl_dump_open(vmcore, err);
    if (!core)
        return false;
    const char *os = dl_dump_vmcoreinfo_get(core, "OSRELEASE");
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
    const char *argv[] = {"crash", "-s", vmlinux, vmcore, NULL};
    DlSubproc p = {.argv = argv,
                   .what = "crash (log)",
                   .stdin_path = cmds,
                   .stdout_path = out,
                   .merge_stderr = true,
                   .timeout_s = scaled(d, CRASH_TIMEOUT_S),
                   .progress = d->progress,
                   .progress_data = d->data};
    g_auto(DlSubprocResult) res = {0};
    bool ok = dl_subproc_run(&p, &res, err);
    unlink(cmds);
    return ok;
}

bool dl_referee_dmesg(const char *vmcore, const char *out, const char *needle,
                      double timeout_scale, DlProgressFn progress, void *progress_data,
                      bool *found, GError **err)
{
    const Deadline d = {timeout_scale, progress, progress_data};
    GError *mk = NULL;
    if (!run_makedumpfile(vmcore, out, &d, &mk)) {
        GError *cr = NULL;
        if (!run_crash_log(vmcore, out, &d, &cr)) {
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
