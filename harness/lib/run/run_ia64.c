/* An IA-64 scenario: the model runs in-process of build/bin/ia64kdump,
 * which boots the first kernel, provokes the fault, lets the capture
 * kernel write the vmcore and proves it against what the model knows
 * (hw-ia64-sal/tools/ia64kdump.c). This file turns the scenario into its
 * argv, reads the JSON it writes and fills the same report as an x86 run,
 * with eu-readelf (elfutils) as the independent referee on the vmcore and
 * dumplab's own checker (which says when it cannot read EM_IA_64 yet). */
#include "dumplab/check.h"
#include "dumplab/error.h"
#include "dumplab/images.h"
#include "dumplab/run.h"
#include "run_ia64.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static GPtrArray *argv_for(const DlScenario *s, const char *root, const char *dir)
{
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *irq = NULL;
    GString *cpus = g_string_new(NULL);
    for (unsigned i = 0; i < 64; i++)
        if ((s->irqoff_mask >> i) & 1)
            g_string_append_printf(cpus, "%s%u", cpus->len ? "," : "", i);
    irq = g_string_free(cpus, FALSE);
    g_ptr_array_add(a, g_build_filename(root, "build", "bin", "ia64kdump", NULL));
    g_ptr_array_add(a, g_strdup("--first"));
    g_ptr_array_add(a, g_build_filename(root, "build", "ia64", "guest", "first.elf", NULL));
    g_ptr_array_add(a, g_strdup("--capture"));
    g_ptr_array_add(a, g_build_filename(root, "build", "ia64", "guest", "capture.elf", NULL));
    g_ptr_array_add(a, g_strdup("--cpus"));
    g_ptr_array_add(a, g_strdup_printf("%u", s->vcpus));
    g_ptr_array_add(a, g_strdup("--seed"));
    g_ptr_array_add(a, g_strdup_printf("%" G_GUINT64_FORMAT, s->seed));
    g_ptr_array_add(a, g_strdup("--markers"));
    g_ptr_array_add(a, g_strdup_printf("%u", s->marker_pages));
    g_ptr_array_add(a, g_strdup("--fault"));
    g_ptr_array_add(a, g_strdup(s->ia64_init ? "init" : "panic"));
    g_ptr_array_add(a, g_strdup("--fault-cpu"));
    g_ptr_array_add(a, g_strdup_printf("%d", s->fault_cpu < 0 ? 0 : s->fault_cpu));
    g_ptr_array_add(a, g_strdup("--irqoff"));
    g_ptr_array_add(a, g_strdup(*irq ? irq : "none"));
    g_ptr_array_add(a, g_strdup("--stop"));
    g_ptr_array_add(a, g_strdup(s->stop ? s->stop : "init-all"));
    if (s->init_order) {
        g_ptr_array_add(a, g_strdup("--init-order"));
        g_ptr_array_add(a, g_strdup(s->init_order));
    }
    if (s->variant) {
        g_ptr_array_add(a, g_strdup("--variant"));
        g_ptr_array_add(a, g_strdup(s->variant));
    }
    g_ptr_array_add(a, g_strdup("--vmcore"));
    g_ptr_array_add(a, g_build_filename(dir, "vmcore", NULL));
    g_ptr_array_add(a, g_strdup("--json"));
    g_ptr_array_add(a, g_build_filename(dir, "ia64kdump.json", NULL));
    g_ptr_array_add(a, NULL);
    return a;
}

static const char *str(JsonObject *o, const char *k)
{
    return o && json_object_has_member(o, k) ? json_object_get_string_member(o, k) : NULL;
}

static gint64 num(JsonObject *o, const char *k, gint64 dflt)
{
    return o && json_object_has_member(o, k) ? json_object_get_int_member(o, k) : dflt;
}

/* eu-readelf as referee: an IA-64 core with one NT_PRSTATUS (1144 bytes)
 * per CPU. */
