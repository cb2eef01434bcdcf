/* What the two IA-64 platforms (run_ia64.c: the model, run_ia64_qemu.c:
 * qemu-system-ia64 under libvirt) share: the referees of an EM_IA_64
 * vmcore. */
#ifndef DUMPLAB_RUN_IA64_H
#define DUMPLAB_RUN_IA64_H

#include "dumplab/report.h"
#include "dumplab/scenario.h"

#include <stdbool.h>

/* eu-readelf: an IA-64 core with one 1144-byte NT_PRSTATUS per CPU. */
bool dl_ia64_referee(const char *vmcore, unsigned cpus, char **summary);
/* dumplab's own checker into the report (says so when its reader has no
 * EM_IA_64 support yet). */
void dl_ia64_run_checker(DlReport *rep, const DlScenario *s, const char *vmcore);

#endif
