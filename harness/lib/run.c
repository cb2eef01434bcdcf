/* One run of a scenario, phase by phase. Each phase has a deadline and a
 * progress line; the first failure ends the run with a verdict naming the
 * phase and the last console lines. Whatever happens, the domain is
 * destroyed before dl_run_scenario returns. */
#include "dumplab/run.h"
#include "dumplab/dumpdisk.h"
#include "dumplab/error.h"
#include "dumplab/guest.h"
#include "dumplab/images.h"
#include "dumplab/kvmprobe.h"
#include "dumplab/runcheck.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONSOLE_TAIL_LINES 15

typedef struct {
    const DlScenario *scn;
    const DlRunOptions *opt;
    DlReport *rep;
    virConnectPtr conn;
    DlImage *img;
    DlGuest *guest;
    DlAccel accel;
    char *workdir;
    char *console_log, *agent_log, *agent_sock, *dump_disk, *vmcore, *dmesg;
    double scale;
    gint64 phase_t0;
    const char *phase;
} Run;

static void progress(Run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(Run *r, const char *fmt, ...)
{
    if (r->opt->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    printf("[%s] %s\n", r->scn->name, msg);
    fflush(stdout);
}

static int timeout_s(Run *r, int base)
{
    return (int)(base * r->scale + 0.5);
}

static void phase_begin(Run *r, const char *name, const char *what)
{
    r->phase = name;
    r->phase_t0 = g_get_monotonic_time();
    progress(r, "%-12s %s", name, what);
}

static void phase_end(Run *r, bool ok, const char *detail)
{
    gint64 ms = (g_get_monotonic_time() - r->phase_t0) / 1000;
    dl_report_add_phase(r->rep, r->phase, ms, ok, detail);
    progress(r, "%-12s %s in %.1f s%s%s", r->phase, ok ? "done" : "FAILED", ms / 1000.0,
             detail ? ": " : "", detail ? detail : "");
}

/* Ends the current phase as failed; the run's verdict becomes FAIL. */
static bool fail(Run *r, GError *err)
{
    phase_end(r, false, err->message);
    dl_report_fail(r->rep, r->phase, err->message);
    if (r->guest) {
        dl_console_poll(r->guest->console);
        g_autofree char *tail = dl_console_tail(r->guest->console, CONSOLE_TAIL_LINES);
        dl_report_set_console_tail(r->rep, tail);
    }
    g_error_free(err);
    return false;
}

static char *work_path(Run *r, const char *name)
{
    return g_build_filename(r->workdir, name, NULL);
}

static bool make_workdir(Run *r, GError **err)
{
    static unsigned counter;
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
    g_autofree char *leaf =
        g_strdup_printf("%s-%s-%d-%u", stamp, r->scn->name, (int)getpid(), ++counter);
    r->workdir = g_build_filename(r->opt->runs_root, leaf, NULL);
    /* 0700: the folder will hold a vmcore, and vmcores hold secrets. */
    if (g_mkdir_with_parents(r->opt->runs_root, 0755) < 0 || mkdir(r->workdir, 0700) < 0) {
        dl_set_error_errno(err, errno, "making work folder %s", r->workdir);
        return false;
    }
    r->console_log = work_path(r, "console.log");
    r->agent_log = work_path(r, "agent.log");
    r->agent_sock = work_path(r, "agent.sock");
    r->dump_disk = work_path(r, "dump.img");
    r->vmcore = work_path(r, "vmcore");
    r->dmesg = work_path(r, "dmesg.txt");
    dl_report_set_workdir(r->rep, r->workdir);
    return true;
}

static char *first_cmdline(Run *r)
{
    const DlScenario *s = r->scn;
    GString *c = g_string_new("console=ttyS0,115200");
    if (s->crashkernel && *s->crashkernel)
        g_string_append_printf(c, " crashkernel=%s", s->crashkernel);
    if (s->cmdline && *s->cmdline)
        g_string_append_printf(c, " %s", s->cmdline);
    return g_string_free(c, FALSE);
}

static bool phase_image(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "image", "building or reusing the guest image");
    g_autofree char *log = work_path(r, "image.log");
    r->img = dl_image_get(r->scn->kernel_package, log, &err);
    if (!r->img)
        return fail(r, err);
    g_autofree char *detail = g_strdup_printf("%s (%s)", r->img->kernel_version, r->img->dir);
    phase_end(r, true, detail);
    dl_report_set_kernel(r->rep, r->img->kernel_version);

    if (r->scn->accel == DL_SCN_ACCEL_KVM)
        r->accel = DL_ACCEL_KVM;
    else if (r->scn->accel == DL_SCN_ACCEL_TCG)
        r->accel = DL_ACCEL_TCG;
    else {
        g_autofree char *why = NULL;
        r->accel = dl_kvm_probe(r->conn, r->img, r->opt->cache_dir, &why);
        progress(r, "%-12s %s: %s", "accel", dl_accel_name(r->accel), why);
    }
    dl_report_set_accel(r->rep, dl_accel_name(r->accel));
    return true;
}

static bool phase_boot(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "boot", "starting the guest");
    /* Room for the vmcore (RAM plus headers and the kernel-text segment)
     * and the dmesg; the file is sparse. */
    guint64 disk = ((guint64)r->scn->memory_mib + 256) << 20;
    if (!dl_dumpdisk_create(r->dump_disk, disk, &err))
        return fail(r, err);
    g_autofree char *name = dl_virt_domain_name(r->scn->name);
    g_autofree char *cmdline = first_cmdline(r);
    DlGuestSpec spec = {
        .name = name,
        .accel = r->accel,
        .vcpus = r->scn->vcpus,
        .memory_mib = r->scn->memory_mib,
        .kernel = r->img->kernel,
        .initrd = r->img->initrd,
        .cmdline = cmdline,
        .console_log = r->console_log,
        .agent_sock = r->agent_sock,
        .dump_disk = r->dump_disk,
        .pvpanic = true,
    };
    g_autofree char *xml = dl_virt_domain_xml(&spec);
    g_autofree char *xml_path = work_path(r, "domain.xml");
    g_file_set_contents(xml_path, xml, -1, NULL);
    dl_report_set_domain(r->rep, name);

    r->guest = dl_guest_start(r->conn, &spec, r->agent_log, 30, &err);
    if (!r->guest)
        return fail(r, err);
    static const char *const hello[] = {"HELLO", NULL};
    g_autoptr(DlMsg) m = dl_guest_expect(r->guest, hello, timeout_s(r, 240), &err);
    if (!m)
        return fail(r, err);
    if (g_strcmp0(dl_msg_get(m, "stage"), "first") != 0) {
        g_set_error(&err, DL_ERROR, DL_ERROR_FAILED, "agent says stage=%s, expected first",
                    dl_msg_get(m, "stage"));
        return fail(r, err);
    }
    g_autofree char *detail = g_strdup_printf("%s, %s vCPUs", dl_msg_get(m, "osrelease"),
                                              dl_msg_get(m, "cpus"));
    phase_end(r, true, detail);
    return true;
}

