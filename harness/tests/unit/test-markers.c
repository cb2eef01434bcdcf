/* Marker pages: intact frames pass; a changed byte, a missing frame and
 * another run's pattern are each reported by frame number. */
#include "dumplab/coregen.h"
#include "dumplab/proof.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmpdir;

static DlDump *core_from(const char *name, const char *desc)
{
    g_autofree char *p = g_build_filename(tmpdir, name, NULL);
    GError *err = NULL;
    if (!dl_coregen_write(desc, p, &err)) {
        tap_diag("coregen: %s", err->message);
        g_error_free(err);
        return NULL;
    }
    DlDump *c = dl_dump_open(p, &err);
    if (!c) {
        tap_diag("open: %s", err->message);
        g_error_free(err);
    }
    g_unlink(p);
    return c;
}

static DlManifest *manifest(const char *text, const char *dmesg)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) l = g_strsplit(text, "\n", -1);
    for (int i = 0; l[i]; i++)
        if (*l[i])
            g_ptr_array_add(lines, g_strdup(l[i]));
    GError *err = NULL;
    DlManifest *m = dl_manifest_parse(lines, dmesg, &err);
    if (!m) {
        tap_diag("manifest: %s", err->message);
        g_error_free(err);
    }
    return m;
}

static const DlFinding *rule(const DlCheckResult *r, const char *name, DlSeverity sev)
{
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        if (!strcmp(f->rule, name) && f->sev == sev)
            return f;
    }
    return NULL;
}

static void diag(const DlCheckResult *r)
{
    for (guint i = 0; r && i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        tap_diag("  %s %s: %s", dl_severity_name(f->sev), f->rule, f->message);
    }
}

static DlCheckResult *fresh(DlDump *c)
{
    const DlCheckInput quick = {.expect_cpus = -1, .quick = true};
    return dl_check_dump(c, &quick, NULL);
}

static void markers(void)
{
    const char *base = "layout kexec_load\ncpu rip=0x1 rsp=0x1\nram 0x100000-0x7fffff\n"
                       "marker seed=42 pfn=0x300 count=8\n";
    const char *m_text = "seed value=42\nmarker pfn=0x300 count=8\n";
    g_autoptr(DlDump) good = core_from("mk-good", base);
    g_autoptr(DlManifest) m = manifest(m_text, NULL);
    g_autoptr(DlCheckResult) r = fresh(good);
    if (!tap_ok(dl_proof_markers(good, m, 8, 42, r) && rule(r, "markers.ok", DL_SEV_NOTE),
                "intact marker pages pass"))
        diag(r);
    g_autofree char *poked = g_strdup_printf("%spoke paddr=0x302123 byte=0x00\n", base);
    g_autoptr(DlDump) bad = core_from("mk-bad", poked);
    g_autoptr(DlCheckResult) rb = fresh(bad);
    bool passed = dl_proof_markers(bad, m, 8, 42, rb);
    const DlFinding *f = rule(rb, "markers.altered", DL_SEV_DEFECT);
    tap_ok(!passed && f && strstr(f->message, "0x302") && strstr(f->message, "1 of 8"),
           "one changed byte is reported by its frame: %s", f ? f->message : "(not reported)");
    g_autoptr(DlManifest) far = manifest("seed value=42\nmarker pfn=0x7fe count=4\n", NULL);
    g_autoptr(DlCheckResult) rf = fresh(good);
    passed = dl_proof_markers(good, far, 4, 42, rf);
    f = rule(rf, "markers.missing", DL_SEV_DEFECT);
    tap_ok(!passed && f && strstr(f->message, "0x800-0x801"),
           "frames absent from the dump are reported: %s", f ? f->message : "(not reported)");
    g_autoptr(DlManifest) seed = manifest("seed value=43\nmarker pfn=0x300 count=8\n", NULL);
    g_autoptr(DlCheckResult) rs = fresh(good);
    tap_ok(!dl_proof_markers(good, seed, 8, 43, rs),
           "pages from another run (other seed) do not pass");
    /* The guest's word is not the scenario's: a guest that reports fewer
     * frames, or reports the seed its pages were really filled with when
     * the scenario asked for another, fails. */
    g_autoptr(DlManifest) few = manifest("seed value=42\nmarker pfn=0x300 count=4\n", NULL);
    g_autoptr(DlCheckResult) rc = fresh(good);
    passed = dl_proof_markers(good, few, 8, 42, rc);
    f = rule(rc, "markers.count", DL_SEV_DEFECT);
    tap_ok(!passed && f && strstr(f->message, "reports 4") && strstr(f->message, "asked for 8"),
           "a guest reporting 4 of the scenario's 8 frames fails: %s",
           f ? f->message : "(not reported)");
    g_autoptr(DlCheckResult) rw = fresh(good);
    passed = dl_proof_markers(good, m, 8, 7, rw);
    f = rule(rw, "markers.seed", DL_SEV_DEFECT);
    tap_ok(!passed && f && rule(rw, "markers.altered", DL_SEV_DEFECT),
           "pages and manifest agreeing on seed 42 fail when the scenario's seed is 7: %s",
           f ? f->message : "(not reported)");
    g_autoptr(DlManifest) huge =
        manifest("seed value=42\nmarker pfn=0x0 count=1000000000000\n", NULL);
    g_autoptr(DlCheckResult) rh = fresh(good);
    gint64 t0 = g_get_monotonic_time();
    passed = dl_proof_markers(good, huge, 8, 42, rh);
    tap_ok(!passed && rule(rh, "markers.count", DL_SEV_DEFECT) &&
               g_get_monotonic_time() - t0 < G_USEC_PER_SEC,
           "a guest claiming 10^12 frames is refused at once, not walked");
}

int main(void)
{
    tmpdir = g_dir_make_tmp("proof-XXXXXX", NULL);
    markers();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return tap_done();
}
