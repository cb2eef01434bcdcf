/* The watch phase of a monitor = text run (watch.h): the guest runs on
 * while the hypervisor reads its text; the fault changes text and the watch
 * must catch it, name it and classify it. */
#include "dumplab/watch.h"
#include "dumplab/error.h"
#include "dumplab/sigguard.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

/* Boot is over when the text has been quiet this long (module loading and
 * the agent's setup patch jump labels on their own). */
#define SETTLE_QUIET_MS 1000
#define SETTLE_LIMIT_MS 30000
/* After the expected change, a few periods more: a change may come in
 * several writes (text_poke_bp: int3, tail, opcode). */
#define AFTER_PERIODS 3

static bool kernel_code(GPtrArray *iomem, uint64_t *s, uint64_t *e)
{
    for (guint i = 0; iomem && i < iomem->len; i++) {
        const DlMsg *m = g_ptr_array_index(iomem, i);
        if (g_strcmp0(dl_msg_get(m, "name"), "Kernel code"))
            continue;
        *s = g_ascii_strtoull(dl_msg_get(m, "start"), NULL, 0);
        *e = g_ascii_strtoull(dl_msg_get(m, "end"), NULL, 0);
        return true;
    }
    return false;
}

/* The guest-side loop's rate (agent LOOP), for the slowdown while
 * watched: a thread scans at the period while the agent loops. */
typedef struct {
    DlTextWatch *tw;
    unsigned period_ms;
    gint stop;
    GPtrArray *changes;
} ScanThread;

static gpointer scan_thread(gpointer data)
{
    ScanThread *st = data;
    while (!g_atomic_int_get(&st->stop)) {
        g_usleep(st->period_ms * 1000ULL);
        dl_textwatch_scan(st->tw, st->changes);
    }
    return NULL;
}

static bool loop_rate(DlGuest *g, unsigned ms, double *rate, GError **err)
{
    if (!dl_agent_send(g->agent, err, "LOOP ms=%u", ms))
        return false;
    static const char *const looped[] = {"LOOPED", NULL};
    g_autoptr(DlMsg) m = dl_guest_expect(g, looped, (int)(ms / 1000) + 30, err);
    if (!m)
        return false;
    double count = g_ascii_strtod(dl_msg_get(m, "count") ? dl_msg_get(m, "count") : "0", NULL);
    double el = g_ascii_strtod(dl_msg_get(m, "ms") ? dl_msg_get(m, "ms") : "0", NULL);
    *rate = el > 0 ? count / el : 0;
    return true;
}

/* DUMPLAB_WATCH_LOOP_MS=N (bench/watch.sh): the guest loops N ms unwatched,
 * then N ms while the text is scanned at the period. */
