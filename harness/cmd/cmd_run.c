/* dumplab run: run one scenario, or a set of them with a summary table,
 * an index page and JUnit XML; one at a time in this process, or side by
 * side in worker processes (-j N, --connect URI,...). */
#include "commands.h"
#include "dumplab/images.h"
#include "dumplab/remote.h"
#include "dumplab/run.h"
#include "dumplab/sched.h"
#include "dumplab/sigguard.h"
#include "dumplab/virt.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* report.txt, report.json and report.html in the run's folder. */
static void write_reports(const DlReport *rep)
{
    if (!dl_report_workdir(rep))
        return;
    const char *dir = dl_report_workdir(rep);
    g_autofree char *txt = g_build_filename(dir, "report.txt", NULL);
    g_autofree char *json = g_build_filename(dir, "report.json", NULL);
    g_autofree char *html = g_build_filename(dir, "report.html", NULL);
    g_autoptr(GError) e = NULL;
    if (!dl_report_write_text(rep, txt, &e) || !dl_report_write_json(rep, json, &e) ||
        !dl_report_write_html(rep, html, &e))
        fprintf(stderr, "dumplab run: writing the report: %s\n", e->message);
}

static DlReport *run_one(virConnectPtr conn, const DlScenario *s, const DlRunOptions *opt,
                         bool prune)
{
    DlReport *rep = !s->ia64        ? dl_run_scenario(conn, s, opt)
                    : s->ia64_linux ? dl_run_ia64_linux(conn, s, opt)
                    : s->ia64_qemu  ? dl_run_ia64_qemu(conn, s, opt)
                                    : dl_run_ia64(s, opt);
    bool expected = dl_report_as_expected(rep, s);
    dl_report_set_expected(rep, expected);
    if (dl_remote_enabled()) {
        double up_s, down_s;
        guint64 up, down;
        dl_remote_transfer_stats(&up_s, &up, &down_s, &down);
        dl_remote_finish();
        g_autofree char *host =
            g_strdup_printf("%s (uploaded %" G_GUINT64_FORMAT
                            " MiB in %.1f s, downloaded %" G_GUINT64_FORMAT " MiB in %.1f s)",
                            dl_virt_uri(), up >> 20, up_s, down >> 20, down_s);
        dl_report_set_host(rep, host);
    }
    if (prune && expected)
        dl_report_prune_dumps(rep);
    write_reports(rep);
    return rep;
}

/* The worker's report, read back; a worker that died before writing one
 * becomes a FAIL naming how it ended. */
static DlReport *job_report(const DlSchedJob *j, const DlScenario *s, const DlSchedHost *h)
{
    g_autoptr(GError) e = NULL;
    DlReport *rep = NULL;
    if (j->workdir) {
        g_autofree char *json = g_build_filename(j->workdir, "report.json", NULL);
        rep = dl_report_load_json(json, &e);
    }
    if (!rep) {
        rep = dl_report_new(s->name, s->path);
        g_autofree char *why =
            !j->started ? g_strdup("not started (interrupted)")
            : WIFSIGNALED(j->status)
                ? g_strdup_printf("worker killed by signal %d", WTERMSIG(j->status))
                : g_strdup_printf("worker exited with status %d and no report%s%s",
                                  WEXITSTATUS(j->status), e ? ": " : "", e ? e->message : "");
        dl_report_fail(rep, "worker", why);
        dl_report_set_workdir(rep, j->workdir);
        dl_report_finish(rep, j->ms);
        dl_report_set_expected(rep, dl_report_as_expected(rep, s));
        write_reports(rep);
    }
    return rep;
}

/* The folder for a set's index.html and junit.xml, beside the runs' own. */
static char *catalog_dir(const char *runs_root)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
    g_autofree char *leaf = g_strdup_printf("%s-catalog-%d", stamp, (int)getpid());
    char *dir = g_build_filename(runs_root, leaf, NULL);
    if (g_mkdir_with_parents(dir, 0755) < 0) {
        fprintf(stderr, "dumplab run: cannot make %s\n", dir);
        g_free(dir);
        return NULL;
    }
    return dir;
}

static void write_set_reports(GPtrArray *reports, const char *runs_root, const char *junit)
{
    g_autoptr(GError) e = NULL;
    if (reports->len > 1) {
        g_autofree char *dir = catalog_dir(runs_root);
        if (dir) {
            g_autofree char *index = g_build_filename(dir, "index.html", NULL);
            g_autofree char *xml = g_build_filename(dir, "junit.xml", NULL);
            if (dl_report_write_index(reports, "dumplab catalog run", index, &e) &&
                dl_report_write_junit(reports, "catalog", xml, &e))
                printf("index:   %s\njunit:   %s\n", index, xml);
            else
                fprintf(stderr, "dumplab run: %s\n", e->message);
            g_clear_error(&e);
        }
    }
    if (junit && !dl_report_write_junit(reports, "catalog", junit, &e))
        fprintf(stderr, "dumplab run: --junit: %s\n", e->message);
}

