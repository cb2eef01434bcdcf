/* The report's fields, shared by the files of lib/report/ (report.c keeps
 * them, report_html.c, report_junit.c and report_load.c read or fill them);
 * nothing outside lib/report/ includes this. */
#ifndef DUMPLAB_REPORT_PRIV_H
#define DUMPLAB_REPORT_PRIV_H

#include "dumplab/report.h"

typedef struct {
    char *name, *detail;
    gint64 ms;
    bool ok;
} Phase;

typedef struct {
    char *source, *path, *dmesg;
    guint64 size;
    bool pruned;
} Dump;

typedef struct {
    char *name, *summary;
    bool ok;
} Check;

typedef struct {
    char *check, *severity, *rule, *message;
    gint64 offset;
} Finding;

/* A physical range for the memory picture: kind "ram", "iomem",
 * "crashkernel", "segment" (a PT_LOAD of the vmcore) or "differ" (bytes
 * that differ from the hypervisor's dump). Both ends inclusive. */
typedef struct {
    char *kind, *label;
    guint64 start, end;
} Region;

/* One CPU of the register proof: which note, where it stopped, its role. */
typedef struct {
    int note, cpu, pid;
    guint64 ip, sp;
    char *where, *role;
} CpuRow;

struct DlReport {
    char *name, *path;
    char *failed_phase, *reason;
    char *console_tail, *workdir, *kernel, *accel, *domain, *host;
    GArray *phases;   /* Phase */
    GArray *dumps;    /* Dump */
    GArray *checks;   /* Check */
    GArray *findings; /* Finding */
    GArray *regions;  /* Region */
    GArray *cpus;     /* CpuRow */
    gint64 ms;
    int expected; /* -1 unknown, else as dl_report_as_expected said */
};

#endif
