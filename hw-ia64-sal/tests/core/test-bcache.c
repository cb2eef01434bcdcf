/* The embedder's fast paths (bcache.h, machine.h): the decoded-bundle cache
 * runs a program to exactly the state the plain interpreter reaches, decodes
 * code the guest rewrote again, and every RAM write is reported through
 * ram_dirty. TAP output; needs bench/loop.elf ($BUILD/ia64/tests/bench). */
#include "ia64/bcache.h"
#include "ia64/exec.h"
#include "ia64/loader.h"
#include "ia64/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM (16ULL << 20)
#define LOOP_ST8 0x100040  /* loop.elf: the bundle with st8 [r20] = r11 */
#define LOOP_HEAD 0x100030 /* add r9 = r9, r10; shladd r11 = r10, 2, r9 */
#define SCRATCH 0x1000c0   /* cpu0's scratch word */

static int n, failed;

static void ok(int cond, const char *what)
{
    printf("%sok %d %s\n", cond ? "" : "not ", ++n, what);
    if (!cond)
        failed = 1;
}

struct dirty_log {
    uint64_t calls, scratch_calls, lo, hi, last_pa, last_len;
};

static void on_dirty(void *opaque, uint64_t pa, uint64_t len)
{
    struct dirty_log *d = opaque;
    d->calls++;
    if (pa == SCRATCH && len == 8)
        d->scratch_calls++;
    if (!d->lo || pa < d->lo)
        d->lo = pa;
    if (pa + len > d->hi)
        d->hi = pa + len;
    d->last_pa = pa;
    d->last_len = len;
}

static int boot(struct ia64_machine *m, const char *elf, size_t len, bool cached)
{
    uint64_t entry = 0;
    char err[128];
    if (ia64_machine_init(m, 1, RAM) != 0 || ia64_load_elf(m, elf, len, &entry, err, sizeof(err)))
        return -1;
    m->cpus[0].ip = entry;
    return cached ? ia64_bcache_enable(m) : 0;
}

static bool same_state(const struct ia64_cpu *a, const struct ia64_cpu *b)
{
    return a->ip == b->ip && a->slot == b->slot && a->bundles == b->bundles &&
           !memcmp(a->gr, b->gr, sizeof(a->gr)) && a->pr == b->pr && a->state == b->state;
}

int main(void)
{
    const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
    char path[512];
    snprintf(path, sizeof(path), "%s/ia64/tests/bench/loop.elf", build);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("1..0 # SKIP %s is not built\n", path);
        return 0;
    }
    static char elf[1 << 16];
    size_t len = fread(elf, 1, sizeof(elf), f);
    fclose(f);

    static struct ia64_machine plain, cached, unpatched;
    if (boot(&plain, elf, len, false) || boot(&cached, elf, len, true) ||
        boot(&unpatched, elf, len, true)) {
        printf("not ok 1 loading %s\n1..1\n", path);
        return 1;
    }
    struct dirty_log dl = {0};
    cached.ram_dirty = on_dirty;
    cached.ram_dirty_opaque = &dl;
    uint64_t done;
    ia64_cpu_run(&plain.cpus[0], 100000, &done);
    ia64_cpu_run(&cached.cpus[0], 100000, &done);
    ia64_cpu_run(&unpatched.cpus[0], 100000, &done);
    ok(same_state(&plain.cpus[0], &cached.cpus[0]),
       "100000 bundles: the cached CPU's registers, ip and predicates equal the interpreter's");
    ok(cached.bcache[0].misses > 0 && cached.bcache[0].misses < 16 &&
           cached.bcache[0].hits > 99000,
       "the loop's bundles are decoded once each, then hit");
    /* r10 counts loops from 1; the run may stop between the st8 and the adds. */
    uint64_t loops = cached.cpus[0].gr[10] - 1;
    ok(dl.calls == dl.scratch_calls && loops > 10000 &&
           (dl.scratch_calls == loops || dl.scratch_calls == loops + 1) && dl.lo == SCRATCH &&
           dl.hi == SCRATCH + 8,
       "every st8 to the scratch word is reported dirty (one a loop), nothing else");

    /* The guest rewrites its loop: the st8 bundle becomes the loop head's
     * add/shladd, so nothing is stored and the compare sends it to 'bad',
     * which halts the machine with code 1. */
    uint8_t *code[3] = {ia64_ram_ptr(&plain, LOOP_ST8, 16), ia64_ram_ptr(&cached, LOOP_ST8, 16),
                        NULL};
    for (int i = 0; i < 2; i++)
        memcpy(code[i], code[i] - (LOOP_ST8 - LOOP_HEAD), 16);
    ok(dl.last_pa == LOOP_ST8 && dl.last_len == 16,
       "a range firmware or a loader gets through ia64_ram_ptr is reported dirty");
    enum ia64_stop a = ia64_machine_run(&plain, 1000);
    enum ia64_stop b = ia64_machine_run(&cached, 1000);
    enum ia64_stop c = ia64_machine_run(&unpatched, 1000);
    ok(a == IA64_STOP_HALT && plain.halt_code == 1,
       "the interpreter runs the rewritten code: halt code 1");
    ok(b == IA64_STOP_HALT && cached.halt_code == 1 && same_state(&plain.cpus[0], &cached.cpus[0]),
       "the cached CPU decodes the rewritten bundle again and ends in the same state");
    ok(c == IA64_STOP_LIMIT && !unpatched.halted, "without the rewrite the loop goes on");
    ia64_bcache_disable(&cached);
    ia64_bcache_disable(&unpatched);
    ia64_machine_destroy(&plain);
    ia64_machine_destroy(&cached);
    ia64_machine_destroy(&unpatched);
    printf("1..%d\n", n);
    return failed;
}
