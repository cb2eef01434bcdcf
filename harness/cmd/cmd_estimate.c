/* dumplab estimate SCENARIO: the smallest crashkernel= that still captures
 * for this kernel, target and collector, found by bisection over real
 * crashes at 8 MiB resolution (each try a full run of the scenario with
 * crashkernel= changed), printed beside kdumpctl estimate's formula. */
#include "commands.h"
#include "dumplab/crashkernel.h"
#include "dumplab/estimate.h"
#include "dumplab/images.h"
#include "dumplab/run.h"
#include "dumplab/sigguard.h"
#include "dumplab/virt.h"

#include <stdio.h>
#include <string.h>

#define STEP_MIB 8
#define MIB ((guint64)1 << 20)

typedef struct {
    const DlScenario *orig;
    DlScenario *s;
    virConnectPtr conn;
    DlRunOptions *opt;
    FILE *log;
    int tries;
} Est;

/* One real crash with crashkernel=<mib>M; true when it ended as the
 * scenario expects. */
static bool try_size(Est *e, unsigned mib)
{
    g_free(e->s->crashkernel);
    e->s->crashkernel = g_strdup_printf("%uM", mib);
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(DlReport) rep = dl_run_scenario(e->conn, e->s, e->opt);
    bool ok = dl_report_as_expected(rep, e->s);
    double secs = (g_get_monotonic_time() - t0) / 1e6;
    dl_report_prune_dumps(rep);
    const char *phase = dl_report_failed_phase(rep);
    e->tries++;
    g_autofree char *line =
        g_strdup_printf("try %2d: crashkernel=%4uM  %-4s %s%s%s(%.0f s, %s)", e->tries, mib,
                        ok ? "pass" : "FAIL", ok ? "" : "in ", ok ? "" : (phase ? phase : "?"),
                        ok ? "" : " ", secs, dl_report_workdir(rep) ? dl_report_workdir(rep) : "-");
    printf("%s\n", line);
    fflush(stdout);
    if (e->log)
        fprintf(e->log, "%s\n", line);
    return ok;
}

/* kdumpctl estimate's formula on the scenario's image. */
static void print_formula(const DlScenario *s, const char *runs_root, FILE *log)
{
    GError *err = NULL;
    guint64 ram = (guint64)s->memory_mib * MIB;
    g_autofree char *imglog = g_strdup_printf("%s/estimate-%s-image.log", runs_root, s->name);
    g_mkdir_with_parents(runs_root, 0755);
    g_autoptr(DlImage) img = dl_image_get(s->kernel_package, imglog, 1200, NULL, NULL, &err);
    DlKdumpctlEstimate k;
    if (img && dl_kdumpctl_estimate(img->kernel, img->initrd, ram, s->kdump != NULL, &k, &err)) {
        g_autofree char *f = g_strdup_printf(
            "kdumpctl estimate's formula: %" G_GUINT64_FORMAT
            "M = max(arch default %" G_GUINT64_FORMAT "M, kernel %" G_GUINT64_FORMAT
            "M + modules %" G_GUINT64_FORMAT "M + 3 x initrd %" G_GUINT64_FORMAT "M + 16M + 20M)",
            (k.formula + MIB - 1) / MIB, k.arch_default / MIB, (k.kernel + MIB - 1) / MIB,
            (k.modules + MIB - 1) / MIB, (k.initrd + MIB - 1) / MIB);
        printf("%s\n", f);
        if (log)
            fprintf(log, "%s\n", f);
    } else
        printf("kdumpctl estimate's formula: not computed: %s\n", err ? err->message : "?");
    g_clear_error(&err);
}

