/* What the harness checks once a run has collected its vmcore: the checker
 * with the scenario's expectations and the guest's memory map, and the
 * makedumpfile referee. */
#ifndef DUMPLAB_RUNCHECK_H
#define DUMPLAB_RUNCHECK_H

#include "dumplab/report.h"
#include "dumplab/scenario.h"
#include "dumplab/subproc.h"

typedef struct {
    const DlScenario *scn;
    const char *vmcore;
    const char *dmesg; /* the crash kernel's makedumpfile --dump-dmesg */
    const char *workdir;
    const char *hv_dump;   /* the hypervisor's reference dump, or NULL */
    GPtrArray *iomem;      /* DlMsg * IOMEM lines from the first kernel */
    GPtrArray *manifest;   /* MANIFEST lines (char *) */
    double timeout_scale;  /* stretches the referees' deadlines; 0 = 1 */
    DlProgressFn progress; /* while a referee runs */
    void *progress_data;
} DlRunCheck;

/* Fills the report's checker and referee results. Returns false with err
 * when the vmcore has defects or the referee disagrees. */
bool dl_run_check(const DlRunCheck *in, DlReport *rep, GError **err);

/* Runs `makedumpfile --dump-dmesg vmcore out` on the host (else crash's
 * `log`), each within its deadline (timeout_scale stretches them), and
 * reports whether the text contains needle. */
bool dl_referee_dmesg(const char *vmcore, const char *out, const char *needle, double timeout_scale,
                      DlProgressFn progress, void *progress_data, bool *found, GError **err);

#endif
