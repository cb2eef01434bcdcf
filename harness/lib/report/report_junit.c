/* JUnit XML for CI systems: one testcase per run. A run counts as failed
 * when it did not end the way its scenario expects (a scenario that expects
 * FAIL and fails where it should is a pass), the same rule as the exit
 * status of `dumplab run`. */
#include "report_priv.h"

#include <string.h>

static void attr(GString *o, const char *name, const char *v)
{
    g_autofree char *e = g_markup_escape_text(v ? v : "", -1);
    g_string_append_printf(o, " %s=\"%s\"", name, e);
}

static bool run_failed(const DlReport *r)
{
    return r->expected == 0 || (r->expected < 0 && !dl_report_passed(r));
}

bool dl_report_write_junit(GPtrArray *reports, const char *suite, const char *path, GError **err)
{
    g_autoptr(GString) o = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    guint failures = 0;
    gint64 total = 0;
    for (guint i = 0; i < reports->len; i++) {
        const DlReport *r = g_ptr_array_index(reports, i);
        failures += run_failed(r);
        total += r->ms;
    }
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S");
    g_string_append(o, "<testsuites>\n<testsuite");
    attr(o, "name", suite);
    g_string_append_printf(o,
                           " tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\" "
                           "time=\"%.3f\" timestamp=\"%s\">\n",
                           reports->len, failures, total / 1000.0, stamp);
    for (guint i = 0; i < reports->len; i++) {
        const DlReport *r = g_ptr_array_index(reports, i);
        g_string_append(o, "  <testcase");
        g_autofree char *cls = g_strconcat("dumplab.", suite, NULL);
        attr(o, "classname", cls);
        attr(o, "name", r->name);
        attr(o, "file", r->path);
        g_string_append_printf(o, " time=\"%.3f\">\n", r->ms / 1000.0);
        if (run_failed(r)) {
            g_autofree char *msg =
                dl_report_passed(r) ? g_strdup("PASS, but the scenario expects FAIL")
                                    : g_strdup_printf("FAIL in %s: %s", r->failed_phase, r->reason);
            g_string_append(o, "    <failure");
            attr(o, "message", msg);
            attr(o, "type", dl_report_passed(r) ? "unexpected-pass" : r->failed_phase);
            g_string_append(o, ">");
            g_autofree char *body =
                g_markup_escape_text(r->console_tail ? r->console_tail : "", -1);
            g_string_append_printf(o, "%s</failure>\n", body);
        }
        g_string_append(o, "    <system-out>");
        g_autofree char *out = g_strdup_printf(
            "verdict %s; workdir %s; checker: %s", dl_report_passed(r) ? "PASS" : "FAIL",
            r->workdir ? r->workdir : "-", dl_report_checker_summary(r));
        g_autofree char *eout = g_markup_escape_text(out, -1);
        g_string_append_printf(o, "%s</system-out>\n  </testcase>\n", eout);
    }
    g_string_append(o, "</testsuite>\n</testsuites>\n");
    if (!g_file_set_contents(path, o->str, (gssize)o->len, err)) {
        g_prefix_error(err, "%s: ", path);
        return false;
    }
    return true;
}