static bool slowdown(DlGuest *g, DlWatchTarget *t, unsigned period, GString *log, GError **err)
{
    const char *env = g_getenv("DUMPLAB_WATCH_LOOP_MS");
    unsigned ms = env ? (unsigned)g_ascii_strtoull(env, NULL, 10) : 0;
    if (!ms)
        return true;
    ms = MIN(ms, 60000u);
    /* Unwatched and watched in turn, twice: the machine's load drifts. */
    double plain = 0, watched = 0;
    for (int round = 0; round < 2; round++) {
        double p = 0, w = 0;
        if (!loop_rate(g, ms, &p, err))
            return false;
        ScanThread st = {t->tw, period, 0,
                         g_ptr_array_new_with_free_func((GDestroyNotify)dl_text_change_free)};
        GThread *th = g_thread_new("dl-scan", scan_thread, &st);
        bool ok = loop_rate(g, ms, &w, err);
        g_atomic_int_set(&st.stop, 1);
        g_thread_join(th);
        g_ptr_array_unref(st.changes);
        if (!ok)
            return false;
        plain += p / 2;
        watched += w / 2;
    }
    g_string_append_printf(log,
                           "guest loop: %.0f/ms unwatched, %.0f/ms watched at %u ms: "
                           "watched/unwatched = %.3f\n",
                           plain, watched, period, plain > 0 ? watched / plain : 0);
    return true;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static bool matches(const DlTextChange *c, const char *want)
{
    g_autofree char *cls = g_strdup(want);
    char *at = strchr(cls, '@');
    if (at)
        *at++ = '\0';
    if (strcmp(dl_text_class_name(c->cls), cls))
        return false;
    return !at || (c->symbol && !strcmp(c->symbol, at));
}

bool dl_watch_run(const DlWatchRunIn *in, char **detail, GError **err)
{
    const DlScenario *s = in->scn;
    g_autofree char *vmlinux = dl_watch_vmlinux_path(in->kernel_version, err);
    if (!vmlinux)
        return false;
    g_autoptr(DlKsyms) ks = dl_ksyms_load(vmlinux, err);
    if (!ks)
        return false;
    g_autoptr(DlWatchTarget) t = dl_watch_attach(in->guest->dom, ks, err);
    if (!t)
        return false;
    g_autoptr(GString) log = g_string_new(NULL);
    g_autofree char *text = dl_watch_describe_text(t);
    g_string_append_printf(log, "%s\n", text);

    /* The referees: the guest's own /proc/iomem and the Debian vmlinux. */
    uint64_t kc_s = 0, kc_e = 0;
    if (!kernel_code(in->guest->iomem, &kc_s, &kc_e)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "the agent reported no 'Kernel code' line of /proc/iomem to referee with");
        return false;
    }
    GError *ref = NULL;
    bool bounds_ok = dl_watch_referee(t, ks, kc_s, kc_e, &ref);
    g_autofree char *bounds =
        bounds_ok ? g_strdup_printf("%s; agrees with /proc/iomem Kernel code %" G_GINT64_MODIFIER
                                    "x-%" G_GINT64_MODIFIER "x and %s",
                                    text, kc_s, kc_e, vmlinux)
                  : g_strdup(ref->message);
    dl_report_add_check(in->rep, "text-bounds", bounds_ok, bounds);
    g_string_append_printf(log, "text-bounds: %s\n", bounds);
    if (!bounds_ok) {
        g_propagate_error(err, ref);
        return false;
    }

    /* The view is read-only: proven on the text's first byte. */
    g_autofree char *how = NULL;
    GError *ro = NULL;
    bool ro_ok = dl_view_prove_readonly(t->view, t->kt.pstart, &how, &ro);
    dl_report_add_check(in->rep, "view-read-only", ro_ok, ro_ok ? how : ro->message);
    g_string_append_printf(log, "view-read-only: %s\n", ro_ok ? how : ro->message);
    if (!ro_ok) {
        g_propagate_error(err, ro);
        return false;
    }

    unsigned period = s->monitor_period_ms;
    dl_watch_settle(t, period, SETTLE_QUIET_MS, SETTLE_LIMIT_MS);
    g_string_append_printf(log,
                           "baseline: %" G_GUINT64_FORMAT " pages, %u changes while settling\n",
                           dl_textwatch_pages(t->tw), t->settle_changes);

    if (!slowdown(in->guest, t, period, log, err))
        return false;

    bool has_fault = s->fault != DL_FAULT_COUNT;
    gint64 t_fault = g_get_monotonic_time();
    if (has_fault && !dl_agent_send(in->guest->agent, err, "FAULT kind=%s cpu=%d",
                                    dl_fault_name(s->fault), s->fault_cpu))
        return false;
    const char *want = s->expect_text_change;
    bool want_none = !want || !strcmp(want, "none");
    gint64 end = t_fault + (gint64)s->monitor_for_ms * 1000;
    const DlTextChange *hit = NULL;
    guint reported = 0;
    /* The change happened after the last scan that did not see it: the
     * time from that scan's start to the one that saw it bounds the
     * detection latency, whatever the guest took to make the change. */
    gint64 prev_scan = t_fault, scan_t = t_fault, hit_bound = 0, scan_us = 0;
    unsigned scans = 0;
    double cpu0 = cpu_s();
    while (g_get_monotonic_time() < end) {
        if (dl_sigguard_caught()) {
            g_set_error(err, DL_ERROR, DL_ERROR_INTERRUPTED, "interrupted");
            return false;
        }
        if (!dl_guest_idle(in->guest, err)) {
            g_prefix_error(err, "the watched guest stopped: ");
            return false;
        }
        /* Sleep to the next period boundary, so scans keep the period
         * whatever a scan costs. */
        gint64 now = g_get_monotonic_time();
        gint64 next = t_fault + ((now - t_fault) / (period * 1000) + 1) * period * 1000;
        g_usleep((gulong)(next - now));
        prev_scan = scan_t;
        scan_t = g_get_monotonic_time();
        dl_textwatch_scan(t->tw, t->changes);
        scan_us += g_get_monotonic_time() - scan_t;
        scans++;
        for (; reported < t->changes->len; reported++) {
            const DlTextChange *c = g_ptr_array_index(t->changes, reported);
            g_autofree char *d = dl_text_change_describe(c);
            g_string_append_printf(log, "+%.3f s %s\n", (c->seen_us - t_fault) / 1e6, d);
            if (!hit && !want_none && matches(c, want)) {
                hit = c;
                hit_bound = g_get_monotonic_time() - prev_scan;
                gint64 stop = c->seen_us + (gint64)AFTER_PERIODS * period * 1000;
                if (stop < end)
                    end = stop;
            }
        }
    }
    double wall = (g_get_monotonic_time() - t_fault) / 1e6, cpu = cpu_s() - cpu0;
    g_string_append_printf(log,
                           "monitor: %u scans of %" G_GUINT64_FORMAT " pages, %.2f ms each; "
                           "CPU %.3f s in %.1f s = %.2f %% of one core at %u ms\n",
                           scans, dl_textwatch_pages(t->tw), scans ? scan_us / 1000.0 / scans : 0,
                           cpu, wall, wall > 0 ? 100 * cpu / wall : 0, period);
    g_autofree char *path = g_build_filename(in->workdir, "watch.txt", NULL);
    g_file_set_contents(path, log->str, -1, NULL);

    unsigned n = t->changes->len;
    bool ok;
    g_autofree char *sum = NULL;
    if (want_none) {
        ok = n == 0;
        g_autofree char *first =
            n ? dl_text_change_describe(g_ptr_array_index(t->changes, 0)) : NULL;
        sum =
            ok ? g_strdup_printf("no change in %.1f s at %u ms", s->monitor_for_ms / 1000.0, period)
               : g_strdup_printf("%u unexpected change(s); first: %s", n, first);
    } else if (!hit) {
        ok = false;
        sum = g_strdup_printf("no %s change within %.1f s (%u other change(s))", want,
                              s->monitor_for_ms / 1000.0, n);
    } else {
        double lat_ms = (hit->seen_us - t_fault) / 1000.0, bound_ms = hit_bound / 1000.0;
        g_autofree char *d = dl_text_change_describe(hit);
        /* Every other change must be explained too. */
        const DlTextChange *stray = NULL;
        for (guint i = 0; i < n && hit->cls != DL_TC_UNEXPLAINED; i++) {
            const DlTextChange *c = g_ptr_array_index(t->changes, i);
            if (c->cls == DL_TC_UNEXPLAINED && !stray)
                stray = c;
        }
        ok = bound_ms <= 2.0 * period && !stray;
        if (stray) {
            g_autofree char *sd = dl_text_change_describe(stray);
            g_string_append_printf(log, "an unexplained change beside the expected one: %s\n", sd);
        }
        sum = g_strdup_printf("%s caught within %.0f ms of the change (%.2f periods; %.0f ms after "
                              "the fault was sent): %s",
                              want, bound_ms, bound_ms / period, lat_ms, d);
    }
    dl_report_add_check(in->rep, "text-change", ok, sum);
    g_string_append_printf(log, "text-change: %s\n", sum);
    g_file_set_contents(path, log->str, -1, NULL);
    if (!ok) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "%s (log: %s)", sum, path);
        return false;
    }
    *detail = g_strdup_printf("%s; %s", sum, text);
    return true;
}
