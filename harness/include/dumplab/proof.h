/* Dump correctness beyond the file's own consistency: which CPU each
 * register note belongs to and whether each CPU was stopped where it was,
 * whether the marker pages came through byte for byte, and whether kdump's
 * vmcore holds the memory the hypervisor saw. Each check appends findings
 * to a DlCheckResult (check.h). */
#ifndef DUMPLAB_PROOF_H
#define DUMPLAB_PROOF_H

#include "dumplab/check.h"
#include "dumplab/dump.h"
#include "dumplab/ksyms.h"

#include <glib.h>

typedef struct {
    char *name;
    guint64 start, end; /* [start, end) */
} DlSymRange;

typedef enum { DL_ROLE_NONE, DL_ROLE_SPIN, DL_ROLE_PANIC, DL_ROLE_FAULT } DlCpuRole;

/* What the guest told us about itself before the crash (agent MANIFEST
 * lines) and what its log says happened (the vmcore's dmesg). */
typedef struct {
    GArray *ksyms;       /* DlSymRange: kernel functions (System.map + KASLR) */
    GArray *msyms;       /* DlSymRange: the crash module's functions */
    GArray *crash_notes; /* guint64 per CPU: paddr of its crash_notes buffer, 0 = unknown */
    GArray *markers;     /* DlRange of frame numbers (inclusive) */
    guint64 seed;
    GArray *roles; /* DlCpuRole per CPU, from "dumplab_crash: cpu=N role=..." */
    int panic_cpu; /* from the panic report's "CPU: N PID:" line, -1 unknown */
    int panic_pid; /* the PID on that line, -1 unknown */
} DlManifest;

/* lines: char * (text after "MANIFEST "); dmesg may be NULL. Unknown lines
 * are ignored; malformed known ones are an error naming the line. */
DlManifest *dl_manifest_parse(GPtrArray *lines, const char *dmesg, GError **err);
void dl_manifest_free(DlManifest *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlManifest, dl_manifest_free)
/* The range holding addr, or NULL. */
const DlSymRange *dl_sym_find(GArray *syms, guint64 addr);

/* The proofs read the dump through dump.h. A read that fails because the
 * file changed under them ends the proof early; the caller asks
 * dl_dump_io_ok() afterwards and reports that instead of the findings. */

/* Fills DlCpuRegs.cpu in r->cpus for a kdump core: note i belongs to the
 * CPU whose crash_notes buffer, as dumped, holds the same bytes. Every CPU
 * 0..ncpus-1 without a note is a defect naming it (rule cpu.missing-note).
 * Returns how many notes were mapped. */
guint dl_proof_map_cpus(DlDump *d, const DlManifest *m, guint ncpus, DlCheckResult *r);

/* The panicking CPU stopped in the panic path, spinners inside their spin
 * loop (rules regs.panic-cpu, regs.spinner). Needs dl_proof_map_cpus
 * first. Returns false when a rule failed. */
bool dl_proof_registers(const DlManifest *m, DlCheckResult *r);

/* Every marker frame byte for byte against the scenario's seed, and the
 * guest's frame count and seed against the scenario's (rules
 * markers.missing, markers.altered, markers.count, markers.seed). Walks at
 * most want_pages frames. */
bool dl_proof_markers(DlDump *d, const DlManifest *m, guint want_pages, guint64 want_seed,
                      DlCheckResult *r);

typedef struct {
    guint64 compared_pages, differing_pages, skipped_pages, missing_pages;
    guint64 extra_pages; /* in kdump's vmcore, not in the hypervisor's dump */
    guint64 low_pages;   /* of the hypervisor's dump below 1 MiB, never compared */
    guint64 excluded_ok, excluded_bad; /* filtered-out pages, judged by the reference */
    guint64 excluded_unclassified;     /* no struct page could tell */
    GArray *differ;                    /* DlRange (inclusive byte addresses), coalesced; caller frees */
} DlCompareStats;

/* kdump's vmcore against the hypervisor's dump of the same guest (any
 * formats dump.h reads), page by page over the first kernel's System RAM
 * (ram), outside the crashkernel region(s) and the low 1 MiB (which the
 * crash kernel may use under kexec_load, and kexec_file_load does not
 * dump). Differences are defects (rule compare.differ), RAM in the
 * hypervisor's dump but not in kdump's is too (compare.missing); RAM only
 * kdump's holds is a warning (compare.hv-short); no page in both is a
 * defect (compare.nothing). A page kdump's filter excluded is judged by the
 * reference: excluded as zero it must be zero there, else its struct page
 * there (read with kdump's VMCOREINFO when the reference has none) must
 * make it free, user or cache as the dump level allows
 * (compare.excluded-kept). True when something was compared and nothing
 * differed, was missing or was wrongly excluded. stats may be NULL. */
bool dl_proof_compare(DlDump *kdump, DlDump *hv, GArray *ram, GArray *crashkernel,
                      DlCheckResult *r, DlCompareStats *stats);
/* {"compared_pages": N, ..., "differ": [{"start": "0x..", "end": "0x..",
 * "bytes": N}]} */
JsonNode *dl_compare_stats_to_json(const DlCompareStats *st);

/* Linux/ia64 (ia64_linux.c): per CPU, whether INIT stopped it and the
 * interrupted cr.ipsr (the partial pt_regs on the CPU's INIT stack, found
 * through __per_cpu_mca, a symbol of k) and cr.iip (the copy Linux stacks
 * below the interrupted task's r12; 0 when there is none). out has ncpus
 * entries. */
typedef struct {
    bool init;
    guint64 iip, ipsr;
} DlIa64Stop;
bool dl_ia64_linux_stops(DlDump *d, const DlKsyms *k, guint ncpus, DlIa64Stop *out,
                         GError **err);
/* The CPUs of irqoff_mask took INIT inside lkdtm_HARDLOCKUP with PSR.i = 0
 * (rule ia64.spinner-init); with fault_cpu < 0 (the platform INIT) every
 * CPU took INIT (ia64.init-all), else fault_cpu, which crashed the kernel,
 * did not (ia64.panic-cpu-init); a note says where each CPU stopped. */
bool dl_proof_ia64_linux_stops(DlDump *d, const DlKsyms *k, guint ncpus, guint64 irqoff_mask,
                               int fault_cpu, DlCheckResult *r);

#endif
