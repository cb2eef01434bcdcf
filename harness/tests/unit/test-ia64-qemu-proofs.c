/* The platform = qemu proofs (run_ia64_qemu.c) on synthetic EM_IA_64
 * vmcores: a good one passes; a saved ip outside the spin loop, a PSR.i that
 * contradicts irqoff_cpus, a CPU stopped by the wrong handler, a CPU that
 * never ran its workload, a damaged marker page and a missing NT_PRSTATUS
 * are each named. The first kernel's
 * symbols come from build/ia64/guest/first.elf (skipped when not built). */
#include "../../../guest-kernel/ia64/layout.h"
#include "../../lib/run/run_ia64.h"
#include "dumplab/marker.h"
#include "tap.h"

#include <elf.h>
#include <glib/gstdio.h>
#include <string.h>

#define LOAD_PA 0x100000ULL
#define LOAD_LEN 0xd0000ULL /* text, markers, info */
#define NCPUS 2

typedef struct {
    guint64 ip[NCPUS], psr[NCPUS], handler[NCPUS], count[NCPUS];
    unsigned notes;
    guint64 load_len;
    bool bad_marker;
} Fake;

static void put(guint8 *p, unsigned n, guint64 v)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (guint8)(v >> (8 * i));
}

static char *write_core(const Fake *f, const char *dir, const char *name)
{
    gsize note_len = (gsize)f->notes * (12 + 8 + KD_PRSTATUS_SIZE);
    gsize off_notes = 64 + 2 * 56, off_load = (off_notes + note_len + 4095) & ~4095UL;
    gsize size = off_load + LOAD_LEN;
    g_autofree guint8 *b = g_malloc0(size);
    memcpy(b, ELFMAG, SELFMAG);
    b[EI_CLASS] = ELFCLASS64;
    b[EI_DATA] = ELFDATA2LSB;
    b[EI_VERSION] = EV_CURRENT;
    put(b + 16, 2, ET_CORE);
    put(b + 18, 2, EM_IA_64);
    put(b + 20, 4, EV_CURRENT);
    put(b + 32, 8, 64);
    put(b + 52, 2, 64);
    put(b + 54, 2, 56);
    put(b + 56, 2, 2);
    guint8 *ph = b + 64;
    put(ph, 4, PT_NOTE);
    put(ph + 8, 8, off_notes);
    put(ph + 32, 8, note_len);
    put(ph + 40, 8, note_len);
    ph += 56;
    put(ph, 4, PT_LOAD);
    put(ph + 4, 4, 7);
    put(ph + 8, 8, off_load);
    put(ph + 16, 8, KD_R7 + LOAD_PA);
    put(ph + 24, 8, LOAD_PA);
    put(ph + 32, 8, f->load_len);
    put(ph + 40, 8, f->load_len);
    guint8 *n = b + off_notes;
    for (unsigned c = 0; c < f->notes; c++, n += 12 + 8 + KD_PRSTATUS_SIZE) {
        put(n, 4, 5);
        put(n + 4, 4, KD_PRSTATUS_SIZE);
        put(n + 8, 4, NT_PRSTATUS);
        memcpy(n + 12, "CORE", 5);
        guint8 *d = n + 20;
        put(d + KD_PR_PID, 4, c + 1);
        put(d + KD_PR_REG + 8 * 42, 8, f->ip[c]);
        put(d + KD_PR_REG + 8 * 44, 8, f->psr[c]);
    }
    guint8 *ram = b + off_load - LOAD_PA;
    for (unsigned m = 0; m < 4; m++)
        for (unsigned w = 0; w < DL_MARKER_WORDS; w++) {
            guint64 pa = KD_MARKERS + 4096ULL * m;
            put(ram + pa + 8 * w, 8, dl_marker_word(5, pa >> 12, w));
        }
    if (f->bad_marker)
        ram[KD_MARKERS + 4096 + 100] ^= 1;
    put(ram + KD_INFO + INFO_CAPTURE_CPU, 8, 1);
    for (unsigned c = 0; c < NCPUS; c++) {
        put(ram + KD_INFO + INFO_HANDLER + 8 * c, 8, f->handler[c]);
        put(ram + KD_INFO + INFO_COUNT + 8 * c, 8, f->count[c]);
    }
    char *path = g_build_filename(dir, name, NULL);
    g_file_set_contents(path, (const char *)b, (gssize)size, NULL);
    return path;
}

