/* report.html: one page per run that a person can open anywhere. Nothing is
 * fetched: the style is inline and the pictures are SVG drawn here. The
 * elements carry stable ids and classes (#verdict, #timeline .phase,
 * #memmap .ram/.crashkernel/.segment/.differ, #registers .cpu, #checks
 * .check) that the test in headless Chromium looks for. */
#include "report_priv.h"

#include "dumplab/error.h"

#include <string.h>

#define SVG_W 960
#define LANE_H 26

static const char CSS[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1100px}"
    "h1{font-size:1.4em;margin:0}h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}"
    "#verdict{padding:.8em 1em;border-radius:6px}#verdict.pass{background:#e3f6e3}"
    "#verdict.fail{background:#fbe1e1}.v{font-weight:bold}"
    "table{border-collapse:collapse;font-size:13px}td,th{padding:2px 8px;text-align:left;"
    "border-bottom:1px solid #eee;vertical-align:top}td.n{text-align:right}"
    "code,.mono{font-family:ui-monospace,monospace;font-size:12px}"
    "svg text{font:11px system-ui,sans-serif}"
    ".ok{color:#17692a}.bad{color:#b00020}pre{background:#f6f6f6;padding:.6em;overflow:auto}"
    ".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;"
    "vertical-align:middle}";

/* The fill of each kind of region and of phase bars. */
static const char *fill(const char *kind)
{
    if (!strcmp(kind, "ram"))
        return "#8fc98f";
    if (!strcmp(kind, "crashkernel"))
        return "#f0a040";
    if (!strcmp(kind, "segment"))
        return "#5b8bd0";
    if (!strcmp(kind, "differ"))
        return "#d01c1c";
    return "#c8c8c8";
}

static void esc(GString *o, const char *s)
{
    g_autofree char *e = g_markup_escape_text(s ? s : "", -1);
    g_string_append(o, e);
}

static void header(const DlReport *r, GString *o)
{
    bool pass = dl_report_passed(r);
    g_string_append_printf(o, "<header id=\"verdict\" class=\"%s\">\n<h1>", pass ? "pass" : "fail");
    esc(o, r->name);
    g_string_append_printf(o, ": <span class=\"v\">%s</span></h1>\n", pass ? "PASS" : "FAIL");
    if (r->failed_phase) {
        g_string_append(o, "<p id=\"failure\">failed in <b>");
        esc(o, r->failed_phase);
        g_string_append(o, "</b>: ");
        esc(o, r->reason);
        g_string_append(o, "</p>\n");
    }
    if (r->expected >= 0)
        g_string_append_printf(o, "<p id=\"expected\">%s</p>\n",
                               r->expected ? "as the scenario expects"
                                           : "<b>NOT</b> what the scenario expects");
    g_string_append(o, "<p>scenario <code>");
    esc(o, r->path);
    g_string_append(o, "</code> · kernel ");
    esc(o, r->kernel ? r->kernel : "?");
    g_string_append(o, " · accel ");
    esc(o, r->accel ? r->accel : "?");
    if (r->host) {
        g_string_append(o, " · host <code>");
        esc(o, r->host);
        g_string_append(o, "</code>");
    }
    g_string_append_printf(o, " · %.1f s</p>\n</header>\n", r->ms / 1000.0);
}

