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
#include "dumplab/run.h"
#include "dumplab/subproc.h"
#include "run_ia64.h"

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

/* The phases from the guest init's console lines, then the vmcore's
 * proofs. code: how the machine ended (0 powered off); run_err: the
 * platform could not run it to the end. */
static DlReport *judge(DlReport *rep, const DlScenario *s, const char *vmcore, const char *console,
                       int code, const GError *run_err, const char *accel, gint64 t0)
{
    gint64 ms = (g_get_monotonic_time() - t0) / 1000;
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
    dl_report_add_phase(rep, "boot", 0, booted,
                        booted ? "the first kernel ran its init"
                               : "the first kernel never reached init");
    dl_report_add_phase(rep, "arm", 0, loaded,
                        loaded ? "capture kernel loaded (kexec_load, KEXEC_ON_CRASH)"
                               : "the init could not load the capture kernel");
    dl_report_add_phase(rep, "crash-kernel", ms, captured,
                        captured ? "the capture kernel ran its init" : "no capture kernel");
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
     * (LKDTM HARDLOCKUP, init/irqoff.c) before the fault. */
    g_autofree char *irqoff =
        s->irqoff_mask
            ? g_strdup_printf(" dumplab.irqoff=0x%" G_GINT64_MODIFIER "x", s->irqoff_mask)
            : g_strdup("");
    g_autofree char *append = g_strdup_printf(
        "earlycon=uart8250,mmio,0xfff00000 console=ttyS0 printk.devkmsg=on crashkernel=128M "
        "dumplab.mode=kdump "
        "dumplab.fault=%s%s%s%s",
        s->ia64_init ? "init" : "sysrq-c", irqoff, s->cmdline ? " " : "",
        s->cmdline ? s->cmdline : "");
    if (s->ia64_qemu) {
        g_autofree char *clog = g_build_filename(dir, "console.log", NULL);
        DlIa64LinuxGuest g = {
            .scenario = s->name,
            .dir = dir,
            .vmlinux = vmlinux,
            .initrd = cpio,
            .append = append,
            .vmcore = vmcore,
            .console = clog,
            .cpus = s->vcpus,
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
        return judge(rep, s, vmcore, console ? console : "", ran ? 0 : 1, ran ? NULL : err,
                     "qemu-system-ia64 (machine ia64-sal, TCG) under libvirt", t0);
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
    return judge(rep, s, vmcore, console ? console : "", code, ran ? NULL : err,
                 "hw-ia64-sal model (platform sim)", t0);
}
