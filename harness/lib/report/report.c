/* The run report: what happened, phase by phase, and what came out. */
#include "dumplab/report.h"
#include "dumplab/error.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "report_priv.h"

static void phase_clear(Phase *p)
{
    g_free(p->name);
    g_free(p->detail);
}
static void dump_clear(Dump *d)
{
    g_free(d->source);
    g_free(d->path);
    g_free(d->dmesg);
}
static void check_clear(Check *c)
{
    g_free(c->name);
    g_free(c->summary);
}
static void region_clear(Region *g)
{
    g_free(g->kind);
    g_free(g->label);
}
static void cpu_clear(CpuRow *c)
{
    g_free(c->where);
    g_free(c->role);
}
static void finding_clear(Finding *f)
{
    g_free(f->check);
    g_free(f->severity);
    g_free(f->rule);
    g_free(f->message);
}

DlReport *dl_report_new(const char *scenario_name, const char *scenario_path)
{
    DlReport *r = g_new0(DlReport, 1);
    r->name = g_strdup(scenario_name);
    r->path = g_strdup(scenario_path);
    r->expected = -1;
    r->phases = g_array_new(FALSE, TRUE, sizeof(Phase));
    g_array_set_clear_func(r->phases, (GDestroyNotify)phase_clear);
    r->dumps = g_array_new(FALSE, TRUE, sizeof(Dump));
    g_array_set_clear_func(r->dumps, (GDestroyNotify)dump_clear);
    r->checks = g_array_new(FALSE, TRUE, sizeof(Check));
    g_array_set_clear_func(r->checks, (GDestroyNotify)check_clear);
    r->findings = g_array_new(FALSE, TRUE, sizeof(Finding));
    g_array_set_clear_func(r->findings, (GDestroyNotify)finding_clear);
    r->regions = g_array_new(FALSE, TRUE, sizeof(Region));
    g_array_set_clear_func(r->regions, (GDestroyNotify)region_clear);
    r->cpus = g_array_new(FALSE, TRUE, sizeof(CpuRow));
    g_array_set_clear_func(r->cpus, (GDestroyNotify)cpu_clear);
    return r;
}

void dl_report_free(DlReport *r)
{
    if (!r)
        return;
    g_free(r->name);
    g_free(r->path);
    g_free(r->failed_phase);
    g_free(r->reason);
    g_free(r->console_tail);
    g_free(r->workdir);
    g_free(r->kernel);
    g_free(r->accel);
    g_free(r->domain);
    g_array_free(r->phases, TRUE);
    g_array_free(r->dumps, TRUE);
    g_array_free(r->checks, TRUE);
    g_array_free(r->findings, TRUE);
    g_array_free(r->regions, TRUE);
    g_array_free(r->cpus, TRUE);
    g_free(r->host);
    g_free(r);
}

void dl_report_add_phase(DlReport *r, const char *phase, gint64 ms, bool ok, const char *detail)
{
    Phase p = {g_strdup(phase), g_strdup(detail), ms, ok};
    g_array_append_val(r->phases, p);
}

void dl_report_fail(DlReport *r, const char *phase, const char *reason)
{
    if (r->failed_phase)
        return;
    r->failed_phase = g_strdup(phase ? phase : "?");
    r->reason = g_strdup(reason ? reason : "");
}

static void set_str(char **slot, const char *v)
{
    g_free(*slot);
    *slot = g_strdup(v);
}

void dl_report_set_console_tail(DlReport *r, const char *tail)
{
    set_str(&r->console_tail, tail);
}
void dl_report_set_workdir(DlReport *r, const char *workdir)
{
    set_str(&r->workdir, workdir);
}
void dl_report_set_kernel(DlReport *r, const char *version)
{
    set_str(&r->kernel, version);
}
void dl_report_set_accel(DlReport *r, const char *accel)
{
    set_str(&r->accel, accel);
}
void dl_report_set_domain(DlReport *r, const char *name)
{
    set_str(&r->domain, name);
}

void dl_report_set_dump(DlReport *r, const char *source, const char *path, guint64 size,
                        const char *dmesg)
{
    Dump d = {g_strdup(source), g_strdup(path), g_strdup(dmesg), size, false};
    g_array_append_val(r->dumps, d);
}

void dl_report_prune_dumps(DlReport *r)
{
    for (guint i = 0; i < r->dumps->len; i++) {
        Dump *d = &g_array_index(r->dumps, Dump, i);
        if (d->path && g_unlink(d->path) == 0)
            d->pruned = true;
    }
}

