/* One run of a scenario, phase by phase. Each phase has a deadline and a
 * progress line; the first failure ends the run with a verdict naming the
 * phase and the last console lines. Whatever happens, the domain is
 * destroyed before dl_run_scenario returns. */
#include "dumplab/run.h"
#include "dumplab/crashkernel.h"
#include "dumplab/dumpdisk.h"
#include "dumplab/error.h"
#include "dumplab/guest.h"
#include "dumplab/hvdump.h"
#include "dumplab/images.h"
#include "dumplab/kdumprun.h"
#include "dumplab/kvmprobe.h"
#include "dumplab/live.h"
#include "dumplab/remote.h"
#include "dumplab/runcheck.h"
#include "dumplab/sigguard.h"
#include "dumplab/watch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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
    char *panic_line;    /* the first kernel's panic line on the console */
    gsize crash_mark;    /* console offset just after it */
    char *hv_dump;       /* the hypervisor's reference dump, if taken */
    DlHvDumpJob *hv_job; /* that dump, still finishing (a stream, or the copy's ELF) */
    DlHvDumpTiming hv_timing;
    char *fallback;          /* a pvpanic / hypervisor dump when kdump gave none */
    const char *vmcore_used; /* the dump the checks judge */
    double scale;
    gint64 phase_t0;
    const char *phase;
    DlHvDumpPrep *hv_prep; /* the copy's preparation, begun with the crash kernel */
    char *ram_file;        /* monitor = text: the guest's RAM file (watch.h) */
    guint64 vmcore_bytes;  /* /proc/vmcore's size, from the crash kernel's HELLO */
    DlKdumpRun *kd;        /* kdump_conf: the targets made for it (lib/kdump/) */
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

