/* Where INIT found each Linux/ia64 CPU (proof/ia64_linux.c), on synthetic
 * EM_IA_64 cores laid out as Linux 6.1 leaves them: __per_cpu_mca, each
 * CPU's INIT stack with the partial pt_regs, the interrupted task's stack
 * with the finished copy right below its r12. A good core passes and names
 * lkdtm_HARDLOCKUP+0x20; a spinner stopped elsewhere, with PSR.i set, or
 * never, a CPU left out of a platform INIT, a panicking CPU that took INIT,
 * a zero or wild __per_cpu_mca entry and a missing symbol are each named,
 * without a crash. */
#include "dumplab/proof.h"
#include "tap.h"

#include <elf.h>
#include <glib/gstdio.h>
#include <string.h>

#define KVA 0xa000000100000000ULL /* region 5: the kernel's link address */
#define KPA 0x4000000ULL          /* where it sits physically */
#define R7 0xe000000000000000ULL
#define RAM_LEN 0x70000ULL
#define TABLE (KPA + 0x10000) /* __per_cpu_mca */
#define AREA(c) (KPA + 0x20000 + (c)*0x20000ULL)
#define TASK (KPA + 0x60000) /* the spinning task's 64 KiB block */
#define SPIN (KVA + 0x8000)  /* lkdtm_HARDLOCKUP */
#define NCPUS 2

typedef struct {
    guint64 mca[NCPUS]; /* __per_cpu_mca entries */
    bool init[NCPUS];   /* the CPU's INIT stack holds a partial pt_regs */
    guint64 iip, ipsr;  /* CPU 1's stacked context */
    bool stacked;       /* Linux stacked the copy on the task's stack */
} Fake;

static void put(guint8 *p, guint64 v)
{
    for (unsigned i = 0; i < 8; i++)
        p[i] = (guint8)(v >> (8 * i));
}

static char *write_core(const Fake *f, const char *dir)
{
    gsize off_load = 4096, size = off_load + RAM_LEN;
    g_autofree guint8 *b = g_malloc0(size);
    memcpy(b, ELFMAG, SELFMAG);
    b[EI_CLASS] = ELFCLASS64;
    b[EI_DATA] = ELFDATA2LSB;
    b[EI_VERSION] = EV_CURRENT;
    b[16] = ET_CORE;
    b[18] = EM_IA_64;
    b[20] = EV_CURRENT;
    b[32] = 64; /* e_phoff */
    b[52] = 64; /* e_ehsize */
    b[54] = 56; /* e_phentsize */
    b[56] = 2;  /* e_phnum */
    /* The region-5 kernel segment (only its mapping matters) and the RAM. */
    const guint64 seg[2][3] = {{KVA, KPA, 0x1000}, {R7 + KPA, KPA, RAM_LEN}};
    for (int i = 0; i < 2; i++) {
        guint8 *ph = b + 64 + 56 * i;
        ph[0] = PT_LOAD;
        ph[4] = PF_R | PF_W | PF_X;
        put(ph + 8, off_load);
        put(ph + 16, seg[i][0]);
        put(ph + 24, seg[i][1]);
        put(ph + 32, seg[i][2]);
        put(ph + 40, seg[i][2]);
    }
    guint8 *ram = b + off_load;
#define AT(pa) (ram + ((pa)-KPA))
    for (int c = 0; c < NCPUS; c++) {
        put(AT(TABLE + 8 * c), f->mca[c]);
        if (!f->init[c])
            continue;
        /* The partial pt_regs: b6, cr.ipsr, ar.bspstore, ar.fpsr. */
        guint8 *pr = AT(AREA(c) + 130624);
        put(pr, SPIN);
        put(pr + 64, c == 1 ? f->ipsr : 0x1008022000ULL);
        put(pr + 120, c == 1 ? R7 + TASK + 0x1198 : 0);
        put(pr + 176, 0x9804c0270033fULL);
    }
    if (f->stacked) {
        guint64 off = 0xfc00;
        guint8 *old = AT(TASK + off);
        put(old + 64, f->ipsr);
        put(old + 72, f->iip);
        put(old + 160, R7 + TASK + off + 448); /* r12: just past itself */
    }
    char *path = g_build_filename(dir, "vmcore", NULL);
    g_file_set_contents(path, (const char *)b, (gssize)size, NULL);
    return path;
}

static DlKsyms *symbols(const char *dir, bool with_mca)
{
    g_autofree char *map = g_build_filename(dir, "System.map", NULL);
    g_autofree char *text = g_strdup_printf("%s"
                                            "a000000100008000 t lkdtm_HARDLOCKUP\n"
                                            "a000000100008040 t lkdtm_SPINLOCKUP\n",
                                            with_mca ? "a000000100010000 B __per_cpu_mca\n" : "");
    g_file_set_contents(map, text, -1, NULL);
    return dl_ksyms_load(map, NULL);
}

