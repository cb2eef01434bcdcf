/* The hypervisor's reference dump and its downtime (hvdump.h). */
#include "dumplab/hvdump.h"
#include "dumplab/bgsnap.h"
#include "dumplab/error.h"
#include "dumplab/ramsnap.h"
#include "dumplab/virt.h"

#include <string.h>

DlHvDumpMethod dl_hvdump_method(void)
{
    const char *m = g_getenv("DUMPLAB_HV_DUMP_METHOD");
    const char *f = g_getenv("DUMPLAB_HV_DUMP_FORMAT");
    if ((m && !strcmp(m, "dump-guest-memory")) || (f && *f && strcmp(f, "elf")))
        return DL_HVDUMP_DUMP_GUEST_MEMORY;
    if (m && !strcmp(m, "background-snapshot"))
        return DL_HVDUMP_BACKGROUND;
    /* The default is the short pause-and-copy: proven by hv-dump-downtime.sh
     * and exact in the cross-check. QEMU's background snapshot streams on
     * while the crash kernel captures, but its end phase still loses the
     * domain after the agent's BYE (the run then falls back), so it stays
     * opt-in until that is fixed. */
    return DL_HVDUMP_SNAPSHOT;
}

const char *dl_hvdump_method_name(DlHvDumpMethod m)
{
    return m == DL_HVDUMP_BACKGROUND ? "background-snapshot"
           : m == DL_HVDUMP_SNAPSHOT ? "copy"
                                     : "dump-guest-memory";
}

/* One reading of the guest's CLOCK_MONOTONIC, paired with the host's
 * clock at the middle of the round trip. */
typedef struct {
    double guest_ms, host_ms, rtt_ms;
} ClockPair;

static bool guest_clock(DlGuest *g, ClockPair *c, GError **err)
{
    gint64 t0 = g_get_monotonic_time();
    if (!dl_agent_send(g->agent, err, "CLOCK"))
        return false;
    static const char *const clock[] = {"CLOCK", NULL};
    g_autoptr(DlMsg) m = dl_guest_expect(g, clock, 30, err);
    gint64 t1 = g_get_monotonic_time();
    if (!m)
        return false;
    const char *ns = dl_msg_get(m, "ns");
    if (!ns) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "CLOCK reply without ns=");
        return false;
    }
    c->guest_ms = g_ascii_strtoull(ns, NULL, 10) / 1e6;
    c->host_ms = (t0 + t1) / 2000.0;
    c->rtt_ms = (t1 - t0) / 1000.0;
    return true;
}

/* The copy reads QEMU's RAM through /proc, so it needs QEMU on this host.
 * Where it is not (qemu+ssh, a libvirtd in its own mount namespace),
 * libvirt's dump-guest-memory takes the dump and the timing says why;
 * any other failure of the copy stays a failure. */
static bool copy_prepared(DlRamSnap *s, GError *e, DlHvDumpTiming *t, DlRamSnap **snap,
                          GError **err)
{
    if ((*snap = s))
        return true;
    if (!g_error_matches(e, DL_ERROR, DL_ERROR_UNSUPPORTED)) {
        g_propagate_error(err, e);
        return false;
    }
    g_free(t->fallback);
    t->fallback = g_strdup_printf("copy impossible: %s", e->message);
    g_error_free(e);
    t->method = DL_HVDUMP_DUMP_GUEST_MEMORY;
    return true;
}

static bool prepare_copy(DlGuest *g, DlHvDumpTiming *t, DlRamSnap **snap, GError **err)
{
    GError *e = NULL;
    DlRamSnap *s = dl_ramsnap_prepare(g->dom, &e);
    return copy_prepared(s, e, t, snap, err);
}

struct DlHvDumpPrep {
    virDomainPtr dom;
    GThread *thread;
    DlRamSnap *snap;
    GError *err;
};

static gpointer prepare_thread(gpointer data)
{
    DlHvDumpPrep *p = data;
    p->snap = dl_ramsnap_prepare(p->dom, &p->err);
    return NULL;
}

