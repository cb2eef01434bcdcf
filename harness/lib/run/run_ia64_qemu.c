/* An IA-64 scenario on platform = qemu: the same first and capture kernels
 * (guest-kernel/ia64) in qemu-system-ia64 (qemu-patches/, machine ia64-sal)
 * through libvirt's C API, the way x86_64 guests run.
 *
 *  1. ia64kdump --stage-blob prepares what kexec-tools and the runner put
 *     in RAM before the first kernel runs (configuration with the case,
 *     the kexec segments); the machine preloads it (preload=).
 *  2. A transient domain with the owner metadata of x86 domains starts;
 *     the harness watches the workload counters through
 *     virDomainMemoryPeek(VIR_MEMORY_PHYSICAL). fault = init: once every
 *     CPU runs its workload, virDomainInjectNMI (QEMU raises a platform
 *     INIT on every CPU); fault = panic: the first kernel panics itself.
 *  3. The machine pauses the VM when a CPU reaches the capture kernel's
 *     entry (pause-at=): the hypervisor's dump is taken there
 *     (virDomainCoreDumpWithFormat, EM_IA_64), then the guest resumes.
 *  4. The capture kernel writes the vmcore through the dump device, which
 *     QEMU backs with a file (vmcore=, 0600), and halts the machine: the
 *     VM pauses (halt-pause=on) and the harness reads the capture kernel's
 *     record of stale interrupts from guest RAM before ending the domain.
 *  5. Proofs without the model's inner view: every CPU's NT_PRSTATUS ip in
 *     the spin loop (or, for the panicking CPU, the panic path) by the
 *     first kernel's symbols, PSR.i as irqoff_cpus says, the handler each
 *     CPU went through, the capture CPU, no PT_LOAD inside Xs..Xe, the
 *     marker pages byte for byte, the vmcore equal to the hypervisor's dump
 *     page by page outside Xs..Xe, eu-readelf and dumplab check as referees.
 * The domain is destroyed on every path; the work folder keeps the files. */
#include "dumplab/check.h"
#include "dumplab/dump.h"
#include "dumplab/dump.h"
#include "dumplab/error.h"
#include "dumplab/images.h"
#include "dumplab/marker.h"
#include "dumplab/proof.h"
#include "dumplab/run.h"
#include "dumplab/sigguard.h"
#include "dumplab/virt.h"
#include "run_ia64.h"

#include "../../../guest-kernel/ia64/layout.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <libvirt/virterror.h>
#include <unistd.h>

#define RAM_MIB 33         /* ia64-sal needs 32 MiB + 64 KiB a CPU; the layout uses 3.25 MiB */
#define PANIC_AFTER 5000   /* workload iterations: every CPU is in its loop by then */
#define IOSAPIC_PERIOD 157 /* bundles between device interrupts, as ia64kdump */
#define PSR_I_BIT 14
#define PR_REG(n) (KD_PR_REG + 8 * (n))
/* capture.S's RESULT: stale interrupts seen, the last vector, error code. */
#define KD_CAP_RESULT (KD_XS + 0x38000)

typedef struct {
    const DlScenario *s;
    DlReport *rep;
    char *dir, *vmcore, *hvdump, *console, *blob;
    guint64 cap_entry;
    virDomainPtr dom;
    char *name;
    double scale;
    bool have_record;            /* the capture kernel's RESULT was read */
    guint64 stale, stale_vector; /* ... what it holds */
} Q;

/* $QEMU_IA64 (qemu.mk exports it), else what build.sh says; it must exist. */
char *dl_ia64_qemu_binary(GError **err)
{
    const char *env = g_getenv("QEMU_IA64");
    char *path = env && *env ? g_strdup(env) : NULL;
    if (!path) {
        g_autofree char *script =
            g_build_filename(dl_repo_root(), "qemu-patches", "build.sh", NULL);
        const char *argv[] = {"bash", script, "--print-path", NULL};
        g_autofree char *out = NULL;
        int status = 0;
        if (g_spawn_sync(NULL, (char **)argv, NULL,
                         G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                         &status, NULL) &&
            g_spawn_check_wait_status(status, NULL))
            path = g_strdup(g_strstrip(out));
    }
    if (!path || !g_file_test(path, G_FILE_TEST_IS_EXECUTABLE)) {
        g_set_error(err, DL_ERROR, DL_ERROR_IO,
                    "qemu-system-ia64 is not built (%s): run 'make qemu-ia64'",
                    path ? path : "qemu-patches/build.sh gave no path");
        g_free(path);
        return NULL;
    }
    return path;
}

