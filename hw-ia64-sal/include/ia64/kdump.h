/* Running the kdump guests (guest-kernel/ia64) on the model: boot the
 * first kernel once, then run crash cases from that point (each in its
 * own copy of the process, see ia64kdump's exploration), record what the
 * model knows (where each CPU was when INIT or the stop IPI reached it,
 * which CPU entered the capture kernel, memory at that moment), collect
 * the vmcore the capture kernel wrote through the dump device and prove
 * it. src/kdump/{kexec,run,verify}.c. */
#ifndef IA64_KDUMP_H
#define IA64_KDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ia64/dumpdev.h"
#include "ia64/firmware.h"
#include "ia64/iosapic.h"
#include "ia64/machine.h"

#define KD_CPUS_MAX 8
#define KD_FINDINGS_MAX 16

enum kd_fault { KD_FAULT_PANIC = 0, KD_FAULT_INIT = 1 };
enum kd_stop { KD_STOP_INIT_ALL = 0, KD_STOP_IPI_THEN_INIT = 1 };

/* What is fixed when the first kernel boots. */
struct kd_boot_config {
    unsigned ncpus;
    uint64_t seed;       /* marker pattern and scheduler quanta */
    unsigned nmarkers;   /* marker pages */
    unsigned dev_cpu;    /* where the IOSAPIC routes the device */
    uint64_t dev_period; /* bundles between device interrupts (0: none) */
};

/* One crash case, run from the booted state. */
struct kd_case {
    enum kd_fault fault;
    unsigned fault_cpu;
    uint64_t irqoff; /* bit n: CPU n spins with PSR.i = 0 */
    enum kd_stop stop;
    unsigned init_order[KD_CPUS_MAX]; /* the order CPUs take INIT in */
    unsigned init_order_len;          /* 0: as the scheduler runs them */
    bool init_late;                   /* later INITs wait until the first CPU saved its registers */
    uint64_t panic_after;             /* workload iterations before the panic */
    uint64_t init_after;              /* fault = init: bundles after the start */
    unsigned variant;                 /* KD_VAR_* of layout.h */
    uint64_t max_bundles;
};

/* Where the model saw a CPU when the stop reached it. */
struct kd_cpu_fact {
    int how; /* 0 not reached, 1 INIT, 2 stop IPI, 3 called panic */
    uint64_t ip, psr, cfm, bsp;
    unsigned slot;
    uint64_t gr[16], pr, b0; /* r1..r15 (gr[0] unused), predicates, b0 */
};

struct kd_result {
    int stop;      /* enum ia64_stop of the run */
    int halt_code; /* the machine's halt code */
    uint64_t bundles;
    int capture_cpu;            /* -1: the capture kernel never ran */
    uint64_t halted_mask;       /* CPUs halted at the end */
    uint64_t halted_at_capture; /* CPUs halted when the capture kernel started */
    struct kd_cpu_fact cpu[KD_CPUS_MAX];
    unsigned arrivals[KD_CPUS_MAX], narrivals; /* INIT arrival order */
    uint8_t *snapshot;                         /* RAM when the capture kernel started */
    uint8_t *vmcore;                           /* what the dump device holds */
    bool borrowed; /* snapshot and vmcore are k's buffers, not malloc'd */
    size_t vmcore_len;
    bool vmcore_finished;
    uint64_t stray_pages;              /* pages outside Xs..Xe changed after capture entry */
    uint64_t first_stray;              /* physical address of the first */
    uint64_t stale_irqs, stale_vector; /* reported by the capture kernel */
    int itlb_miss_cpu;                 /* -1, or the CPU whose fetch missed after a purge */
    uint64_t itlb_miss_ip;
    uint64_t dev_delivered, dev_suppressed;
    uint64_t unexpected_vector, unexpected_iip; /* first kernel's IVT fallback */
    char console[2048];
};

/* A booted machine and the hooks that watch it. Large: allocate it. */
struct kd_machine {
    struct ia64_machine m;
    struct ia64_dumpdev dev;
    struct ia64_iosapic io;
    struct ia64_hooks platform; /* the platform's hooks, called through */
    struct kd_boot_config boot;
    struct kd_case c;
    struct kd_result *r;
    uint64_t cap_entry, cap_bootparam, panic_call_va;
    uint64_t rng, go_bundle, hold_until_saved;
    unsigned cur, quantum, order_next;
    bool running_case, init_raised, stop_now;
    uint64_t last_ip[KD_CPUS_MAX];
    /* Optional caller-owned scratch (exploration: shared mappings, so a
     * forked case fills them without copy-on-write faults): the snapshot
     * (ram size) and the dump device's image. NULL: malloc per case. */
    uint8_t *snap_buf, *image_buf;
    size_t image_cap;
    uint64_t proof_seed; /* the seed the marker proof expects (= boot seed) */
};

struct kd_findings {
    unsigned n;
    char text[KD_FINDINGS_MAX][160];
    unsigned notes, prstatus, loads, vmcoreinfo; /* what the vmcore held */
    uint64_t pages_compared, markers_checked;
};

/* kexec.c: what kexec-tools prepares (capture kernel segments,
 * ia64_boot_param, command line, EFI memory map, ELF core header) staged
 * in first-kernel memory for its kexec_load to copy into Xs..Xe. */
int kd_stage_capture(struct kd_machine *k, const void *capture, size_t len, char *err,
                     size_t errlen);
/* RAM ranges the ELF core header describes (firmware's Conventional
 * memory minus Xs..Xe), n at most max. Returns the count, or -1. */
/* The RAM image of [KD_CFG, KD_STAGE_END) an embedder preloads (stage.c):
 * configuration with the case and the go set, and the staged kexec
 * segments, for a machine of bc->ncpus CPUs and ram_size bytes. *blob is
 * malloc'd. 0, or -1 with err. */
int kd_stage_blob(const struct kd_boot_config *bc, const struct kd_case *c, uint64_t ram_size,
                  const void *first, size_t first_len, const void *capture, size_t capture_len,
                  uint8_t **blob, size_t *blob_len, uint64_t *cap_entry, char *err, size_t errlen);
int kd_ram_ranges(struct ia64_machine *m, uint64_t start[], uint64_t end[], int max);

/* run.c */
int kd_boot(struct kd_machine *k, const struct kd_boot_config *bc, const void *first,
            size_t first_len, const void *capture, size_t capture_len, char *err, size_t errlen);
int kd_run_case(struct kd_machine *k, const struct kd_case *c, struct kd_result *r, char *err,
                size_t errlen);
void kd_result_free(struct kd_result *r);
void kd_teardown(struct kd_machine *k);

/* A copy of a booted machine to run many cases from, in one process:
 * the machine and the runner's state, RAM, and the firmware's INIT state
 * (found through SAL's return trap, whose opaque is the struct ia64_fw). */
struct kd_state {
    struct kd_machine *copy;
    uint8_t *ram;
    struct ia64_fw *fw, fw_copy;
};
int kd_save(struct kd_machine *k, struct kd_state *s);
void kd_restore(struct kd_machine *k, const struct kd_state *s);
void kd_state_free(struct kd_state *s);

/* verify.c: the proofs. Fills f; true when nothing was found. */
bool kd_verify(struct kd_machine *k, const struct kd_case *c, const struct kd_result *r,
               struct kd_findings *f);
/* Which CPU must capture: the panicking CPU under the stop IPI, else the
 * first to reach the INIT handler. -1 when the order does not say. */
int kd_expected_capture(const struct kd_machine *k, const struct kd_case *c,
                        const struct kd_result *r);

#endif