void dl_report_add_check(DlReport *r, const char *name, bool ok, const char *summary)
{
    Check c = {g_strdup(name), g_strdup(summary), ok};
    g_array_append_val(r->checks, c);
}

void dl_report_add_finding(DlReport *r, const char *check, const char *severity, gint64 offset,
                           const char *rule, const char *message)
{
    Finding f = {g_strdup(check), g_strdup(severity), g_strdup(rule), g_strdup(message), offset};
    g_array_append_val(r->findings, f);
}

void dl_report_add_region(DlReport *r, const char *kind, guint64 start, guint64 end,
                          const char *label)
{
    Region g = {g_strdup(kind), g_strdup(label), start, end};
    g_array_append_val(r->regions, g);
}

void dl_report_add_cpu(DlReport *r, int note, int cpu, int pid, guint64 ip, guint64 sp,
                       const char *where, const char *role)
{
    CpuRow c = {note, cpu, pid, ip, sp, g_strdup(where), g_strdup(role)};
    g_array_append_val(r->cpus, c);
}

void dl_report_set_host(DlReport *r, const char *host)
{
    set_str(&r->host, host);
}

void dl_report_finish(DlReport *r, gint64 ms)
{
    r->ms = ms;
}

bool dl_report_passed(const DlReport *r)
{
    return r->failed_phase == NULL;
}
const char *dl_report_failed_phase(const DlReport *r)
{
    return r->failed_phase;
}
const char *dl_report_workdir(const DlReport *r)
{
    return r->workdir;
}
const char *dl_report_name(const DlReport *r)
{
    return r->name;
}
gint64 dl_report_ms(const DlReport *r)
{
    return r->ms;
}

/* The dump the run returns: the first that is not the cross-check's
 * reference. */
static const Dump *run_dump(const DlReport *r)
{
    for (guint i = 0; i < r->dumps->len; i++) {
        const Dump *d = &g_array_index(r->dumps, Dump, i);
        if (strcmp(d->source, "hypervisor-reference") != 0)
            return d;
    }
    return NULL;
}

const char *dl_report_checker_summary(const DlReport *r)
{
    for (guint i = 0; i < r->checks->len; i++) {
        const Check *c = &g_array_index(r->checks, Check, i);
        if (!strcmp(c->name, "vmcore"))
            return c->summary ? c->summary : "";
    }
    return "";
}

bool dl_report_as_expected(const DlReport *r, const DlScenario *s)
{
    if (s->expect_verdict == DL_EXPECT_PASS) {
        if (!dl_report_passed(r))
            return false;
    } else {
        if (dl_report_passed(r))
            return false;
        if (s->expect_phase && g_strcmp0(s->expect_phase, r->failed_phase) != 0)
            return false;
    }
    if (s->expect_dump != DL_DUMP_ANY && s->expect_verdict == DL_EXPECT_PASS) {
        const Dump *d = run_dump(r);
        const char *want = dl_dump_source_name(s->expect_dump);
        if (s->expect_dump == DL_DUMP_NONE ? d != NULL : (!d || strcmp(d->source, want) != 0))
            return false;
    }
    return true;
}

void dl_report_set_expected(DlReport *r, bool as_expected)
{
    r->expected = as_expected;
}

