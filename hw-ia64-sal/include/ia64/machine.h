/* A machine: N CPUs, RAM, a physical address map of devices and firmware
 * entry traps, and a hook table through which the platform (firmware, SAPIC,
 * INIT, scheduler; see firmware.h/platform.h) plugs in. No global state:
 * create as many machines as you like. */
#ifndef IA64_MACHINE_H
#define IA64_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ia64/cpu.h"
#include "ia64/mem.h"

/* Fixed physical map of the core devices. RAM starts at 0. The SAPIC
 * processor interrupt block (0xfee00000) is the platform's to map. */
#define IA64_UART_BASE 0xfff00000ULL /* 16550A: +0 THR (write a byte), +5 LSR */
#define IA64_UART_SIZE 0x1000
#define IA64_HALT_BASE 0xfff10000ULL /* +0: write code, halt the machine;
                                        +8: write code, halt this CPU only;
                                        +0x10/+0x18: ACPI sleep control/status */
#define IA64_HALT_SIZE 0x1000
#define IA64_RAM_MAX 0xfe000000ULL  /* RAM is capped below the device window */

#define IA64_MAX_MMIO 16
#define IA64_MAX_FW_TRAPS 16
#define IA64_MAX_CPUS 64

/* Called when a CPU fetches the bundle at a registered firmware entry
 * (physical address match, in either mode). The handler does the firmware's
 * work on the CPU state and must set where execution continues (cpu->ip,
 * cpu->slot = 0) — for example to b0 for a static PAL call; helpers in exec.h
 * (ia64_fw_return_static / ia64_fw_return_stacked) do that. Return 0, or
 * non-zero to stop the CPU as faulted. */
typedef int (*ia64_fw_entry_fn)(void *opaque, struct ia64_cpu *cpu, uint64_t pa);

struct ia64_hooks {
    void *opaque;
    /* An INIT is pending on cpu and not masked by psr.mc. The platform does
     * PALE_INIT/SAL/OS_INIT (sets the CPU state to enter the handler) and
     * returns 0. NULL or non-zero: the CPU stops as faulted with vector
     * IA64_VEC_INIT. The core clears cpu->pend_init before calling. */
    int (*deliver_init)(void *opaque, struct ia64_cpu *cpu);
    /* Chooses which CPU executes the next bundle: returns an index of a
     * runnable CPU, or -1 to stop the run. NULL: round-robin, one bundle
     * each. */
    int (*pick_cpu)(void *opaque, struct ia64_machine *m);
    /* Called after each executed bundle (global count in m->total_bundles).
     * Used for --init-at, watch points and order enumeration. */
    void (*after_bundle)(void *opaque, struct ia64_cpu *cpu);
    /* Console bytes from the UART. NULL: appended to m->console only. */
    void (*console)(void *opaque, const char *buf, size_t len);
    /* Trace of each executed bundle (before execution). */
    void (*trace)(void *opaque, struct ia64_cpu *cpu, uint64_t ip, const uint8_t bundle[16]);
};

struct ia64_mmio_region {
    uint64_t base, size;
    const struct ia64_mmio_ops *ops;
    void *opaque;
};

struct ia64_fw_trap {
    uint64_t pa;
    ia64_fw_entry_fn fn;
    void *opaque;
};

enum ia64_stop {
    IA64_STOP_HALT = 0,   /* halt device written (or every CPU halted) */
    IA64_STOP_FAULT = 1,  /* some CPU faulted with nowhere to go */
    IA64_STOP_LIMIT = 2,  /* bundle limit reached */
    IA64_STOP_IDLE = 3,   /* every live CPU waits for an interrupt */
    IA64_STOP_PICKER = 4, /* pick_cpu returned -1 */
};

/* The 16550A console UART's registers (src/machine/uart.c). */
struct ia64_uart {
    uint8_t ier, fcr, lcr, mcr, scr, dll, dlm;
    bool thri; /* THR-empty interrupt pending (until IIR reports it) */
};

