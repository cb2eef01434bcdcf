/* The register proof: the panicking CPU in the panic path, spinners in
 * their spin loop; each shown to catch a CPU stopped elsewhere. */
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

static void registers(void)
{
    g_autoptr(DlDump) c = core_from("two", TWO_NOTES);
    g_autoptr(DlManifest) m = manifest(MAP_LINES, DMESG);
    if (!c || !m) {
        tap_ok(false, "fixtures");
        return;
    }
    g_autoptr(DlCheckResult) r = fresh(c);
    dl_proof_map_cpus(c, m, 2, r);
    tap_ok(m->panic_cpu == 1 && m->panic_pid == 77, "the panic report's CPU and PID are read");
    bool ok = dl_proof_registers(m, r);
    if (!tap_ok(ok && rule(r, "regs.panic-cpu", DL_SEV_NOTE) &&
                    rule(r, "regs.spinner", DL_SEV_NOTE),
                "panicking CPU in __crash_kexec, spinner inside its spin loop: proof holds"))
        diag(r);

    /* Order-based mapping would give CPU 0 the panicking note: the proof
     * must not be fooled into passing by luck, so break the spinner. */
    g_autoptr(DlDump) c2 = core_from("bad-spin", "layout kexec_load\n"
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

    g_autoptr(DlDump) c3 = core_from("bad-panic", "layout kexec_load\n"
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

static void manifest_errors(void)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new();
    g_ptr_array_add(lines, "ksym name=panic start=0xffffffff81000000 end=0xffffffff81000100");
    g_ptr_array_add(lines, "crash_notes cpu=zero paddr=0x1000");
    GError *err = NULL;
    DlManifest *m = dl_manifest_parse(lines, NULL, &err);
    tap_ok(!m && err && strstr(err->message, "line 2"),
           "a malformed manifest line is an error naming it: %s", err ? err->message : "(none)");
    g_clear_error(&err);
    dl_manifest_free(m);

    /* Percent-encoded names; an oops reports its CPU before "Kernel panic"
     * and the panic itself prints no second report. */
    g_ptr_array_set_size(lines, 0);
    g_ptr_array_add(lines, "msym name=dl%20spin start=0x10 end=0x20");
    g_autoptr(DlManifest) m2 =
        dl_manifest_parse(lines,
                          "[ 1.0] BUG: kernel NULL pointer dereference\n"
                          "[ 1.0] CPU: 3 PID: 99 Comm: sh\n"
                          "[ 1.1] Kernel panic - not syncing: Fatal exception\n",
                          &err);
    tap_ok(m2 && m2->msyms->len == 1 &&
               !strcmp(g_array_index(m2->msyms, DlSymRange, 0).name, "dl spin") &&
               m2->panic_cpu == 3 && m2->panic_pid == 99,
           "percent-decoded names; an oops's CPU line names the panicking CPU");
    g_clear_error(&err);
}

int main(void)
{
    tmpdir = g_dir_make_tmp("proof-XXXXXX", NULL);
    registers();
    manifest_errors();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return tap_done();
}
