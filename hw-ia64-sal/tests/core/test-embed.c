/* The embedding interface QEMU uses (machine.h, mem.h): RAM the embedder
 * owns, the embedder's bus in front of the model's MMIO, ia64_cpu_run (one
 * CPU, a budget of bundles, why it stopped) and the side-effect-free
 * ia64_translate_peek. TAP output. Runs bench/loop.elf for the run tests
 * ($BUILD/ia64/tests/bench/loop.elf; those lines skip without it). */
#include "ia64/exec.h"
#include "ia64/loader.h"
#include "ia64/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM (64ULL << 20)

static int n, failed;

static void ok(int cond, const char *what)
{
    printf("%sok %d %s\n", cond ? "" : "not ", ++n, what);
    if (!cond)
        failed = 1;
}

struct bus_log {
    uint64_t pa, val;
    unsigned writes;
};

static int bus_read(void *opaque, struct ia64_cpu *cpu, uint64_t pa, unsigned size, uint64_t *val)
{
    if (pa != IA64_UART_BASE + 5)
        return IA64_BUS_UNCLAIMED;
    *val = 0x60;
    return 0;
}

static int bus_write(void *opaque, struct ia64_cpu *cpu, uint64_t pa, unsigned size, uint64_t val)
{
    struct bus_log *log = opaque;
    if (pa < IA64_UART_BASE || pa >= IA64_UART_BASE + 8)
        return IA64_BUS_UNCLAIMED;
    log->pa = pa;
    log->val = val;
    log->writes++;
    return 0;
}

static const struct ia64_mmio_ops bus_ops = {bus_read, bus_write};

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, 1 << 20, f) : 0;
    fclose(f);
    return buf;
}

int main(void)
{
    static struct ia64_machine m;
    uint8_t *ram = calloc(1, RAM);
    if (!ram || ia64_machine_init_ram(&m, 2, ram, RAM) != 0) {
        printf("not ok 1 ia64_machine_init_ram\n1..1\n");
        return 1;
    }
    ok(m.ram == ram && m.ram_external, "the machine uses the embedder's RAM");
    ok(ia64_machine_init_ram(&m, 2, NULL, RAM) != 0, "NULL RAM is refused");
    ia64_machine_init_ram(&m, 2, ram, RAM);

    /* The bus first, the model's devices for what it leaves. */
    struct bus_log log = {0};
    ia64_machine_set_bus(&m, &bus_ops, &log);
    uint64_t v = 0;
    ok(ia64_phys_write(&m, &m.cpus[0], IA64_UART_BASE, 1, 'x') == 0 && log.writes == 1 &&
           log.pa == IA64_UART_BASE && log.val == 'x' && m.console_len == 0,
       "a UART write goes to the embedder's bus, not the model's console");
    ok(ia64_phys_read(&m, &m.cpus[0], IA64_UART_BASE + 5, 1, &v) == 0 && v == 0x60,
       "a claimed read is answered by the bus");
    ok(ia64_phys_write(&m, &m.cpus[0], 0x1000, 8, 0x1122334455667788ULL) == 0 &&
           ram[0x1000] == 0x88 && log.writes == 1,
       "RAM writes land in the embedder's buffer, without the bus");
    ok(ia64_phys_write(&m, &m.cpus[1], IA64_HALT_BASE + 8, 8, 7) == 0 &&
           m.cpus[1].state == IA64_CPU_HALTED && !m.halted,
       "an address the bus leaves unclaimed reaches the model's halt device");

    /* Translation without side effects. */
    struct ia64_cpu *c = &m.cpus[0];
    c->psr |= IA64_PSR_BIT(IA64_PSR_DT) | IA64_PSR_BIT(IA64_PSR_IC);
    c->cr[IA64_CR_ISR] = 0x1111;
    c->cr[IA64_CR_ITIR] = 0x2222;
    c->cr[IA64_CR_IHA] = 0x3333;
    uint64_t pa;
    uint64_t vec = ia64_translate_peek(c, 0xa000000000001000ULL, IA64_ACC_READ, false, &pa);
    ok(vec != 0 && c->cr[IA64_CR_ISR] == 0x1111 && c->cr[IA64_CR_ITIR] == 0x2222 &&
           c->cr[IA64_CR_IHA] == 0x3333,
       "ia64_translate_peek reports the miss and leaves isr/itir/iha alone");
    ok(ia64_translate(c, 0xa000000000001000ULL, IA64_ACC_READ, false, &pa) == vec &&
           c->cr[IA64_CR_ISR] != 0x1111,
       "ia64_translate of the same address does set cr.isr (the peek is different)");
    c->psr &= ~IA64_PSR_BIT(IA64_PSR_DT);
    ok(ia64_translate_peek(c, 0x8000000000002000ULL, IA64_ACC_READ, false, &pa) == 0 &&
           pa == 0x2000,
       "physical mode: the peek drops bit 63");

    /* ia64_cpu_run on a real program. */
    const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
    char path[512];
    snprintf(path, sizeof(path), "%s/ia64/tests/bench/loop.elf", build);
    size_t len = 0;
    char *elf = read_file(path, &len);
    uint64_t entry = 0;
    char err[128];
    ia64_machine_reset(&m);
    if (!elf || ia64_load_elf(&m, elf, len, &entry, err, sizeof(err)) != 0) {
        printf("ok %d ia64_cpu_run # SKIP %s not built\n", ++n, path);
    } else {
        c = &m.cpus[0];
        c->ip = entry;
        uint64_t done = 0;
        enum ia64_stop why = ia64_cpu_run(c, 1000, &done);
        ok(why == IA64_STOP_LIMIT && done == 1000 && c->bundles == 1000 &&
               m.total_bundles == 1000 && m.cpus[1].bundles == 0,
           "ia64_cpu_run runs one CPU for exactly its budget");
        m.cpus[1].state = IA64_CPU_WAITING;
        why = ia64_cpu_run(&m.cpus[1], 1000, &done);
        ok(why == IA64_STOP_IDLE && done == 0, "a waiting CPU stops at once, IDLE");
        m.halted = true;
        why = ia64_cpu_run(c, 1000, &done);
        ok(why == IA64_STOP_HALT && done == 0, "a halted machine stops the run, HALT");
    }
    free(elf);
    ia64_machine_destroy(&m);
    ok(ram[0x1000] == 0x88, "destroy leaves the embedder's RAM alone");
    free(ram);
    printf("1..%d\n", n);
    return failed;
}
