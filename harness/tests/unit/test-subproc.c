/* The subprocess runner: output captured, exit status and stderr named in
 * the error, the deadline kills the whole process group, progress is
 * reported while it runs, a missing program is named. */
#include "dumplab/error.h"
#include "dumplab/subproc.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

static int notes;
static void on_progress(void *data, const char *what, int elapsed)
{
    notes++;
    tap_diag("progress: %s running for %d s", what, elapsed);
}

int main(void)
{
    DlSubprocResult res;
    GError *err = NULL;

    const char *echo[] = {"sh", "-c", "echo out; echo err >&2", NULL};
    DlSubproc p = {.argv = echo, .timeout_s = 10};
    tap_ok(dl_subproc_run(&p, &res, &err) && !strcmp(res.out, "out\n") && !strcmp(res.err, "err\n"),
           "stdout and stderr are captured apart");
    dl_subproc_result_clear(&res);

    const char *fail[] = {"sh", "-c", "echo progress; echo 'the real reason' >&2; exit 3", NULL};
    p = (DlSubproc){.argv = fail, .what = "failer", .timeout_s = 10};
    bool ok = dl_subproc_run(&p, &res, &err);
    tap_ok(!ok && res.exit_status == 3 && err && strstr(err->message, "failer exited 3") &&
               strstr(err->message, "the real reason"),
           "a non-zero exit is an error naming the program, status and stderr (%s)",
           err ? err->message : "none");
    g_clear_error(&err);
    dl_subproc_result_clear(&res);

    /* The deadline: sh starts a grandchild that would outlive it; both die. */
    g_autofree char *dir = g_dir_make_tmp("subproc-XXXXXX", NULL);
    g_autofree char *pidfile = g_build_filename(dir, "pid", NULL);
    g_autofree char *script = g_strdup_printf("sleep 60 & echo $! > %s; wait", pidfile);
    const char *hang[] = {"sh", "-c", script, NULL};
    p = (DlSubproc){.argv = hang,
                    .what = "hanger",
                    .timeout_s = 2,
                    .progress_every_s = 1,
                    .progress = on_progress};
    gint64 t0 = g_get_monotonic_time();
    ok = dl_subproc_run(&p, &res, &err);
    double took = (g_get_monotonic_time() - t0) / 1e6;
    tap_ok(!ok && g_error_matches(err, DL_ERROR, DL_ERROR_TIMEOUT) &&
               strstr(err->message, "hanger did not finish in 2 s"),
           "a process past its deadline is an error saying so (%s)", err ? err->message : "none");
    tap_ok(took < 6, "and the runner returns soon after the deadline (%.1f s)", took);
    tap_ok(notes >= 1, "progress was reported while it ran (%d times)", notes);
    g_autofree char *gpid = NULL;
    int alive = -1;
    if (g_file_get_contents(pidfile, &gpid, NULL, NULL)) {
        int gp = atoi(gpid);
        /* Gone, or a zombie waiting for its new parent to reap it. */
        g_autofree char *statp = g_strdup_printf("/proc/%d/stat", gp);
        g_autofree char *stat = NULL;
        alive = 0;
        for (int i = 0; i < 20; i++, g_usleep(50 * 1000)) {
            g_clear_pointer(&stat, g_free);
            const char *paren = NULL;
            alive = gp > 0 && g_file_get_contents(statp, &stat, NULL, NULL) &&
                    (paren = strrchr(stat, ')')) && paren[2] != 'Z';
            if (!alive)
                break;
        }
    }
    tap_ok(alive == 0, "its grandchild was killed with it");
    g_clear_error(&err);
    dl_subproc_result_clear(&res);

    g_autofree char *outfile = g_build_filename(dir, "out.txt", NULL);
    const char *to_file[] = {"sh", "-c", "echo to-file; echo also >&2", NULL};
    p = (DlSubproc){.argv = to_file, .timeout_s = 10, .stdout_path = outfile, .merge_stderr = true};
    g_autofree char *text = NULL;
    struct stat st;
    tap_ok(dl_subproc_run(&p, &res, &err) && g_file_get_contents(outfile, &text, NULL, NULL) &&
               !strcmp(text, "to-file\nalso\n") && stat(outfile, &st) == 0 &&
               (st.st_mode & 0777) == 0600,
           "output can go to a new 0600 file, stderr merged");
    dl_subproc_result_clear(&res);

    const char *missing[] = {"dumplab-no-such-program", NULL};
    p = (DlSubproc){.argv = missing, .timeout_s = 10};
    ok = dl_subproc_run(&p, &res, &err);
    tap_ok(!ok && err && strstr(err->message, "dumplab-no-such-program"),
           "a missing program is an error naming it (%s)", err ? err->message : "none");
    g_clear_error(&err);
    dl_subproc_result_clear(&res);

    p = (DlSubproc){.argv = echo, .timeout_s = 0};
    ok = dl_subproc_run(&p, &res, &err);
    tap_ok(!ok && err, "a process without a deadline is refused");
    g_clear_error(&err);
    dl_subproc_result_clear(&res);

    g_unlink(pidfile);
    g_unlink(outfile);
    g_rmdir(dir);
    return tap_done();
}