static char *guest_file(const char *leaf)
{
    return g_build_filename(dl_repo_root(), "build", "ia64", "guest", leaf, NULL);
}

/* ia64kdump --stage-blob: the preload image and the capture entry. */
static bool stage(Q *q, GError **err)
{
    const DlScenario *s = q->s;
    GString *irq = g_string_new(NULL);
    for (unsigned i = 0; i < 64; i++)
        if ((s->irqoff_mask >> i) & 1)
            g_string_append_printf(irq, "%s%u", irq->len ? "," : "", i);
    g_autofree char *irqs = g_string_free(irq, FALSE);
    g_autofree char *tool = g_build_filename(dl_repo_root(), "build", "bin", "ia64kdump", NULL);
    g_autofree char *first = guest_file("first.elf"), *cap = guest_file("capture.elf");
    g_autofree char *cpus = g_strdup_printf("%u", s->vcpus);
    g_autofree char *seed = g_strdup_printf("%" G_GUINT64_FORMAT, s->seed);
    g_autofree char *markers = g_strdup_printf("%u", s->marker_pages);
    g_autofree char *fcpu = g_strdup_printf("%d", s->fault_cpu < 0 ? 0 : s->fault_cpu);
    g_autofree char *ram = g_strdup_printf("%d", RAM_MIB);
    g_autofree char *after = g_strdup_printf("%d", PANIC_AFTER);
    const char *argv[] = {tool,
                          "--stage-blob",
                          q->blob,
                          "--ram-mib",
                          ram,
                          "--first",
                          first,
                          "--capture",
                          cap,
                          "--cpus",
                          cpus,
                          "--seed",
                          seed,
                          "--markers",
                          markers,
                          "--fault",
                          s->ia64_init ? "init" : "panic",
                          "--fault-cpu",
                          fcpu,
                          "--irqoff",
                          *irqs ? irqs : "none",
                          "--stop",
                          s->stop ? s->stop : "init-all",
                          "--panic-after",
                          after,
                          "--variant",
                          s->variant ? s->variant : "none",
                          NULL};
    g_autofree char *out = NULL, *errs = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL, &out, &errs, &status, err))
        return false;
    const char *e = out ? strstr(out, "capture_entry=") : NULL;
    if (!g_spawn_check_wait_status(status, NULL) || !e) {
        g_set_error(err, DL_ERROR, DL_ERROR_IO, "ia64kdump --stage-blob: %s",
                    errs && *errs ? g_strstrip(errs) : "no capture entry");
        return false;
    }
    q->cap_entry = g_ascii_strtoull(e + strlen("capture_entry="), NULL, 16);
    return q->cap_entry >= KD_XS && q->cap_entry < KD_XE;
}

static char *domain_xml(Q *q, const char *qemu)
{
    g_autofree char *first = guest_file("first.elf");
    g_autofree char *mprops = g_strdup_printf(
        "ap-wakeup=on,vmcore=%s,preload=%s,preload-addr=0x%x,pause-at=0x%" G_GINT64_MODIFIER
        "x,iosapic-period=%d,halt-pause=on",
        q->vmcore, q->blob, KD_CFG, q->cap_entry, IOSAPIC_PERIOD);
    /* The capture kernel halts the machine: the VM pauses (halt-pause) and
     * the harness ends the domain after reading RAM. */
    DlIa64Domain d = {.name = q->name,
                      .qemu = qemu,
                      .kernel = first,
                      .console = q->console,
                      .machine_props = mprops,
                      .cpus = q->s->vcpus,
                      .ram_mib = RAM_MIB,
                      .preserve_on_crash = true};
    return dl_ia64_domain_xml(&d);
}

