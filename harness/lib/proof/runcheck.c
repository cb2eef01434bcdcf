/* After a run collected its vmcore: the checker with the scenario's
 * expectations and the first kernel's memory map, then the makedumpfile
 * referee. Each adds a check to the report; the first that fails names the
 * run's failure. */
#include "dumplab/runcheck.h"
#include "dumplab/agentchan.h"
#include "dumplab/check.h"
#include "dumplab/dump.h"
#include "dumplab/error.h"
#include "dumplab/iomem.h"
#include "dumplab/proof.h"
#include "dumplab/report_views.h"

#include <string.h>

static void add_findings(DlReport *rep, const char *check, const DlCheckResult *r)
{
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        dl_report_add_finding(rep, check, dl_severity_name(f->sev), f->offset, f->rule, f->message);
    }
}

static const DlFinding *first_defect(const DlCheckResult *r)
{
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        if (f->sev == DL_SEV_DEFECT)
            return f;
    }
    return NULL;
}

/* One proof's findings into the report as a check of its own. */
static bool proof_check(DlReport *rep, const char *name, DlCheckResult *pr, bool ok, GError **err)
{
    GString *sum = g_string_new(NULL);
    for (guint i = 0; i < pr->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(pr->findings, i);
        dl_report_add_finding(rep, name, dl_severity_name(f->sev), f->offset, f->rule, f->message);
        if (f->sev == DL_SEV_DEFECT || !ok || pr->findings->len <= 4)
            g_string_append_printf(sum, "%s%s", sum->len ? "; " : "", f->message);
    }
    if (!sum->len)
        g_string_append(sum, "no findings");
    ok = ok && pr->defects == 0;
    dl_report_add_check(rep, name, ok, sum->str);
    if (!ok && err && !*err)
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "%s: %s", name, sum->str);
    g_string_free(sum, TRUE);
    return ok;
}

static void finding_free(DlFinding *f)
{
    g_free(f->rule);
    g_free(f->message);
    g_free(f);
}

/* An empty result over the same core, for one proof's findings. */
static DlCheckResult *proof_result(const DlCheckResult *base)
{
    DlCheckResult *pr = g_new0(DlCheckResult, 1);
    pr->findings = g_ptr_array_new_with_free_func((GDestroyNotify)finding_free);
    pr->layout = base->layout;
    pr->cpus = g_array_copy(base->cpus);
    return pr;
}

/* True (the check failed, err set unless already) when a read of d met
 * the file changed under the proof: its findings would mislead. */
static bool changed(DlReport *rep, const char *name, DlDump *d, GError **err)
{
    GError *e = NULL;
    if (dl_dump_io_ok(d, &e))
        return false;
    g_prefix_error(&e, "%s: ", name);
    dl_report_add_check(rep, name, false, e->message);
    if (err && !*err)
        g_propagate_error(err, e);
    else
        g_error_free(e);
    return true;
}

/* The register proof, the marker pages and the cross-check with the
 * hypervisor's dump. Only kdump vmcores get the register proof: in a
 * hypervisor's dump of a panicked guest the CPUs were stopped wherever the
 * panic loop had them. */
static bool run_proofs(const DlRunCheck *in, DlDump *dump,
                       const DlCheckResult *base,
                       GArray *ram, GArray *ck, const char *dmesg_path, DlReport *rep,
                       GError **err)
{
    const DlScenario *s = in->scn;
    bool ok = true;
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; in->manifest && i < in->manifest->len; i++)
        g_ptr_array_add(lines, g_strdup(g_ptr_array_index(in->manifest, i)));
    g_autofree char *dmesg = NULL;
    if (dmesg_path)
        g_file_get_contents(dmesg_path, &dmesg, NULL, NULL);
    GError *e = NULL;
    g_autoptr(DlManifest) m = dl_manifest_parse(lines, dmesg, &e);
    if (!m) {
        dl_report_add_check(rep, "registers", false, e->message);
        g_propagate_prefixed_error(err, e, "the guest's manifest: ");
        return false;
    }
    DlLayout layout = base->layout;
    /* kdump-compressed or flattened: the note-to-CPU map compares notes at
     * their ELF file offsets, which only an ELF core has. */
    bool elf = dl_dump_format(dump) == DL_FMT_ELF;
    if (!elf)
        dl_report_add_check(rep, "registers", true,
                            "not run: the register proof reads ELF notes; this dump is not ELF");
    else if (layout != DL_LAYOUT_QEMU) {
        DlCheckResult *pr = proof_result(base);
        dl_proof_map_cpus(dump, m, s->vcpus, pr);
        dl_report_note_cpus(rep, pr->cpus, m);
        bool rok = dl_proof_registers(m, pr);
        if (!changed(rep, "registers", dump, err))
            ok &= proof_check(rep, "registers", pr, rok, err);
        else
            ok = false;
        dl_check_result_free(pr);
    }
    if (s->marker_pages > 0 && elf) {
        DlCheckResult *pr = proof_result(base);
        bool mok =
            m->markers->len > 0 && dl_proof_markers(dump, m, s->marker_pages, s->seed, pr);
        if (!m->markers->len)
            dl_check_add(pr, DL_SEV_DEFECT, -1, "markers.none",
                         "the scenario asked for %u marker pages, the guest reported none",
                         s->marker_pages);
        if (!changed(rep, "markers", dump, err))
            ok &= proof_check(rep, "markers", pr, mok, err);
        else
            ok = false;
        dl_check_result_free(pr);
    }
    if (in->hv_dump && layout != DL_LAYOUT_QEMU) {
        DlCheckResult *pr = proof_result(base);
        g_autoptr(DlDump) hv = dl_dump_open(in->hv_dump, &e);
        if (!hv) {
            dl_check_add(pr, DL_SEV_DEFECT, -1, "compare.unreadable", "%s", e->message);
            g_clear_error(&e);
            ok &= proof_check(rep, "cross-check", pr, false, err);
        } else {
            gint64 t0 = g_get_monotonic_time();
            DlCompareStats st;
            bool cok = dl_proof_compare(dump, hv, ram->len ? ram : NULL, ck, pr, &st);
            dl_check_add(pr, DL_SEV_NOTE, -1, "compare.time", "compared in %.2f s",
                         (g_get_monotonic_time() - t0) / 1e6);
            dl_report_note_differ(rep, st.differ);
            if (st.differ)
                g_array_free(st.differ, TRUE);
            if (!changed(rep, "cross-check", dump, err) && !changed(rep, "cross-check", hv, err))
                ok &= proof_check(rep, "cross-check", pr, cok, err);
            else
                ok = false;
        }
        dl_check_result_free(pr);
    }
    return ok;
}

