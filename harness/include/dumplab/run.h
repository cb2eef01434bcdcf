/* One run of a scenario: boot, arm, fault, capture, collect, check. */
#ifndef DUMPLAB_RUN_H
#define DUMPLAB_RUN_H

#include "dumplab/report.h"
#include "dumplab/scenario.h"

#include <libvirt/libvirt.h>
#include <stdbool.h>

typedef struct {
    const char *runs_root; /* work folders are made below it */
    const char *cache_dir; /* for the KVM probe result */
    bool quiet;            /* no progress lines */
} DlRunOptions;

/* Runs the scenario and returns its report (never NULL): the verdict, the
 * phase that failed, what was collected. The domain is gone when it returns,
 * whatever happened. */
DlReport *dl_run_scenario(virConnectPtr conn, const DlScenario *scn, const DlRunOptions *opt);

#endif