/* The hosts of a batch: --connect's URIs, each probed through libvirt, or
 * this machine. */
static DlSchedHost *make_hosts(const char *connect, unsigned jobs, guint *n, GError **err)
{
    if (!connect) {
        DlSchedHost *h = g_new0(DlSchedHost, 1);
        *n = 1;
        if (!dl_sched_local_host(h, jobs, err)) {
            g_free(h);
            return NULL;
        }
        return h;
    }
    g_auto(GStrv) uris = g_strsplit(connect, ",", -1);
    guint count = g_strv_length(uris);
    DlSchedHost *hosts = g_new0(DlSchedHost, count ? count : 1);
    for (guint i = 0; i < count; i++) {
        if (!*g_strstrip(uris[i]) || !dl_remote_probe_host(uris[i], jobs, &hosts[i], err)) {
            if (err && !*err)
                g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "--connect: empty URI");
            for (guint k = 0; k < i; k++)
                dl_sched_host_clear(&hosts[k]);
            g_free(hosts);
            return NULL;
        }
        hosts[i].label = g_strdup_printf("host%u", i + 1);
    }
    *n = count;
    return hosts;
}

static GPtrArray *run_batch(GPtrArray *scns, const char *runs_root, const char *connect,
                            unsigned jobs, bool prune, bool quiet, GError **err)
{
    guint nhosts = 0;
    DlSchedHost *hosts = make_hosts(connect, jobs, &nhosts, err);
    if (!hosts)
        return NULL;
    for (guint i = 0; i < nhosts && !quiet; i++)
        printf("%s: %s, %u CPUs, %" G_GUINT64_FORMAT " MiB for guests, %u at once%s\n",
               hosts[i].label, hosts[i].uri ? hosts[i].uri : dl_virt_uri(), hosts[i].cores,
               hosts[i].mem_mib, hosts[i].slots,
               hosts[i].remote ? " (images and dumps as volumes)" : "");
    /* Each kernel's image once, before any worker starts: the builder
     * takes one lock, so workers would otherwise queue behind each other
     * for it, each resolving the same packages. */
    g_autoptr(GHashTable) built = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GString) images = g_string_new(NULL);
    for (guint i = 0; i < scns->len; i++) {
        const DlScenario *s = g_ptr_array_index(scns, i);
        const char *pkg = s->kernel_package ? s->kernel_package : "";
        if (s->ia64 || g_hash_table_contains(built, pkg))
            continue;
        g_hash_table_add(built, (gpointer)pkg);
        gint64 t0 = g_get_monotonic_time();
        g_autoptr(GError) e = NULL;
        g_autoptr(DlImage) img = dl_image_get(pkg, NULL, 1200, NULL, NULL, &e);
        if (img)
            g_string_append_printf(images, "%s%s=%s", images->len ? "\n" : "", pkg, img->dir);
        if (!quiet)
            printf("image: %s %s in %.1f s\n", *pkg ? pkg : "default kernel",
                   img ? "ready" : e->message, (g_get_monotonic_time() - t0) / 1e6);
    }
    /* The very program running now, even when a rebuild has replaced the
     * file meanwhile; it learns the repository from DUMPLAB_ROOT. */
    g_autofree char *self = g_strdup("/proc/self/exe");
    g_setenv("DUMPLAB_ROOT", dl_repo_root(), FALSE);
    if (images->len)
        g_setenv("DUMPLAB_IMAGES", images->str, TRUE);
    g_autoptr(GPtrArray) js = g_ptr_array_new_with_free_func((GDestroyNotify)dl_sched_job_free);
    for (guint i = 0; i < scns->len; i++) {
        const DlScenario *s = g_ptr_array_index(scns, i);
        DlSchedJob *j = g_new0(DlSchedJob, 1);
        j->name = g_strdup(s->name);
        j->need = (DlSchedNeed){s->vcpus ? s->vcpus : 1, s->memory_mib};
        GPtrArray *argv = g_ptr_array_new();
        g_ptr_array_add(argv, g_strdup(self));
        g_ptr_array_add(argv, g_strdup("run"));
        g_ptr_array_add(argv, g_strdup("--worker"));
        g_ptr_array_add(argv, g_strdup("--runs-dir"));
        g_ptr_array_add(argv, g_strdup(runs_root));
        if (prune)
            g_ptr_array_add(argv, g_strdup("--prune"));
        g_ptr_array_add(argv, g_strdup(s->path));
        g_ptr_array_add(argv, NULL);
        j->argv = (char **)g_ptr_array_free(argv, FALSE);
        g_ptr_array_add(js, j);
    }
    gint64 t0 = g_get_monotonic_time();
    bool ok = dl_sched_run(js, hosts, nhosts, stdout, err);
    double wall = (g_get_monotonic_time() - t0) / 1e6;
    GPtrArray *reports = NULL;
    if (ok) {
        reports = g_ptr_array_new_with_free_func((GDestroyNotify)dl_report_free);
        gint64 spawn = 0, busy = 0;
        for (guint i = 0; i < js->len; i++) {
            const DlSchedJob *j = g_ptr_array_index(js, i);
            g_ptr_array_add(reports, job_report(j, g_ptr_array_index(scns, i),
                                                j->host >= 0 ? &hosts[j->host] : NULL));
            spawn += j->spawn_ms;
            busy += j->ms;
        }
        printf("\nbatch: %u run%s in %.1f s wall (%.1f s of runs, %.2f runs/min); "
               "dispatch to first worker line %.0f ms per run\n",
               js->len, js->len == 1 ? "" : "s", wall, busy / 1000.0,
               wall > 0 ? js->len * 60.0 / wall : 0, js->len ? (double)spawn / js->len : 0);
        for (guint i = 0; i < nhosts; i++)
            printf("%s: %u run%s, %.1f s busy\n", hosts[i].label, hosts[i].done,
                   hosts[i].done == 1 ? "" : "s", hosts[i].busy_ms / 1000.0);
    }
    for (guint i = 0; i < nhosts; i++)
        dl_sched_host_clear(&hosts[i]);
    g_free(hosts);
    return reports;
}