/* Phases one after another on one time axis; each bar's width is its time. */
static void timeline(const DlReport *r, GString *o)
{
    g_string_append(o, "<section id=\"timeline\">\n<h2>Timeline</h2>\n");
    gint64 total = 0;
    for (guint i = 0; i < r->phases->len; i++)
        total += MAX(g_array_index(r->phases, Phase, i).ms, 0);
    guint rows = r->phases->len;
    g_string_append_printf(o,
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%u\" "
                           "role=\"img\" aria-label=\"phase timeline\">\n",
                           SVG_W, rows * 20 + 24);
    double scale = total > 0 ? (SVG_W - 260.0) / (double)total : 0;
    gint64 at = 0;
    for (guint i = 0; i < rows; i++) {
        const Phase *p = &g_array_index(r->phases, Phase, i);
        double x = 110 + at * scale, w = MAX(p->ms * scale, 1.0);
        g_string_append_printf(o, "<text x=\"0\" y=\"%u\">", i * 20 + 14);
        esc(o, p->name);
        g_string_append_printf(o,
                               "</text><rect class=\"phase %s\" data-phase=\"%s\" x=\"%.1f\" "
                               "y=\"%u\" width=\"%.1f\" height=\"14\" fill=\"%s\"><title>",
                               p->ok ? "ok" : "failed", p->name, x, i * 20 + 3, w,
                               p->ok ? "#5b8bd0" : "#d01c1c");
        esc(o, p->detail);
        g_string_append_printf(o, "</title></rect><text x=\"%.1f\" y=\"%u\">%.1f s</text>\n",
                               x + w + 4, i * 20 + 14, p->ms / 1000.0);
        at += MAX(p->ms, 0);
    }
    g_string_append_printf(o,
                           "<text x=\"110\" y=\"%u\">0 s</text><text x=\"%d\" y=\"%u\">%.1f s "
                           "(phases)</text>\n</svg>\n",
                           rows * 20 + 18, SVG_W - 250, rows * 20 + 18, total / 1000.0);
    g_string_append(o, "<table><tr><th>phase</th><th></th><th>seconds</th><th>detail</th></tr>\n");
    for (guint i = 0; i < rows; i++) {
        const Phase *p = &g_array_index(r->phases, Phase, i);
        g_string_append(o, "<tr class=\"phase-row\"><td>");
        esc(o, p->name);
        g_string_append_printf(o, "</td><td class=\"%s\">%s</td><td class=\"n\">%.1f</td><td>",
                               p->ok ? "ok" : "bad", p->ok ? "ok" : "FAILED", p->ms / 1000.0);
        esc(o, p->detail);
        g_string_append(o, "</td></tr>\n");
    }
    g_string_append(o, "</table>\n</section>\n");
}

static bool lane_of(const char *kind, int *lane)
{
    if (!strcmp(kind, "ram") || !strcmp(kind, "iomem") || !strcmp(kind, "crashkernel"))
        *lane = 0;
    else if (!strcmp(kind, "segment"))
        *lane = 1;
    else if (!strcmp(kind, "differ"))
        *lane = 2;
    else
        return false;
    return true;
}

/* The first kernel's map, the vmcore's segments and the differing bytes on
 * one physical-address axis. The axis ends at the last RAM or segment byte:
 * PCI windows above 4 GiB would otherwise squeeze RAM to a sliver. */
