/* An IA-64 scenario with "kernel = linux-source-6.1": Linux/ia64 built from
 * Debian's source (guest-kernel/ia64/linux/build-kernel.sh, cached) boots
 * on ia64sim with the guest init of build-initramfs.sh, which loads the
 * same vmlinux as its capture kernel with kexec_load(KEXEC_ON_CRASH) and
 * then crashes (sysrq-c) or waits for the platform INIT (fault = init:
 * ia64sim raises it on every CPU once the init says it is armed). Linux's
 * own kdump path runs; the capture kernel's init writes /proc/vmcore
 * through the model's dump device and powers off. The vmcore then goes
 * through dumplab's checker and eu-readelf (run_ia64.c). platform = qemu
 * runs the same kernel and initramfs in qemu-system-ia64 under libvirt
 * (run_ia64_linux_qemu.c); the judgement below is the same for both. */
#include "dumplab/error.h"
#include "dumplab/images.h"
#include "dumplab/ksyms.h"
#include "dumplab/proof.h"
#include "dumplab/run.h"
#include "dumplab/subproc.h"
#include "run_ia64.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Runs argv through the one subprocess runner (its own process group, a
 * deadline); stdout and stderr, merged, into *out. A non-zero exit is a
 * result the caller judges (ia64sim's exit says how the machine ended);
 * false only when it could not run or overran its deadline. */
static bool spawn(const char *const *argv, int timeout_s, char **out, int *code, GError **err)
{
    DlSubproc p = {.argv = argv, .merge_stderr = true, .timeout_s = timeout_s};
    g_auto(DlSubprocResult) res = {0};
    GError *e = NULL;
    bool ran = dl_subproc_run(&p, &res, &e);
    *out = g_steal_pointer(&res.out);
    *code = res.exit_status;
    if (!ran && !g_error_matches(e, DL_ERROR, DL_ERROR_FAILED)) {
        g_propagate_error(err, e);
        return false;
    }
    g_clear_error(&e);
    return true;
}

static char *last_line(const char *text)
{
    g_autofree char *t = g_strstrip(g_strdup(text ? text : ""));
    const char *nl = strrchr(t, '\n');
    return g_strdup(nl ? nl + 1 : t);
}

/* The guest init's console lines that start with prefix, the prefix and
 * any kernel timestamp before "dumplab-init: " cut off. */
static GPtrArray *init_lines(const char *console, const char *prefix)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = g_strsplit(console, "\n", -1);
    g_autofree char *want = g_strconcat("dumplab-init: ", prefix, NULL);
    for (guint i = 0; lines[i]; i++) {
        const char *at = strstr(lines[i], want);
        if (at)
            g_ptr_array_add(out, g_strstrip(g_strdup(at + strlen("dumplab-init: "))));
    }
    return out;
}

/* The command line's crashkernel= (append below). */
#define CRASHKERNEL_MIB 128

/* The capture kernel's region, [start, end) from the init's "crashkernel
 * 0xS-0xE" line, as an inclusive DlRange. The guest says where; its size is
 * the command line's, or a guest could hide memory from the comparison. */
static bool crash_region(const char *console, DlRange *out)
{
    g_autoptr(GPtrArray) l = init_lines(console, "crashkernel ");
    if (l->len != 1)
        return false;
    const char *p = (const char *)g_ptr_array_index(l, 0) + strlen("crashkernel ");
    char *end = NULL;
    guint64 a = g_ascii_strtoull(p, &end, 16);
    if (*end != '-')
        return false;
    guint64 b = g_ascii_strtoull(end + 1, &end, 16);
    if (*end || b <= a || b - a != (guint64)CRASHKERNEL_MIB << 20)
        return false;
    out->start = a;
    out->end = b - 1;
    return true;
}

/* Linux's vmcore against libvirt's dump taken while the capture kernel's
 * init held: the same bytes in every 4 KiB frame of the vmcore's RAM
 * segments outside the capture kernel's region. */