static int dom_state(virDomainPtr dom)
{
    int state = 0, reason = 0;
    if (virDomainGetState(dom, &state, &reason, 0) < 0)
        return VIR_DOMAIN_SHUTOFF; /* a transient domain that ended is gone */
    return state;
}

static bool peek(virDomainPtr dom, guint64 pa, guint8 *buf, size_t len)
{
    return virDomainMemoryPeek(dom, pa, len, buf, VIR_MEMORY_PHYSICAL) == 0;
}

static guint64 le64(const guint8 *p)
{
    guint64 v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* Waits until every CPU counted workload iterations (true), or the domain
 * paused at the capture entry / stopped (true, *ended says which), or the
 * deadline (false). */
static bool wait_workload(Q *q, int seconds, bool *paused, GError **err)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
    guint8 counts[8 * KD_MAX_CPUS];
    *paused = false;
    while (g_get_monotonic_time() < deadline && !dl_sigguard_caught()) {
        int st = dom_state(q->dom);
        if (st == VIR_DOMAIN_PAUSED) {
            *paused = true;
            return true;
        }
        if (st != VIR_DOMAIN_RUNNING) {
            g_set_error(err, DL_ERROR, DL_ERROR_IO,
                        "the domain stopped (state %d) before the workload ran", st);
            return false;
        }
        if (peek(q->dom, KD_INFO + INFO_COUNT, counts, 8 * q->s->vcpus)) {
            unsigned running = 0;
            for (unsigned i = 0; i < q->s->vcpus; i++)
                running += le64(counts + 8 * i) > 0;
            if (running == q->s->vcpus)
                return true;
        }
        g_usleep(20 * 1000);
    }
    if (dl_sigguard_caught()) {
        g_set_error(err, DL_ERROR, DL_ERROR_INTERRUPTED, "interrupted while the guest booted");
        return false;
    }
    g_set_error(err, DL_ERROR, DL_ERROR_TIMEOUT, "not every CPU ran its workload within %d s",
                seconds);
    return false;
}

static bool wait_state(Q *q, int want, int seconds)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
    while (g_get_monotonic_time() < deadline && !dl_sigguard_caught()) {
        int st = dom_state(q->dom);
        if (st == want)
            return true;
        if (want == VIR_DOMAIN_PAUSED && st != VIR_DOMAIN_RUNNING)
            return false;
        g_usleep(20 * 1000);
    }
    return false;
}

static int secs(Q *q, int base)
{
    return (int)(base * q->scale + 0.5);
}

/* Where the first kernel's symbols are (physical; the text runs in region 5). */
typedef struct {
    guint64 workload, panic, init_entry, extint, extint_end, ivt;
} Syms;

static bool first_syms(const char *path, Syms *y, GError **err)
{
    memset(y, 0, sizeof(*y));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "opening %s", path);
        return false;
    }
    elf_version(EV_CURRENT);
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    Elf_Scn *scn = NULL;
    while (e && (scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        for (size_t i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
            GElf_Sym sym;
            const char *n =
                gelf_getsym(d, (int)i, &sym) ? elf_strptr(e, sh.sh_link, sym.st_name) : NULL;
            if (!n)
                continue;
            if (!strcmp(n, "workload"))
                y->workload = sym.st_value;
            else if (!strcmp(n, "panic"))
                y->panic = sym.st_value;
            else if (!strcmp(n, "ia64_os_init_dispatch_monarch"))
                y->init_entry = sym.st_value;
            else if (!strcmp(n, "ivt_extint"))
                y->extint = sym.st_value;
            else if (!strcmp(n, "kdump_ipi"))
                y->extint_end = sym.st_value;
            else if (!strcmp(n, "ivt"))
                y->ivt = sym.st_value;
        }
    }
    if (e)
        elf_end(e);
    close(fd);
    if (!y->workload || !y->panic || !y->init_entry || y->workload >= y->panic ||
        y->panic >= y->init_entry || !y->ivt || !y->extint || y->extint >= y->extint_end) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s lacks the symbols workload < panic < ia64_os_init_dispatch_monarch, "
                    "ivt, ivt_extint < kdump_ipi",
                    path);
        return false;
    }
    return true;
}