static bool phase_arm(Run *r)
{
    GError *err = NULL;
    const DlScenario *s = r->scn;
    phase_begin(r, "arm", s->armed ? "arming kdump" : "preparing (kdump deliberately not armed)");
    bool sent = true;
    for (guint i = 0; sent && i < s->sysctls->len; i++) {
        const DlSysctl *sc = g_ptr_array_index(s->sysctls, i);
        g_autofree char *v = dl_pct_encode(sc->value);
        sent = dl_agent_send(r->guest->agent, &err, "SYSCTL key=%s value=%s", sc->key, v);
    }
    g_autofree char *append = dl_pct_encode(s->crash_cmdline ? s->crash_cmdline : "");
    sent = sent &&
           dl_agent_send(r->guest->agent, &err, "SET key=load value=%s",
                         s->load == DL_LOAD_KEXEC_FILE ? "kexec_file_load" : "kexec_load") &&
           dl_agent_send(r->guest->agent, &err, "SET key=crash_append value=%s", append) &&
           dl_agent_send(r->guest->agent, &err, "SET key=armed value=%s", s->armed ? "1" : "0");
    if (sent && dl_scenario_needs_module(s))
        sent = dl_agent_send(r->guest->agent, &err, "SET key=module value=1");
    if (sent && s->marker_pages > 0)
        sent = dl_agent_send(r->guest->agent, &err, "SET key=seed value=%" G_GUINT64_FORMAT,
                             s->seed) &&
               dl_agent_send(r->guest->agent, &err, "SET key=markers value=%u", s->marker_pages);
    sent = sent && dl_agent_send(r->guest->agent, &err, "ARM");
    if (!sent)
        return fail(r, err);

    static const char *const armed[] = {"ARMED", NULL};
    g_autoptr(DlMsg) a = dl_guest_expect(r->guest, armed, timeout_s(r, 120), &err);
    if (!a)
        return fail(r, err);
    static const char *const ready[] = {"READY", NULL};
    g_autoptr(DlMsg) m = dl_guest_expect(r->guest, ready, timeout_s(r, 120), &err);
    if (!m)
        return fail(r, err);
    g_autofree char *detail = g_strdup_printf("crashkernel %s, %s", dl_msg_get(a, "crashkernel"),
                                              dl_msg_get(a, "method"));
    phase_end(r, true, detail);
    return true;
}