struct ia64_machine {
    unsigned ncpus;
    struct ia64_cpu cpus[IA64_MAX_CPUS];
    uint8_t *ram;
    uint64_t ram_size;
    struct ia64_mmio_region mmio[IA64_MAX_MMIO];
    unsigned nmmio;
    struct ia64_fw_trap traps[IA64_MAX_FW_TRAPS];
    unsigned ntraps;
    struct ia64_hooks hooks;
    struct ia64_uart uart;
    uint64_t total_bundles;
    unsigned rr_next; /* default round-robin position */
    unsigned round_left; /* bundles left in this round of the running CPUs */
    bool halted;
    int halt_code;
    bool powered_off; /* the halt was the OS's ACPI S5 (power off) */
    struct ia64_cpu *faulted; /* first CPU that faulted, if any */
    char *console; /* everything the UART printed, NUL-terminated */
    size_t console_len, console_cap;
    /* Embedding (QEMU): RAM the embedder owns (not freed by destroy), and a
     * bus consulted first for every non-RAM physical access. */
    bool ram_external;
    const struct ia64_mmio_ops *bus;
    void *bus_opaque;
    /* Embedding: guest writes to RAM are reported here (QEMU marks the
     * pages dirty for migration), also every range ia64_ram_ptr hands out,
     * which firmware may write. NULL: nobody asks. */
    void (*ram_dirty)(void *opaque, uint64_t pa, uint64_t len);
    void *ram_dirty_opaque;
    /* Embedding: decoded-bundle caches, one per CPU (bcache.h); NULL: every
     * fetch is decoded (ia64sim, the oracle). */
    struct ia64_bcache *bcache;
    /* Writes to physical addresses nothing claims are dropped, not fatal
     * (Linux's MCA code IPIs a sapicid of -1: a write to 0xfedffff0). */
    uint64_t unclaimed_writes, last_unclaimed_write;
};

/* Allocates RAM and resets ncpus CPUs. Returns 0, or -1 (bad args / ENOMEM).
 * Free with ia64_machine_destroy. */
int ia64_machine_init(struct ia64_machine *m, unsigned ncpus, uint64_t ram_size);
void ia64_machine_destroy(struct ia64_machine *m);
/* Same as ia64_machine_init with RAM the embedder owns (QEMU's RAM block,
 * so its monitor, dump and migration code see what the guest wrote). */
int ia64_machine_init_ram(struct ia64_machine *m, unsigned ncpus, uint8_t *ram,
                          uint64_t ram_size);
/* Installs the embedder's bus: non-RAM physical accesses call it before the
 * model's own MMIO list. Its callbacks return 0 (done), -1 (bus error) or
 * IA64_BUS_UNCLAIMED to let the model's devices answer. */
#define IA64_BUS_UNCLAIMED 1
void ia64_machine_set_bus(struct ia64_machine *m, const struct ia64_mmio_ops *ops, void *opaque);
/* Resets CPUs, clears halted/fault state and the console; keeps RAM, MMIO,
 * traps and hooks. */
void ia64_machine_reset(struct ia64_machine *m);

int ia64_machine_add_mmio(struct ia64_machine *m, uint64_t base, uint64_t size,
                          const struct ia64_mmio_ops *ops, void *opaque);
int ia64_machine_add_fw_entry(struct ia64_machine *m, uint64_t pa, ia64_fw_entry_fn fn,
                              void *opaque);

/* Executes one bundle on cpu (or delivers a pending interruption). */
void ia64_cpu_step(struct ia64_cpu *cpu);
/* The interval timer's clock: ar.itc advances IA64_ITC_PER_BUNDLE ticks per
 * bundle a CPU runs, so that at the model's ~20 M bundles/s the 700 MHz
 * PAL_FREQ_RATIOS reports roughly holds, and time stays a function of the
 * bundles run (determinism). ITC passing cr.itm raises cr.itv's vector
 * unless cr.itv.m is set. */
#define IA64_ITC_PER_BUNDLE 35
void ia64_cpu_tick(struct ia64_cpu *cpu, uint64_t ticks);
/* Ticks until this idle CPU's interval timer fires, or 0 when none is
 * armed (masked, or the match already passed). */
uint64_t ia64_cpu_timer_due(const struct ia64_cpu *cpu);
/* True when the CPU can make progress now (running, or waiting with a
 * deliverable interrupt/INIT pending). */
bool ia64_cpu_runnable(struct ia64_cpu *cpu);
/* Runs until halt, fault, idleness, or max_bundles more bundles. */
enum ia64_stop ia64_machine_run(struct ia64_machine *m, uint64_t max_bundles);
/* Runs one CPU alone (an embedder's vCPU loop, which schedules the CPUs
 * itself) for at most max_bundles steps, counting them in m->total_bundles
 * and calling after_bundle as ia64_machine_run does. Stops early when the
 * CPU is no longer running (halted, faulted, waiting) or the machine halted.
 * *done = steps taken. Returns IA64_STOP_LIMIT when the budget ran out,
 * IA64_STOP_HALT (machine halted or this CPU halted), IA64_STOP_FAULT, or
 * IA64_STOP_IDLE (waiting for an interrupt). */
enum ia64_stop ia64_cpu_run(struct ia64_cpu *cpu, uint64_t max_bundles, uint64_t *done);

/* Interrupt inputs (used by the SAPIC model and tests). */
void ia64_cpu_raise_extint(struct ia64_cpu *cpu, unsigned vector);
void ia64_cpu_raise_nmi(struct ia64_cpu *cpu);
void ia64_cpu_raise_init(struct ia64_cpu *cpu);

/* Appends to the console (the UART calls this; firmware may too). */
void ia64_machine_console_write(struct ia64_machine *m, const char *buf, size_t len);

#endif