DlHvDumpPrep *dl_hvdump_prepare_async(DlGuest *g)
{
    DlHvDumpPrep *p = g_new0(DlHvDumpPrep, 1);
    virDomainRef(g->dom);
    p->dom = g->dom;
    p->thread = g_thread_new("hv-prepare", prepare_thread, p);
    return p;
}

static void prep_join(DlHvDumpPrep *p)
{
    if (p->thread)
        g_thread_join(p->thread);
    p->thread = NULL;
}

void dl_hvdump_prep_free(DlHvDumpPrep *p)
{
    if (!p)
        return;
    prep_join(p);
    dl_ramsnap_free(p->snap);
    g_clear_error(&p->err);
    virDomainFree(p->dom);
    g_free(p);
}

/* The copy's preparation: taken from prep while its thread has not been
 * joined (joining consumes it), else done now. */
static bool get_copy(DlGuest *g, DlHvDumpPrep *prep, DlHvDumpTiming *t, DlRamSnap **snap,
                     GError **err)
{
    if (!prep || !prep->thread)
        return prepare_copy(g, t, snap, err);
    prep_join(prep);
    DlRamSnap *s = g_steal_pointer(&prep->snap);
    GError *e = g_steal_pointer(&prep->err);
    return copy_prepared(s, e, t, snap, err);
}

/* The dump's instant: everything but the copy's ELF, which is left in
 * *snap_out (NULL for the other methods, whose file is then complete). */
static bool take_instant(DlGuest *g, DlHvDumpMethod method, DlHvDumpPrep *prep, const char *path,
                         int timeout_s, DlProgressFn progress, void *progress_data,
                         DlHvDumpTiming *t, DlRamSnap **snap_out, GError **err)
{
    *snap_out = NULL;
    memset(t, 0, sizeof(*t));
    t->method = method;
    t->guest_lost_ms = -1;
    DlRamSnap *snap = NULL;
    bool ok = false;
    if (method == DL_HVDUMP_SNAPSHOT && !get_copy(g, prep, t, &snap, err))
        return false;
    method = t->method;
    /* The clock readings bracket only the dump: preparing (buffer, QEMU's
     * memory map) happens while the guest runs and is not downtime. */
    ClockPair before = {0}, after = {0};
    bool have_clock = guest_clock(g, &before, NULL);
    gint64 tstart = g_get_monotonic_time();
    if (method == DL_HVDUMP_BACKGROUND) {
        DlBgSnapStats st;
        GError *berr = NULL;
        ok = dl_bgsnap_take(g->dom, path, timeout_s, progress, progress_data, &st, &berr);
        t->pause_ms = st.downtime_ms; /* QEMU's own figure */
        t->resident = st.stream_bytes;
        /* QEMU 7.2 write-protects anonymous RAM only: with file or memfd
         * backed RAM it refuses before it touches the guest. The copy
         * method then takes the dump, and says why. */
        if (!ok && st.refused_before_start) {
            t->fallback = g_strdup_printf("background snapshot refused: %s", berr->message);
            g_clear_error(&berr);
            t->method = DL_HVDUMP_SNAPSHOT;
            if (!prepare_copy(g, t, &snap, err))
                return false;
            method = t->method;
            if (progress)
                progress(progress_data, "background snapshot refused; copying RAM instead", 0);
        } else if (!ok)
            g_propagate_error(err, berr);
    }
    if (snap) {
        DlRamSnapStats st;
        ok = dl_ramsnap_capture(snap, &st, err);
        t->pause_ms = st.pause_ms;
        t->pagemap_ms = st.pagemap_ms;
        t->copy_ms = st.copy_ms;
        t->resume_ms = st.resume_ms;
        t->resident = st.resident_bytes;
    } else if (method == DL_HVDUMP_DUMP_GUEST_MEMORY) {
        gint64 t0 = g_get_monotonic_time();
        ok = dl_virt_pause(g->dom, err) &&
             dl_virt_core_dump(g->dom, path, timeout_s, progress, progress_data, err);
        GError *rerr = NULL;
        if (!dl_virt_resume(g->dom, &rerr) && ok) {
            g_propagate_error(err, rerr);
            rerr = NULL;
            ok = false;
        }
        g_clear_error(&rerr);
        t->pause_ms = (g_get_monotonic_time() - t0) / 1000.0;
    }
    t->total_ms = (g_get_monotonic_time() - tstart) / 1000.0;
    if (ok && have_clock && guest_clock(g, &after, NULL)) {
        t->guest_lost_ms = (after.host_ms - before.host_ms) - (after.guest_ms - before.guest_ms);
        t->clock_err_ms = (before.rtt_ms + after.rtt_ms) / 2;
    }
    if (!ok) {
        dl_ramsnap_free(snap);
        g_prefix_error(err, "%s: ", dl_hvdump_method_name(method));
        return false;
    }
    *snap_out = snap;
    return true;
}