/* Progress of a subprocess (image build, referees) inside the current phase. */
static void subproc_progress(void *data, const char *what, int elapsed_s)
{
    Run *r = data;
    progress(r, "%-12s %s still running after %d s", r->phase, what, elapsed_s);
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

char *dl_run_make_workdir(const DlRunOptions *opt, const char *name, GError **err)
{
    /* One counter for every kind of run: names stay unique within a process. */
    static unsigned counter;
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
    g_autofree char *leaf = g_strdup_printf("%s-%s-%d-%u", stamp, name, (int)getpid(), ++counter);
    char *dir = g_build_filename(opt->runs_root, leaf, NULL);
    /* 0700: the folder will hold a vmcore, and vmcores hold secrets. */
    if (g_mkdir_with_parents(opt->runs_root, 0755) < 0 || mkdir(dir, 0700) < 0) {
        dl_set_error_errno(err, errno, "making work folder %s", dir);
        g_free(dir);
        return NULL;
    }
    return dir;
}

static bool make_workdir(Run *r, GError **err)
{
    r->workdir = dl_run_make_workdir(r->opt, r->scn->name, err);
    if (!r->workdir)
        return false;
    /* The dump disk is sparse, but it fills as the crash kernel writes, then
     * the vmcore is copied out of it, and the hypervisor's dump is as large
     * as RAM: refuse now rather than fail after minutes with a half-written
     * dump. */
    struct statvfs fs;
    guint64 ram = (guint64)r->scn->memory_mib << 20;
    guint64 need = 2 * ram + (r->scn->hv_dump ? ram : 0) + (256ULL << 20);
    if (statvfs(r->workdir, &fs) == 0 && (guint64)fs.f_bavail * fs.f_frsize < need) {
        g_set_error(err, DL_ERROR, DL_ERROR_IO,
                    "%s has %" G_GUINT64_FORMAT " MiB free; this run needs about %" G_GUINT64_FORMAT
                    " MiB (dump disk, vmcore%s)",
                    r->opt->runs_root, ((guint64)fs.f_bavail * fs.f_frsize) >> 20, need >> 20,
                    r->scn->hv_dump ? ", hypervisor dump" : "");
        rmdir(r->workdir);
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
    /* no_timer_check: under TCG on a loaded host the kernel's IO-APIC
     * timer check can miss its ticks and panic at boot ("IO-APIC + timer
     * doesn't work"); a virtual machine's timer needs no such check. */
    GString *c = g_string_new("console=ttyS0,115200 no_timer_check");
    g_autofree char *ck = dl_crashkernel_kernel_value(s->crashkernel); /* auto resolved */
    if (ck && *ck)
        g_string_append_printf(c, " crashkernel=%s", ck);
    if (s->cmdline && *s->cmdline)
        g_string_append_printf(c, " %s", s->cmdline);
    return g_string_free(c, FALSE);
}

static bool phase_image(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "image", "building or reusing the guest image");
    g_autofree char *log = work_path(r, "image.log");
    /* A cold cache downloads and unpacks Debian packages: 5 minutes were
     * measured on these machines. */
    r->img =
        dl_image_get(r->scn->kernel_package, log, timeout_s(r, 1200), subproc_progress, r, &err);
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
    if (r->scn->kdump && !(r->kd = dl_kdump_run_new(r->scn, r->workdir, &err)))
        return fail(r, err);
    g_autofree char *name = dl_virt_domain_name(r->scn->name);
    g_autofree char *cmdline = first_cmdline(r);
    if (r->scn->monitor_text && !(r->ram_file = dl_watch_ram_path(name, &err)))
        return fail(r, err);
    DlGuestSpec spec = {
        .name = name,
        .accel = r->accel,
        .vcpus = r->scn->vcpus,
        .memory_mib = r->scn->memory_mib,
        .kernel = r->scn->boot_pvh ? r->img->boot_kernel : r->img->kernel,
        .initrd = r->img->initrd,
        .cmdline = cmdline,
        .console_log = r->console_log,
        .agent_sock = r->agent_sock,
        .dump_disk = r->dump_disk,
        .pvpanic = true,
        .ram_file = r->ram_file,
        .extra_devices = r->kd ? dl_kdump_run_devices_xml(r->kd) : NULL,
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
    g_autofree char *detail =
        g_strdup_printf("%s, %s vCPUs", dl_msg_get(m, "osrelease"), dl_msg_get(m, "cpus"));
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
    g_autofree char *kd_append = r->kd ? dl_kdump_run_crash_append(r->kd, s->crash_cmdline) : NULL;
    g_autofree char *append = dl_pct_encode(kd_append          ? kd_append
                                            : s->crash_cmdline ? s->crash_cmdline
                                                               : "");
    if (sent && r->kd)
        sent = dl_kdump_run_send(r->kd, r->guest->agent, &err);
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
    /* crashkernel= against /proc/iomem: what the value means for this RAM
     * (lib/kdump/crashkernel.c); "nothing reserved" names its reason. */
    g_autofree char *ck_sum = NULL;
    GError *ck_err = NULL;
    bool ck_ok =
        !s->armed || dl_crashkernel_check_msgs(s->crashkernel, r->guest->iomem, &ck_sum, &ck_err);
    if (!a) {
        if (ck_sum)
            g_prefix_error(&err, "%s; ", ck_sum);
        g_clear_error(&ck_err);
        return fail(r, err);
    }
    if (!ck_ok)
        return fail(r, ck_err);
    if (ck_sum)
        dl_report_add_check(r->rep, "crashkernel", true, ck_sum);
    static const char *const ready[] = {"READY", NULL};
    g_autoptr(DlMsg) m = dl_guest_expect(r->guest, ready, timeout_s(r, 120), &err);
    if (!m)
        return fail(r, err);
    g_autofree char *detail = g_strdup_printf("crashkernel %s, %s", dl_msg_get(a, "crashkernel"),
                                              dl_msg_get(a, "method"));
    phase_end(r, true, detail);
    return true;
}

/* monitor = text: the guest runs on and the hypervisor watches its text
 * (lib/watch/watchrun.c) instead of the crash phases. Returns whether the
 * run was a watch. */
static bool watched(Run *r)
{
    if (!r->scn->monitor_text)
        return false;
    GError *err = NULL;
    phase_begin(r, "watch", "watching the kernel text from the hypervisor");
    DlWatchRunIn in = {r->scn, r->guest, r->img->kernel_version, r->workdir, r->rep};
    g_autofree char *detail = NULL;
    if (!dl_watch_run(&in, &detail, &err))
        return !fail(r, err);
    phase_end(r, true, detail);
    return true;
}

#define PANIC_TEXT "Kernel panic - not syncing"

static bool deliver_fault(Run *r, GError **err)
{
    const DlScenario *s = r->scn;
    const DlFaultInfo *f = dl_fault_info(s->fault);
    if (f->deliver)
        return f->deliver(r->guest->dom, s->fault_cpu, err);
    return dl_agent_send(r->guest->agent, err, "FAULT kind=%s cpu=%d", f->name, s->fault_cpu);
}

/* The crash phase ends when the first kernel's console says it panics (or
 * pvpanic says so, when no crash kernel is armed). A silent guest gets an
 * NMI from the hypervisor after a deadline, as an operator would send. */
static bool phase_crash(Run *r)
{
    GError *err = NULL;
    DlConsole *con = r->guest->console;
    phase_begin(r, "crash", dl_fault_name(r->scn->fault));
    gsize mark = dl_console_mark(con);
    if (!deliver_fault(r, &err))
        return fail(r, err);
    int limit = timeout_s(r, 180);
    gint64 t0 = g_get_monotonic_time();
    gint64 deadline = t0 + (gint64)limit * G_USEC_PER_SEC;
    gint64 nmi_at =
        dl_fault_info(r->scn->fault)->nmi_after_s > 0
            ? t0 + (gint64)timeout_s(r, dl_fault_info(r->scn->fault)->nmi_after_s) * G_USEC_PER_SEC
            : 0;
    g_autofree char *how = NULL;
    for (;;) {
        dl_console_poll(con);
        r->panic_line = dl_console_find_line(con, mark, PANIC_TEXT, &r->crash_mark);
        if (r->panic_line)
            break;
        /* A panic in NMI or machine-check context is only logged, not
         * printed, before kexec: the crash kernel's banner is then the
         * first sign on the console. */
        gsize end = 0;
        g_autofree char *banner = dl_console_find_line(con, mark, "Linux version", &end);
        if (banner) {
            r->crash_mark = end - strlen(banner);
            r->panic_line = g_strdup("(the panic was logged but not printed; the crash kernel "
                                     "is booting)");
            break;
        }
        gint64 now = g_get_monotonic_time();
        if (now >= deadline) {
            g_set_error(&err, DL_ERROR, DL_ERROR_TIMEOUT,
                        "no kernel panic on the console within %d s", limit);
            return fail(r, err);
        }
        if (nmi_at && now >= nmi_at) {
            nmi_at = 0;
            how = g_strdup_printf("guest silent for %d s, NMI sent by the hypervisor",
                                  timeout_s(r, 15));
            progress(r, "%-12s %s", "crash", how);
            if (!dl_virt_inject_nmi(r->guest->dom, &err))
                return fail(r, err);
        }
        if (!dl_guest_idle(r->guest, &err)) {
            if (!r->guest->crashed)
                return fail(r, err);
            /* pvpanic stopped the guest; the panic text may still be in
             * flight on the console. */
            g_clear_error(&err);
            dl_console_poll(con);
            r->panic_line = dl_console_find_line(con, mark, PANIC_TEXT, &r->crash_mark);
            if (!r->panic_line) {
                r->panic_line = g_strdup("pvpanic reported a panic");
                r->crash_mark = dl_console_mark(con);
            }
            break;
        }
        g_usleep(100 * 1000);
    }
    g_autofree char *detail = how ? g_strdup_printf("%s; %s", how, g_strstrip(r->panic_line))
                                  : g_strdup(g_strstrip(r->panic_line));
    phase_end(r, true, detail);
    return true;
}

/* Whether the hypervisor dump (background snapshot or copy) finishes
 * while the crash kernel captures; to compare downtimes
 * (DUMPLAB_HV_DUMP_COMPARE=1) each is taken whole. */
static bool hv_dump_overlapped(void)
{
    return g_strcmp0(g_getenv("DUMPLAB_HV_DUMP_COMPARE"), "1") &&
           g_strcmp0(g_getenv("DUMPLAB_HV_DUMP_OVERLAP"), "0");
}

/* Ends when the crash kernel's agent says HELLO. The crash kernel dying
 * (its own panic after its boot banner, a reset, pvpanic) ends it early. */
static bool phase_crash_kernel(Run *r)
{
    GError *err = NULL;
    DlConsole *con = r->guest->console;
    phase_begin(r, "crash-kernel", "waiting for the crash kernel's agent");
    if (r->scn->hv_dump && dl_hvdump_method() == DL_HVDUMP_SNAPSHOT && hv_dump_overlapped())
        r->hv_prep = dl_hvdump_prepare_async(r->guest);
    int limit = timeout_s(r, 240);
    gint64 deadline = g_get_monotonic_time() + (gint64)limit * G_USEC_PER_SEC;
    static const char *const hello[] = {"HELLO", NULL};
    DlMsg *m = NULL;
    while (!m) {
        m = dl_guest_expect(r->guest, hello, 1, &err);
        if (m)
            break;
        if (!g_error_matches(err, DL_ERROR, DL_ERROR_TIMEOUT)) {
            g_prefix_error(&err, "the crash kernel did not start: ");
            return fail(r, err);
        }
        g_clear_error(&err);
        gsize booted = 0;
        g_autofree char *banner =
            dl_console_find_line(con, r->crash_mark, "Linux version", &booted);
        g_autofree char *panic2 =
            banner ? dl_console_find_line(con, booted, PANIC_TEXT, NULL) : NULL;
        if (panic2) {
            g_set_error(&err, DL_ERROR, DL_ERROR_FAILED,
                        "the crash kernel did not start: it panicked: %s", g_strstrip(panic2));
            return fail(r, err);
        }
        if (g_get_monotonic_time() >= deadline) {
            g_set_error(&err, DL_ERROR, DL_ERROR_TIMEOUT,
                        "the crash kernel did not start within %d s (%s)", limit,
                        banner ? "it booted but its agent never answered"
                               : "no crash kernel boot banner on the console");
            return fail(r, err);
        }
    }
    g_autoptr(DlMsg) hm = m;
    if (g_strcmp0(dl_msg_get(hm, "stage"), "crash") != 0) {
        g_set_error(&err, DL_ERROR, DL_ERROR_FAILED,
                    "the guest came back as stage=%s, not the crash kernel",
                    dl_msg_get(hm, "stage"));
        return fail(r, err);
    }
    r->vmcore_bytes = g_ascii_strtoull(dl_msg_get(hm, "vmcore_size") ?: "0", NULL, 10);
    g_autofree char *detail =
        g_strdup_printf("/proc/vmcore is %s bytes", dl_msg_get(hm, "vmcore_size"));
    phase_end(r, true, detail);
    return true;
}

/* The hypervisor's view at the moment the crash kernel starts, before it
 * writes anything: the reference the cross-check compares kdump's vmcore
 * against. The guest stops for it: briefly (a copy of its resident RAM)
 * or for the whole write (dump-guest-memory), see hvdump.h. With
 * DUMPLAB_HV_DUMP_COMPARE=1 both are taken, one after the other, and both
 * downtimes go to hv-dump.json: the bench's figures. */
static bool phase_hv_dump(Run *r)
{
    GError *err = NULL;
    DlHvDumpMethod method = dl_hvdump_method();
    g_autofree char *what = g_strdup_printf("hypervisor dump (%s)", dl_hvdump_method_name(method));
    phase_begin(r, "hv-dump", what);
    r->hv_dump = work_path(r, "hv.vmcore");
    DlHvDumpTiming *t = &r->hv_timing, t2 = {.guest_lost_ms = -1};
    g_autofree char *other = work_path(r, "hv-dgm.vmcore");
    bool compare = !g_strcmp0(g_getenv("DUMPLAB_HV_DUMP_COMPARE"), "1");
    /* A background snapshot streams on, and the copy writes its ELF, while
     * the crash kernel captures (hv-dump-end joins them). */
    if (method != DL_HVDUMP_DUMP_GUEST_MEMORY && hv_dump_overlapped()) {
        r->hv_job = dl_hvdump_start(r->guest, method, r->hv_prep, r->hv_dump, timeout_s(r, 240),
                                    subproc_progress, r, t, &err);
        if (!r->hv_job) {
            g_clear_pointer(&r->hv_dump, g_free);
            return fail(r, err);
        }
    } else if (!dl_hvdump_take(r->guest, method, r->hv_dump,
                               timeout_s(r, method == DL_HVDUMP_BACKGROUND ? 240 : 120),
                               subproc_progress, r, t, &err)) {
        g_clear_pointer(&r->hv_dump, g_free);
        return fail(r, err);
    }
    if (compare && !dl_hvdump_take(r->guest, DL_HVDUMP_DUMP_GUEST_MEMORY, other, timeout_s(r, 120),
                                   subproc_progress, r, &t2, &err))
        return fail(r, err);
    dl_hvdump_write_json(r->workdir, t, compare ? &t2 : NULL);
    g_autofree char *timing = dl_hvdump_describe(t);
    g_autofree char *timing2 = compare ? dl_hvdump_describe(&t2) : NULL;
    g_autofree char *detail = NULL;
    if (r->hv_job)
        detail = g_strdup_printf(
            "instant taken, %s while the crash kernel captures; %s",
            t->method == DL_HVDUMP_BACKGROUND ? "streaming on" : "its ELF written", timing);
    else {
        struct stat st;
        guint64 size = stat(r->hv_dump, &st) == 0 ? (guint64)st.st_size : 0;
        dl_report_set_dump(r->rep, "hypervisor-reference", r->hv_dump, size, NULL);
        detail = g_strdup_printf("%s (%" G_GUINT64_FORMAT " MiB), %s%s%s", r->hv_dump, size >> 20,
                                 timing, compare ? "; then " : "", compare ? timing2 : "");
    }
    dl_hvdump_timing_clear(&t2);
    phase_end(r, true, detail);
    return true;
}

/* The background snapshot's stream and ELF, finished while the guest
 * captured; joined before the checks need the dump. */
static bool phase_hv_dump_end(Run *r)
{
    if (!r->hv_job)
        return true;
    GError *err = NULL;
    phase_begin(r, "hv-dump-end", "finishing the hypervisor dump's ELF");
    bool ok = dl_hvdump_finish(r->hv_job, &r->hv_timing, &err);
    g_clear_pointer(&r->hv_job, dl_hvdump_job_free);
    if (!ok) {
        g_clear_pointer(&r->hv_dump, g_free);
        return fail(r, err);
    }
    dl_hvdump_write_json(r->workdir, &r->hv_timing, NULL);
    struct stat st;
    guint64 size = stat(r->hv_dump, &st) == 0 ? (guint64)st.st_size : 0;
    dl_report_set_dump(r->rep, "hypervisor-reference", r->hv_dump, size, NULL);
    g_autofree char *timing = dl_hvdump_describe(&r->hv_timing);
    g_autofree char *detail =
        g_strdup_printf("%s (%" G_GUINT64_FORMAT " MiB), %s", r->hv_dump, size >> 20, timing);
    phase_end(r, true, detail);
    return true;
}

/* kdump.conf: the crash kernel saves the dump as kdump does, to the target
 * made for it; the dump is fetched from there (lib/kdump/). */
static bool phase_kdump_capture(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "capture", "crash kernel runs kdump.conf's target and core_collector");
    if (!dl_agent_send(r->guest->agent, &err, "CAPTURE"))
        return fail(r, err);
    int limit = timeout_s(r, 120 + 240 * (int)((r->scn->memory_mib + 1023) / 1024));
    g_auto(DlKdumpResult) res = {0};
    if (!dl_kdump_run_capture(r->kd, r->guest, limit, r->dump_disk, r->vmcore, r->dmesg, r->rep,
                              &res, &err))
        return fail(r, err);
    phase_end(r, true, res.detail);
    if (res.vmcore) {
        struct stat st;
        dl_report_set_dump(r->rep, "kdump", res.vmcore,
                           stat(res.vmcore, &st) == 0 ? (guint64)st.st_size : 0, res.dmesg);
        r->vmcore_used = r->vmcore;
    }
    return true;
}

static bool phase_capture(Run *r)
{
    GError *err = NULL;
    if (r->kd)
        return phase_kdump_capture(r);
    phase_begin(r, "capture", "crash kernel copies /proc/vmcore");
    if (!dl_agent_send(r->guest->agent, &err, "CAPTURE"))
        return fail(r, err);
    static const char *const done[] = {"DONE", NULL};
    int limit = timeout_s(r, 120 + 240 * (int)((r->scn->memory_mib + 1023) / 1024));
    DlLive *live = dl_live_new(r->scn->name, "capture", r->vmcore_bytes, r->opt->quiet);
    r->guest->on_progress = dl_live_update;
    r->guest->on_progress_data = live;
    g_autoptr(DlMsg) m = dl_guest_expect(r->guest, done, limit, &err);
    r->guest->on_progress = NULL;
    dl_live_free(live);
    if (!m) {
        g_prefix_error(
            &err, "after %" G_GUINT64_FORMAT " MiB reported copied: ", r->guest->progress >> 20);
        return fail(r, err);
    }
    g_autofree char *detail = g_strdup_printf("vmcore %s bytes, dmesg %s bytes",
                                              dl_msg_get(m, "vmcore"), dl_msg_get(m, "dmesg"));
    phase_end(r, true, detail);

    /* DONE means the vmcore and its header are written and flushed to the
     * host's file; the agent's BYE says it is powering off. The guest
     * kernel's own shutdown adds nothing to the dump: once BYE is in, the
     * domain is destroyed rather than waited for. */
    phase_begin(r, "poweroff", "waiting for the agent's BYE");
    static const char *const bye[] = {"BYE", NULL};
    r->guest->expect_stop = true;
    g_autoptr(DlMsg) b = dl_guest_expect(r->guest, bye, timeout_s(r, 60), &err);
    if (!b && !g_error_matches(err, DL_ERROR, DL_ERROR_STOPPED))
        return fail(r, err);
    g_clear_error(&err);
    if (b && !r->guest->bye)
        r->guest->bye = g_strdup(dl_msg_get(b, "reason") ? dl_msg_get(b, "reason") : "no reason");
    /* QEMU must live until it has written the snapshot's stream. */
    if (r->hv_job && !dl_hvdump_wait_released(r->hv_job, timeout_s(r, 240), &err))
        return fail(r, err);
    virDomainDestroy(r->guest->dom);
    dl_console_poll(r->guest->console);
    phase_end(r, true, r->guest->bye);
    return true;
}

/* Without kdump's vmcore the run still returns a dump: the one libvirt
 * keeps after pvpanic reported the panic, or, when the guest just stopped
 * answering, one the hypervisor takes. Returns the source used. */
static const char *take_fallback_dump(Run *r, GError **err)
{
    DlGuest *g = r->guest;
    if (!g->crashed && dl_virt_is_crashed(g->dom))
        g->crashed = true;
    if (!g->crashed && !dl_virt_is_active(g->dom)) {
        g_set_error(err, DL_ERROR, DL_ERROR_STOPPED, "the guest is gone; nothing left to dump");
        return NULL;
    }
    const char *source = g->crashed ? "pvpanic" : "hypervisor";
    if (!g->crashed && !dl_virt_pause(g->dom, err))
        return NULL;
    r->fallback = work_path(r, "fallback.vmcore");
    if (!dl_virt_core_dump(g->dom, r->fallback, timeout_s(r, 120), subproc_progress, r, err)) {
        g_clear_pointer(&r->fallback, g_free);
        return NULL;
    }
    struct stat st;
    dl_report_set_dump(r->rep, source, r->fallback,
                       stat(r->fallback, &st) == 0 ? (guint64)st.st_size : 0, NULL);
    return source;
}

/* The scenario runs without kdump: the panic must reach the hypervisor. */
static bool phase_unarmed_dump(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "dump", "waiting for pvpanic, then taking the hypervisor's dump");
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s(r, 30) * G_USEC_PER_SEC;
    while (!r->guest->crashed && !dl_virt_is_crashed(r->guest->dom) &&
           g_get_monotonic_time() < deadline) {
        if (dl_sigguard_caught()) {
            g_set_error(&err, DL_ERROR, DL_ERROR_INTERRUPTED, "interrupted");
            return fail(r, err);
        }
        g_usleep(200 * 1000);
    }
    const char *source = take_fallback_dump(r, &err);
    if (!source)
        return fail(r, err);
    r->vmcore_used = r->fallback;
    g_autofree char *detail = g_strdup_printf("%s dump %s", source, r->fallback);
    phase_end(r, true, detail);
    return true;
}