int cmd_run(int argc, char **argv)
{
    g_autofree char *runs_dir = NULL, *connect = NULL, *junit = NULL;
    gboolean quiet = FALSE, prune = FALSE, worker = FALSE;
    int jobs = 1;
    GOptionEntry entries[] = {
        {"runs-dir", 0, 0, G_OPTION_ARG_FILENAME, &runs_dir,
         "make work folders below DIR (default: runs/)", "DIR"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "no progress lines", NULL},
        {"prune", 0, 0, G_OPTION_ARG_NONE, &prune,
         "delete the dumps of runs that end as their scenario expects (catalog runs)", NULL},
        {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
         "run up to N scenarios at once (per host with --connect), as cores and RAM allow", "N"},
        {"connect", 0, 0, G_OPTION_ARG_STRING, &connect,
         "spread the scenarios over these libvirt connections (qemu+ssh://, qemu+tcp://, "
         "qemu+unix://); images and dumps travel as storage volumes",
         "URI[,URI...]"},
        {"junit", 0, 0, G_OPTION_ARG_FILENAME, &junit, "also write JUnit XML to FILE", "FILE"},
        {"worker", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &worker,
         "one scenario for a -j parent: progress lines, then the work folder", NULL},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO|DIR|GLOB...");
    g_option_context_set_summary(
        ctx, "Boots each scenario's guest, arms kdump, provokes its fault, collects and checks\n"
             "the vmcore. A folder runs every *.scn below it. Each run writes report.html;\n"
             "a set of runs also an index.html and junit.xml. Exit status: 0 when every run\n"
             "ended as its scenario expects, 1 when one did not, 2 on bad usage or input.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "dumplab run: %s\n", err->message);
        return 2;
    }
    if (jobs < 1 || jobs > 64) {
        fprintf(stderr, "dumplab run: -j %d: give 1 to 64 runs at once\n", jobs);
        return 2;
    }
    if (argc < 2) {
        g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);
        fputs(help, stderr);
        return 2;
    }
    g_autoptr(GPtrArray) paths = dl_scenario_expand((const char *const *)argv + 1, &err);
    if (!paths) {
        fprintf(stderr, "dumplab run: %s\n", err->message);
        return 2;
    }
    /* Load every file first: a typo in the tenth scenario should not
     * surface after nine guests have run. */
    g_autoptr(GPtrArray) scns = g_ptr_array_new_with_free_func((GDestroyNotify)dl_scenario_free);
    int bad = 0;
    for (guint i = 0; i < paths->len; i++) {
        g_autoptr(GError) e = NULL;
        DlScenario *s = dl_scenario_load(g_ptr_array_index(paths, i), &e);
        if (!s) {
            fprintf(stderr, "dumplab run: %s\n", e->message);
            bad++;
            continue;
        }
        g_ptr_array_add(scns, s);
    }
    if (bad)
        return 2;
    for (guint i = 0; connect && i < scns->len; i++)
        if (((const DlScenario *)g_ptr_array_index(scns, i))->ia64) {
            fprintf(stderr,
                    "dumplab run: %s: IA-64 scenarios run on this host only, not with "
                    "--connect\n",
                    ((const DlScenario *)g_ptr_array_index(scns, i))->path);
            return 2;
        }
    if (worker && scns->len != 1) {
        fprintf(stderr, "dumplab run: --worker takes one scenario\n");
        return 2;
    }

    dl_sigguard_install();
    g_autofree char *cache = g_build_filename(dl_repo_root(), "build", NULL);
    g_autofree char *default_runs = g_build_filename(dl_repo_root(), "runs", NULL);
    /* libvirt and QEMU resolve paths from their own working folder: give
     * them absolute ones. */
    g_autofree char *runs_abs = runs_dir ? g_canonicalize_filename(runs_dir, NULL) : NULL;
    const char *runs_root = runs_abs ? runs_abs : default_runs;
    bool batch = !worker && (connect || (jobs > 1 && scns->len > 1));
    /* IA-64 scenarios of platform sim run on the model, without libvirt. */
    bool need_libvirt = false;
    for (guint i = 0; i < scns->len; i++) {
        const DlScenario *s = g_ptr_array_index(scns, i);
        need_libvirt |= !s->ia64 || s->ia64_qemu;
    }
    /* A batch's workers connect on their own; the local daemon is started
     * (if need be) and cleaned of dead runs' domains once, here. */
    if (dl_remote_enabled() && !dl_remote_init(&err)) {
        fprintf(stderr, "dumplab run: %s\n", err->message);
        return 2;
    }
    virConnectPtr conn = need_libvirt && !connect ? cmd_connect(&err) : NULL;
    if (need_libvirt && !connect && !conn) {
        fprintf(stderr, "dumplab run: %s\n", err->message);
        return 2;
    }
    int removed = conn && !worker ? dl_virt_remove_leftovers(conn, NULL, NULL) : 0;
    if (removed > 0)
        printf("removed %d leftover domain%s of killed runs\n", removed, removed == 1 ? "" : "s");

    DlRunOptions opt = {.runs_root = runs_root, .cache_dir = cache, .quiet = quiet};
    g_autoptr(GPtrArray) reports = NULL;
    int unexpected = 0;
    if (batch) {
        if (conn) {
            virConnectClose(conn);
            conn = NULL;
        }
        reports = run_batch(scns, runs_root, connect, (unsigned)jobs, prune, quiet, &err);
        if (!reports) {
            fprintf(stderr, "dumplab run: %s\n", err->message);
            return 2;
        }
        for (guint i = 0; i < reports->len; i++) {
            DlReport *rep = g_ptr_array_index(reports, i);
            if (dl_report_as_expected(rep, g_ptr_array_index(scns, i)))
                continue;
            unexpected++;
            dl_report_print_summary(rep, stdout);
            printf("%s: this is NOT what the scenario expects\n", dl_report_name(rep));
        }
    } else {
        reports = g_ptr_array_new_with_free_func((GDestroyNotify)dl_report_free);
        for (guint i = 0; i < scns->len && !dl_sigguard_caught(); i++) {
            const DlScenario *s = g_ptr_array_index(scns, i);
            DlReport *rep = run_one(conn, s, &opt, prune);
            g_ptr_array_add(reports, rep);
            if (worker) {
                /* The parent reads report.json; stdout carries progress. */
                printf(DL_SCHED_WORKDIR_TAG "%s\n",
                       dl_report_workdir(rep) ? dl_report_workdir(rep) : "");
                fflush(stdout);
            } else
                dl_report_print_summary(rep, stdout);
            if (!dl_report_as_expected(rep, s)) {
                unexpected++;
                if (!worker)
                    printf("%s: this is NOT what the scenario expects\n", s->name);
            }
        }
    }
    if (reports->len > 1)
        dl_report_print_table(reports, stdout);
    if (!worker)
        write_set_reports(reports, runs_root, junit);
    if (conn)
        virConnectClose(conn);
    if (dl_sigguard_caught()) {
        fprintf(stderr, "dumplab run: interrupted\n");
        return 1;
    }
    return unexpected ? 1 : 0;
}