/* The rule of the first defect, or "" when none. */
static char *prove(const Fake *f, const char *dir, const char *first_elf, const char *name)
{
    g_autofree char *path = write_core(f, dir, name);
    DlScenario s = {.ia64 = true,
                    .ia64_qemu = true,
                    .ia64_init = true,
                    .vcpus = NCPUS,
                    .irqoff_mask = 0x2,
                    .seed = 5,
                    .marker_pages = 4,
                    .fault_cpu = 0};
    GError *e = NULL;
    DlDump *c = dl_dump_open(path, &e);
    if (!c) {
        char *m = g_strdup(e->message);
        g_error_free(e);
        return m;
    }
    DlCheckResult *r = dl_ia64_result_new();
    dl_ia64_qemu_prove(&s, first_elf, c, r);
    char *rule = g_strdup("");
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *fd = g_ptr_array_index(r->findings, i);
        if (fd->sev == DL_SEV_DEFECT) {
            g_free(rule);
            rule = g_strdup(fd->rule);
            break;
        }
    }
    dl_check_result_free(r);
    dl_dump_close(c);
    return rule;
}

int main(void)
{
    const char *first_elf = "build/ia64/guest/first.elf";
    if (!g_file_test(first_elf, G_FILE_TEST_EXISTS)) {
        tap_skip("build/ia64/guest/first.elf is not built", "ia64 qemu proofs");
        return tap_done();
    }
    g_autofree char *dir = g_dir_make_tmp("ia64q-XXXXXX", NULL);
    /* workload at 0x100ab0..0x100b30 in the current first.elf: an ip in
     * workload_step is inside the spin loop */
    Fake good = {.ip = {KD_R5 + 0x100b00, KD_R5 + 0x100ab0},
                 .psr = {1ULL << 14, 0},
                 .handler = {1, 1},
                 .count = {7, 9},
                 .notes = NCPUS,
                 .load_len = LOAD_LEN};
    g_autofree char *r0 = prove(&good, dir, first_elf, "good");
    tap_ok(!strcmp(r0, ""), "a good vmcore passes the proofs (%s)", r0);
    Fake f = good;
    f.ip[1] = KD_R5 + 0x101640; /* kdump_cpu_freeze: not where INIT found it */
    g_autofree char *r1 = prove(&f, dir, first_elf, "ip");
    tap_ok(!strcmp(r1, "ia64.ip"), "an ip outside the spin loop is named (%s)", r1);
    f = good;
    f.psr[1] = 1ULL << 14;
    g_autofree char *r2 = prove(&f, dir, first_elf, "psr");
    tap_ok(!strcmp(r2, "ia64.psr"), "PSR.i = 1 on a CPU spinning irq-off is named (%s)", r2);
    f = good;
    f.handler[0] = 2;
    g_autofree char *r3 = prove(&f, dir, first_elf, "stop");
    tap_ok(!strcmp(r3, "ia64.stop"), "a stop IPI where INIT was due is named (%s)", r3);
    f = good;
    f.count[1] = 0;
    g_autofree char *r4 = prove(&f, dir, first_elf, "work");
    tap_ok(!strcmp(r4, "ia64.workload"), "a CPU that never ran its workload is named (%s)", r4);
    f = good;
    f.bad_marker = true;
    g_autofree char *r5 = prove(&f, dir, first_elf, "marker");
    tap_ok(!strcmp(r5, "markers.altered"), "one flipped marker bit is named (%s)", r5);
    f = good;
    f.notes = 1;
    g_autofree char *r6 = prove(&f, dir, first_elf, "notes");
    tap_ok(!strcmp(r6, "ia64.prstatus"), "a missing NT_PRSTATUS is named (%s)", r6);
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *leaf;
    while (d && (leaf = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, leaf, NULL);
        g_remove(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
    return tap_done();
}