bool dl_hvdump_take(DlGuest *g, DlHvDumpMethod method, const char *path, int timeout_s,
                    DlProgressFn progress, void *progress_data, DlHvDumpTiming *t, GError **err)
{
    DlRamSnap *snap = NULL;
    if (!take_instant(g, method, NULL, path, timeout_s, progress, progress_data, t, &snap, err))
        return false;
    /* The ELF is written from the copy while the guest runs again. */
    bool ok = !snap || dl_ramsnap_write_elf(snap, path, err);
    dl_ramsnap_free(snap);
    if (!ok)
        g_prefix_error(err, "%s: ", dl_hvdump_method_name(t->method));
    return ok;
}

char *dl_hvdump_describe(const DlHvDumpTiming *t)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%s in %.1f s: guest stopped %.2f s%s",
                           dl_hvdump_method_name(t->method), t->total_ms / 1000, t->pause_ms / 1000,
                           t->method == DL_HVDUMP_BACKGROUND ? " by QEMU's count" : "");
    if (t->fallback)
        g_string_append_printf(s, " [%s]", t->fallback);
    if (t->guest_lost_ms >= 0)
        g_string_append_printf(s, " (its clock lost %.2f +- %.2f s)", t->guest_lost_ms / 1000,
                               t->clock_err_ms / 1000);
    if (t->method == DL_HVDUMP_SNAPSHOT)
        g_string_append_printf(s, ", %" G_GUINT64_FORMAT " MiB copied", t->resident >> 20);
    if (t->method == DL_HVDUMP_BACKGROUND)
        g_string_append_printf(s, ", %" G_GUINT64_FORMAT " MiB streamed", t->resident >> 20);
    return g_string_free(s, FALSE);
}

static void add_timing(GString *j, const char *key, const DlHvDumpTiming *t)
{
    g_string_append_printf(j,
                           "  \"%s\": {\"method\": \"%s\", \"pause_ms\": %.1f, "
                           "\"guest_clock_lost_ms\": %.1f, \"clock_err_ms\": %.1f, "
                           "\"bytes\": %" G_GUINT64_FORMAT ", \"total_ms\": %.1f, "
                           "\"pagemap_ms\": %.1f, \"copy_ms\": %.1f, \"resume_ms\": %.1f}",
                           key, dl_hvdump_method_name(t->method), t->pause_ms, t->guest_lost_ms,
                           t->clock_err_ms, t->resident, t->total_ms, t->pagemap_ms, t->copy_ms,
                           t->resume_ms);
}

void dl_hvdump_write_json(const char *workdir, const DlHvDumpTiming *t, const DlHvDumpTiming *t2)
{
    g_autoptr(GString) j = g_string_new("{\n");
    add_timing(j, "reference", t);
    if (t2) {
        g_string_append(j, ",\n");
        add_timing(j, "also", t2);
    }
    g_string_append(j, "\n}\n");
    g_autofree char *path = g_build_filename(workdir, "hv-dump.json", NULL);
    g_file_set_contents(path, j->str, (gssize)j->len, NULL);
}

void dl_hvdump_timing_clear(DlHvDumpTiming *t)
{
    g_clear_pointer(&t->fallback, g_free);
}

struct DlHvDumpJob {
    DlBgSnap *snap; /* NULL: finished at start */
    gint64 t0;
    /* The copy: its ELF written by a thread while the crash kernel captures. */
    DlRamSnap *copy;
    char *path;
    GThread *writer;
    GError *write_err;
};

static gpointer write_copy(gpointer data)
{
    DlHvDumpJob *j = data;
    return GINT_TO_POINTER(dl_ramsnap_write_elf(j->copy, j->path, &j->write_err));
}

