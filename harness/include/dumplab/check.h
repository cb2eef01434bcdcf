/* The vmcore checker: judges one dump in any format the reader opens
 * (dump.h: ELF from /proc/vmcore under either load method, QEMU's
 * dump-guest-memory, makedumpfile's kdump-compressed, flattened and -E
 * output) and lists findings, each with a severity, a file offset and the
 * rule it breaks. By default it reads every page the dump holds. It never
 * reads outside the file, whatever the file says. */
#ifndef DUMPLAB_CHECK_H
#define DUMPLAB_CHECK_H

#include "dumplab/dump.h"
#include "dumplab/pageclass.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdio.h>

typedef enum { DL_SEV_DEFECT, DL_SEV_WARNING, DL_SEV_NOTE } DlSeverity;

typedef struct {
    DlSeverity sev;
    gint64 offset; /* file offset, -1 when the finding has none */
    char *rule;    /* short stable name: "ehdr.type", "note.overrun", "load.overlap", ... */
    char *message;
} DlFinding;

typedef struct {
    guint64 start, end; /* inclusive, as /proc/iomem prints them */
} DlRange;

typedef struct {
    int expect_cpus;     /* NT_PRSTATUS notes expected; -1 = do not check */
    GArray *ram;         /* DlRange: top-level "System RAM" of the first kernel; NULL = unknown */
    GArray *crashkernel; /* DlRange: the "Crash kernel" reservation(s); NULL = unknown */
    bool quick;          /* headers, notes, bitmaps and descriptors only: no page data */
} DlCheckInput;

typedef enum {
    DL_LAYOUT_UNKNOWN,
    DL_LAYOUT_KEXEC_LOAD,      /* kexec-tools header: low 640 KiB backup, offset != paddr */
    DL_LAYOUT_KEXEC_FILE_LOAD, /* kernel-built header: low 1 MiB excluded */
    DL_LAYOUT_QEMU,            /* dump-guest-memory: "QEMU" notes */
} DlLayout;

typedef struct {
    GPtrArray *findings; /* DlFinding *, in the order found */
    guint defects, warnings, notes;
    DlLayout layout;
    GArray *cpus;      /* DlCpuRegs (dump.h), copied */
    char *osrelease;   /* from VMCOREINFO, may be NULL */
    guint64 ram_bytes; /* bytes of guest RAM the dump holds (text segment not counted) */
    char *format;      /* dl_dump_format_name() */
    guint16 machine;
    guint32 page_size;
    int dump_level; /* makedumpfile's -d, -1 when the format does not say */
    guint64 pages_present, pages_excluded, pages_verified;
    bool classified;                           /* excluded pages were classified */
    guint64 excluded_class[DL_PC_UNREADABLE + 1]; /* by DlPageClass */
    guint64 excluded_zero;                     /* excluded kernel-class pages level 1 allows */
    guint64 bytes_verified; /* page bytes read (and decompressed) */
    double seconds;         /* time spent verifying pages */
} DlCheckResult;

/* Checks the file at path ("-": a flattened stream on standard input). NULL
 * with err (DL_ERROR_PARSE / DL_ERROR_IO) only when it cannot be read at
 * all, or a read failed under the checker (the file shrank): exit status 2
 * of `dumplab check`. Otherwise a result, defects or not. in may be NULL. */
DlCheckResult *dl_check_vmcore(const char *path, const DlCheckInput *in, GError **err);
/* The same over an opened dump. NULL with err also when a read met the
 * file shorter than when it was opened (dl_dump_io_ok). */
DlCheckResult *dl_check_dump(DlDump *d, const DlCheckInput *in, GError **err);
/* An empty result, for proofs that only add findings. */
DlCheckResult *dl_check_result_new(void);
void dl_check_result_free(DlCheckResult *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlCheckResult, dl_check_result_free)

const char *dl_severity_name(DlSeverity s); /* "defect", "warning", "note" */
const char *dl_layout_name(DlLayout l);     /* "kexec_load", "kexec_file_load", "qemu", "unknown" */
/* "0 defects, 1 warning, 3 notes; kexec_load layout, 2 CPUs, 1023 MiB RAM" */
char *dl_check_summary(const DlCheckResult *r);
/* Human-readable: summary, then one line per finding and per CPU. */
void dl_check_print(const DlCheckResult *r, FILE *out);
JsonNode *dl_check_to_json(const DlCheckResult *r);

/* Appends a finding (for checks that live in other files). */
void dl_check_add(DlCheckResult *r, DlSeverity sev, gint64 offset, const char *rule,
                  const char *fmt, ...) G_GNUC_PRINTF(5, 6);

#endif