bool dl_ia64_referee(const char *vmcore, unsigned cpus, char **summary)
{
    const char *argv[] = {"eu-readelf", "-h", "-n", vmcore, NULL};
    g_autofree char *out = NULL, *errs = NULL;
    int status = 0;
    g_autoptr(GError) e = NULL;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &errs,
                      &status, &e)) {
        *summary = g_strdup_printf("eu-readelf did not run: %s (install elfutils)", e->message);
        return false;
    }
    unsigned notes = 0;
    bool ia64 = strstr(out, "Intel IA-64") != NULL;
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (int i = 0; lines[i]; i++)
        if (strstr(lines[i], "PRSTATUS") && strstr(lines[i], "CORE") && strstr(lines[i], "1144"))
            notes++;
    bool ok = g_spawn_check_wait_status(status, NULL) && ia64 && notes == cpus;
    *summary =
        g_strdup_printf("eu-readelf: %s core, %u NT_PRSTATUS note%s (expected %u)",
                        ia64 ? "EM_IA_64" : "not an IA-64", notes, notes == 1 ? "" : "s", cpus);
    return ok;
}

/* dumplab's own checker. A reader without EM_IA_64 support says so with
 * its ehdr.machine finding: then the report notes it and eu-readelf and
 * the model's proofs stand in; otherwise its verdict counts. */
void dl_ia64_run_checker(DlReport *rep, const DlScenario *s, const char *vmcore)
{
    DlCheckInput in = {.expect_cpus = (int)s->vcpus};
    g_autoptr(GError) e = NULL;
    g_autoptr(DlCheckResult) r = dl_check_vmcore(vmcore, &in, &e);
    if (!r) {
        dl_report_add_check(rep, "vmcore", false, e->message);
        dl_report_fail(rep, "check", e->message);
        return;
    }
    for (guint i = 0; i < r->findings->len; i++)
        if (!strcmp(((DlFinding *)g_ptr_array_index(r->findings, i))->rule, "ehdr.machine")) {
            dl_report_add_check(rep, "vmcore", true,
                                "dumplab check: this reader has no EM_IA_64 support yet "
                                "(eu-readelf and the model's proofs stand in)");
            return;
        }
    g_autofree char *sum = dl_check_summary(r);
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *fd = g_ptr_array_index(r->findings, i);
        dl_report_add_finding(rep, "vmcore", dl_severity_name(fd->sev), fd->offset, fd->rule,
                              fd->message);
    }
    dl_report_add_check(rep, "vmcore", r->defects == 0, sum);
    if (r->defects)
        dl_report_fail(rep, "check", sum);
}