static void finding_free(DlFinding *f)
{
    g_free(f->rule);
    g_free(f->message);
    g_free(f);
}

DlCheckResult *dl_ia64_result_new(void)
{
    DlCheckResult *r = g_new0(DlCheckResult, 1);
    r->findings = g_ptr_array_new_with_free_func((GDestroyNotify)finding_free);
    return r;
}

/* What each CPU's stop was: 1 INIT, 2 stop IPI, 3 its own panic. */
static guint64 expected_handler(const DlScenario *s, unsigned cpu)
{
    bool ipi = s->stop && !strcmp(s->stop, "ipi-then-init");
    if (s->ia64_init || !ipi)
        return 1;
    if ((int)cpu == (s->fault_cpu < 0 ? 0 : s->fault_cpu))
        return 3;
    return (s->irqoff_mask >> cpu) & 1 ? 1 : 2;
}

void dl_ia64_qemu_prove(const DlScenario *s, const char *first_elf, DlDump *c, DlCheckResult *r)
{
    unsigned n = s->vcpus, fault = s->fault_cpu < 0 ? 0 : (unsigned)s->fault_cpu;
    g_autoptr(GError) e = NULL;
    Syms y;
    if (!first_syms(first_elf, &y, &e)) {
        dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.symbols", "%s", e->message);
        return;
    }
    if (dl_dump_machine(c) != EM_IA_64)
        dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.machine", "e_machine %u, not EM_IA_64",
                     dl_dump_machine(c));
    /* The first kernel's own records, in the vmcore (outside Xs..Xe). */
    guint8 info_buf[4096];
    const guint8 *info = dl_dump_read_phys(c, KD_INFO, info_buf, 4096, NULL) ? info_buf : NULL;
    if (!info) {
        dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.info",
                     "the first kernel's info page 0x%x is "
                     "not in the vmcore",
                     KD_INFO);
        return;
    }
    guint64 cap = le64(info + INFO_CAPTURE_CPU);
    bool ipi = s->stop && !strcmp(s->stop, "ipi-then-init");
    if (cap >= n)
        dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.capture-cpu",
                     "capture CPU %" G_GUINT64_FORMAT " of %u", cap, n);
    else if (!s->ia64_init && ipi && cap != fault)
        dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.capture-cpu",
                     "cpu%" G_GUINT64_FORMAT " captured, the panicking cpu%u owns the dump", cap,
                     fault);
    bool seen[KD_MAX_CPUS] = {0};
    unsigned prstatus = 0;
    for (guint i = 0; i < dl_dump_nnotes(c); i++) {
        const DlNote *nt = dl_dump_note(c, i);
        if (nt->type != NT_PRSTATUS || strcmp(nt->name, "CORE"))
            continue;
        if (nt->descsz != KD_PRSTATUS_SIZE) {
            dl_check_add(r, DL_SEV_DEFECT, (gint64)nt->offset, "ia64.prstatus",
                         "NT_PRSTATUS of %u bytes, not %d", nt->descsz, KD_PRSTATUS_SIZE);
            continue;
        }
        guint32 pid = nt->desc[KD_PR_PID] | nt->desc[KD_PR_PID + 1] << 8 |
                      nt->desc[KD_PR_PID + 2] << 16 | (guint32)nt->desc[KD_PR_PID + 3] << 24;
        if (pid == 0 || pid > n || seen[pid - 1]) {
            dl_check_add(r, DL_SEV_DEFECT, (gint64)nt->offset, "ia64.prstatus",
                         "NT_PRSTATUS with pr_pid %u: no CPU, or a second note", pid);
            continue;
        }
        unsigned cpu = pid - 1;
        seen[cpu] = true;
        prstatus++;
        guint64 ip = le64(nt->desc + PR_REG(42)), psr = le64(nt->desc + PR_REG(44));
        guint64 lo = KD_R5 + y.workload, spin_hi = KD_R5 + y.panic, hi = KD_R5 + y.init_entry;
        bool panicker = !s->ia64_init && cpu == fault;
        /* The CPU the IOSAPIC's device interrupts (the fault CPU, or cpu0
         * for INIT) may be caught in its external-interrupt path if it
         * spins with interrupts on: the vector and the handler, PSR.i = 0. */
        bool irqoff = (s->irqoff_mask >> cpu) & 1;
        bool in_irq = cpu == fault && !irqoff &&
                      ((ip >= KD_R5 + y.ivt && ip < KD_R5 + y.ivt + 0x8000) ||
                       (ip >= KD_R5 + y.extint && ip < KD_R5 + y.extint_end));
        if (!in_irq && (ip < lo || ip >= (panicker ? hi : spin_hi)))
            dl_check_add(r, DL_SEV_DEFECT, (gint64)nt->offset, "ia64.ip",
                         "cpu%u saved ip 0x%" G_GINT64_MODIFIER
                         "x, outside %s (0x%" G_GINT64_MODIFIER "x..0x%" G_GINT64_MODIFIER "x)",
                         cpu, ip, panicker ? "the workload and panic path" : "the spin loop", lo,
                         panicker ? hi : spin_hi);
        if (!panicker && !in_irq && ((psr >> PSR_I_BIT) & 1) == irqoff)
            dl_check_add(r, DL_SEV_DEFECT, (gint64)nt->offset, "ia64.psr",
                         "cpu%u saved psr.i = %d, but it spins with PSR.i = %d", cpu, !irqoff,
                         !irqoff);
        guint64 how = le64(info + INFO_HANDLER + 8 * cpu), want = expected_handler(s, cpu);
        if (how != want)
            dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.stop", "cpu%u was stopped by %s, expected %s",
                         cpu,
                         how == 1   ? "INIT"
                         : how == 2 ? "the stop IPI"
                         : how == 3 ? "its panic"
                                    : "nothing",
                         want == 1   ? "INIT"
                         : want == 2 ? "the stop IPI"
                                     : "its panic");
        if (le64(info + INFO_COUNT + 8 * cpu) == 0)
            dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.workload",
                         "cpu%u never ran its workload before the crash", cpu);
    }
    if (prstatus != n)
        dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.prstatus", "%u NT_PRSTATUS notes for %u CPUs",
                     prstatus, n);
    for (guint i = 0; i < dl_dump_phnum(c); i++) {
        const DlPhdr *p = dl_dump_phdr(c, i);
        if (p->type == PT_LOAD && p->paddr < KD_XE && p->paddr + p->memsz > KD_XS)
            dl_check_add(r, DL_SEV_DEFECT, (gint64)p->phdr_offset, "ia64.xs-xe",
                         "a PT_LOAD (0x%" G_GINT64_MODIFIER "x+0x%" G_GINT64_MODIFIER
                         "x) reaches into the capture kernel's Xs..Xe",
                         p->paddr, p->memsz);
    }
    unsigned good = 0;
    for (unsigned m = 0; m < s->marker_pages; m++) {
        guint64 pa = KD_MARKERS + 4096ULL * m;
        guint8 page_buf[4096];
        const guint8 *page = dl_dump_read_phys(c, pa, page_buf, 4096, NULL) ? page_buf : NULL;
        unsigned w = 0;
        while (page && w < DL_MARKER_WORDS &&
               le64(page + 8 * w) == dl_marker_word(s->seed, pa >> 12, w))
            w++;
        if (w == DL_MARKER_WORDS)
            good++;
        else
            dl_check_add(r, DL_SEV_DEFECT, -1, "markers.altered",
                         "marker page 0x%" G_GINT64_MODIFIER "x %s", pa,
                         page ? "does not hold the pattern" : "is not in the vmcore");
    }
    dl_check_add(r, DL_SEV_NOTE, -1, "ia64.summary",
                 "%u NT_PRSTATUS, capture on cpu%" G_GUINT64_FORMAT ", %u of %u marker pages",
                 prstatus, cap, good, s->marker_pages);
}