static JsonNode *to_json(const DlReport *r)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
#define STR(k, v)                                                                                  \
    do {                                                                                           \
        json_builder_set_member_name(b, k);                                                        \
        if (v)                                                                                     \
            json_builder_add_string_value(b, v);                                                   \
        else                                                                                       \
            json_builder_add_null_value(b);                                                        \
    } while (0)
    STR("scenario", r->name);
    STR("path", r->path);
    STR("verdict", dl_report_passed(r) ? "PASS" : "FAIL");
    json_builder_set_member_name(b, "as_expected");
    if (r->expected >= 0)
        json_builder_add_boolean_value(b, r->expected);
    else
        json_builder_add_null_value(b);
    STR("failed_phase", r->failed_phase);
    STR("reason", r->reason);
    STR("kernel", r->kernel);
    STR("accel", r->accel);
    STR("domain", r->domain);
    STR("workdir", r->workdir);
    json_builder_set_member_name(b, "ms");
    json_builder_add_int_value(b, r->ms);
    json_builder_set_member_name(b, "phases");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->phases->len; i++) {
        const Phase *p = &g_array_index(r->phases, Phase, i);
        json_builder_begin_object(b);
        STR("name", p->name);
        json_builder_set_member_name(b, "ms");
        json_builder_add_int_value(b, p->ms);
        json_builder_set_member_name(b, "ok");
        json_builder_add_boolean_value(b, p->ok);
        STR("detail", p->detail);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "dumps");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->dumps->len; i++) {
        const Dump *d = &g_array_index(r->dumps, Dump, i);
        json_builder_begin_object(b);
        STR("source", d->source);
        STR("path", d->path);
        json_builder_set_member_name(b, "size");
        json_builder_add_int_value(b, (gint64)d->size);
        json_builder_set_member_name(b, "removed");
        json_builder_add_boolean_value(b, d->pruned);
        STR("dmesg", d->dmesg);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    const Dump *rd = run_dump(r);
    STR("dump_source", rd ? rd->source : NULL);
    json_builder_set_member_name(b, "checks");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->checks->len; i++) {
        const Check *c = &g_array_index(r->checks, Check, i);
        json_builder_begin_object(b);
        STR("name", c->name);
        json_builder_set_member_name(b, "ok");
        json_builder_add_boolean_value(b, c->ok);
        STR("summary", c->summary);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "findings");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->findings->len; i++) {
        const Finding *f = &g_array_index(r->findings, Finding, i);
        json_builder_begin_object(b);
        STR("check", f->check);
        STR("severity", f->severity);
        json_builder_set_member_name(b, "offset");
        if (f->offset >= 0)
            json_builder_add_int_value(b, f->offset);
        else
            json_builder_add_null_value(b);
        STR("rule", f->rule);
        STR("message", f->message);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    STR("console_tail", r->console_tail);
    STR("host", r->host);
    json_builder_set_member_name(b, "regions");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->regions->len; i++) {
        const Region *g = &g_array_index(r->regions, Region, i);
        g_autofree char *start = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", g->start);
        g_autofree char *end = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", g->end);
        json_builder_begin_object(b);
        STR("kind", g->kind);
        STR("start", start);
        STR("end", end);
        STR("label", g->label);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "cpus");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->cpus->len; i++) {
        const CpuRow *c = &g_array_index(r->cpus, CpuRow, i);
        g_autofree char *ip = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", c->ip);
        g_autofree char *sp = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", c->sp);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "note");
        json_builder_add_int_value(b, c->note);
        json_builder_set_member_name(b, "cpu");
        json_builder_add_int_value(b, c->cpu);
        json_builder_set_member_name(b, "pid");
        json_builder_add_int_value(b, c->pid);
        STR("ip", ip);
        STR("sp", sp);
        STR("where", c->where);
        STR("role", c->role);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
#undef STR
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

bool dl_report_write_json(const DlReport *r, const char *path, GError **err)
{
    g_autoptr(JsonNode) root = to_json(r);
    g_autoptr(JsonGenerator) gen = json_generator_new();
    json_generator_set_pretty(gen, TRUE);
    json_generator_set_root(gen, root);
    if (!json_generator_to_file(gen, path, err)) {
        g_prefix_error(err, "%s: ", path);
        return false;
    }
    return true;
}

static void write_text(const DlReport *r, GString *o)
{
    g_string_append_printf(o, "scenario: %s (%s)\n", r->name, r->path ? r->path : "?");
    g_string_append_printf(o, "verdict:  %s\n", dl_report_passed(r) ? "PASS" : "FAIL");
    if (r->failed_phase)
        g_string_append_printf(o, "failed:   %s: %s\n", r->failed_phase, r->reason);
    g_string_append_printf(o, "kernel:   %s\naccel:    %s\ndomain:   %s\ntime:     %.1f s\n\n",
                           r->kernel ? r->kernel : "?", r->accel ? r->accel : "?",
                           r->domain ? r->domain : "?", r->ms / 1000.0);
    g_string_append(o, "phases:\n");
    for (guint i = 0; i < r->phases->len; i++) {
        const Phase *p = &g_array_index(r->phases, Phase, i);
        g_string_append_printf(o, "  %-13s %-4s %7.1f s  %s\n", p->name, p->ok ? "ok" : "FAIL",
                               p->ms / 1000.0, p->detail ? p->detail : "");
    }
    if (r->dumps->len) {
        g_string_append(o, "\ndumps:\n");
        for (guint i = 0; i < r->dumps->len; i++) {
            const Dump *d = &g_array_index(r->dumps, Dump, i);
            g_string_append_printf(o, "  %-21s %s (%" G_GUINT64_FORMAT " bytes%s)\n", d->source,
                                   d->path, d->size, d->pruned ? ", removed after checking" : "");
            if (d->dmesg)
                g_string_append_printf(o, "  %-21s %s\n", "  dmesg", d->dmesg);
        }
    }
    if (r->checks->len) {
        g_string_append(o, "\nchecks:\n");
        for (guint i = 0; i < r->checks->len; i++) {
            const Check *c = &g_array_index(r->checks, Check, i);
            g_string_append_printf(o, "  %-12s %-4s %s\n", c->name, c->ok ? "ok" : "FAIL",
                                   c->summary ? c->summary : "");
        }
    }
    if (r->findings->len) {
        g_string_append(o, "\nfindings:\n");
        for (guint i = 0; i < r->findings->len; i++) {
            const Finding *f = &g_array_index(r->findings, Finding, i);
            g_string_append_printf(o, "  [%s] %s %s", f->check, f->severity, f->rule);
            if (f->offset >= 0)
                g_string_append_printf(o, " @0x%" G_GINT64_MODIFIER "x", f->offset);
            g_string_append_printf(o, ": %s\n", f->message);
        }
    }
    if (r->console_tail && r->failed_phase)
        g_string_append_printf(o, "\nlast console lines:\n%s\n", r->console_tail);
}

bool dl_report_write_text(const DlReport *r, const char *path, GError **err)
{
    g_autoptr(GString) o = g_string_new(NULL);
    write_text(r, o);
    if (!g_file_set_contents(path, o->str, (gssize)o->len, err)) {
        g_prefix_error(err, "%s: ", path);
        return false;
    }
    return true;
}

void dl_report_print_summary(const DlReport *r, FILE *out)
{
    fprintf(out, "\nverdict: %s\n", dl_report_passed(r) ? "PASS" : "FAIL");
    if (r->failed_phase) {
        fprintf(out, "failed:  %s: %s\n", r->failed_phase, r->reason);
        if (r->console_tail && *r->console_tail) {
            fprintf(out, "last console lines:\n");
            g_auto(GStrv) lines = g_strsplit(r->console_tail, "\n", -1);
            for (int i = 0; lines[i]; i++)
                fprintf(out, "  | %s\n", lines[i]);
        }
    }
    for (guint i = 0; i < r->dumps->len; i++) {
        const Dump *d = &g_array_index(r->dumps, Dump, i);
        fprintf(out, "%-8s %s (%s)\n", !strcmp(d->source, "kdump") ? "vmcore:" : "dump:", d->path,
                d->source);
    }
    for (guint i = 0; i < r->checks->len; i++) {
        const Check *c = &g_array_index(r->checks, Check, i);
        fprintf(out, "%-8s %s %s\n",
                !strcmp(c->name, "vmcore") ? "checker:" : "check:", c->ok ? "ok  " : "FAIL",
                c->summary ? c->summary : "");
    }
    fprintf(out, "workdir: %s\n", r->workdir ? r->workdir : "-");
    fprintf(out, "time:    %.1f s\n", r->ms / 1000.0);
    /* Scripts grep this exact last line; keep it free of extras. */
    if (r->failed_phase)
        fprintf(out, "%s: FAIL in %s: %s\n", r->name, r->failed_phase, r->reason);
    else
        fprintf(out, "%s: PASS\n", r->name);
    fflush(out);
}

void dl_report_print_table(GPtrArray *reports, FILE *out)
{
    int w = 8;
    for (guint i = 0; i < reports->len; i++)
        w = MAX(w, (int)strlen(dl_report_name(g_ptr_array_index(reports, i))));
    fprintf(out, "\n%-*s  %-7s  %-8s  %-13s  %-11s  %8s\n", w, "scenario", "verdict", "expected",
            "failed phase", "dump", "seconds");
    guint passed = 0, unexpected = 0;
    gint64 total = 0;
    for (guint i = 0; i < reports->len; i++) {
        const DlReport *r = g_ptr_array_index(reports, i);
        const Dump *d = run_dump(r);
        passed += dl_report_passed(r);
        total += r->ms;
        unexpected += r->expected == 0;
        fprintf(out, "%-*s  %-7s  %-8s  %-13s  %-11s  %8.1f\n", w, r->name,
                dl_report_passed(r) ? "PASS" : "FAIL",
                r->expected < 0 ? "?"
                : r->expected   ? "yes"
                                : "NO",
                r->failed_phase ? r->failed_phase : "-", d ? d->source : "-", r->ms / 1000.0);
    }
    fprintf(out, "%u run%s: %u PASS, %u FAIL, %u not as the scenario expects, in %.1f s\n",
            reports->len, reports->len == 1 ? "" : "s", passed, reports->len - passed, unexpected,
            total / 1000.0);
}
