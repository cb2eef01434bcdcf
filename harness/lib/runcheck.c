/* After a run collected its vmcore: the checker with the scenario's
 * expectations and the first kernel's memory map, then the makedumpfile
 * referee. Each adds a check to the report; the first that fails names the
 * run's failure. */
#include "dumplab/runcheck.h"
#include "dumplab/agentchan.h"
#include "dumplab/check.h"
#include "dumplab/error.h"

#include <string.h>

/* System RAM and the crashkernel reservation, from the IOMEM lines the
 * first kernel's agent sent. */
static void memmap_from_iomem(GPtrArray *iomem, GArray *ram, GArray *ck)
{
    for (guint i = 0; iomem && i < iomem->len; i++) {
        const DlMsg *m = g_ptr_array_index(iomem, i);
        const char *name = dl_msg_get(m, "name");
        const char *s = dl_msg_get(m, "start"), *e = dl_msg_get(m, "end");
        if (!name || !s || !e)
            continue;
        DlRange r = {g_ascii_strtoull(s, NULL, 0), g_ascii_strtoull(e, NULL, 0)};
        if (strcmp(name, "System RAM") == 0)
            g_array_append_val(ram, r);
        else if (strcmp(name, "Crash kernel") == 0)
            g_array_append_val(ck, r);
    }
}

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

bool dl_run_check(const DlRunCheck *in, DlReport *rep, GError **err)
{
    const DlScenario *s = in->scn;
    g_autoptr(GArray) ram = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
    memmap_from_iomem(in->iomem, ram, ck);
    DlCheckInput ci = {
        .expect_cpus = s->expect_cpus,
        .ram = ram->len ? ram : NULL,
        .crashkernel = ck->len ? ck : NULL,
    };
    g_autoptr(DlCheckResult) r = dl_check_vmcore(in->vmcore, &ci, err);
    if (!r) {
        g_prefix_error(err, "the checker cannot read %s: ", in->vmcore);
        dl_report_add_check(rep, "vmcore", false, (*err)->message);
        return false;
    }
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
    GError *rerr = NULL;
    bool ref_ok = dl_referee_dmesg(in->vmcore, ref_out, s->expect_panic, &found, &rerr);
    if (!ref_ok) {
        dl_report_add_check(rep, "referee", false, rerr->message);
    } else {
        g_autofree char *msg =
            s->expect_panic ? g_strdup_printf("makedumpfile --dump-dmesg %s \"%s\"",
                                              found ? "finds" : "does not find", s->expect_panic)
                            : g_strdup("makedumpfile --dump-dmesg reads the log");
        dl_report_add_check(rep, "referee", found, msg);
    }

    const DlFinding *d = first_defect(r);
    if (d) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "vmcore defect [%s] %s (%u defect%s in all)",
                    d->rule, d->message, r->defects, r->defects == 1 ? "" : "s");
        g_clear_error(&rerr);
        return false;
    }
    if (!ref_ok) {
        g_propagate_error(err, rerr);
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
