/* The proofs on synthetic cores: notes mapped to CPUs through their
 * crash_notes buffers (out of order, one missing), the register proof, the
 * marker pages, and the comparison with a hypervisor's dump. Each check is
 * shown to catch the defect it exists for. */
#include "dumplab/coregen.h"
#include "dumplab/proof.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmpdir;

static DlCore *core_from(const char *name, const char *desc)
{
    g_autofree char *p = g_build_filename(tmpdir, name, NULL);
    GError *err = NULL;
    if (!dl_coregen_write(desc, p, &err)) {
        tap_diag("coregen: %s", err->message);
        g_error_free(err);
        return NULL;
    }
    DlCore *c = dl_core_open(p, &err);
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

/* Note 0 is CPU 1's (its buffer is at 0x300000), note 1 is CPU 0's. */
#define TWO_NOTES                                                                                  \
    "layout kexec_load\n"                                                                          \
    "cpu pid=77 rip=0xffffffff81100010 rsp=0xffffc90000010000 crash_notes=0x300000\n"              \
    "cpu pid=0 rip=0xffffffffc0001010 rsp=0xffffc90000020000 crash_notes=0x200000\n"               \
    "ram 0x100000-0x7fffff\n"
#define MAP_LINES                                                                                  \
    "crash_notes cpu=0 paddr=0x200000\n"                                                           \
    "crash_notes cpu=1 paddr=0x300000\n"                                                           \
    "ksym name=__crash_kexec start=0xffffffff81100000 end=0xffffffff81100200\n"                    \
    "ksym name=default_idle start=0xffffffff81200000 end=0xffffffff81200010\n"                     \
    "msym name=dl_spin_irqoff start=0xffffffffc0001000 end=0xffffffffc0001040\n"                   \
    "msym name=dl_fault_stop_irqoff start=0xffffffffc0002000 end=0xffffffffc0002100\n"
#define DMESG                                                                                      \
    "[ 5.1] dumplab_crash: cpu=0 role=spin fault=stop-irqoff\n"                                    \
    "[ 5.2] dumplab_crash: cpu=1 role=panic fault=stop-irqoff\n"                                   \
    "[ 5.3] Kernel panic - not syncing: dumplab_crash: fault=stop-irqoff\n"                        \
    "[ 5.3] CPU: 1 PID: 77 Comm: dl_crash/1\n"

static DlCheckResult *fresh(const DlCore *c)
{
    return dl_check_core(c, NULL);
}

static void cpumap_and_registers(void)
{
    g_autoptr(DlCore) c = core_from("two", TWO_NOTES);
    g_autoptr(DlManifest) m = manifest(MAP_LINES, DMESG);
    if (!c || !m) {
        tap_ok(false, "fixtures");
        return;
    }
    g_autoptr(DlCheckResult) r = fresh(c);
    guint base = r->defects;
    guint mapped = dl_proof_map_cpus(c, m, 2, r);
    tap_ok(mapped == 2 && g_array_index(r->cpus, DlCpuRegs, 0).cpu == 1 &&
               g_array_index(r->cpus, DlCpuRegs, 1).cpu == 0 && r->defects == base,
           "notes out of CPU order are mapped through the crash_notes buffers");
    tap_ok(m->panic_cpu == 1 && m->panic_pid == 77, "the panic report's CPU and PID are read");
    bool ok = dl_proof_registers(m, r);
    if (!tap_ok(ok && rule(r, "regs.panic-cpu", DL_SEV_NOTE) &&
                    rule(r, "regs.spinner", DL_SEV_NOTE),
                "panicking CPU in __crash_kexec, spinner inside its spin loop: proof holds"))
        diag(r);

    /* Order-based mapping would give CPU 0 the panicking note: the proof
     * must not be fooled into passing by luck, so break the spinner. */
    g_autoptr(DlCore) c2 = core_from("bad-spin", "layout kexec_load\n"
                                                 "cpu pid=77 rip=0xffffffff81100010 rsp=0x1 "
                                                 "crash_notes=0x300000\n"
                                                 "cpu pid=0 rip=0xffffffff81200004 rsp=0x2 "
                                                 "crash_notes=0x200000\n"
                                                 "ram 0x100000-0x7fffff\n");
    g_autoptr(DlCheckResult) r2 = fresh(c2);
    dl_proof_map_cpus(c2, m, 2, r2);
    bool held = dl_proof_registers(m, r2);
    const DlFinding *f = rule(r2, "regs.spinner", DL_SEV_DEFECT);
    tap_ok(!held && f && strstr(f->message, "CPU 0") && strstr(f->message, "default_idle"),
           "a spinner whose rip is outside the spin loop is a defect naming the CPU and where");

    g_autoptr(DlCore) c3 = core_from("bad-panic", "layout kexec_load\n"
                                                  "cpu pid=77 rip=0xffffffff81200004 rsp=0x1 "
                                                  "crash_notes=0x300000\n"
                                                  "cpu pid=0 rip=0xffffffffc0001010 rsp=0x2 "
                                                  "crash_notes=0x200000\n"
                                                  "ram 0x100000-0x7fffff\n");
    g_autoptr(DlCheckResult) r3 = fresh(c3);
    dl_proof_map_cpus(c3, m, 2, r3);
    tap_ok(!dl_proof_registers(m, r3) && rule(r3, "regs.panic-cpu", DL_SEV_DEFECT),
           "a panicking CPU stopped outside the panic path is a defect");
}

static void missing_note(void)
{
    /* Three CPUs; CPU 1 never answered, so only two notes: CPU 0's and
     * CPU 2's, which order alone would call CPU 1. */
    g_autoptr(DlCore) c = core_from("missing", "layout kexec_load\n"
                                               "cpu pid=0 rip=0xffffffffc0001010 rsp=0x1 "
                                               "crash_notes=0x200000\n"
                                               "cpu pid=77 rip=0xffffffff81100010 rsp=0x2 "
                                               "crash_notes=0x400000\n"
                                               "ram 0x100000-0x7fffff\n");
    g_autoptr(DlManifest) m = manifest("crash_notes cpu=0 paddr=0x200000\n"
                                       "crash_notes cpu=1 paddr=0x300000\n"
                                       "crash_notes cpu=2 paddr=0x400000\n",
                                       NULL);
    g_autoptr(DlCheckResult) r = fresh(c);
    dl_proof_map_cpus(c, m, 3, r);
    const DlFinding *f = rule(r, "cpu.missing-note", DL_SEV_DEFECT);
    tap_ok(f && strstr(f->message, "CPU 1 ") && g_array_index(r->cpus, DlCpuRegs, 1).cpu == 2,
           "a CPU without a note is a defect naming it, and later notes do not shift: %s",
           f ? f->message : "(not reported)");
}

static void markers(void)
{
    const char *base = "layout kexec_load\ncpu rip=0x1 rsp=0x1\nram 0x100000-0x7fffff\n"
                       "marker seed=42 pfn=0x300 count=8\n";
    const char *m_text = "seed value=42\nmarker pfn=0x300 count=8\n";
    g_autoptr(DlCore) good = core_from("mk-good", base);
    g_autoptr(DlManifest) m = manifest(m_text, NULL);
    g_autoptr(DlCheckResult) r = fresh(good);
    tap_ok(dl_proof_markers(good, m, r) && rule(r, "markers.ok", DL_SEV_NOTE),
           "intact marker pages pass");
    g_autofree char *poked = g_strdup_printf("%spoke paddr=0x302123 byte=0x00\n", base);
    g_autoptr(DlCore) bad = core_from("mk-bad", poked);
    g_autoptr(DlCheckResult) rb = fresh(bad);
    bool passed = dl_proof_markers(bad, m, rb);
    const DlFinding *f = rule(rb, "markers.altered", DL_SEV_DEFECT);
    tap_ok(!passed && f && strstr(f->message, "0x302") && strstr(f->message, "1 of 8"),
           "one changed byte is reported by its frame: %s", f ? f->message : "(not reported)");
    g_autoptr(DlManifest) far = manifest("seed value=42\nmarker pfn=0x7fe count=4\n", NULL);
    g_autoptr(DlCheckResult) rf = fresh(good);
    passed = dl_proof_markers(good, far, rf);
    f = rule(rf, "markers.missing", DL_SEV_DEFECT);
    tap_ok(!passed && f && strstr(f->message, "0x800-0x801"),
           "frames absent from the dump are reported: %s", f ? f->message : "(not reported)");
    g_autoptr(DlManifest) seed = manifest("seed value=43\nmarker pfn=0x300 count=8\n", NULL);
    g_autoptr(DlCheckResult) rs = fresh(good);
    tap_ok(!dl_proof_markers(good, seed, rs), "pages from another run (other seed) do not pass");
}

static GArray *ranges1(guint64 a, guint64 b)
{
    GArray *g = g_array_new(FALSE, FALSE, sizeof(DlRange));
    DlRange r = {a, b};
    g_array_append_val(g, r);
    return g;
}

static void compare(void)
{
    const char *ram = "ram 0x1000-0x9ffff\nram 0x100000-0xbfffff\n";
    g_autofree char *kd =
        g_strdup_printf("layout kexec_load\ncpu rip=0x1 rsp=0x1\n%s", "ram 0x1000-0x9ffff\n"
                                                                      "ram 0x100000-0x7fffff\n");
    g_autofree char *hv = g_strdup_printf("layout qemu\ncpu rip=0x1 rsp=0x1\n%s", ram);
    g_autoptr(DlCore) k = core_from("cmp-k", kd);
    g_autoptr(DlCore) h = core_from("cmp-h", hv);
    /* The first kernel's RAM ends at 0xbfffff; 0x800000-0xbfffff is the
     * crashkernel reservation, which kdump leaves out. */
    g_autoptr(GArray) sysram = ranges1(0x1000, 0xbfffff);
    g_autoptr(GArray) ck = ranges1(0x800000, 0xbfffff);
    g_autoptr(DlCheckResult) r = fresh(k);
    DlCompareStats st;
    bool ok = dl_proof_compare(k, h, sysram, ck, r, &st);
    if (!tap_ok(ok && st.compared_pages == (0x800000 - 0x100000) / 4096 && st.differing_pages == 0,
                "identical memory compares clean (%" G_GUINT64_FORMAT " pages)", st.compared_pages))
        diag(r);
    if (st.differ)
        g_array_free(st.differ, TRUE);

    g_autofree char *hv2 = g_strdup_printf("%spoke paddr=0x345678 byte=0xee\npoke "
                                           "paddr=0x346001 byte=0xee\npoke paddr=0x900000 "
                                           "byte=0xee\npoke paddr=0x2000 byte=0xee\n",
                                           hv);
    g_autoptr(DlCore) h2 = core_from("cmp-h2", hv2);
    g_autoptr(DlCheckResult) r2 = fresh(k);
    ok = dl_proof_compare(k, h2, sysram, ck, r2, &st);
    const DlFinding *f = rule(r2, "compare.differ", DL_SEV_DEFECT);
    tap_ok(!ok && st.differing_pages == 2 && f && strstr(f->message, "0x345000-0x346fff"),
           "changed pages are reported as one range; crashkernel and low 1 MiB ignored: %s",
           f ? f->message : "(not reported)");
    if (st.differ)
        g_array_free(st.differ, TRUE);

    g_autoptr(GArray) nock = ranges1(0xc00000, 0xc00fff);
    g_autoptr(DlCheckResult) r3 = fresh(k);
    ok = dl_proof_compare(k, h, sysram, nock, r3, &st);
    tap_ok(!ok && rule(r3, "compare.missing", DL_SEV_DEFECT) &&
               st.missing_pages == (0xc00000 - 0x800000) / 4096,
           "RAM the hypervisor saw but kdump lacks is reported");
    if (st.differ)
        g_array_free(st.differ, TRUE);
}

int main(void)
{
    tmpdir = g_dir_make_tmp("proof-XXXXXX", NULL);
    cpumap_and_registers();
    missing_note();
    markers();
    compare();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return tap_done();
}
