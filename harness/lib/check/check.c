/* The checker's driver and its output: findings, summary, text, JSON.
 * The rules live in check_*.c, one concern each. */
#include "dumplab/check.h"
#include "dumplab/qemunote.h"
#include "check_internal.h"
#include "dumplab/error.h"
#include "dumplab/prstatus.h"

#include <elf.h>

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
    g_free(r->format);
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

DlCheckResult *dl_check_result_new(void)
{
    DlCheckResult *r = g_new0(DlCheckResult, 1);
    r->findings = g_ptr_array_new_with_free_func((GDestroyNotify)finding_free);
    r->cpus = g_array_new(FALSE, FALSE, sizeof(DlCpuRegs));
    r->dump_level = -1;
    return r;
}

/* The rules every format shares, then the ELF ones when there is a core. */
static void run_rules(DlCheckCtx *ctx, GArray *cpus)
{
    DlCheckResult *r = ctx->r;
    dl_check_layout(ctx);
    dl_check_header(ctx);
    dl_check_notes(ctx);
    dl_check_vmcoreinfo(ctx);
    dl_check_loads(ctx);
    dl_check_text(ctx);
    g_array_append_vals(r->cpus, cpus->data, cpus->len);
    if (r->layout == DL_LAYOUT_QEMU)
        for (guint i = 0; i < r->cpus->len; i++) {
            DlCpuRegs *c = &g_array_index(r->cpus, DlCpuRegs, i);
            c->cpu = dl_qemu_note_cpu(c->pid);
        }
    r->osrelease = g_strdup(dl_ctx_vmci(ctx, "OSRELEASE"));
    r->machine = dl_ctx_machine(ctx);
}

DlCheckResult *dl_check_dump(DlDump *d, const DlCheckInput *in, GError **err)
{
    static const DlCheckInput none = {.expect_cpus = -1};
    g_autoptr(DlCheckResult) r = dl_check_result_new();
    DlCheckCtx ctx = {.dump = d, .elf = dl_dump_ehdr(d), .in = in ? in : &none, .r = r, .text = -1};
    r->format = g_strdup(dl_dump_format_name(d));
    r->page_size = dl_dump_page_size(d);
    r->dump_level = dl_dump_level(d);
    run_rules(&ctx, dl_dump_cpus(d));
    dl_check_kdump(&ctx);
    if (!dl_check_pages(&ctx, err))
        return NULL;
    dl_check_memmap(&ctx);
    dl_check_filter(&ctx);
    /* A rule that took a failed read for a defect was misled if the file
     * changed under it: that is the answer, not the findings. */
    if (!dl_dump_io_ok(d, err))
        return NULL;
    return g_steal_pointer(&r);
}

/* Standard input: one pass over a flattened stream (dl_dump_open_stream
 * verifies the pages as they go by), then the rules on its metadata. */
static DlCheckResult *check_stream(const DlCheckInput *in, GError **err)
{
    static const DlCheckInput none = {.expect_cpus = -1};
    DlStreamStats st;
    g_autoptr(DlDump) d = dl_dump_open_stream(0, "standard input", &st, err);
    if (!d)
        return NULL;
    g_autofree char *problems = st.problems;
    DlCheckInput q = in ? *in : none;
    q.quick = true; /* the pages were read in the pass */
    DlCheckResult *r = dl_check_dump(d, &q, err);
    if (!r)
        return NULL;
    if (in && in->quick)
        return r;
    r->pages_verified = st.pages_verified;
    r->bytes_verified = st.bytes_verified;
    r->seconds = st.seconds;
    if (st.pages_bad || st.pages_missing)
        dl_check_add(r, DL_SEV_DEFECT, -1, "page.unreadable",
                     "%" G_GUINT64_FORMAT " dumped pages cannot be read and %" G_GUINT64_FORMAT
                     " never arrived in the stream: %s",
                     st.pages_bad, st.pages_missing, problems && *problems ? problems : "-");
    dl_check_add(r, DL_SEV_NOTE, -1, "stream.memory",
                 "read in one pass: %" G_GUINT64_FORMAT " MiB of stream, at most %" G_GUINT64_FORMAT
                 " KiB of page data held waiting for its descriptors",
                 st.stream_bytes >> 20, st.max_pending >> 10);
    return r;
}

DlCheckResult *dl_check_vmcore(const char *path, const DlCheckInput *in, GError **err)
{
    if (!strcmp(path, "-"))
        return check_stream(in, err);
    g_autoptr(DlDump) d = dl_dump_open(path, err);
    if (!d)
        return NULL;
    DlCheckResult *r = dl_check_dump(d, in, err);
    if (!r)
        g_prefix_error(err, "%s: ", path);
    return r;
}