static void cross_check(DlReport *rep, DlDump *d, const char *hvdump, const char *console)
{
    g_autoptr(GError) e = NULL;
    g_autoptr(DlCheckResult) r = dl_check_result_new();
    g_autoptr(DlDump) hv = dl_dump_open(hvdump, &e);
    DlRange ck;
    if (!hv) {
        dl_check_add(r, DL_SEV_DEFECT, -1, "compare.open", "the hypervisor's dump: %s", e->message);
    } else if (dl_dump_machine(hv) != EM_IA_64) {
        dl_check_add(r, DL_SEV_DEFECT, -1, "compare.machine",
                     "the hypervisor's dump is a %s core, not EM_IA_64",
                     dl_machine_name(dl_dump_machine(hv)));
    } else if (!crash_region(console, &ck)) {
        dl_check_add(r, DL_SEV_DEFECT, -1, "compare.crashkernel",
                     "the guest's init named no \"crashkernel 0xS-0xE\" region of %d MiB",
                     CRASHKERNEL_MIB);
    } else {
        g_autoptr(GArray) ram = g_array_new(FALSE, FALSE, sizeof(DlRange));
        for (guint i = 0; i < dl_dump_phnum(d); i++) {
            const DlPhdr *p = dl_dump_phdr(d, i);
            if (p->type == PT_LOAD && (p->vaddr >> 61) == 7 && p->memsz) {
                DlRange x = {p->paddr, p->paddr + p->memsz - 1};
                g_array_append_val(ram, x);
            }
        }
        g_autoptr(GArray) cks = g_array_new(FALSE, FALSE, sizeof(DlRange));
        g_array_append_val(cks, ck);
        DlCompareStats cs = {0};
        dl_proof_compare(d, hv, ram, cks, r, &cs);
        dl_check_add(r, DL_SEV_NOTE, -1, "compare.pages",
                     "%" G_GUINT64_FORMAT " frames of 4 KiB compared, %" G_GUINT64_FORMAT
                     " differ; the capture kernel's 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER
                     "x left out",
                     cs.compared_pages, cs.differing_pages, ck.start, ck.end);
        if (cs.differ)
            g_array_free(cs.differ, TRUE);
    }
    dl_ia64_report_result(rep, "cross-check", r);
}

/* What the vmcore says beyond its own consistency: where INIT found each
 * CPU (Linux's INIT stack), the marker frames, the hypervisor's view. */
static void proofs(DlReport *rep, const DlScenario *s, const char *vmcore, const char *hvdump,
                   const char *vmlinux, const char *console)
{
    g_autoptr(GError) e = NULL;
    g_autoptr(DlDump) d = dl_dump_open(vmcore, &e);
    g_autoptr(DlKsyms) k = d ? dl_ksyms_load(vmlinux, &e) : NULL;
    /* Markers and the comparison count 4 KiB frames; Linux/ia64's
     * VMCOREINFO says 64 KiB pages. */
    if (!d || !k || !dl_dump_set_page_size(d, 4096, &e)) {
        dl_report_fail(rep, "check", e->message);
        return;
    }
    g_autoptr(DlCheckResult) r = dl_check_result_new();
    dl_proof_ia64_linux_stops(d, k, s->vcpus, s->irqoff_mask, s->ia64_init ? -1 : s->fault_cpu, r);
    dl_ia64_report_result(rep, "register-proof", r);
    if (s->marker_pages) {
        g_autoptr(DlCheckResult) mr = dl_check_result_new();
        g_autoptr(GPtrArray) lines = init_lines(console, "marker ");
        g_autoptr(GPtrArray) seed = init_lines(console, "seed ");
        for (guint i = 0; i < seed->len; i++)
            g_ptr_array_add(lines, g_strdup(g_ptr_array_index(seed, i)));
        g_autoptr(DlManifest) m = dl_manifest_parse(lines, NULL, &e);
        if (!m)
            dl_check_add(mr, DL_SEV_DEFECT, -1, "markers.manifest", "%s", e->message);
        else
            dl_proof_markers(d, m, s->marker_pages, s->seed, mr);
        dl_ia64_report_result(rep, "markers", mr);
    }
    if (hvdump)
        cross_check(rep, d, hvdump, console);
}

