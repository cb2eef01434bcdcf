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
/* A new work folder (0700) under opt->runs_root named
 * <stamp>-<name>-<pid>-<n>; NULL with err set when it cannot be made. */
char *dl_run_make_workdir(const DlRunOptions *opt, const char *name, GError **err);

DlReport *dl_run_scenario(virConnectPtr conn, const DlScenario *scn, const DlRunOptions *opt);

/* An arch = ia64 scenario: runs build/bin/ia64kdump (the Kdump-for-IA-64
 * guests on the hw-ia64-sal model) by argv, reads its JSON result into the
 * report, and has eu-readelf referee the EM_IA_64 vmcore (run_ia64.c). */
DlReport *dl_run_ia64(const DlScenario *scn, const DlRunOptions *opt);

/* An arch = ia64, platform = qemu scenario: the same guests in
 * qemu-system-ia64 (qemu-patches/, machine ia64-sal) through libvirt; INIT
 * by virDomainInjectNMI, the vmcore from the dump device's file, the
 * hypervisor's dump at the capture kernel's entry (run_ia64_qemu.c). */
DlReport *dl_run_ia64_qemu(virConnectPtr conn, const DlScenario *scn, const DlRunOptions *opt);

/* An arch = ia64, kernel = linux-source-6.1 scenario: Linux/ia64's own kdump
 * on ia64sim (guest-kernel/ia64/linux), the vmcore refereed as above
 * (run_ia64_linux.c). */
DlReport *dl_run_ia64_linux(virConnectPtr conn, const DlScenario *scn, const DlRunOptions *opt);

#endif