/* Every finding into the report; the check passes without defects. Its
 * summary is the first defect, or the last note (the proof's summary). */
static void add_result(Q *q, const char *name, const DlCheckResult *r)
{
    dl_ia64_report_result(q->rep, name, r);
}

/* libvirt's log of the domain holds QEMU's stderr: the halt code. virtlogd
 * writes it a moment after QEMU printed it: looked for up to 2 s. */
static char *halt_line(const char *name)
{
    g_autofree char *path = g_strdup_printf("/var/log/libvirt/qemu/%s.log", name);
    for (int tries = 0; tries < 100; tries++) {
        g_autofree char *text = NULL;
        const char *h = NULL;
        if (g_file_get_contents(path, &text, NULL, NULL) &&
            (h = strstr(text, "machine halted, code ")))
            return g_strndup(h, strcspn(h, "\r\n"));
        g_usleep(20 * 1000);
    }
    return NULL;
}

/* The capture kernel counts external interrupts pending when it starts and
 * after the dump (capture.S check_stale): an interrupt the crashed kernel's
 * devices still had queued. Same rule as the model's run (kdump/verify.c). */
static void stale_check(Q *q)
{
    if (!q->have_record) {
        dl_report_add_check(q->rep, "stale-irq", false,
                            "the capture kernel's record could not be read from guest RAM");
        dl_report_fail(q->rep, "check", "no record of stale interrupts");
        return;
    }
    if (q->stale == 0) {
        dl_report_add_check(q->rep, "stale-irq", true,
                            "no interrupt of the crashed kernel reached the capture kernel");
        return;
    }
    g_autofree char *why = g_strdup_printf("the capture kernel saw %" G_GUINT64_FORMAT
                                           " stale interrupt(s), vector 0x%" G_GINT64_MODIFIER "x",
                                           q->stale, q->stale_vector);
    dl_report_add_finding(q->rep, "stale-irq", "defect", -1, "ia64.stale-irq", why);
    dl_report_add_check(q->rep, "stale-irq", false, why);
    dl_report_fail(q->rep, "check", why);
}