/* Milliseconds from milestone i - 1 (the run's start for 0) to milestone i,
 * 0 when either was not seen. */
static gint64 phase_ms(const gint64 *seen, gint64 t0, int i)
{
    gint64 from = i ? seen[i - 1] : t0;
    return seen[i] && from ? (seen[i] - from) / 1000 : 0;
}

/* The phases from the guest init's console lines, then the vmcore's
 * proofs. code: how the machine ended (0 powered off); run_err: the
 * platform could not run it to the end. */
static DlReport *judge(DlReport *rep, const DlScenario *s, const char *vmcore, const char *hvdump,
                       const char *vmlinux, const char *console, const gint64 *seen, int code,
                       const GError *run_err, const char *accel, gint64 t0)
{
    gint64 ms = (g_get_monotonic_time() - t0) / 1000;
    /* Under QEMU the console is watched as it grows: each phase's time.
     * The model's console comes whole at the end. */
    static const gint64 none[DL_IA64_LINUX_MILESTONES];
    if (!seen)
        seen = none;
    dl_report_set_accel(rep, accel);
    dl_report_set_console_tail(rep, console);
    if (run_err && !*console) {
        dl_report_fail(rep, "boot", run_err->message);
        dl_report_finish(rep, ms);
        return rep;
    }
    bool booted = strstr(console, "dumplab-init: running as pid 1") != NULL;
    bool loaded = strstr(console, "dumplab-init: capture kernel loaded") != NULL;
    bool captured = strstr(console, "dumplab-init: mode capture") != NULL;
    bool written = strstr(console, "dumplab-init: vmcore written") != NULL;
    for (unsigned c = 0; c < 64 && loaded; c++) {
        if (!((s->irqoff_mask >> c) & 1))
            continue;
        /* The serial console ends its lines with \r\n: the number must be
         * followed by a line end, not by more digits. */
        g_autofree char *line =
            g_strdup_printf("dumplab-init: spinning with interrupts off on cpu %u", c);
        const char *at = strstr(console, line);
        while (at && g_ascii_isdigit(at[strlen(line)]))
            at = strstr(at + 1, line);
        if (!at) {
            g_autofree char *why = g_strdup_printf("cpu %u never spun with interrupts off", c);
            dl_report_add_phase(rep, "arm", 0, false, why);
            dl_report_fail(rep, "arm", why);
            dl_report_finish(rep, ms);
            return rep;
        }
    }
    dl_report_add_phase(rep, "boot", phase_ms(seen, t0, 0), booted,
                        booted ? "the first kernel ran its init"
                               : "the first kernel never reached init");
    dl_report_add_phase(rep, "arm", phase_ms(seen, t0, 1), loaded,
                        loaded ? "capture kernel loaded (kexec_load, KEXEC_ON_CRASH)"
                               : "the init could not load the capture kernel");
    dl_report_add_phase(rep, "crash-kernel", seen[2] ? phase_ms(seen, t0, 2) : ms, captured,
                        captured ? "the capture kernel ran its init" : "no capture kernel");
    if (seen[3])
        dl_report_add_phase(rep, "dump", phase_ms(seen, t0, 3), written,
                            "the capture kernel's init wrote /proc/vmcore through the dump "
                            "device");
    const char *fail_phase = !booted                 ? "boot"
                             : !loaded               ? "arm"
                             : !captured             ? "crash-kernel"
                             : !written || code != 0 ? "dump"
                                                     : NULL;
    if (fail_phase) {
        g_autofree char *last = last_line(console);
        g_autofree char *why =
            run_err ? g_strdup_printf("%s; console: %s", run_err->message, last)
                    : g_strdup_printf("the machine ended with %d; console: %s", code, last);
        dl_report_fail(rep, fail_phase, why);
        dl_report_finish(rep, ms);
        return rep;
    }
    struct stat st;
    if (stat(vmcore, &st) == 0)
        dl_report_set_dump(rep, "kdump", vmcore, (guint64)st.st_size, NULL);
    dl_ia64_run_checker(rep, s, vmcore);
    g_autofree char *sum = NULL;
    bool ok = dl_ia64_referee(vmcore, s->vcpus, &sum);
    dl_report_add_check(rep, "referee", ok, sum);
    if (!ok)
        dl_report_fail(rep, "check", sum);
    proofs(rep, s, vmcore, hvdump, vmlinux, console);
    dl_report_add_phase(rep, "check", 0, ok, sum);
    dl_report_finish(rep, (g_get_monotonic_time() - t0) / 1000);
    return rep;
}

