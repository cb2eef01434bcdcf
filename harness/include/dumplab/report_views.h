/* What report.html draws, taken from the run's own data where the checks
 * have it: the first kernel's memory map, the vmcore's segments, the bytes
 * the cross-check found different, and where each CPU stopped. One call
 * each from runcheck.c; each only records, never judges. */
#ifndef DUMPLAB_REPORT_VIEWS_H
#define DUMPLAB_REPORT_VIEWS_H

#include "dumplab/dump.h"
#include "dumplab/proof.h"
#include "dumplab/report.h"

/* msgs: the agent's IOMEM messages (DlMsg *). */
void dl_report_note_iomem(DlReport *rep, GPtrArray *msgs);
/* Every PT_LOAD of the vmcore. */
void dl_report_note_segments(DlReport *rep, const DlDump *dump);
/* differ: DlRange (inclusive byte addresses), as DlCompareStats has them. */
void dl_report_note_differ(DlReport *rep, GArray *differ);
/* cpus: DlCpuRegs with .cpu mapped (dl_proof_map_cpus); m gives symbols and roles. */
void dl_report_note_cpus(DlReport *rep, GArray *cpus, const DlManifest *m);

#endif