static bool phase_collect(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "collect", "extracting the vmcore from the dump disk");
    DlDumpHeader h;
    if (dl_remote_enabled() && !dl_remote_fetch_dump_disk(r->dump_disk, &err))
        return fail(r, err);
    if (!dl_dumpdisk_read_header(r->dump_disk, &h, &err) ||
        !dl_dumpdisk_extract(r->dump_disk, &h, r->vmcore, r->dmesg, &err))
        return fail(r, err);
    unlink(r->dump_disk);
    dl_report_set_dump(r->rep, "kdump", r->vmcore, h.vmcore_size, r->dmesg);
    r->vmcore_used = r->vmcore;
    g_autofree char *detail =
        g_strdup_printf("%s (%" G_GUINT64_FORMAT " MiB)", r->vmcore, h.vmcore_size >> 20);
    phase_end(r, true, detail);
    return true;
}

static bool phase_check(Run *r)
{
    GError *err = NULL;
    phase_begin(r, "check", "checking the vmcore");
    DlRunCheck in = {
        .scn = r->scn,
        .vmcore = r->vmcore_used,
        .dmesg = r->dmesg,
        .hv_dump = r->hv_dump,
        .workdir = r->workdir,
        .iomem = r->guest ? r->guest->iomem : NULL,
        .manifest = r->guest ? r->guest->manifest : NULL,
        .timeout_scale = r->scale,
        .progress = subproc_progress,
        .progress_data = r,
    };
    if (!dl_run_check(&in, r->rep, &err))
        return fail(r, err);
    phase_end(r, true, dl_report_checker_summary(r->rep));
    return true;
}