static void checks(Q *q)
{
    const DlScenario *s = q->s;
    g_autoptr(GError) e = NULL;
    struct stat st;
    if (stat(q->vmcore, &st) != 0 || st.st_size == 0) {
        dl_report_fail(q->rep, "crash-kernel",
                       "the dump device's file is empty or missing: the "
                       "capture kernel wrote no vmcore");
        return;
    }
    dl_report_set_dump(q->rep, "kdump", q->vmcore, (guint64)st.st_size, NULL);
    if ((st.st_mode & 077) != 0)
        dl_report_fail(q->rep, "check", "the vmcore is readable by others (not 0600)");
    g_autofree char *halt = halt_line(q->name);
    bool halted0 = halt && g_str_has_suffix(halt, "code 0");
    dl_report_add_check(q->rep, "halt", halted0,
                        halt ? halt : "no 'machine halted' line in libvirt's QEMU log");
    if (!halted0)
        dl_report_fail(q->rep, "crash-kernel", halt ? halt : "the capture kernel did not halt");
    stale_check(q);
    DlDump *kd = dl_dump_open(q->vmcore, &e);
    if (!kd) {
        dl_report_fail(q->rep, "check", e->message);
        return;
    }
    g_autoptr(DlCheckResult) pr = dl_ia64_result_new();
    g_autofree char *first_elf = guest_file("first.elf");
    dl_ia64_qemu_prove(s, first_elf, kd, pr);
    add_result(q, "ia64-proofs", pr);
    dl_ia64_run_checker(q->rep, s, q->vmcore);
    g_autofree char *sum = NULL;
    bool ok = dl_ia64_referee(q->vmcore, s->vcpus, &sum);
    dl_report_add_check(q->rep, "referee", ok, sum);
    if (!ok)
        dl_report_fail(q->rep, "check", sum);
    /* The hypervisor's dump at the capture kernel's entry: the same memory
     * page by page outside Xs..Xe (the capture kernel's own). */
    g_clear_error(&e);
    DlDump *hv = dl_dump_open(q->hvdump, &e);
    if (!hv) {
        dl_report_fail(q->rep, "check", e->message);
        dl_dump_close(kd);
        return;
    }
    g_autofree char *hsum = NULL;
    ok = dl_dump_machine(hv) == EM_IA_64 && dl_ia64_referee(q->hvdump, s->vcpus, &hsum);
    dl_report_add_check(q->rep, "hv-dump", ok,
                        hsum ? hsum : "the hypervisor's dump is not EM_IA_64");
    if (!ok)
        dl_report_fail(q->rep, "check", hsum ? hsum : "the hypervisor's dump is not EM_IA_64");
    g_autoptr(GArray) xsxe = g_array_new(FALSE, FALSE, sizeof(DlRange));
    DlRange x = {KD_XS, KD_XE - 1};
    g_array_append_val(xsxe, x);
    g_autoptr(DlCheckResult) cr = dl_ia64_result_new();
    /* The comparison reads both dumps through the one reader (dump.h),
     * frame by frame, as the x86_64 cross-check does. */
    g_clear_error(&e);
    g_autoptr(DlDump) kdd = dl_dump_open(q->vmcore, &e);
    g_autoptr(DlDump) hvd = kdd ? dl_dump_open(q->hvdump, &e) : NULL;
    if (!kdd || !hvd) {
        dl_report_fail(q->rep, "check", e->message);
    } else {
        DlCompareStats cs = {0};
        dl_proof_compare(kdd, hvd, NULL, xsxe, cr, &cs);
        if (cs.differ)
            g_array_free(cs.differ, TRUE);
    }
    add_result(q, "cross-check", cr);
    dl_dump_close(hv);
    dl_dump_close(kd);
}

