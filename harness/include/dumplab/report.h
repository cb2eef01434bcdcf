/* The outcome of one run: phases with their times, the verdict, what was
 * collected, the checker's findings. Written as report.txt and report.json
 * in the run's work folder and summarised on stdout. */
#ifndef DUMPLAB_REPORT_H
#define DUMPLAB_REPORT_H

#include "dumplab/scenario.h"

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct DlReport DlReport;

DlReport *dl_report_new(const char *scenario_name, const char *scenario_path);
void dl_report_free(DlReport *rep);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlReport, dl_report_free)

/* One finished phase, in order. detail may be NULL. */
void dl_report_add_phase(DlReport *rep, const char *phase, gint64 ms, bool ok, const char *detail);
/* The verdict becomes FAIL, naming the phase; the first call wins. */
void dl_report_fail(DlReport *rep, const char *phase, const char *reason);
void dl_report_set_console_tail(DlReport *rep, const char *tail);
void dl_report_set_workdir(DlReport *rep, const char *workdir);
void dl_report_set_kernel(DlReport *rep, const char *version);
void dl_report_set_accel(DlReport *rep, const char *accel);
void dl_report_set_domain(DlReport *rep, const char *name);
/* A dump the run collected. source: "kdump", "pvpanic", "hypervisor". Several
 * may be added (the kdump vmcore and the hypervisor's dump for the
 * cross-check); the first added with source != "hypervisor-reference" is the
 * run's dump. dmesg may be NULL. */
void dl_report_set_dump(DlReport *rep, const char *source, const char *path, guint64 size,
                        const char *dmesg);
/* One check (checker, referee, register proof, markers, cross-check): name,
 * whether it passed, a one-line summary. A failed check does not by itself
 * fail the run; the caller also calls dl_report_fail. */
void dl_report_add_check(DlReport *rep, const char *name, bool ok, const char *summary);
/* One finding of a check, for report.txt/json: severity "defect", "warning"
 * or "note"; offset -1 when it has none. */
void dl_report_add_finding(DlReport *rep, const char *check, const char *severity, gint64 offset,
                           const char *rule, const char *message);
/* A physical range for report.html's memory picture (both ends inclusive):
 * kind "ram" / "iomem" (the first kernel's /proc/iomem), "crashkernel",
 * "segment" (a PT_LOAD of the vmcore), "differ" (bytes that differ from the
 * hypervisor's dump). label may be NULL. */
void dl_report_add_region(DlReport *rep, const char *kind, guint64 start, guint64 end,
                          const char *label);
/* One CPU of the register proof: its note, its number (-1 unknown), the pid
 * on it, where it stopped ("__crash_kexec+0x11a"), its role in the
 * scenario ("panic", "spin", "-"). */
void dl_report_add_cpu(DlReport *rep, int note, int cpu, int pid, guint64 ip, guint64 sp,
                       const char *where, const char *role);
/* The libvirt connection the run used, when not the local one. */
void dl_report_set_host(DlReport *rep, const char *host);
/* Total time; the verdict is PASS unless dl_report_fail was called. */
void dl_report_finish(DlReport *rep, gint64 ms);

bool dl_report_passed(const DlReport *rep);
const char *dl_report_failed_phase(const DlReport *rep); /* NULL when passed */
const char *dl_report_workdir(const DlReport *rep);
const char *dl_report_name(const DlReport *rep);
gint64 dl_report_ms(const DlReport *rep);
/* "checker: 0 defects, 1 warning, 3 notes; 2 CPUs" or similar: the summary
 * of the check named "vmcore", or "" */
const char *dl_report_checker_summary(const DlReport *rep);
/* The run ended the way its scenario expects: PASS expected and passed, or
 * FAIL expected and failed in expect_phase (when given), and the dump came
 * from expect_dump (when not any). */
bool dl_report_as_expected(const DlReport *rep, const DlScenario *scn);
/* Records the outcome of dl_report_as_expected for the JSON and the table. */
void dl_report_set_expected(DlReport *rep, bool as_expected);

/* Deletes the dump files of the run (they are as large as the guest's
 * RAM); the report keeps their names and sizes and says they were removed. */
void dl_report_prune_dumps(DlReport *rep);

bool dl_report_write_text(const DlReport *rep, const char *path, GError **err);
bool dl_report_write_json(const DlReport *rep, const char *path, GError **err);
/* A few lines: verdict, failed phase and reason with console tail, dump
 * path(s), checker summary, work folder. The last line is
 * "<name>: PASS" or "<name>: FAIL in <phase>: <reason>". */
void dl_report_print_summary(const DlReport *rep, FILE *out);
/* One row per report: name, verdict, failed phase, dump source, seconds. */
void dl_report_print_table(GPtrArray *reports, FILE *out);

/* report.html: one self-contained page (inline CSS and SVG, nothing
 * fetched): verdict, phase timeline, the memory picture, the per-CPU
 * register proof, checks and findings (report_html.c). */
bool dl_report_write_html(const DlReport *rep, const char *path, GError **err);
/* Reads a report.json back (a worker's run, an earlier run); the error names
 * the file and the field (report_load.c). */
DlReport *dl_report_load_json(const char *path, GError **err);
/* index.html for a set of runs: one row per run with its verdict, linking
 * each run's report.html relative to the index's folder. */
bool dl_report_write_index(GPtrArray *reports, const char *title, const char *path,
                           GError **err);
/* JUnit XML: one <testsuite> named suite, one <testcase> per run; a run
 * that did not end as its scenario expects is a <failure>. */
bool dl_report_write_junit(GPtrArray *reports, const char *suite, const char *path,
                           GError **err);

#endif