static void memmap(const DlReport *r, GString *o)
{
    g_string_append(o,
                    "<section id=\"memmap\">\n<h2>Memory: /proc/iomem against the vmcore</h2>\n");
    guint64 top = 0;
    guint differ = 0;
    guint64 differ_bytes = 0;
    for (guint i = 0; i < r->regions->len; i++) {
        const Region *g = &g_array_index(r->regions, Region, i);
        if (!strcmp(g->kind, "ram") || !strcmp(g->kind, "segment") ||
            !strcmp(g->kind, "crashkernel"))
            top = MAX(top, g->end);
        if (!strcmp(g->kind, "differ")) {
            differ++;
            differ_bytes += g->end - g->start + 1;
        }
    }
    if (!r->regions->len || !top) {
        g_string_append(o, "<p class=\"empty\">no memory map: the run ended before the check "
                           "phase</p>\n</section>\n");
        return;
    }
    static const char *const lanes[] = {"/proc/iomem", "vmcore PT_LOAD", "differs"};
    double scale = (SVG_W - 120.0) / ((double)top + 1);
    g_string_append_printf(o,
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                           "role=\"img\" aria-label=\"physical memory map\">\n",
                           SVG_W, 3 * LANE_H + 30);
    for (int l = 0; l < 3; l++)
        g_string_append_printf(o,
                               "<text x=\"0\" y=\"%d\">%s</text><rect x=\"110\" y=\"%d\" "
                               "width=\"%d\" height=\"%d\" fill=\"#f4f4f4\"/>\n",
                               l * LANE_H + 16, lanes[l], l * LANE_H + 2, SVG_W - 120, LANE_H - 6);
    /* The crashkernel region is drawn last in its lane so it shows over
     * the System RAM line that holds it. */
    for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < r->regions->len; i++) {
            const Region *g = &g_array_index(r->regions, Region, i);
            int lane;
            if (!lane_of(g->kind, &lane) || g->start > top ||
                (pass == 1) != !strcmp(g->kind, "crashkernel"))
                continue;
            guint64 end = MIN(g->end, top);
            double x = 110 + g->start * scale, w = MAX((end - g->start + 1) * scale, 1.0);
            g_string_append_printf(o,
                                   "<rect class=\"region %s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
                                   "height=\"%d\" fill=\"%s\"><title>",
                                   g->kind, x, lane * LANE_H + 2, w, LANE_H - 6, fill(g->kind));
            g_autofree char *t =
                g_strdup_printf("%s 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x %s",
                                g->kind, g->start, g->end, g->label ? g->label : "");
            esc(o, t);
            g_string_append(o, "</title></rect>\n");
        }
    g_autofree char *top_s = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", top + 1);
    g_string_append_printf(o,
                           "<text x=\"110\" y=\"%d\">0</text><text x=\"%d\" y=\"%d\" "
                           "text-anchor=\"end\">%s (%" G_GUINT64_FORMAT " MiB)</text>\n</svg>\n",
                           3 * LANE_H + 20, SVG_W - 10, 3 * LANE_H + 20, top_s, (top + 1) >> 20);
    g_string_append(o, "<p class=\"legend\"><span style=\"background:#8fc98f\"></span>System RAM"
                       "<span style=\"background:#f0a040\"></span>crashkernel"
                       "<span style=\"background:#c8c8c8\"></span>other iomem"
                       "<span style=\"background:#5b8bd0\"></span>vmcore segment"
                       "<span style=\"background:#d01c1c\"></span>differs from the hypervisor's "
                       "dump</p>\n");
    g_string_append_printf(
        o,
        "<p id=\"differ-count\" class=\"%s\">%u differing range%s (%" G_GUINT64_FORMAT
        " bytes) between kdump's vmcore and the hypervisor's dump</p>\n",
        differ ? "bad" : "ok", differ, differ == 1 ? "" : "s", differ_bytes);
    g_string_append(o, "<details><summary>every range</summary><table><tr><th>kind</th>"
                       "<th>start</th><th>end</th><th>MiB</th><th>what</th></tr>\n");
    for (guint i = 0; i < r->regions->len; i++) {
        const Region *g = &g_array_index(r->regions, Region, i);
        g_string_append_printf(
            o,
            "<tr class=\"range-%s\"><td>%s</td><td class=\"mono\">0x%" G_GINT64_MODIFIER
            "x</td><td class=\"mono\">0x%" G_GINT64_MODIFIER "x</td><td class=\"n\">%.1f</td><td>",
            g->kind, g->kind, g->start, g->end, (g->end - g->start + 1) / 1048576.0);
        esc(o, g->label);
        g_string_append(o, "</td></tr>\n");
    }
    g_string_append(o, "</table></details>\n</section>\n");
}

static const Check *find_check(const DlReport *r, const char *name)
{
    for (guint i = 0; i < r->checks->len; i++) {
        const Check *c = &g_array_index(r->checks, Check, i);
        if (!strcmp(c->name, name))
            return c;
    }
    return NULL;
}

static void registers(const DlReport *r, GString *o)
{
    g_string_append(o, "<section id=\"registers\">\n<h2>Registers: where each CPU stopped</h2>\n");
    const Check *c = find_check(r, "registers");
    if (c) {
        g_string_append_printf(o, "<p class=\"%s\">register proof %s: ", c->ok ? "ok" : "bad",
                               c->ok ? "ok" : "FAILED");
        esc(o, c->summary);
        g_string_append(o, "</p>\n");
    }
    if (!r->cpus->len) {
        g_string_append(o, "<p class=\"empty\">no NT_PRSTATUS notes were read</p>\n</section>\n");
        return;
    }
    g_string_append(o, "<table><tr><th>CPU</th><th>note</th><th>pid</th><th>role</th>"
                       "<th>ip</th><th>stopped in</th><th>sp</th></tr>\n");
    for (guint i = 0; i < r->cpus->len; i++) {
        const CpuRow *u = &g_array_index(r->cpus, CpuRow, i);
        g_autofree char *cpu = u->cpu >= 0 ? g_strdup_printf("%d", u->cpu) : g_strdup("?");
        g_string_append_printf(o,
                               "<tr class=\"cpu\" data-cpu=\"%s\"><td>%s</td><td>%d</td><td>%d"
                               "</td><td>",
                               cpu, cpu, u->note, u->pid);
        esc(o, u->role);
        g_string_append_printf(
            o, "</td><td class=\"mono\">0x%" G_GINT64_MODIFIER "x</td><td class=\"mono\">", u->ip);
        esc(o, u->where);
        g_string_append_printf(o, "</td><td class=\"mono\">0x%" G_GINT64_MODIFIER "x</td></tr>\n",
                               u->sp);
    }
    g_string_append(o, "</table>\n</section>\n");
}