static void run(Q *q, virConnectPtr conn)
{
    const DlScenario *s = q->s;
    g_autoptr(GError) e = NULL;
    gint64 t = g_get_monotonic_time();
    g_autofree char *qemu = dl_ia64_qemu_binary(&e);
    if (!qemu || !stage(q, &e)) {
        dl_report_fail(q->rep, "setup", e ? e->message : "no capture entry inside Xs..Xe");
        return;
    }
    g_autofree char *xml = domain_xml(q, qemu);
    g_autofree char *xml_path = g_build_filename(q->dir, "domain.xml", NULL);
    g_file_set_contents(xml_path, xml, -1, NULL);
    q->dom = virDomainCreateXML(conn, xml, 0);
    if (!q->dom) {
        virErrorPtr ve = virGetLastError();
        g_autofree char *why = g_strdup_printf("starting domain %s: %s", q->name,
                                               ve && ve->message ? ve->message : "libvirt error");
        dl_report_add_phase(q->rep, "boot", 0, false, why);
        dl_report_fail(q->rep, "boot", why);
        return;
    }
    dl_report_set_domain(q->rep, q->name);
    bool paused = false;
    if (!wait_workload(q, secs(q, 60), &paused, &e)) {
        dl_report_add_phase(q->rep, "boot", (g_get_monotonic_time() - t) / 1000, false, e->message);
        dl_report_fail(q->rep, "boot", e->message);
        return;
    }
    dl_report_add_phase(q->rep, "boot", (g_get_monotonic_time() - t) / 1000, true,
                        paused ? "first kernel booted (crashed before the workload was seen)"
                               : "first kernel booted, every CPU in its workload");
    t = g_get_monotonic_time();
    if (s->ia64_init && !paused && !dl_virt_inject_nmi(q->dom, &e)) {
        dl_report_add_phase(q->rep, "crash", 0, false, e->message);
        dl_report_fail(q->rep, "crash", e->message);
        return;
    }
    if (!paused && !wait_state(q, VIR_DOMAIN_PAUSED, secs(q, 60))) {
        const char *why = "no CPU reached the capture kernel's entry";
        dl_report_add_phase(q->rep, "crash", (g_get_monotonic_time() - t) / 1000, false, why);
        dl_report_fail(q->rep, "crash-kernel", why);
        return;
    }
    g_autofree char *crash = g_strdup_printf(
        "%s; stop %s; paused at the capture entry 0x%" G_GINT64_MODIFIER "x",
        s->ia64_init ? "virDomainInjectNMI (platform INIT on every CPU)" : "panic in the guest",
        s->stop ? s->stop : "init-all", q->cap_entry);
    dl_report_add_phase(q->rep, "crash", (g_get_monotonic_time() - t) / 1000, true, crash);
    t = g_get_monotonic_time();
    bool dumped = dl_virt_core_dump(q->dom, q->hvdump, secs(q, 120), NULL, NULL, &e);
    if (!dumped) {
        dl_report_fail(q->rep, "crash-kernel", e->message);
        return;
    }
    if (!dl_virt_resume(q->dom, &e)) {
        dl_report_fail(q->rep, "crash-kernel", e->message);
        return;
    }
    if (!wait_state(q, VIR_DOMAIN_PAUSED, secs(q, 60))) {
        const char *why = "the capture kernel did not halt the machine";
        dl_report_add_phase(q->rep, "crash-kernel", (g_get_monotonic_time() - t) / 1000, false,
                            why);
        dl_report_fail(q->rep, "crash-kernel", why);
        return;
    }
    guint8 rec[16];
    q->have_record = peek(q->dom, KD_CAP_RESULT, rec, sizeof(rec));
    if (q->have_record) {
        q->stale = le64(rec);
        q->stale_vector = le64(rec + 8);
    }
    dl_report_add_phase(q->rep, "crash-kernel", (g_get_monotonic_time() - t) / 1000, true,
                        "hypervisor dump at the capture entry; the capture kernel wrote the "
                        "vmcore and halted");
    t = g_get_monotonic_time();
    checks(q);
    dl_report_add_phase(q->rep, "check", (g_get_monotonic_time() - t) / 1000,
                        dl_report_failed_phase(q->rep) == NULL, "proofs, referees, cross-check");
}