/* kdump failed after the panic: still return a dump, and say which path
 * produced it. The run's verdict stays the failure that got us here. */
static void phase_fallback(Run *r)
{
    GError *err = NULL;
    const char *failed = r->phase;
    phase_begin(r, "fallback", "kdump gave no vmcore: taking the hypervisor's dump");
    const char *source = take_fallback_dump(r, &err);
    if (!source) {
        phase_end(r, false, err->message);
        g_error_free(err);
        return;
    }
    g_autofree char *detail =
        g_strdup_printf("%s dump %s (after the %s phase failed)", source, r->fallback, failed);
    phase_end(r, true, detail);
}

static void cleanup(Run *r)
{
    dl_guest_free(r->guest); /* destroys the domain if it still runs */
    /* A run that stopped between hv-dump and hv-dump-end: the copy's ELF is
     * from memory and completes; it is the crash instant's dump, so the
     * report lists it. A background stream cut short ends with its QEMU. */
    if (r->hv_job && r->hv_timing.method == DL_HVDUMP_SNAPSHOT && r->hv_dump &&
        dl_hvdump_finish(r->hv_job, &r->hv_timing, NULL)) {
        struct stat st;
        dl_report_set_dump(r->rep, "hypervisor-reference", r->hv_dump,
                           stat(r->hv_dump, &st) == 0 ? (guint64)st.st_size : 0, NULL);
    }
    dl_hvdump_job_free(r->hv_job);
    dl_hvdump_prep_free(r->hv_prep);
    dl_hvdump_timing_clear(&r->hv_timing);
    r->guest = NULL;
    dl_watch_ram_remove(r->ram_file);
    g_free(r->ram_file);
    dl_kdump_run_free(r->kd); /* stops its servers */
    r->kd = NULL;
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
    g_free(r->panic_line);
    g_free(r->hv_dump);
    g_free(r->fallback);
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
    } else if (phase_image(&r) && phase_boot(&r) && phase_arm(&r) && !watched(&r) &&
               phase_crash(&r)) {
        bool got;
        if (!scn->armed)
            got = phase_unarmed_dump(&r);
        else
            got = phase_crash_kernel(&r) && (!scn->hv_dump || phase_hv_dump(&r)) &&
                  phase_capture(&r) && (r.kd || phase_collect(&r)) && phase_hv_dump_end(&r);
        if (got && r.kd && !r.vmcore_used)
            ; /* failure_action as expected: no dump to check */
        else if (got)
            phase_check(&r);
        else if (scn->armed && r.guest && !dl_sigguard_caught())
            phase_fallback(&r);
    }
    cleanup(&r);
    dl_report_finish(r.rep, (g_get_monotonic_time() - t0) / 1000);
    return r.rep;
}
