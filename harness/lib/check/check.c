/* The checker's driver and its output: findings, summary, text, JSON.
 * The rules live in check_*.c, one concern each. */
#include "dumplab/check.h"
#include "dumplab/qemunote.h"
#include "check_internal.h"
#include "dumplab/error.h"

#include <string.h>

static void finding_free(DlFinding *f)
{
    g_free(f->rule);
    g_free(f->message);
    g_free(f);
}

void dl_check_add(DlCheckResult *r, DlSeverity sev, gint64 offset, const char *rule,
                  const char *fmt, ...)
{
    DlFinding *f = g_new0(DlFinding, 1);
    va_list ap;
    va_start(ap, fmt);
    f->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    f->sev = sev;
    f->offset = offset;
    f->rule = g_strdup(rule);
    g_ptr_array_add(r->findings, f);
    if (sev == DL_SEV_DEFECT)
        r->defects++;
    else if (sev == DL_SEV_WARNING)
        r->warnings++;
    else
        r->notes++;
}

void dl_check_result_free(DlCheckResult *r)
{
    if (!r)
        return;
    g_ptr_array_free(r->findings, TRUE);
    if (r->cpus)
        g_array_free(r->cpus, TRUE);
    g_free(r->osrelease);
    g_free(r);
}

const char *dl_severity_name(DlSeverity s)
{
    return s == DL_SEV_DEFECT ? "defect" : s == DL_SEV_WARNING ? "warning" : "note";
}

const char *dl_layout_name(DlLayout l)
{
    switch (l) {
    case DL_LAYOUT_KEXEC_LOAD:
        return "kexec_load";
    case DL_LAYOUT_KEXEC_FILE_LOAD:
        return "kexec_file_load";
    case DL_LAYOUT_QEMU:
        return "qemu";
    default:
        return "unknown";
    }
}

DlCheckResult *dl_check_core(const DlCore *core, const DlCheckInput *in)
{
    static const DlCheckInput none = {.expect_cpus = -1};
    DlCheckResult *r = g_new0(DlCheckResult, 1);
    r->findings = g_ptr_array_new_with_free_func((GDestroyNotify)finding_free);
    if (!in)
        in = &none;
    DlCheckCtx ctx = {.core = core, .in = in, .r = r, .text = -1};
    dl_check_layout(&ctx);
    dl_check_header(&ctx);
    dl_check_notes(&ctx);
    dl_check_vmcoreinfo(&ctx);
    dl_check_loads(&ctx);
    dl_check_text(&ctx);
    dl_check_memmap(&ctx);
    GArray *cpus = dl_core_cpus(core);
    r->cpus = g_array_sized_new(FALSE, FALSE, sizeof(DlCpuRegs), cpus->len);
    g_array_append_vals(r->cpus, cpus->data, cpus->len);
    if (r->layout == DL_LAYOUT_QEMU)
        for (guint i = 0; i < r->cpus->len; i++) {
            DlCpuRegs *c = &g_array_index(r->cpus, DlCpuRegs, i);
            c->cpu = dl_qemu_note_cpu(c->pid);
        }
    const char *os = dl_core_vmcoreinfo_get(core, "OSRELEASE");
    r->osrelease = g_strdup(os);
    return r;
}

DlCheckResult *dl_check_vmcore(const char *path, const DlCheckInput *in, GError **err)
{
    g_autoptr(DlCore) core = dl_core_open(path, err);
    if (!core)
        return NULL;
    return dl_check_core(core, in);
}

char *dl_check_summary(const DlCheckResult *r)
{
    return g_strdup_printf(
        "%u defect%s, %u warning%s, %u note%s; %s layout, %u CPU%s, %" G_GUINT64_FORMAT
        " MiB RAM%s%s",
        r->defects, r->defects == 1 ? "" : "s", r->warnings, r->warnings == 1 ? "" : "s", r->notes,
        r->notes == 1 ? "" : "s", dl_layout_name(r->layout), r->cpus->len,
        r->cpus->len == 1 ? "" : "s", r->ram_bytes >> 20, r->osrelease ? ", " : "",
        r->osrelease ? r->osrelease : "");
}

void dl_check_print(const DlCheckResult *r, FILE *out)
{
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        fprintf(out, "%-7s %-24s", dl_severity_name(f->sev), f->rule);
        if (f->offset >= 0)
            fprintf(out, " @0x%-8" G_GINT64_MODIFIER "x", f->offset);
        fprintf(out, " %s\n", f->message);
    }
    for (guint i = 0; i < r->cpus->len; i++) {
        const DlCpuRegs *c = &g_array_index(r->cpus, DlCpuRegs, i);
        /* kdump notes do not say which CPU wrote them (cpumap.c works that out). */
        g_autofree char *cpu = c->cpu < 0 ? g_strdup("?") : g_strdup_printf("%d", c->cpu);
        fprintf(out,
                "cpu note %u: cpu %s pid %d rip 0x%016" G_GINT64_MODIFIER
                "x rsp 0x%016" G_GINT64_MODIFIER "x\n",
                c->index, cpu, c->pid, c->rip, c->rsp);
    }
    g_autofree char *s = dl_check_summary(r);
    fprintf(out, "%s\n", s);
}

JsonNode *dl_check_to_json(const DlCheckResult *r)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "layout");
    json_builder_add_string_value(b, dl_layout_name(r->layout));
    json_builder_set_member_name(b, "defects");
    json_builder_add_int_value(b, r->defects);
    json_builder_set_member_name(b, "warnings");
    json_builder_add_int_value(b, r->warnings);
    json_builder_set_member_name(b, "notes");
    json_builder_add_int_value(b, r->notes);
    json_builder_set_member_name(b, "osrelease");
    if (r->osrelease)
        json_builder_add_string_value(b, r->osrelease);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "ram_bytes");
    json_builder_add_int_value(b, (gint64)r->ram_bytes);
    json_builder_set_member_name(b, "cpus");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->cpus->len; i++) {
        const DlCpuRegs *c = &g_array_index(r->cpus, DlCpuRegs, i);
        g_autofree char *rip = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", c->rip);
        g_autofree char *rsp = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", c->rsp);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "note");
        json_builder_add_int_value(b, c->index);
        json_builder_set_member_name(b, "cpu");
        json_builder_add_int_value(b, c->cpu);
        json_builder_set_member_name(b, "pid");
        json_builder_add_int_value(b, c->pid);
        json_builder_set_member_name(b, "rip");
        json_builder_add_string_value(b, rip);
        json_builder_set_member_name(b, "rsp");
        json_builder_add_string_value(b, rsp);
        json_builder_set_member_name(b, "offset");
        json_builder_add_int_value(b, (gint64)c->offset);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "findings");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "severity");
        json_builder_add_string_value(b, dl_severity_name(f->sev));
        json_builder_set_member_name(b, "rule");
        json_builder_add_string_value(b, f->rule);
        json_builder_set_member_name(b, "offset");
        if (f->offset >= 0)
            json_builder_add_int_value(b, f->offset);
        else
            json_builder_add_null_value(b);
        json_builder_set_member_name(b, "message");
        json_builder_add_string_value(b, f->message);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}