int cmd_estimate(int argc, char **argv)
{
    g_autofree char *runs_dir = NULL;
    int from = 0, to = 0;
    gboolean formula_only = FALSE;
    GOptionEntry entries[] = {
        {"runs-dir", 0, 0, G_OPTION_ARG_FILENAME, &runs_dir,
         "make work folders below DIR (default: runs/)", "DIR"},
        {"from", 0, 0, G_OPTION_ARG_INT, &from,
         "lower end, a size expected to fail (MiB, default 0); tried when the answer is next "
         "to it",
         "MIB"},
        {"to", 0, 0, G_OPTION_ARG_INT, &to,
         "upper end, tried first and doubled until it captures (MiB, default the scenario's "
         "crashkernel)",
         "MIB"},
        {"formula", 0, 0, G_OPTION_ARG_NONE, &formula_only,
         "only kdumpctl estimate's formula on the scenario's image (no crashes)", NULL},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO");
    g_option_context_set_summary(
        ctx, "Finds the smallest crashkernel= (8 MiB steps) with which the scenario's crash\n"
             "is still captured and checked, by bisection over real crashes, and prints it\n"
             "beside kdumpctl estimate's formula. --from/--to narrow the search to a window\n"
             "around a size already known (fewer crashes). Exit status 0 when a size was found.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err) || argc != 2 || from < 0 || to < 0) {
        g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);
        fprintf(stderr, "%s%s%s", err ? "dumplab estimate: " : "", err ? err->message : "",
                err ? "\n" : help);
        return 2;
    }
    g_autoptr(DlScenario) s = dl_scenario_load(argv[1], &err);
    if (!s) {
        fprintf(stderr, "dumplab estimate: %s\n", err->message);
        return 2;
    }
    if (s->ia64 || !s->armed || s->expect_verdict != DL_EXPECT_PASS) {
        fprintf(stderr,
                "dumplab estimate: %s: needs an armed x86_64 scenario that expects "
                "pass\n",
                argv[1]);
        return 2;
    }
    guint64 ram = (guint64)s->memory_mib * MIB;
    if (formula_only) {
        g_autofree char *runs = g_build_filename(dl_repo_root(), "runs", NULL);
        print_formula(s, runs_dir ? runs_dir : runs, NULL);
        return 0;
    }
    if (!to) {
        DlCrashkernel ck;
        dl_crashkernel_predict(s->crashkernel, ram, &ck);
        to = (int)(ck.size / MIB);
        dl_crashkernel_clear(&ck);
        if (!to)
            to = 256;
    }
    if (from >= to) {
        fprintf(stderr, "dumplab estimate: --from %d must be below --to %d\n", from, to);
        return 2;
    }
    dl_sigguard_install();
    virConnectPtr conn = cmd_connect(&err);
    if (!conn) {
        fprintf(stderr, "dumplab estimate: %s\n", err->message);
        return 2;
    }
    g_autofree char *cache = g_build_filename(dl_repo_root(), "build", NULL);
    g_autofree char *default_runs = g_build_filename(dl_repo_root(), "runs", NULL);
    g_autofree char *runs_abs = runs_dir ? g_canonicalize_filename(runs_dir, NULL) : NULL;
    DlRunOptions opt = {
        .runs_root = runs_abs ? runs_abs : default_runs, .cache_dir = cache, .quiet = true};
    /* The tries judge the capture; the hypervisor's reference dump would
     * only double the time of each. */
    s->hv_dump = false;
    g_autofree char *logpath = g_strdup_printf("%s/estimate-%s.txt", opt.runs_root, s->name);
    g_mkdir_with_parents(opt.runs_root, 0755);
    Est e = {.orig = s, .s = s, .conn = conn, .opt = &opt, .log = fopen(logpath, "w")};
    printf("%s: bisecting crashkernel= between %d and %d MiB in %d MiB steps, one real crash "
           "per try\n",
           s->name, from, to, STEP_MIB);
    gint64 t0 = g_get_monotonic_time();
    unsigned hi = (unsigned)to, lo = (unsigned)from;
    /* The upper end must capture; double it (up to half of RAM) until it does. */
    while (!dl_sigguard_caught() && !try_size(&e, hi)) {
        lo = hi;
        hi *= 2;
        if (hi > s->memory_mib / 2) {
            printf("no crashkernel up to %u MiB (half of RAM) captured\n", s->memory_mib / 2);
            if (e.log)
                fclose(e.log);
            virConnectClose(conn);
            return 1;
        }
    }
    while (!dl_sigguard_caught() && hi - lo > STEP_MIB) {
        unsigned mid = (lo + (hi - lo) / 2) / STEP_MIB * STEP_MIB;
        if (mid <= lo)
            mid = lo + STEP_MIB;
        if (try_size(&e, mid))
            hi = mid;
        else
            lo = mid;
    }
    /* --from is only a claim: when the answer is next to it, it must be
     * seen failing before the summary says it did not capture (0 needs no
     * proof: no reservation, no crash kernel). */
    bool floor_captured = false;
    if (!dl_sigguard_caught() && lo == (unsigned)from && from > 0)
        floor_captured = try_size(&e, lo);
    double mins = (g_get_monotonic_time() - t0) / 60e6;
    virConnectClose(conn);
    if (dl_sigguard_caught()) {
        fprintf(stderr, "dumplab estimate: interrupted\n");
        return 1;
    }
    if (floor_captured) {
        g_autofree char *why = g_strdup_printf(
            "--from %d captured too: not a size that fails; run again with a lower --from", from);
        printf("%s\n", why);
        if (e.log) {
            fprintf(e.log, "%s\n", why);
            fclose(e.log);
        }
        return 1;
    }
    g_autofree char *summary = g_strdup_printf(
        "smallest crashkernel that captured: %uM (%uM did not; %d crashes, %.1f min, %d MiB "
        "resolution)",
        hi, lo, e.tries, mins, STEP_MIB);
    printf("%s\n", summary);
    if (e.log)
        fprintf(e.log, "%s\n", summary);
    print_formula(s, opt.runs_root, e.log);
    if (e.log) {
        fclose(e.log);
        printf("tries recorded in %s\n", logpath);
    }
    return 0;
}
