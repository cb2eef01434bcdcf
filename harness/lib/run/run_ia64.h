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

/* platform = qemu (run_ia64_qemu.c): the proofs on a vmcore that need no
 * view inside the CPU model, by first_elf's symbols: every NT_PRSTATUS ip in
 * the spin loop (the panicking CPU: or the panic path; the device's CPU: or
 * its interrupt path), PSR.i as irqoff_cpus says, the handler each CPU went
 * through (the first kernel's INFO_HANDLER), every CPU in its workload, the
 * capture CPU, no PT_LOAD in Xs..Xe, the marker pages. Findings into r. */
#include "dumplab/check.h"
#include "dumplab/dump.h"
void dl_ia64_qemu_prove(const DlScenario *s, const char *first_elf, DlDump *c, DlCheckResult *r);
/* An empty result for findings of proofs outside the checker. */
DlCheckResult *dl_ia64_result_new(void);
/* r's findings into the report under check name; a defect fails the run in
 * "check" with the first defect's message. */
void dl_ia64_report_result(DlReport *rep, const char *name, const DlCheckResult *r);

/* qemu-system-ia64: $QEMU_IA64, else what qemu-patches/build.sh says; it
 * must exist (run_ia64_qemu.c). */
char *dl_ia64_qemu_binary(GError **err);

/* An ia64-sal domain for libvirt (run_ia64_domain.c). */
typedef struct {
    const char *name, *qemu;
    const char *kernel, *initrd, *cmdline; /* initrd and cmdline may be NULL */
    const char *console;                   /* the serial port's log */
    const char *machine_props;             /* -machine ia64-sal,... (0005) */
    unsigned cpus;
    int ram_mib;
    bool preserve_on_crash;
} DlIa64Domain;
char *dl_ia64_domain_xml(const DlIa64Domain *d);

/* Linux/ia64 on qemu-system-ia64 under libvirt (run_ia64_linux_qemu.c). */
#include <libvirt/libvirt.h>
typedef struct {
    const char *scenario; /* names the domain */
    const char *dir;      /* the run's work folder (domain.xml goes there) */
    const char *vmlinux, *initrd, *append;
    const char *vmcore;  /* the dump device's file */
    const char *console; /* the serial port's log */
    unsigned cpus;
    const char *hvdump; /* libvirt's memory-only dump once the capture kernel's init
                           holds for it (dumplab.hvdump=1), or NULL */
    bool init;          /* inject-nmi once the init says it is armed */
    char **domain;      /* out: the domain's name (g_free it), or NULL */
    gint64 *seen;       /* out, DL_IA64_LINUX_MILESTONES entries: monotonic µs when each
                           milestone line first showed on the console, 0 never */
    int timeout_s;      /* the whole boot, crash and capture */
} DlIa64LinuxGuest;
/* The guest init's console lines that end the phases of a Linux/ia64 run:
 * the first kernel's init runs, it armed kdump, the capture kernel's init
 * runs, the vmcore is written. */
#define DL_IA64_LINUX_MILESTONES 4
extern const char *const dl_ia64_linux_milestones[DL_IA64_LINUX_MILESTONES];
/* Runs the guest until it powers off (*powered_off = 1) or its deadline
 * passes (false, the domain destroyed). */
bool dl_ia64_linux_qemu(virConnectPtr conn, const DlIa64LinuxGuest *g, int *powered_off,
                        GError **err);

#endif