static void checks(const DlReport *r, GString *o)
{
    g_string_append(o, "<section id=\"checks\">\n<h2>Checks</h2>\n");
    if (!r->checks->len)
        g_string_append(o, "<p class=\"empty\">no checks ran</p>\n");
    else {
        g_string_append(o, "<table>\n");
        for (guint i = 0; i < r->checks->len; i++) {
            const Check *c = &g_array_index(r->checks, Check, i);
            g_string_append_printf(o, "<tr class=\"check %s\" data-check=\"", c->ok ? "ok" : "bad");
            esc(o, c->name);
            g_string_append(o, "\"><td>");
            esc(o, c->name);
            g_string_append_printf(o, "</td><td>%s</td><td>", c->ok ? "ok" : "FAIL");
            esc(o, c->summary);
            g_string_append(o, "</td></tr>\n");
        }
        g_string_append(o, "</table>\n");
    }
    if (r->findings->len) {
        g_string_append(o, "<h2>Findings</h2>\n<table id=\"findings\">\n");
        for (guint i = 0; i < r->findings->len; i++) {
            const Finding *f = &g_array_index(r->findings, Finding, i);
            g_string_append_printf(o, "<tr class=\"finding %s\"><td>", f->severity);
            esc(o, f->check);
            g_string_append(o, "</td><td>");
            esc(o, f->severity);
            g_string_append(o, "</td><td><code>");
            esc(o, f->rule);
            g_string_append(o, "</code></td><td>");
            esc(o, f->message);
            g_string_append(o, "</td></tr>\n");
        }
        g_string_append(o, "</table>\n");
    }
    g_string_append(o, "</section>\n");
}

static void dumps(const DlReport *r, GString *o)
{
    g_string_append(o, "<section id=\"dumps\">\n<h2>Dumps</h2>\n<table>\n");
    for (guint i = 0; i < r->dumps->len; i++) {
        const Dump *d = &g_array_index(r->dumps, Dump, i);
        g_string_append(o, "<tr class=\"dump\"><td>");
        esc(o, d->source);
        g_autofree char *base = g_path_get_basename(d->path ? d->path : "");
        g_string_append(o, "</td><td><code>");
        esc(o, base);
        g_string_append_printf(
            o, "</code></td><td class=\"n\">%" G_GUINT64_FORMAT " MiB%s</td></tr>\n", d->size >> 20,
            d->pruned ? " (removed after checking)" : "");
    }
    g_string_append(o, "</table>\n<p>files: <a href=\"report.json\">report.json</a> · "
                       "<a href=\"report.txt\">report.txt</a> · <a href=\"console.log\">"
                       "console.log</a> · <a href=\"agent.log\">agent.log</a></p>\n");
    if (r->failed_phase && r->console_tail && *r->console_tail) {
        g_string_append(o, "<h2>Last console lines</h2>\n<pre id=\"console\">");
        esc(o, r->console_tail);
        g_string_append(o, "</pre>\n");
    }
    g_string_append(o, "</section>\n");
}

static void page_begin(GString *o, const char *title)
{
    g_string_append(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width\">\n<title>");
    esc(o, title);
    g_string_append_printf(o, "</title>\n<style>%s</style>\n</head><body>\n", CSS);
}

static bool write_page(GString *o, const char *path, GError **err)
{
    g_string_append(o, "</body></html>\n");
    if (!g_file_set_contents(path, o->str, (gssize)o->len, err)) {
        g_prefix_error(err, "%s: ", path);
        return false;
    }
    return true;
}

