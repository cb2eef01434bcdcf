/* Which CPU each register note belongs to, told by the crash_notes
 * buffers rather than note order: out-of-order notes, a missing CPU. */
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

static DlCheckResult *fresh(DlDump *c)
{
    const DlCheckInput quick = {.expect_cpus = -1, .quick = true};
    return dl_check_dump(c, &quick, NULL);
}

static void out_of_order(void)
{
    g_autoptr(DlDump) c = core_from("two", TWO_NOTES);
    g_autoptr(DlManifest) m = manifest(MAP_LINES, DMESG);
    if (!c || !m) {
        tap_ok(false, "fixtures");
        return;
    }
    g_autoptr(DlCheckResult) r = fresh(c);
    guint base = r->defects;
    guint mapped = dl_proof_map_cpus(c, m, 2, r);
    if (!tap_ok(mapped == 2 && g_array_index(r->cpus, DlCpuRegs, 0).cpu == 1 &&
                    g_array_index(r->cpus, DlCpuRegs, 1).cpu == 0 && r->defects == base,
                "notes out of CPU order are mapped through the crash_notes buffers"))
        diag(r);

    /* A note whose bytes are in no CPU's buffer is not guessed at. */
    g_autoptr(DlManifest) wrong = manifest("crash_notes cpu=0 paddr=0x200000\n"
                                           "crash_notes cpu=1 paddr=0x500000\n",
                                           NULL);
    g_autoptr(DlCheckResult) r2 = fresh(c);
    dl_proof_map_cpus(c, wrong, 2, r2);
    const DlFinding *f = rule(r2, "cpu.missing-note", DL_SEV_DEFECT);
    tap_ok(rule(r2, "cpu.unmatched-note", DL_SEV_DEFECT) && f && strstr(f->message, "CPU 1 ") &&
               g_array_index(r2->cpus, DlCpuRegs, 1).cpu == 0,
           "a note matching no buffer is reported, and its CPU counts as missing");
}

static void missing_note(void)
{
    /* Three CPUs; CPU 1 never answered, so only two notes: CPU 0's and
     * CPU 2's, which order alone would call CPU 1. */
    g_autoptr(DlDump) c = core_from("missing", "layout kexec_load\n"
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

static void qemu_numbers(void)
{
    /* QEMU writes one note per vCPU with pr_pid = index + 1; vCPU 2's
     * note is absent. */
    g_autoptr(DlDump) c = core_from("qemu", "layout qemu\n"
                                            "cpu pid=2 rip=0x1 rsp=0x1\n"
                                            "cpu pid=1 rip=0x1 rsp=0x1\n"
                                            "ram 0x100000-0x1fffff\n");
    g_autoptr(DlManifest) m = manifest("", NULL);
    if (!c || !m) {
        tap_ok(false, "fixtures");
        return;
    }
    g_autoptr(DlCheckResult) r = fresh(c);
    guint mapped = dl_proof_map_cpus(c, m, 3, r);
    const DlFinding *f = rule(r, "cpu.missing-note", DL_SEV_DEFECT);
    tap_ok(mapped == 2 && g_array_index(r->cpus, DlCpuRegs, 0).cpu == 1 &&
               g_array_index(r->cpus, DlCpuRegs, 1).cpu == 0 && f && strstr(f->message, "CPU 2 "),
           "QEMU notes are numbered by pr_pid - 1 and a missing vCPU is named");
}

int main(void)
{
    tmpdir = g_dir_make_tmp("proof-XXXXXX", NULL);
    out_of_order();
    missing_note();
    qemu_numbers();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return tap_done();
}