static bool deliver_fault(Run *r, GError **err)
{
    const DlScenario *s = r->scn;
    switch (dl_fault_origin(s->fault)) {
    case DL_ORIGIN_HYPERVISOR:
        if (s->fault == DL_FAULT_NMI)
            return dl_virt_inject_nmi(r->guest->dom, err);
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "fault %s is not supported by this harness yet",
                    dl_fault_name(s->fault));
        return false;
    case DL_ORIGIN_GUEST:
    default:
        if (s->fault_cpu >= 0)
            return dl_agent_send(r->guest->agent, err, "FAULT kind=%s cpu=%d",
                                 dl_fault_name(s->fault), s->fault_cpu);
        return dl_agent_send(r->guest->agent, err, "FAULT kind=%s", dl_fault_name(s->fault));
    }
}

/* The crash phase ends when the first kernel says it panics; the
 * crash-kernel phase when the crash kernel's agent says HELLO. */
static bool phase_crash(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "crash", dl_fault_name(r->scn->fault));
    gsize mark = dl_console_mark(r->guest->console);
    if (!deliver_fault(r, &err))
        return fail(r, err);
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s(r, 120) * G_USEC_PER_SEC;
    while (!dl_console_seen_since(r->guest->console, mark, "Kernel panic - not syncing")) {
        if (g_get_monotonic_time() >= deadline) {
            g_set_error(&err, DL_ERROR, DL_ERROR_TIMEOUT,
                        "no kernel panic on the console within %d s", timeout_s(r, 120));
            return fail(r, err);
        }
        if (!dl_guest_idle(r->guest, &err))
            return fail(r, err);
        g_usleep(100 * 1000);
    }
    phase_end(r, true, NULL);

    phase_begin(r, "crash-kernel", "waiting for the crash kernel's agent");
    static const char *const hello[] = {"HELLO", NULL};
    g_autoptr(DlMsg) m = dl_guest_expect(r->guest, hello, timeout_s(r, 240), &err);
    if (!m) {
        g_prefix_error(&err, "the crash kernel did not start: ");
        return fail(r, err);
    }
    if (g_strcmp0(dl_msg_get(m, "stage"), "crash") != 0) {
        g_set_error(&err, DL_ERROR, DL_ERROR_FAILED,
                    "the guest came back as stage=%s, not the crash kernel", dl_msg_get(m, "stage"));
        return fail(r, err);
    }
    g_autofree char *detail = g_strdup_printf("/proc/vmcore is %s bytes", dl_msg_get(m, "vmcore_size"));
    phase_end(r, true, detail);
    return true;
}

