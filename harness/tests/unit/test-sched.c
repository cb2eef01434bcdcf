/* Admission of runs onto hosts (dl_sched_pick), the worker loop with real
 * processes (dl_sched_run over /bin/sh scripts), live progress text, and
 * report.json read back as the -j parent reads its workers' reports. */
#include "dumplab/images.h"
#include "dumplab/live.h"
#include "dumplab/report.h"
#include "dumplab/sched.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

static DlSchedHost host(unsigned cores, guint64 mem, unsigned slots)
{
    return (DlSchedHost){.cores = cores, .mem_mib = mem, .slots = slots};
}

static void test_pick(void)
{
    DlSchedNeed g1 = {2, 1024}; /* the default scenario: 2 vCPUs, 1 GiB */
    DlSchedHost h[2] = {host(2, 8192, 2), host(2, 8192, 2)};
    tap_ok(dl_sched_pick(h, 1, &g1) == 0, "an idle host takes a run");
    dl_sched_book(&h[0], &g1, +1);
    tap_ok(dl_sched_pick(h, 1, &g1) == 0,
           "-j 2: a second 2-vCPU guest fits 2 cores (2 vCPUs a core)");
    dl_sched_book(&h[0], &g1, +1);
    tap_ok(dl_sched_pick(h, 1, &g1) == -1, "a third waits: the host's slots are full");
    h[0].slots = 8;
    tap_ok(dl_sched_pick(h, 1, &g1) == -1,
           "with free slots it still waits: 6 vCPUs exceed 2 cores x 2");
    tap_ok(dl_sched_pick(h, 2, &g1) == 1, "the second host, idle, takes it");
    dl_sched_book(&h[0], &g1, -1);
    dl_sched_book(&h[0], &g1, -1);
    tap_ok(h[0].run_count == 0 && h[0].run_vcpus == 0 && h[0].run_mem_mib == 0,
           "releasing undoes the booking");

    DlSchedHost small = host(16, 2 * 1024 + 2 * DL_SCHED_QEMU_OVERHEAD_MIB, 4);
    tap_ok(dl_sched_pick(&small, 1, &g1) == 0, "RAM: the first 1 GiB guest fits");
    dl_sched_book(&small, &g1, +1);
    tap_ok(dl_sched_pick(&small, 1, &g1) == 0, "RAM: the second just fits (guest + QEMU overhead)");
    dl_sched_book(&small, &g1, +1);
    DlSchedNeed tiny = {1, 1};
    tap_ok(dl_sched_pick(&small, 1, &tiny) == -1, "RAM: a third, however small, waits");

    DlSchedHost idle = host(2, 512, 2);
    DlSchedNeed huge = {8, 65536};
    tap_ok(dl_sched_pick(&idle, 1, &huge) == 0,
           "a run larger than the budget starts alone on an idle host (waiting would never end)");
    dl_sched_book(&idle, &huge, +1);
    tap_ok(dl_sched_pick(&idle, 1, &tiny) == -1, "and nothing joins it");

    DlSchedHost two[2] = {host(2, 8192, 4), host(8, 8192, 4)};
    dl_sched_book(&two[0], &g1, +1);
    tap_ok(dl_sched_pick(two, 2, &g1) == 1, "the least loaded host (vCPUs per core) is chosen");
}

static DlSchedJob *job(const char *name, const char *script)
{
    DlSchedJob *j = g_new0(DlSchedJob, 1);
    j->name = g_strdup(name);
    j->need = (DlSchedNeed){1, 64};
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    j->argv = g_strdupv(argv);
    return j;
}

static void test_run(void)
{
    g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func((GDestroyNotify)dl_sched_job_free);
    /* Each worker notes when it starts and ends; with 2 slots on one host
     * no more than 2 may overlap. */
    g_autofree char *dir = g_dir_make_tmp("dl-sched-XXXXXX", NULL);
    for (int i = 0; i < 4; i++) {
        g_autofree char *name = g_strdup_printf("w%d", i);
        g_autofree char *script =
            g_strdup_printf("echo \"[w%d] boot starting\"; echo start >> %s/log; sleep 0.3; "
                            "echo end >> %s/log; echo '" DL_SCHED_WORKDIR_TAG "/tmp/w%d'; exit %d",
                            i, dir, dir, i, i == 3 ? 3 : 0);
        g_ptr_array_add(jobs, job(name, script));
    }
    DlSchedHost h = host(4, 8192, 2);
    h.label = g_strdup("local");
    FILE *out = fopen("/dev/null", "w");
    GError *err = NULL;
    gint64 t0 = g_get_monotonic_time();
    bool ok = dl_sched_run(jobs, &h, 1, out, &err);
    double secs = (g_get_monotonic_time() - t0) / 1e6;
    fclose(out);
    tap_ok(ok, "four workers ran");
    int finished = 0;
    for (guint i = 0; i < jobs->len; i++)
        finished += ((DlSchedJob *)g_ptr_array_index(jobs, i))->finished;
    tap_ok(finished == 4 && h.done == 4 && h.run_count == 0, "every one finished and was released");
    const DlSchedJob *j0 = g_ptr_array_index(jobs, 0), *j3 = g_ptr_array_index(jobs, 3);
    tap_ok(!g_strcmp0(j0->workdir, "/tmp/w0"),
           "the worker's work folder is read from its last line");
    tap_ok(!g_strcmp0(j0->last, "boot starting"),
           "its progress text is kept without the [name] prefix");
    tap_ok(WIFEXITED(j3->status) && WEXITSTATUS(j3->status) == 3, "a worker's exit status is kept");
    g_autofree char *logpath = g_build_filename(dir, "log", NULL);
    g_autofree char *log = NULL;
    g_file_get_contents(logpath, &log, NULL, NULL);
    int depth = 0, most = 0;
    g_auto(GStrv) lines = g_strsplit(log ? log : "", "\n", -1);
    for (char **l = lines; *l; l++) {
        depth += !strcmp(*l, "start") - !strcmp(*l, "end");
        most = MAX(most, depth);
    }
    tap_ok(most == 2, "two ran side by side, never more (most at once: %d)", most);
    tap_ok(secs >= 0.55 && secs < 3, "4 x 0.3 s in 2 slots took %.2f s (two rounds)", secs);
    g_unlink(logpath);
    g_rmdir(dir);
    dl_sched_host_clear(&h);
}

