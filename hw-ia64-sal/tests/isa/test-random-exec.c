/* Executes pseudo-random bundles (every template, every encoding, random
 * register and predicate state) and checks the core survives them with its
 * invariants intact: no crash or out-of-bounds access (run it under ASan),
 * ip bundle-aligned, slot < 3, CFM within the 96 stacked registers, the
 * dirty partition no bigger than the physical stack. The interruption
 * vector table is random bundles too, so faults lead to more random code;
 * each round starts from a reset. */
#include "ia64/machine.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define CODE 0x100000ULL
#define IVT 0x200000ULL /* 32 KiB */
#define BUNDLES 256
#define ROUNDS 4000
#define STEPS 64

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static const char *check(const struct ia64_cpu *c)
{
    unsigned sof = c->cfm & 0x7f, sol = (c->cfm >> 7) & 0x7f, sor = (c->cfm >> 14) & 0xf;
    if (c->ip & 15)
        return "ip not bundle-aligned";
    if (c->slot > 2)
        return "slot > 2";
    if (sof > 96 || sol > sof || sor * 8 > sof)
        return "CFM out of range";
    if (c->ndirty + sof > IA64_NPHYS_STACKED)
        return "dirty partition larger than the physical stack";
    if (c->bof >= IA64_NPHYS_STACKED)
        return "bof out of range";
    /* The RSE's bookkeeping: bsp is bspstore plus the dirty registers and
     * the NaT collection slots between them, and never a collection slot. */
    uint64_t bsp = c->ar[IA64_AR_BSP], store = c->ar[IA64_AR_BSPSTORE];
    if ((bsp | store) & 7)
        return "bsp or bspstore not 8-byte aligned";
    if (bsp < store || ((bsp - store) >> 3) - ((bsp >> 9) - (store >> 9)) != c->ndirty)
        return "bsp != bspstore + dirty registers + collection slots";
    if (((bsp >> 3) & 63) == 63)
        return "bsp at a NaT collection slot";
    if (c->ar[IA64_AR_RNAT] >> 63)
        return "ar.rnat bit 63 set";
    return NULL;
}

int main(void)
{
    static struct ia64_machine m;
    if (ia64_machine_init(&m, 1, 16 << 20) != 0) {
        printf("not ok 1 machine init\n");
        return 1;
    }
    uint64_t seed = 0x1a64c0de, executed = 0;
    unsigned stops[5] = {0};
    for (unsigned round = 0; round < ROUNDS; round++) {
        ia64_machine_reset(&m);
        for (unsigned i = 0; i < BUNDLES * 2; i++) {
            uint64_t w = next(&seed);
            memcpy(m.ram + CODE + i * 8, &w, 8);
        }
        for (unsigned i = 0; i < 0x8000 / 8; i++) {
            uint64_t w = next(&seed);
            memcpy(m.ram + IVT + i * 8, &w, 8);
        }
        struct ia64_cpu *c = &m.cpus[0];
        for (unsigned r = 1; r < 32; r++)
            c->gr[r] = next(&seed) % 4 ? next(&seed) & 0xffffff : next(&seed);
        for (unsigned r = 0; r < IA64_NPHYS_STACKED; r++)
            c->stacked[r] = next(&seed);
        c->pr = next(&seed) | 1;
        unsigned sof = (unsigned)(next(&seed) % 97),
                 sol = sof ? (unsigned)(next(&seed) % (sof + 1)) : 0;
        unsigned sor = (unsigned)(next(&seed) % (sof / 8 + 1));
        c->cfm = sof | (uint64_t)sol << 7 | (uint64_t)sor << 14;
        c->ar[IA64_AR_BSPSTORE] = c->ar[IA64_AR_BSP] = 0x800000;
        c->ar[IA64_AR_LC] = next(&seed) % 8;
        c->ar[IA64_AR_EC] = next(&seed) % 4;
        c->ip = CODE + (next(&seed) % BUNDLES) * 16;
        c->cr[IA64_CR_IVA] = IVT;
        c->psr |= (next(&seed) & 1) << IA64_PSR_IC;
        uint64_t before = m.total_bundles;
        enum ia64_stop st = ia64_machine_run(&m, STEPS);
        executed += m.total_bundles - before;
        stops[st < 5 ? st : 4]++;
        const char *bad = check(c);
        if (bad) {
            printf("not ok 1 random execution: round %u: %s (ip 0x%" PRIx64 ", cfm 0x%" PRIx64
                   ", ndirty %u)\n",
                   round, bad, c->ip, c->cfm, c->ndirty);
            ia64_machine_destroy(&m);
            return 1;
        }
    }
    printf("ok 1 random execution: %u rounds, %" PRIu64 " bundles (stops: %u halt, %u fault, "
           "%u limit, %u idle), invariants held\n",
           ROUNDS, executed, stops[0], stops[1], stops[2], stops[3]);
    printf("1..1\n");
    ia64_machine_destroy(&m);
    return 0;
}
