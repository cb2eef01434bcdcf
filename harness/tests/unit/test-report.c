/* The run report: the JSON a CI job reads back (verdict, failed phase,
 * checks, dumps), and whether a run ended the way its scenario expects. */
#include "dumplab/report.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

static JsonObject *read_json(const char *path, JsonParser *p)
{
    GError *err = NULL;
    if (!json_parser_load_from_file(p, path, &err)) {
        tap_diag("%s", err->message);
        g_error_free(err);
        return NULL;
    }
    return json_node_get_object(json_parser_get_root(p));
}

static DlScenario *scn(const char *text)
{
    GError *err = NULL;
    DlScenario *s = dl_scenario_parse(text, "t.scn", &err);
    if (!s) {
        tap_diag("%s", err->message);
        g_error_free(err);
    }
    return s;
}

int main(void)
{
    g_autofree char *dir = g_dir_make_tmp("report-XXXXXX", NULL);
    g_autofree char *json = g_build_filename(dir, "report.json", NULL);
    g_autofree char *txt = g_build_filename(dir, "report.txt", NULL);

    g_autoptr(DlReport) ok = dl_report_new("default", "scenarios/default.scn");
    dl_report_add_phase(ok, "boot", 5000, true, "6.1.0-56-amd64, 2 vCPUs");
    dl_report_add_phase(ok, "crash", 100, true, NULL);
    dl_report_set_dump(ok, "hypervisor-reference", "/r/hv.vmcore", 1 << 30, NULL);
    dl_report_set_dump(ok, "kdump", "/r/vmcore", 859488256, "/r/dmesg.txt");
    dl_report_add_check(ok, "vmcore", true, "0 defects; 2 CPUs");
    dl_report_add_finding(ok, "vmcore", "note", -1, "regs.panic-cpu", "CPU 1 stopped");
    dl_report_finish(ok, 25300);
    GError *err = NULL;
    tap_ok(dl_report_write_json(ok, json, &err) && dl_report_write_text(ok, txt, &err),
           "report.json and report.txt are written");
    g_autoptr(JsonParser) p = json_parser_new();
    JsonObject *o = read_json(json, p);
    tap_ok(o && !strcmp(json_object_get_string_member(o, "verdict"), "PASS") &&
               json_object_get_null_member(o, "failed_phase"),
           "a passed run reads back as PASS with no failed phase");
    tap_ok(o && !strcmp(json_object_get_string_member(o, "dump_source"), "kdump"),
           "the run's dump is kdump's, not the hypervisor's reference");
    tap_ok(o && json_array_get_length(json_object_get_array_member(o, "phases")) == 2 &&
               json_object_get_int_member(o, "ms") == 25300,
           "phases and total time are kept");
    tap_ok(!strcmp(dl_report_checker_summary(ok), "0 defects; 2 CPUs"),
           "the checker summary is the vmcore check's");

    g_autoptr(DlReport) bad = dl_report_new("small", "s.scn");
    dl_report_add_phase(bad, "crash-kernel", 4000, false, "it panicked");
    dl_report_fail(bad, "crash-kernel", "the crash kernel did not start");
    dl_report_fail(bad, "fallback", "a later failure must not replace the first");
    dl_report_set_console_tail(bad, "Kernel panic - not syncing: System is deadlocked on memory");
    dl_report_set_dump(bad, "hypervisor", "/r/fallback.vmcore", 1 << 30, NULL);
    dl_report_finish(bad, 18000);
    tap_ok(dl_report_write_json(bad, json, &err), "a failed run's report is written");
    g_autoptr(JsonParser) p2 = json_parser_new();
    JsonObject *b = read_json(json, p2);
    tap_ok(b && !strcmp(json_object_get_string_member(b, "verdict"), "FAIL") &&
               !strcmp(json_object_get_string_member(b, "failed_phase"), "crash-kernel") &&
               strstr(json_object_get_string_member(b, "reason"), "did not start"),
           "FAIL names the first failed phase and its reason");
    tap_ok(b && strstr(json_object_get_string_member(b, "console_tail"), "deadlocked"),
           "the console tail is in the report");

    g_autoptr(DlScenario) want_pass = scn("fault = sysrq-c\n");
    g_autoptr(DlScenario) want_fail =
        scn("fault = sysrq-c\nexpect verdict = fail\nexpect phase = crash-kernel\n");
    g_autoptr(DlScenario) want_other =
        scn("fault = sysrq-c\nexpect verdict = fail\nexpect phase = arm\n");
    g_autoptr(DlScenario) want_pvpanic =
        scn("armed = no\ncrashkernel = none\nfault = sysrq-c\nexpect dump = pvpanic\n");
    tap_ok(dl_report_as_expected(ok, want_pass) && !dl_report_as_expected(bad, want_pass),
           "PASS expected: a passed run is, a failed one is not");
    tap_ok(dl_report_as_expected(bad, want_fail) && !dl_report_as_expected(ok, want_fail),
           "FAIL in crash-kernel expected: that failure is, a pass is not");
    tap_ok(!dl_report_as_expected(bad, want_other), "a failure in another phase is not");
    tap_ok(!dl_report_as_expected(ok, want_pvpanic),
           "a kdump vmcore where a pvpanic dump was expected is not");

    g_unlink(json);
    g_unlink(txt);
    g_rmdir(dir);
    return tap_done();
}