static void test_live(void)
{
    g_autofree char *a = dl_live_text(400ULL << 20, 800ULL << 20, 4.0);
    tap_ok(strstr(a, "50%") && strstr(a, "100.0 MiB/s") && strstr(a, "400/800 MiB"),
           "live text: %s", a);
    g_autofree char *b = dl_live_text(900ULL << 20, 800ULL << 20, 0);
    tap_ok(strstr(b, "100%") != NULL, "a guest reporting more than its total shows 100%%: %s", b);
}

static void test_roundtrip(void)
{
    DlReport *r = dl_report_new("rt", "scenarios/rt.scn");
    dl_report_add_phase(r, "boot", 5000, true, "2 vCPUs");
    dl_report_add_phase(r, "check", 300, false, "bad");
    dl_report_fail(r, "check", "cross-check: differs");
    dl_report_add_check(r, "vmcore", true, "0 defects");
    dl_report_add_region(r, "crashkernel", 0x2e000000, 0x3dffffff, "Crash kernel");
    dl_report_add_region(r, "differ", 0x1000, 0x1fff, NULL);
    dl_report_add_cpu(r, 0, 1, 7, 0xffffffff81000000ULL, 0x1234, "panic+0x10", "panic");
    dl_report_set_host(r, "qemu+ssh://h/system");
    dl_report_set_expected(r, false);
    dl_report_finish(r, 5300);
    g_autofree char *dir = g_dir_make_tmp("dl-rt-XXXXXX", NULL);
    g_autofree char *p1 = g_build_filename(dir, "a.json", NULL);
    g_autofree char *p2 = g_build_filename(dir, "b.json", NULL);
    GError *err = NULL;
    tap_ok(dl_report_write_json(r, p1, &err), "report.json written");
    DlReport *back = dl_report_load_json(p1, &err);
    tap_ok(back != NULL, "and read back");
    if (back) {
        tap_ok(!dl_report_passed(back) && !strcmp(dl_report_failed_phase(back), "check") &&
                   dl_report_ms(back) == 5300 && !strcmp(dl_report_name(back), "rt"),
               "verdict, failed phase, time and name survive");
        dl_report_write_json(back, p2, NULL);
        g_autofree char *t1 = NULL, *t2 = NULL;
        g_file_get_contents(p1, &t1, NULL, NULL);
        g_file_get_contents(p2, &t2, NULL, NULL);
        tap_ok(t1 && t2 && !strcmp(t1, t2),
               "written again it is the same file (regions, cpus too)");
        dl_report_free(back);
    }
    g_file_set_contents(p2, "{\"scenario\": 5}", -1, NULL);
    g_clear_error(&err);
    DlReport *bad = dl_report_load_json(p2, &err);
    tap_ok(!bad && err && strstr(err->message, "\"scenario\""),
           "a field of the wrong type is refused, naming it: %s", err ? err->message : "");
    dl_report_free(bad);
    g_clear_error(&err);
    g_unlink(p1);
    g_unlink(p2);
    g_rmdir(dir);
    dl_report_free(r);
}

/* A batch's workers take the image the parent built (DUMPLAB_IMAGES)
 * instead of running the builder each. */
static void test_prebuilt(void)
{
    g_autofree char *dir = g_dir_make_tmp("dl-img-XXXXXX", NULL);
    g_autofree char *k = g_build_filename(dir, "vmlinuz", NULL);
    g_autofree char *i = g_build_filename(dir, "initrd.img", NULL);
    g_autofree char *e = g_build_filename(dir, "image.env", NULL);
    g_file_set_contents(k, "k", -1, NULL);
    g_file_set_contents(i, "i", -1, NULL);
    g_file_set_contents(e, "KERNEL_VERSION=6.1.0-test\nKERNEL_PACKAGE=linux-image-amd64\n", -1,
                        NULL);
    g_autofree char *map = g_strdup_printf("linux-image-6.1.0-9-amd64=/nonexistent\n=%s", dir);
    g_setenv("DUMPLAB_IMAGES", map, TRUE);
    GError *err = NULL;
    DlImage *img = dl_image_get(NULL, NULL, 1, NULL, NULL, &err);
    tap_ok(img && !strcmp(img->dir, dir) && !g_strcmp0(img->kernel_version, "6.1.0-test"),
           "the default kernel's image is the batch's, without the builder");
    dl_image_free(img);
    img = dl_image_get("linux-image-6.1.0-9-amd64", NULL, 1, NULL, NULL, &err);
    tap_ok(!img && err && strstr(err->message, "/nonexistent"),
           "a batch image that is gone is an error naming it: %s", err ? err->message : "");
    g_clear_error(&err);
    g_unsetenv("DUMPLAB_IMAGES");
    g_unlink(k);
    g_unlink(i);
    g_unlink(e);
    g_rmdir(dir);
}

int main(void)
{
    test_prebuilt();
    test_pick();
    test_run();
    test_live();
    test_roundtrip();
    return tap_done();
}