char *dl_check_summary(const DlCheckResult *r)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(
        s, "%u defect%s, %u warning%s, %u note%s; ", r->defects, r->defects == 1 ? "" : "s",
        r->warnings, r->warnings == 1 ? "" : "s", r->notes, r->notes == 1 ? "" : "s");
    if (r->format && strcmp(r->format, "ELF64"))
        g_string_append_printf(s, "%s, ", r->format);
    if (r->machine && r->machine != EM_X86_64)
        g_string_append_printf(s, "%s, ", dl_machine_name(r->machine));
    g_string_append_printf(s, "%s layout, %u CPU%s, %" G_GUINT64_FORMAT " MiB RAM",
                           dl_layout_name(r->layout), r->cpus->len, r->cpus->len == 1 ? "" : "s",
                           r->ram_bytes >> 20);
    if (r->dump_level > 0)
        g_string_append_printf(s, ", dump level %d", r->dump_level);
    if (r->osrelease)
        g_string_append_printf(s, ", %s", r->osrelease);
    return g_string_free(s, FALSE);
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
        const DlPrstatusLayout *l = dl_prstatus_layout(c->machine);
        if (!l || !c->regs_valid) {
            fprintf(out, "cpu note %u: cpu %s pid %d (registers not read)\n", c->index, cpu,
                    c->pid);
            continue;
        }
        fprintf(out,
                "cpu note %u: cpu %s pid %d %s 0x%016" G_GINT64_MODIFIER "x %s 0x%016"
                G_GINT64_MODIFIER "x",
                c->index, cpu, c->pid, l->ip_name, c->ip, l->sp_name, c->sp);
        if (c->machine == EM_IA_64)
            fprintf(out,
                    " cfm 0x%" G_GINT64_MODIFIER "x psr 0x%" G_GINT64_MODIFIER
                    "x bsp 0x%" G_GINT64_MODIFIER "x",
                    c->cfm, c->psr, c->bsp);
        fputc('\n', out);
    }
    if (r->pages_present || r->pages_excluded)
        fprintf(out,
                "pages: %" G_GUINT64_FORMAT " present, %" G_GUINT64_FORMAT
                " verified, %" G_GUINT64_FORMAT " excluded by the filter\n",
                r->pages_present, r->pages_verified, r->pages_excluded);
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
    json_builder_set_member_name(b, "format");
    json_builder_add_string_value(b, r->format ? r->format : "ELF64");
    json_builder_set_member_name(b, "machine");
    json_builder_add_string_value(b, dl_machine_name(r->machine));
    json_builder_set_member_name(b, "page_size");
    json_builder_add_int_value(b, r->page_size);
    json_builder_set_member_name(b, "dump_level");
    json_builder_add_int_value(b, r->dump_level);
    json_builder_set_member_name(b, "pages");
    json_builder_begin_object(b);
    const struct {
        const char *k;
        guint64 v;
    } pn[] = {{"present", r->pages_present},
              {"verified", r->pages_verified},
              {"excluded", r->pages_excluded},
              {"bytes_verified", r->bytes_verified}};
    for (guint i = 0; i < G_N_ELEMENTS(pn); i++) {
        json_builder_set_member_name(b, pn[i].k);
        json_builder_add_int_value(b, (gint64)pn[i].v);
    }
    json_builder_set_member_name(b, "seconds");
    json_builder_add_double_value(b, r->seconds);
    json_builder_set_member_name(b, "throughput_mib_s");
    json_builder_add_double_value(b, r->seconds > 0 ? r->bytes_verified / 1048576.0 / r->seconds
                                                    : 0.0);
    if (r->classified) {
        json_builder_set_member_name(b, "excluded_by_class");
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "zero");
        json_builder_add_int_value(b, (gint64)r->excluded_zero);
        for (int k = DL_PC_FREE; k <= DL_PC_UNREADABLE; k++) {
            json_builder_set_member_name(b, dl_pageclass_name(k));
            json_builder_add_int_value(b, (gint64)r->excluded_class[k]);
        }
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
    json_builder_set_member_name(b, "cpus");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->cpus->len; i++) {
        const DlCpuRegs *c = &g_array_index(r->cpus, DlCpuRegs, i);
        g_autofree char *rip = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", c->ip);
        g_autofree char *rsp = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", c->sp);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "note");
        json_builder_add_int_value(b, c->index);
        json_builder_set_member_name(b, "cpu");
        json_builder_add_int_value(b, c->cpu);
        json_builder_set_member_name(b, "pid");
        json_builder_add_int_value(b, c->pid);
        const DlPrstatusLayout *l = dl_prstatus_layout(c->machine);
        if (l && c->regs_valid) {
            json_builder_set_member_name(b, l->ip_name);
            json_builder_add_string_value(b, rip);
            json_builder_set_member_name(b, l->sp_name);
            json_builder_add_string_value(b, rsp);
        }
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
