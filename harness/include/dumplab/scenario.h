/* A scenario: which guest, how kdump is armed, which fault, what must come
 * out. Read from a small line-oriented text file (format in
 * scenarios/README.md); errors name the file, the line and the reason. */
#ifndef DUMPLAB_SCENARIO_H
#define DUMPLAB_SCENARIO_H

#include "dumplab/fault.h"

#include <glib.h>
#include <stdbool.h>

typedef enum { DL_SCN_ACCEL_AUTO, DL_SCN_ACCEL_KVM, DL_SCN_ACCEL_TCG } DlScnAccel;
typedef enum { DL_LOAD_KEXEC, DL_LOAD_KEXEC_FILE } DlLoad;

typedef enum { DL_EXPECT_PASS, DL_EXPECT_FAIL } DlExpectVerdict;

/* Which path produced the dump the run returns. */
typedef enum {
    DL_DUMP_ANY,
    DL_DUMP_KDUMP,      /* the crash kernel's /proc/vmcore      */
    DL_DUMP_PVPANIC,    /* libvirt's on_crash after pvpanic      */
    DL_DUMP_HYPERVISOR, /* virDomainCoreDumpWithFormat on timeout */
    DL_DUMP_NONE,
    DL_DUMP_COUNT_UNSET, /* parser-internal: not given */
} DlDumpSource;

typedef struct {
    char *key;   /* kernel.panic_on_oops */
    char *value; /* 1 */
} DlSysctl;

typedef struct {
    char *name;            /* file name without .scn unless "name =" says otherwise */
    char *path;            /* the file it was read from */
    char *description;     /* "description =", may be NULL */
    char *kernel_package;  /* Debian package, default linux-image-amd64; may pin a
                              version: linux-image-6.1.0-56-amd64 or pkg=version */
    unsigned vcpus;        /* default 2 */
    unsigned memory_mib;   /* default 1024; "memory = 1G" or "1024M" */
    char *crashkernel;     /* crashkernel= value, default "256M"; "" = none */
    char *cmdline;         /* extra first-kernel command line, may be NULL */
    char *crash_cmdline;   /* extra crash-kernel command line, may be NULL */
    DlScnAccel accel;      /* default auto */
    DlLoad load;           /* default kexec_load */
    bool boot_pvh;         /* boot = pvh: the uncompressed ELF through its PVH entry (no
                            * decompression, no KASLR); default bzimage, as users boot */
    bool armed;            /* default true: load the crash kernel */
    GPtrArray *sysctls;    /* DlSysctl *, in file order; never NULL */
    DlFault fault;         /* required */
    int fault_cpu;         /* -1 = wherever it runs */
    unsigned marker_pages; /* 0 = none */
    guint64 seed;          /* default 1 */
    double timeout_scale;  /* default 1.0 */
    bool hv_dump;          /* take a hypervisor dump for the cross-check
                              (default true for 1 vCPU..4, "hv_dump = no" to skip) */

    /* IA-64 ("arch = ia64"): the Kdump-for-IA-64 guests on the hw-ia64-sal
     * model ("platform = sim"), run by build/bin/ia64kdump; fault is panic
     * (on fault_cpu, default 0) or init (a platform INIT: "fault = init"). */
    bool ia64;
    bool ia64_init;      /* fault = init */
    bool ia64_qemu;      /* "platform = qemu": qemu-system-ia64 under libvirt */
    guint64 irqoff_mask; /* "irqoff_cpus = 1,3": CPUs spinning with PSR.i = 0 */
    char *stop;          /* "init-all" (default) or "ipi-then-init" */
    char *init_order;    /* "2,0,3,1", "all", or NULL (as the scheduler runs) */
    char *variant;       /* "purge-before-switch", "no-iosapic-mask", or NULL */
    bool ia64_linux;     /* "kernel = linux-source-6.1": Linux/ia64 built from Debian's
                            source (guest-kernel/ia64/linux), fault sysrq-c or init */

    /* The text watch (lib/scenario/scenario_watch.c): "monitor = text"
     * watches the kernel's text from the hypervisor instead of crashing;
     * fault is then a text fault (text-patch, kprobe, static-key, ftrace)
     * or left out (an idle guest). */
    bool monitor_text;          /* default no */
    unsigned monitor_period_ms; /* "monitor_period = 100ms" (default) */
    unsigned monitor_for_ms;    /* "monitor_for = 60s": how long to watch for
                                   changes after the fault (default 10s) */
    char *expect_text_change;   /* "expect text_change = CLASS[@symbol]" or
                                   "none"; NULL: any */

    /* kdump as RHEL configures it (lib/kdump/): kdump.conf, resolved
     * against the scenario's folder and loaded with it; /etc/sysconfig/kdump's
     * KDUMP_COMMANDLINE_APPEND / _REMOVE. All NULL when not given. */
    char *kdump_conf;
    struct DlKdumpConf *kdump;
    char *kdump_cmdline_append;
    char *kdump_cmdline_remove;
    char *kdump_target_fault;    /* "down" (server not started) or "full" (a disk too
                                    small for the dump), NULL = none */
    char *expect_failure_action; /* "expect failure_action = X", may be NULL */

    /* expectations */
    DlExpectVerdict expect_verdict; /* default pass */
    char *expect_phase;             /* with verdict fail: the phase that must fail, may be NULL */
    int expect_cpus;                /* NT_PRSTATUS notes; default = vcpus; -1 = do not check */
    char *expect_panic;             /* text the dmesg must contain, may be NULL */
    DlDumpSource expect_dump;       /* default kdump when armed, any otherwise */
} DlScenario;

DlScenario *dl_scenario_load(const char *path, GError **err);
/* Parses text as if read from path (for tests). */
DlScenario *dl_scenario_parse(const char *text, const char *path, GError **err);
void dl_scenario_free(DlScenario *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlScenario, dl_scenario_free)

/* Expands command-line arguments into scenario file paths: a file as is, a
 * folder as every *.scn below it (sorted), a glob pattern as its matches.
 * An argument that matches nothing is an error naming it. */
GPtrArray *dl_scenario_expand(const char *const *args, GError **err);

bool dl_scenario_needs_module(const DlScenario *s); /* module fault or markers */
const char *dl_dump_source_name(DlDumpSource d);    /* "kdump", "pvpanic", ... */

/* The text watch's keys (scenario_watch.c): 1 taken, 0 bad value (*why
 * says why), -1 not a watch key. */
int dl_scenario_watch_key(DlScenario *s, const char *key, const char *v, char **why);
/* After parsing: defaults and the rules between fault and monitor. */
bool dl_scenario_watch_rules(DlScenario *s, const char *path, GError **err);

#endif
