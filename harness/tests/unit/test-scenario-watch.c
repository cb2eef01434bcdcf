/* The text watch's scenario keys: monitor, monitor_period, monitor_for,
 * expect text_change, and the rules between them and the fault. */
#include "dumplab/scenario.h"
#include "tap.h"

#include <string.h>

static DlScenario *parse(const char *text, GError **err)
{
    return dl_scenario_parse(text, "/x/w.scn", err);
}

static void refused(const char *text, const char *needle)
{
    GError *err = NULL;
    DlScenario *s = parse(text, &err);
    tap_ok(!s && err && strstr(err->message, needle), "refused, naming '%s': %s", needle,
           err ? err->message : "accepted");
    dl_scenario_free(s);
    g_clear_error(&err);
}

int main(void)
{
    GError *err = NULL;
    g_autoptr(DlScenario) a = parse("monitor = text\nmonitor_period = 250ms\nmonitor_for = 1m\n"
                                    "fault = kprobe\nexpect text_change = kprobe@f\n",
                                    &err);
    tap_ok(a && a->monitor_text && a->monitor_period_ms == 250 && a->monitor_for_ms == 60000 &&
               !strcmp(a->expect_text_change, "kprobe@f") && a->expect_dump == DL_DUMP_NONE,
           "a watch scenario parses (%s)", err ? err->message : "ok");
    g_clear_error(&err);
    g_autoptr(DlScenario) b = parse("monitor = text\n", &err);
    tap_ok(b && b->fault == DL_FAULT_COUNT && b->monitor_period_ms == 100 &&
               b->monitor_for_ms == 10000 && !strcmp(b->expect_text_change, "none"),
           "without a fault: an idle watch, 100 ms, 10 s, expecting no change");
    g_autoptr(DlScenario) c = parse("monitor = text\nfault = static-key\n", NULL);
    tap_ok(c && !strcmp(c->expect_text_change, "static-key"),
           "the expected class defaults to the fault's");
    g_autoptr(DlScenario) d = parse("fault = panic\n", NULL);
    tap_ok(d && !d->monitor_text && !d->expect_text_change, "a crash scenario is no watch");

    refused("fault = kprobe\n", "needs monitor = text");
    refused("fault = panic\nexpect text_change = none\n", "needs monitor = text");
    refused("monitor = text\nfault = panic\n", "text-patch, kprobe");
    refused("monitor = text\nmonitor_period = 5ms\n", "monitor_period");
    refused("monitor = text\nmonitor_period = 1h\n", "monitor_period");
    refused("monitor = text\nmonitor_for = soon\n", "monitor_for");
    refused("monitor = memory\n", "monitor: 'memory'");
    refused("monitor = text\nexpect text_change = rootkit\n", "'rootkit'");
    refused("monitor = text\nexpect text_change = kprobe@\n", "CLASS@symbol");
    refused("monitor = text\nexpect text_change = none@f\n", "CLASS@symbol");
    return tap_done();
}