/* Runs the proof; true when it passed. *msg: the defects' and the note's
 * messages, joined. */
static bool prove(const Fake *f, bool with_mca, guint64 irqoff, int fault_cpu, char **msg)
{
    g_autofree char *dir = g_dir_make_tmp("ia64stops-XXXXXX", NULL);
    g_autofree char *path = write_core(f, dir);
    g_autoptr(DlKsyms) k = symbols(dir, with_mca);
    g_autoptr(DlDump) d = dl_dump_open(path, NULL);
    g_autoptr(DlCheckResult) r = dl_check_result_new();
    bool ok = d && k && dl_proof_ia64_linux_stops(d, k, NCPUS, irqoff, fault_cpu, r);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *fi = g_ptr_array_index(r->findings, i);
        g_string_append_printf(s, "%s%s: %s", s->len ? " | " : "", fi->rule, fi->message);
    }
    *msg = g_string_free(s, FALSE);
    g_autofree char *map = g_build_filename(dir, "System.map", NULL);
    g_unlink(path);
    g_unlink(map);
    g_rmdir(dir);
    return ok;
}

static Fake good(void)
{
    Fake f = {.mca = {AREA(0), AREA(1)},
              .init = {false, true},
              .iip = SPIN + 0x20,
              .ipsr = 0x101008022000ULL, /* ic, dt, ...; i = 0 */
              .stacked = true};
    return f;
}

static bool has(const char *msg, const char *want)
{
    bool ok = strstr(msg, want) != NULL;
    if (!ok)
        tap_diag("findings: %s", msg);
    return ok;
}

int main(void)
{
    char *m = NULL;
    Fake f = good();
    tap_ok(prove(&f, true, 0x2, 0, &m) &&
               has(m, "cpu0: no INIT (crashed the kernel); cpu1: lkdtm_HARDLOCKUP+0x20 psr.i=0"),
           "sysrq-c: the spinning CPU 1 was stopped by INIT inside lkdtm_HARDLOCKUP, PSR.i = 0");
    g_clear_pointer(&m, g_free);

    f = good();
    f.iip = SPIN + 0x48;
    tap_ok(!prove(&f, true, 0x2, 0, &m) && has(m, "ia64.spinner-init") &&
               has(m, "lkdtm_SPINLOCKUP+0x8"),
           "a spinner stopped outside lkdtm_HARDLOCKUP is named with where it was");
    g_clear_pointer(&m, g_free);

    f = good();
    f.ipsr |= 1ULL << 14;
    tap_ok(!prove(&f, true, 0x2, 0, &m) && has(m, "PSR.i=1"),
           "a spinner whose PSR.i was set is a defect");
    g_clear_pointer(&m, g_free);

    f = good();
    f.init[1] = false;
    f.stacked = false;
    tap_ok(!prove(&f, true, 0x2, 0, &m) && has(m, "took no INIT"),
           "a spinner that never took INIT is a defect");
    g_clear_pointer(&m, g_free);

    f = good();
    f.stacked = false;
    tap_ok(!prove(&f, true, 0x2, 0, &m) && has(m, "an unknown place"),
           "INIT without the stacked context: the place is unknown, a defect for a spinner");
    g_clear_pointer(&m, g_free);

    f = good();
    tap_ok(!prove(&f, true, 0x2, -1, &m) && has(m, "ia64.init-all") && has(m, "CPU 0"),
           "fault = init: a CPU whose INIT stack is empty is named");
    g_clear_pointer(&m, g_free);

    f = good();
    f.init[0] = true;
    tap_ok(!prove(&f, true, 0x2, 0, &m) && has(m, "ia64.panic-cpu-init"),
           "sysrq-c: the CPU that ran it must not have taken INIT");
    g_clear_pointer(&m, g_free);

    f = good();
    f.init[0] = true;
    tap_ok(prove(&f, true, 0x2, -1, &m), "fault = init: both CPUs took INIT, proof passes");
    g_clear_pointer(&m, g_free);

    f = good();
    f.mca[1] = 0;
    tap_ok(!prove(&f, true, 0x2, 0, &m) && has(m, "never set up its MCA/INIT area"),
           "__per_cpu_mca[1] = 0 is named");
    g_clear_pointer(&m, g_free);

    f = good();
    f.mca[1] = 0x7ffffffff0000ULL;
    tap_ok(!prove(&f, true, 0x2, 0, &m) && has(m, "CPU 1's INIT stack"),
           "a __per_cpu_mca entry outside the dump is an error, not a crash");
    g_clear_pointer(&m, g_free);

    f = good();
    tap_ok(!prove(&f, false, 0x2, 0, &m) && has(m, "no __per_cpu_mca symbol"),
           "a vmlinux without __per_cpu_mca is named");
    g_clear_pointer(&m, g_free);
    return tap_done();
}