DlReport *dl_run_ia64_linux(virConnectPtr conn, const DlScenario *s, const DlRunOptions *opt)
{
    DlReport *rep = dl_report_new(s->name, s->path);
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = dl_run_make_workdir(opt, s->name, &err);
    if (!dir) {
        dl_report_fail(rep, "setup", err->message);
        dl_report_finish(rep, 0);
        return rep;
    }
    dl_report_set_workdir(rep, dir);
    dl_report_set_kernel(rep, "Linux/ia64 6.1 (Debian linux-source-6.1)");
    const char *root = dl_repo_root();
    g_autofree char *kdir = g_build_filename(root, "guest-kernel", "ia64", "linux", NULL);
    g_autofree char *build_kernel = g_build_filename(kdir, "build-kernel.sh", NULL);
    g_autofree char *build_initramfs = g_build_filename(kdir, "build-initramfs.sh", NULL);

    /* The kernel must already be built (make ia64-linux): building it
     * here would hide 15 minutes inside a run. */
    const char *kargv[] = {"bash", build_kernel, "--cached", NULL};
    g_autofree char *kout = NULL;
    int code = 0;
    if (!spawn(kargv, 120, &kout, &code, &err) || code != 0) {
        g_autofree char *why =
            g_strdup_printf("no Linux/ia64 kernel built (run make ia64-linux): %s",
                            err ? err->message : last_line(kout));
        dl_report_fail(rep, "setup", why);
        dl_report_finish(rep, (g_get_monotonic_time() - t0) / 1000);
        return rep;
    }
    g_autofree char *vmlinux = last_line(kout);
    const char *iargv[] = {"bash", build_initramfs, dir, vmlinux, NULL};
    g_autofree char *iout = NULL;
    if (!spawn(iargv, 600, &iout, &code, &err) || code != 0) {
        g_autofree char *why = g_strdup_printf("the guest init cannot be built: %s",
                                               err ? err->message : last_line(iout));
        dl_report_fail(rep, "setup", why);
        dl_report_finish(rep, (g_get_monotonic_time() - t0) / 1000);
        return rep;
    }
    g_autofree char *cpio = last_line(iout);
    g_autofree char *sim = g_build_filename(root, "build", "bin", "ia64sim", NULL);
    g_autofree char *vmcore = g_build_filename(dir, "vmcore", NULL);
    g_autofree char *cpus = g_strdup_printf("%u", s->vcpus);
    /* printk.devkmsg=on: the guest's init reports through /dev/kmsg, whose
     * default rate limit drops its lines past ten in five seconds. */
    /* dumplab.irqoff: the CPUs the init sets spinning with interrupts off
     * (LKDTM HARDLOCKUP, init/irqoff.c) before the fault; dumplab.cpu: the
     * CPU the init runs the fault on (stop-irqoff is a panic there with
     * every other CPU spinning). */
    g_autofree char *irqoff =
        s->irqoff_mask
            ? g_strdup_printf(" dumplab.irqoff=0x%" G_GINT64_MODIFIER "x", s->irqoff_mask)
            : g_strdup("");
    /* dumplab.markers/seed: marker frames (init/markers.c); dumplab.hvdump:
     * the capture kernel's init holds for libvirt's dump (QEMU only). */
    g_autofree char *markers =
        s->marker_pages ? g_strdup_printf(" dumplab.markers=%u dumplab.seed=%" G_GUINT64_FORMAT,
                                          s->marker_pages, s->seed)
                        : g_strdup("");
    g_autofree char *append = g_strdup_printf(
        "earlycon=uart8250,mmio,0xfff00000 console=ttyS0 printk.devkmsg=on crashkernel=%dM "
        "dumplab.mode=kdump "
        "dumplab.fault=%s dumplab.cpu=%d%s%s%s%s%s",
        CRASHKERNEL_MIB,
        s->ia64_init                   ? "init"
        : s->fault == DL_FAULT_SYSRQ_C ? "sysrq-c"
                                       : "panic",
        s->fault_cpu, irqoff, markers, s->ia64_qemu && s->hv_dump ? " dumplab.hvdump=1" : "",
        s->cmdline ? " " : "", s->cmdline ? s->cmdline : "");
    if (s->ia64_qemu) {
        g_autofree char *clog = g_build_filename(dir, "console.log", NULL);
        g_autofree char *hvdump = s->hv_dump ? g_build_filename(dir, "hv-dump.elf", NULL) : NULL;
        gint64 seen[DL_IA64_LINUX_MILESTONES] = {0};
        g_autofree char *domain = NULL;
        DlIa64LinuxGuest g = {
            .scenario = s->name,
            .dir = dir,
            .vmlinux = vmlinux,
            .initrd = cpio,
            .append = append,
            .vmcore = vmcore,
            .console = clog,
            .cpus = s->vcpus,
            .hvdump = hvdump,
            .seen = seen,
            .domain = &domain,
            .init = s->ia64_init,
            .timeout_s = (int)(900 * s->timeout_scale),
        };
        if (!opt->quiet)
            printf("%s: booting Linux/ia64 in qemu-system-ia64 under libvirt (%u CPUs, %s)\n",
                   s->name, s->vcpus, s->ia64_init ? "inject-nmi: platform INIT" : "sysrq-c");
        int off = 0;
        bool ran = dl_ia64_linux_qemu(conn, &g, &off, &err);
        g_autofree char *console = NULL;
        g_file_get_contents(clog, &console, NULL, NULL);
        if (domain)
            dl_report_set_domain(rep, domain);
        return judge(rep, s, vmcore, g.hvdump, vmlinux, console ? console : "", seen, ran ? 0 : 1,
                     ran ? NULL : err, "qemu-system-ia64 (machine ia64-sal, TCG) under libvirt",
                     t0);
    }
    GPtrArray *a = g_ptr_array_new();
    const char *fixed[] = {sim,      "--cpus",        cpus,         "--ap-wakeup", "--mem",
                           "512M",   "--max-bundles", "4000000000", "--initrd",    cpio,
                           "--dump", vmcore,          "--append",   append};
    for (unsigned i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(a, (char *)fixed[i]);
    if (s->ia64_init) {
        g_ptr_array_add(a, "--init-on");
        g_ptr_array_add(a, "dumplab-init: armed");
    }
    g_ptr_array_add(a, vmlinux);
    g_ptr_array_add(a, NULL);
    if (!opt->quiet)
        printf("%s: booting Linux/ia64 on the model (%u CPUs, %s)\n", s->name, s->vcpus,
               s->ia64_init ? "platform INIT" : "sysrq-c");
    g_autofree char *console = NULL;
    /* 4 G bundles take about 8 minutes on this model when the machine is idle. */
    bool ran =
        spawn((const char *const *)a->pdata, (int)(1800 * s->timeout_scale), &console, &code, &err);
    g_ptr_array_free(a, TRUE);
    g_autofree char *log = g_build_filename(dir, "console.log", NULL);
    if (ran)
        g_file_set_contents(log, console, -1, NULL);
    return judge(rep, s, vmcore, NULL, vmlinux, console ? console : "", NULL, code,
                 ran ? NULL : err, "hw-ia64-sal model (platform sim)", t0);
}
