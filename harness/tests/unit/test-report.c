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

static char *captured(void (*fn)(const DlReport *, FILE *), const DlReport *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(r, f);
    fclose(f);
    return buf;
}

static const char *last_line(char *text)
{
    size_t n = strlen(text);
    while (n && text[n - 1] == '\n')
        text[--n] = 0;
    char *nl = strrchr(text, '\n');
    return nl ? nl + 1 : text;
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

    g_autofree char *sum_ok = captured(dl_report_print_summary, ok);
    tap_ok(strstr(sum_ok, "/r/vmcore") && strstr(sum_ok, "0 defects; 2 CPUs"),
           "the summary names the vmcore and the checker's result");
    tap_ok(!strcmp(last_line(sum_ok), "default: PASS"),
           "a passed run's summary ends 'default: PASS'");
    g_autofree char *sum_bad = captured(dl_report_print_summary, bad);
    tap_ok(strstr(sum_bad, "deadlocked on memory") != NULL,
           "a failed run's summary shows the console tail");
    tap_ok(
        !strcmp(last_line(sum_bad), "small: FAIL in crash-kernel: the crash kernel did not start"),
        "a failed run's summary ends with the phase and the reason");

    g_autofree char *text = NULL;
    tap_ok(dl_report_write_text(bad, txt, &err) && g_file_get_contents(txt, &text, NULL, NULL) &&
               strstr(text, "verdict:  FAIL") && strstr(text, "crash-kernel: the crash kernel") &&
               strstr(text, "/r/fallback.vmcore"),
           "report.txt says FAIL, the phase, the reason and the dump");

    dl_report_set_expected(ok, true);
    dl_report_set_expected(bad, false);
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    g_ptr_array_add(all, ok);
    g_ptr_array_add(all, bad);
    char *tbuf = NULL;
    size_t tlen = 0;
    FILE *tf = open_memstream(&tbuf, &tlen);
    dl_report_print_table(all, tf);
    fclose(tf);
    g_auto(GStrv) rows = g_strsplit(tbuf, "\n", -1);
    free(tbuf);
    /* rows: "", header, default, small, totals, "" */
    bool shaped = g_strv_length(rows) >= 5 && g_str_has_prefix(rows[2], "default ") &&
                  g_str_has_prefix(rows[3], "small ");
    tap_ok(shaped && strstr(rows[2], "PASS") - rows[2] == strstr(rows[3], "FAIL") - rows[3] &&
               strstr(rows[1], "verdict") - rows[1] == strstr(rows[2], "PASS") - rows[2],
           "the table's verdict column lines up");
    tap_ok(shaped && strstr(rows[3], " NO ") && strstr(rows[3], "crash-kernel") &&
               strstr(rows[2], " yes ") && strstr(rows[2], "kdump"),
           "rows say whether the run was as expected, the failed phase and the dump");
    tap_ok(shaped && strstr(rows[4], "2 runs: 1 PASS, 1 FAIL, 1 not as the scenario expects"),
           "the totals line counts passes, failures and surprises");

    g_autofree char *real = g_build_filename(dir, "vmcore", NULL);
    g_file_set_contents(real, "ELF", 3, NULL);
    g_autoptr(DlReport) pr = dl_report_new("prune", "p.scn");
    dl_report_set_dump(pr, "kdump", real, 3, NULL);
    dl_report_finish(pr, 1);
    dl_report_prune_dumps(pr);
    g_autoptr(JsonParser) p3 = json_parser_new();
    JsonObject *po = dl_report_write_json(pr, json, &err) ? read_json(json, p3) : NULL;
    JsonObject *pd =
        po ? json_array_get_object_element(json_object_get_array_member(po, "dumps"), 0) : NULL;
    tap_ok(!g_file_test(real, G_FILE_TEST_EXISTS) && pd &&
               json_object_get_boolean_member(pd, "removed") &&
               json_object_get_int_member(pd, "size") == 3,
           "pruning deletes the dump; the report keeps its size and says it was removed");

    g_unlink(json);
    g_unlink(txt);
    g_rmdir(dir);
    return tap_done();
}