DlReport *dl_run_ia64_qemu(virConnectPtr conn, const DlScenario *s, const DlRunOptions *opt)
{
    Q q = {.s = s, .rep = dl_report_new(s->name, s->path)};
    q.scale = s->timeout_scale > 0 ? s->timeout_scale : 1.0;
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(GError) err = NULL;
    q.dir = dl_run_make_workdir(opt, s->name, &err);
    if (!q.dir) {
        dl_report_fail(q.rep, "setup", err->message);
        dl_report_finish(q.rep, 0);
        return q.rep;
    }
    dl_report_set_workdir(q.rep, q.dir);
    dl_report_set_kernel(q.rep, "guest-kernel/ia64 first + capture kernels");
    dl_report_set_accel(q.rep, "qemu-system-ia64 (machine ia64-sal, TCG) under libvirt");
    q.vmcore = g_build_filename(q.dir, "vmcore", NULL);
    q.hvdump = g_build_filename(q.dir, "hv-dump.elf", NULL);
    q.console = g_build_filename(q.dir, "console.log", NULL);
    q.blob = g_build_filename(q.dir, "preload.bin", NULL);
    q.name = dl_virt_domain_name(s->name);
    if (!opt->quiet)
        printf("%s: qemu-system-ia64 under libvirt (%u CPUs, %s, stop %s)\n", s->name, s->vcpus,
               s->ia64_init ? "INIT by inject-nmi" : "panic", s->stop ? s->stop : "init-all");
    run(&q, conn);
    if (q.dom)
        dl_virt_destroy(q.dom);
    g_autofree char *tail = NULL;
    if (g_file_get_contents(q.console, &tail, NULL, NULL))
        dl_report_set_console_tail(q.rep, tail);
    dl_report_finish(q.rep, (g_get_monotonic_time() - t0) / 1000);
    g_free(q.dir);
    g_free(q.vmcore);
    g_free(q.hvdump);
    g_free(q.console);
    g_free(q.blob);
    g_free(q.name);
    return q.rep;
}