bool dl_run_check(const DlRunCheck *in, DlReport *rep, GError **err)
{
    const DlScenario *s = in->scn;
    g_autoptr(GArray) ram = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
    dl_iomem_from_msgs(in->iomem, ram, ck);
    dl_report_note_iomem(rep, in->iomem);
    DlCheckInput ci = {
        .expect_cpus = s->expect_cpus,
        .ram = ram->len ? ram : NULL,
        .crashkernel = ck->len ? ck : NULL,
    };
    /* The one reader: the checker reads every page of the vmcore, the
     * proofs read notes and frames through it too. */
    g_autoptr(DlDump) dump = dl_dump_open(in->vmcore, err);
    g_autoptr(DlCheckResult) r = dump ? dl_check_dump(dump, &ci, err) : NULL;
    if (!r) {
        g_prefix_error(err, "the checker cannot read %s: ", in->vmcore);
        dl_report_add_check(rep, "vmcore", false, (*err)->message);
        return false;
    }
    dl_report_note_segments(rep, dump);
    g_autofree char *summary = dl_check_summary(r);
    add_findings(rep, "vmcore", r);
    dl_report_add_check(rep, "vmcore", r->defects == 0, summary);
    g_autofree char *json_path = g_build_filename(in->workdir, "check.json", NULL);
    {
        g_autoptr(JsonNode) node = dl_check_to_json(r);
        g_autoptr(JsonGenerator) gen = json_generator_new();
        json_generator_set_pretty(gen, TRUE);
        json_generator_set_root(gen, node);
        json_generator_to_file(gen, json_path, NULL);
    }

    /* An independent reader must find the panic text in the vmcore's log. */
    g_autofree char *ref_out = g_build_filename(in->workdir, "referee-dmesg.txt", NULL);
    bool found = false;
    GError *rerr = NULL, *perr = NULL;
    bool ref_ok = dl_referee_dmesg(in->vmcore, ref_out, s->expect_panic, in->timeout_scale,
                                   in->progress, in->progress_data, &found, &rerr);
    if (!ref_ok) {
        dl_report_add_check(rep, "referee", false, rerr->message);
    } else {
        g_autofree char *msg =
            s->expect_panic
                ? g_strdup_printf("the vmcore's log (makedumpfile, else crash) %s \"%s\"",
                                  found ? "holds" : "lacks", s->expect_panic)
                : g_strdup("the vmcore's log is readable (makedumpfile, else crash)");
        dl_report_add_check(rep, "referee", found, msg);
    }

    bool proofs_ok =
        run_proofs(in, dump, r, ram, ck, ref_ok ? ref_out : in->dmesg, rep, &perr);

    const DlFinding *d = first_defect(r);
    if (d) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "vmcore defect [%s] %s (%u defect%s in all)",
                    d->rule, d->message, r->defects, r->defects == 1 ? "" : "s");
        g_clear_error(&rerr);
        g_clear_error(&perr);
        return false;
    }
    if (!ref_ok) {
        g_clear_error(&perr);
        g_propagate_error(err, rerr);
        return false;
    }
    if (!proofs_ok) {
        g_propagate_error(err, perr);
        return false;
    }
    if (!found) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "referee: the vmcore's log lacks the expected panic text \"%s\"",
                    s->expect_panic);
        return false;
    }
    return true;
}