bool dl_report_write_html(const DlReport *r, const char *path, GError **err)
{
    g_autoptr(GString) o = g_string_new(NULL);
    g_autofree char *title =
        g_strdup_printf("dumplab: %s %s", r->name, dl_report_passed(r) ? "PASS" : "FAIL");
    page_begin(o, title);
    header(r, o);
    timeline(r, o);
    memmap(r, o);
    registers(r, o);
    checks(r, o);
    dumps(r, o);
    return write_page(o, path, err);
}

/* A link from the index's folder to the run's report.html, relative (the
 * runs folder can be copied or served as a whole), e.g.
 * "../20261129-080000-default-123-1/report.html". */
static char *report_link(const char *index_dir, const char *workdir)
{
    g_autofree char *page = g_build_filename(workdir, "report.html", NULL);
    g_auto(GStrv) a = g_strsplit(index_dir, "/", -1);
    g_auto(GStrv) b = g_strsplit(page, "/", -1);
    guint i = 0;
    while (a[i] && b[i] && b[i + 1] && !strcmp(a[i], b[i]))
        i++;
    GString *rel = g_string_new(NULL);
    for (guint j = i; a[j]; j++)
        if (*a[j])
            g_string_append(rel, "../");
    for (guint j = i; b[j]; j++)
        g_string_append_printf(rel, "%s%s", b[j], b[j + 1] ? "/" : "");
    return g_string_free(rel, FALSE);
}

bool dl_report_write_index(GPtrArray *reports, const char *title, const char *path, GError **err)
{
    g_autoptr(GString) o = g_string_new(NULL);
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *abs_dir = g_canonicalize_filename(dir, NULL);
    page_begin(o, title);
    guint pass = 0, unexpected = 0;
    gint64 total = 0;
    for (guint i = 0; i < reports->len; i++) {
        const DlReport *r = g_ptr_array_index(reports, i);
        pass += dl_report_passed(r);
        unexpected += r->expected == 0;
        total += r->ms;
    }
    g_string_append_printf(o, "<header id=\"verdict\" class=\"%s\"><h1>",
                           unexpected ? "fail" : "pass");
    esc(o, title);
    g_string_append_printf(o,
                           "</h1>\n<p id=\"totals\">%u run%s: %u PASS, %u FAIL, %u not as the "
                           "scenario expects; %.1f s of runs</p></header>\n",
                           reports->len, reports->len == 1 ? "" : "s", pass, reports->len - pass,
                           unexpected, total / 1000.0);
    g_string_append(
        o, "<table id=\"runs\">\n<tr><th>scenario</th><th>verdict</th><th>expected"
           "</th><th>failed phase</th><th>host</th><th>seconds</th><th>reason</th></tr>\n");
    for (guint i = 0; i < reports->len; i++) {
        const DlReport *r = g_ptr_array_index(reports, i);
        bool p = dl_report_passed(r);
        g_string_append_printf(o, "<tr class=\"run %s%s\"><td>", p ? "pass" : "fail",
                               r->expected == 0 ? " unexpected" : "");
        if (r->workdir) {
            g_autofree char *link = report_link(abs_dir, r->workdir);
            g_string_append(o, "<a href=\"");
            esc(o, link);
            g_string_append(o, "\">");
            esc(o, r->name);
            g_string_append(o, "</a>");
        } else
            esc(o, r->name);
        g_string_append_printf(o, "</td><td class=\"verdict %s\">%s</td><td>%s</td><td>",
                               p ? "ok" : "bad", p ? "PASS" : "FAIL",
                               r->expected < 0 ? "?"
                               : r->expected   ? "yes"
                                               : "<b>NO</b>");
        esc(o, r->failed_phase ? r->failed_phase : "-");
        g_string_append(o, "</td><td>");
        esc(o, r->host ? r->host : "local");
        g_string_append_printf(o, "</td><td class=\"n\">%.1f</td><td>", r->ms / 1000.0);
        esc(o, r->reason);
        g_string_append(o, "</td></tr>\n");
    }
    g_string_append(o, "</table>\n");
    return write_page(o, path, err);
}