/* Joins the copy's writer, once; false with err when the ELF failed. */
static bool join_copy(DlHvDumpJob *j, GError **err)
{
    if (!j->writer)
        return true;
    bool ok = GPOINTER_TO_INT(g_thread_join(j->writer));
    j->writer = NULL;
    g_clear_pointer(&j->copy, dl_ramsnap_free);
    if (!ok) {
        g_propagate_prefixed_error(err, j->write_err, "copy: ");
        j->write_err = NULL;
    }
    return ok;
}

DlHvDumpJob *dl_hvdump_start(DlGuest *g, DlHvDumpMethod method, DlHvDumpPrep *prep,
                             const char *path, int timeout_s, DlProgressFn progress,
                             void *progress_data, DlHvDumpTiming *t, GError **err)
{
    DlHvDumpJob *j = g_new0(DlHvDumpJob, 1);
    j->t0 = g_get_monotonic_time();
    if (method != DL_HVDUMP_BACKGROUND) {
        if (!take_instant(g, method, prep, path, timeout_s, progress, progress_data, t, &j->copy,
                          err)) {
            g_free(j);
            return NULL;
        }
        /* The copy's instant is in memory and the guest runs: the ELF (the
         * resident RAM, hundreds of MiB) is written beside the capture. */
        if (j->copy) {
            j->path = g_strdup(path);
            j->writer = g_thread_new("hv-elf", write_copy, j);
        }
        return j;
    }
    memset(t, 0, sizeof(*t));
    t->method = method;
    t->guest_lost_ms = -1;
    ClockPair before = {0}, after = {0};
    bool have_clock = guest_clock(g, &before, NULL);
    bool refused = false;
    GError *berr = NULL;
    j->snap = dl_bgsnap_start(g->dom, path, timeout_s, &refused, &berr);
    if (!j->snap) {
        g_free(j);
        if (!refused) {
            g_propagate_prefixed_error(err, berr, "%s: ", dl_hvdump_method_name(method));
            return NULL;
        }
        /* Refused before it touched the guest (file-backed RAM): the
         * synchronous path falls back to the copy and says so. */
        g_clear_error(&berr);
        return dl_hvdump_start(g, DL_HVDUMP_SNAPSHOT, prep, path, timeout_s, progress,
                               progress_data, t, err);
    }
    /* The guest answers only once it runs again after the instant. */
    if (have_clock && guest_clock(g, &after, NULL)) {
        t->guest_lost_ms = (after.host_ms - before.host_ms) - (after.guest_ms - before.guest_ms);
        t->clock_err_ms = (before.rtt_ms + after.rtt_ms) / 2;
    }
    t->total_ms = (g_get_monotonic_time() - j->t0) / 1000.0;
    dl_bgsnap_finish_async(j->snap);
    return j;
}

bool dl_hvdump_wait_released(DlHvDumpJob *j, int timeout_s, GError **err)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
    while (j->snap && !dl_bgsnap_stream_done(j->snap)) {
        if (g_get_monotonic_time() >= deadline) {
            g_set_error(err, DL_ERROR, DL_ERROR_TIMEOUT,
                        "the background snapshot's stream did not end in %d s", timeout_s);
            return false;
        }
        g_usleep(50 * 1000);
    }
    return true;
}

bool dl_hvdump_finish(DlHvDumpJob *j, DlHvDumpTiming *t, GError **err)
{
    if (j->writer)
        return join_copy(j, err);
    if (!j->snap)
        return true;
    DlBgSnapStats st;
    bool ok = dl_bgsnap_join(j->snap, &st, err);
    t->pause_ms = st.downtime_ms;
    t->resident = st.stream_bytes;
    t->total_ms = (g_get_monotonic_time() - j->t0) / 1000.0;
    if (!ok)
        g_prefix_error(err, "%s: ", dl_hvdump_method_name(t->method));
    return ok;
}

void dl_hvdump_job_free(DlHvDumpJob *j)
{
    if (!j)
        return;
    join_copy(j, NULL); /* a run cut short still waits for its writer */
    dl_bgsnap_free(j->snap);
    g_free(j->path);
    g_free(j);
}
