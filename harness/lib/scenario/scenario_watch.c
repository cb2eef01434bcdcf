/* The text watch's scenario keys: monitor, monitor_period, monitor_for,
 * expect text_change (scenario.h). */
#include "dumplab/scenario.h"
#include "dumplab/error.h"
#include "dumplab/textwatch.h"

#include <string.h>

/* "100ms", "2s", "1m" or a bare number of milliseconds. */
static bool parse_ms(const char *v, guint64 max, unsigned *out)
{
    char *end = NULL;
    guint64 n = g_ascii_strtoull(v, &end, 10);
    if (end == v)
        return false;
    guint64 mult = !strcmp(end, "ms") || !*end ? 1
                   : !strcmp(end, "s")         ? 1000
                   : !strcmp(end, "m")         ? 60000
                                               : 0;
    if (!mult || n == 0 || n > max / mult)
        return false;
    *out = (unsigned)(n * mult);
    return true;
}

int dl_scenario_watch_key(DlScenario *s, const char *key, const char *v, char **why)
{
    if (!s->monitor_period_ms)
        s->monitor_period_ms = 100;
    if (!s->monitor_for_ms)
        s->monitor_for_ms = 10000;
    if (!strcmp(key, "monitor")) {
        if (strcmp(v, "text") && strcmp(v, "none")) {
            *why = g_strdup_printf("monitor: '%s' is not text or none", v);
            return 0;
        }
        s->monitor_text = !strcmp(v, "text");
        return 1;
    }
    if (!strcmp(key, "monitor_period")) {
        if (!parse_ms(v, 60000, &s->monitor_period_ms) || s->monitor_period_ms < 10) {
            *why = g_strdup_printf("monitor_period: '%s' is not 10ms..60s", v);
            return 0;
        }
        return 1;
    }
    if (!strcmp(key, "monitor_for")) {
        if (!parse_ms(v, 3600000, &s->monitor_for_ms)) {
            *why = g_strdup_printf("monitor_for: '%s' is not a duration up to 1h (60s, 500ms)", v);
            return 0;
        }
        return 1;
    }
    if (!strcmp(key, "expect text_change")) {
        g_autofree char *cls = g_strdup(v);
        char *at = strchr(cls, '@');
        if (at)
            *at = '\0';
        DlTextClass c;
        if (strcmp(cls, "none") && !dl_text_class_from_name(cls, &c)) {
            *why = g_strdup_printf("expect text_change: '%s' is not none, static-key, kprobe, "
                                   "ftrace, livepatch or unexplained",
                                   cls);
            return 0;
        }
        if (at && (!at[1] || !strcmp(cls, "none"))) {
            *why = g_strdup_printf("expect text_change: '%s': CLASS@symbol", v);
            return 0;
        }
        g_free(s->expect_text_change);
        s->expect_text_change = g_strdup(v);
        return 1;
    }
    return -1;
}

bool dl_scenario_watch_rules(DlScenario *s, const char *path, GError **err)
{
    if (!s->monitor_period_ms)
        s->monitor_period_ms = 100;
    if (!s->monitor_for_ms)
        s->monitor_for_ms = 10000;
    bool text_fault = s->fault != DL_FAULT_COUNT && dl_fault_changes_text(s->fault);
    if (!s->monitor_text) {
        if (text_fault) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: fault %s changes kernel text and never panics: it needs "
                        "monitor = text",
                        path, dl_fault_name(s->fault));
            return false;
        }
        if (s->expect_text_change) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: expect text_change needs monitor = text", path);
            return false;
        }
        return true;
    }
    if (s->ia64 || (s->fault != DL_FAULT_COUNT && !text_fault)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: monitor = text watches an x86_64 guest that runs on: its fault is "
                    "text-patch, kprobe, static-key, ftrace or none",
                    path);
        return false;
    }
    /* A watched guest never dumps. */
    if (s->expect_dump == DL_DUMP_COUNT_UNSET)
        s->expect_dump = DL_DUMP_NONE;
    if (!s->expect_text_change)
        s->expect_text_change = g_strdup(text_fault ? dl_fault_name(s->fault) : "none");
    return true;
}