static bool phase_capture(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "capture", "crash kernel copies /proc/vmcore");
    if (!dl_agent_send(r->guest->agent, &err, "CAPTURE"))
        return fail(r, err);
    static const char *const done[] = {"DONE", NULL};
    int limit = timeout_s(r, 120 + 240 * (int)((r->scn->memory_mib + 1023) / 1024));
    g_autoptr(DlMsg) m = dl_guest_expect(r->guest, done, limit, &err);
    if (!m)
        return fail(r, err);
    g_autofree char *detail = g_strdup_printf("vmcore %s bytes, dmesg %s bytes",
                                              dl_msg_get(m, "vmcore"), dl_msg_get(m, "dmesg"));
    phase_end(r, true, detail);

    phase_begin(r, "poweroff", "waiting for the guest to power off");
    if (!dl_guest_wait_stopped(r->guest, timeout_s(r, 60), &err))
        return fail(r, err);
    phase_end(r, true, NULL);
    return true;
}

static bool phase_collect(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "collect", "extracting the vmcore from the dump disk");
    DlDumpHeader h;
    if (!dl_dumpdisk_read_header(r->dump_disk, &h, &err) ||
        !dl_dumpdisk_extract(r->dump_disk, &h, r->vmcore, r->dmesg, &err))
        return fail(r, err);
    unlink(r->dump_disk);
    dl_report_set_dump(r->rep, "kdump", r->vmcore, h.vmcore_size, r->dmesg);
    g_autofree char *detail = g_strdup_printf("%s (%" G_GUINT64_FORMAT " MiB)", r->vmcore,
                                              h.vmcore_size >> 20);
    phase_end(r, true, detail);
    return true;
}

static bool phase_check(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "check", "checking the vmcore");
    DlRunCheck in = {
        .scn = r->scn,
        .vmcore = r->vmcore,
        .dmesg = r->dmesg,
        .workdir = r->workdir,
        .iomem = r->guest ? r->guest->iomem : NULL,
        .manifest = r->guest ? r->guest->manifest : NULL,
    };
    if (!dl_run_check(&in, r->rep, &err))
        return fail(r, err);
    phase_end(r, true, dl_report_checker_summary(r->rep));
    return true;
}

static void cleanup(Run *r)
{
    dl_guest_free(r->guest); /* destroys the domain if it still runs */
    r->guest = NULL;
    if (r->agent_sock)
        unlink(r->agent_sock);
    /* The dump disk is as large as the guest's RAM; once the vmcore is out
     * (or the run failed before writing one) it is only clutter, except
     * when the capture failed half way and someone may want to look. */
    if (r->dump_disk && g_file_test(r->vmcore, G_FILE_TEST_EXISTS))
        unlink(r->dump_disk);
    dl_image_free(r->img);
    g_free(r->workdir);
    g_free(r->console_log);
    g_free(r->agent_log);
    g_free(r->agent_sock);
    g_free(r->dump_disk);
    g_free(r->vmcore);
    g_free(r->dmesg);
}

DlReport *dl_run_scenario(virConnectPtr conn, const DlScenario *scn, const DlRunOptions *opt)
{
    Run r = {.scn = scn, .opt = opt, .conn = conn};
    r.rep = dl_report_new(scn->name, scn->path);
    const char *env_scale = g_getenv("DUMPLAB_TIMEOUT_SCALE");
    r.scale = (env_scale ? g_ascii_strtod(env_scale, NULL) : 1.0) *
              (scn->timeout_scale > 0 ? scn->timeout_scale : 1.0);
    if (r.scale <= 0)
        r.scale = 1.0;
    gint64 t0 = g_get_monotonic_time();

    GError *err = NULL;
    if (!make_workdir(&r, &err)) {
        r.phase = "setup";
        r.phase_t0 = t0;
        fail(&r, err);
    } else if (phase_image(&r) && phase_boot(&r) && phase_arm(&r) && phase_crash(&r) &&
               phase_capture(&r) && phase_collect(&r)) {
        phase_check(&r);
    }
    cleanup(&r);
    dl_report_finish(r.rep, (g_get_monotonic_time() - t0) / 1000);
    return r.rep;
}