DlReport *dl_run_ia64(const DlScenario *s, const DlRunOptions *opt)
{
    DlReport *rep = dl_report_new(s->name, s->path);
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = dl_run_make_workdir(opt, s->name, &err);
    if (!dir) {
        dl_report_fail(rep, "setup", err->message);
        dl_report_finish(rep, 0);
        return rep;
    }
    dl_report_set_workdir(rep, dir);
    dl_report_set_kernel(rep, "guest-kernel/ia64 first + capture kernels");
    dl_report_set_accel(rep, "hw-ia64-sal model (platform sim)");
    g_autoptr(GPtrArray) argv = argv_for(s, dl_repo_root(), dir);
    if (!opt->quiet)
        printf("%s: running the IA-64 model (%u CPUs, %s, stop %s)\n", s->name, s->vcpus,
               s->ia64_init ? "platform INIT" : "panic", s->stop);
    g_autofree char *out = NULL, *errs = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, 0, NULL, NULL, &out, &errs, &status,
                      &err)) {
        dl_report_fail(rep, "boot", err->message);
        dl_report_finish(rep, (g_get_monotonic_time() - t0) / 1000);
        return rep;
    }
    gint64 ms = (g_get_monotonic_time() - t0) / 1000;
    /* ia64kdump exits 0 (proofs hold), 1 (a proof failed), 2 (could not run) */
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    g_autofree char *json_path = g_build_filename(dir, "ia64kdump.json", NULL);
    g_autoptr(JsonParser) parser = json_parser_new();
    if (code == 2 || code < 0 || !json_parser_load_from_file(parser, json_path, NULL)) {
        g_autofree char *why = g_strdup_printf("ia64kdump could not run the scenario: %s",
                                               errs && *errs ? g_strstrip(errs) : "no result");
        dl_report_add_phase(rep, "boot", ms, false, why);
        dl_report_fail(rep, "boot", why);
        dl_report_finish(rep, ms);
        return rep;
    }
    JsonObject *o = json_node_get_object(json_parser_get_root(parser));
    dl_report_set_console_tail(rep, str(o, "console"));
    gint64 capture = num(o, "capture_cpu", -1);
    gint64 bundles = num(o, "bundles", 0);
    g_autofree char *crash =
        g_strdup_printf("%s on cpu%d, stop %s; %" G_GINT64_FORMAT " bundles to the end",
                        s->ia64_init ? "platform INIT" : "panic", s->fault_cpu, s->stop, bundles);
    dl_report_add_phase(rep, "boot", 0, true, "first kernel booted on the model");
    dl_report_add_phase(rep, "crash", ms, true, crash);
    JsonArray *findings =
        json_object_has_member(o, "findings") ? json_object_get_array_member(o, "findings") : NULL;
    guint nf = findings ? json_array_get_length(findings) : 0;
    const char *first = nf ? json_array_get_string_element(findings, 0) : NULL;
    if (capture < 0) {
        dl_report_add_phase(rep, "crash-kernel", 0, false, first ? first : "no capture kernel");
        dl_report_fail(rep, "crash-kernel", first ? first : "the capture kernel never ran");
    } else {
        g_autofree char *d = g_strdup_printf("capture kernel on cpu%" G_GINT64_FORMAT, capture);
        dl_report_add_phase(rep, "crash-kernel", 0, true, d);
    }
    const char *vmcore = str(o, "vmcore");
    if (vmcore && *vmcore)
        dl_report_set_dump(rep, "kdump", vmcore, (guint64)num(o, "vmcore_bytes", 0), NULL);
    /* The model's proofs, one finding each */
    for (guint i = 0; i < nf; i++)
        dl_report_add_finding(rep, "model-proofs", "defect", -1, "ia64-model",
                              json_array_get_string_element(findings, i));
    g_autofree char *proofs =
        g_strdup_printf("%u finding%s; %" G_GINT64_FORMAT " NT_PRSTATUS, %" G_GINT64_FORMAT
                        " pages equal to memory at the crash, %" G_GINT64_FORMAT " marker pages",
                        nf, nf == 1 ? "" : "s", num(o, "prstatus_notes", 0),
                        json_object_has_member(o, "snapshot")
                            ? num(json_object_get_object_member(o, "snapshot"), "pages_compared", 0)
                            : 0,
                        num(o, "markers_checked", 0));
    dl_report_add_check(rep, "model-proofs", nf == 0, proofs);
    if (vmcore && *vmcore)
        dl_ia64_run_checker(rep, s, vmcore);
    if (vmcore && *vmcore) {
        g_autofree char *sum = NULL;
        bool ok = dl_ia64_referee(vmcore, s->vcpus, &sum);
        dl_report_add_check(rep, "referee", ok, sum);
        if (!ok)
            dl_report_fail(rep, "check", sum);
    }
    if (nf)
        dl_report_fail(rep, capture < 0 ? "crash-kernel" : "check", first);
    else if (code != 0)
        dl_report_fail(rep, "check", "ia64kdump reported a failure without a finding");
    dl_report_add_phase(rep, "check", 0, nf == 0 && code == 0, proofs);
    dl_report_finish(rep, (g_get_monotonic_time() - t0) / 1000);
    return rep;
}

void dl_ia64_report_result(DlReport *rep, const char *name, const DlCheckResult *r)
{
    const DlFinding *first = NULL, *last = NULL;
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        dl_report_add_finding(rep, name, dl_severity_name(f->sev), f->offset, f->rule, f->message);
        if (f->sev == DL_SEV_DEFECT && !first)
            first = f;
        last = f;
    }
    dl_report_add_check(rep, name, r->defects == 0,
                        first  ? first->message
                        : last ? last->message
                               : "no finding");
    if (r->defects)
        dl_report_fail(rep, "check", first->message);
}
