/* Mint's memory views and their overlaps (mintplan.h). */
#include "dumplab/mintplan.h"
#include "dumplab/error.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end = NULL;
    errno = 0;
    guint64 v = g_ascii_strtoull(s, &end, 0);
    if (errno || end == s || *end)
        return false;
    *out = v;
    return true;
}

bool dl_mint_parse_extend(const char *arg, DlMintExtend *out, GError **err)
{
    g_autofree char *a = g_strdup(arg);
    char *eq = strchr(a, '=');
    if (!eq) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "--extend %s: expected ID=SIZE[:ro]", arg);
        return false;
    }
    *eq = '\0';
    char *val = eq + 1;
    bool ro = false;
    char *colon = strchr(val, ':');
    if (colon) {
        if (strcmp(colon + 1, "ro") != 0) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "--extend %s: unknown flag '%s' (only :ro)",
                        arg, colon + 1);
            return false;
        }
        ro = true;
        *colon = '\0';
    }
    uint64_t id = 0, n = 0;
    if (!parse_u64(a, &id) || id >= DL_MINT_MAX_NODES) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "--extend %s: node '%s' is not 0..%d", arg, a,
                    DL_MINT_MAX_NODES - 1);
        return false;
    }
    bool upto = g_str_has_prefix(val, "..");
    if (!parse_u64(upto ? val + 2 : val, &n)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "--extend %s: '%s' is not a size", arg, val);
        return false;
    }
    uint64_t start = DL_MINT_MEMORY_START + id * DL_MINT_MEMORY_STEP;
    if (upto) {
        if (n <= start) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "--extend %s: end 0x%" G_GINT64_MODIFIER "x is not past node %u's "
                        "region 3 start 0x%" G_GINT64_MODIFIER "x",
                        arg, n, (unsigned)id, start);
            return false;
        }
        n -= start;
    }
    if (n == 0 || n > (1ULL << 52) - start) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "--extend %s: size 0x%" G_GINT64_MODIFIER "x is out of range", arg, n);
        return false;
    }
    *out = (DlMintExtend){.node = (unsigned)id, .size = n, .ro = ro};
    return true;
}

static void add_range(GArray *a, unsigned node, unsigned region, uint64_t start, uint64_t size,
                      bool writable, bool extension)
{
    DlMintRange r = {node, region, start, start + size, writable, extension};
    g_array_append_val(a, r);
}

DlMintPlan *dl_mint_plan(unsigned nodes, const DlMintExtend *ext, unsigned n_ext, GError **err)
{
    if (nodes == 0 || nodes > DL_MINT_MAX_NODES) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "--nodes %u: expected 1..%d", nodes,
                    DL_MINT_MAX_NODES);
        return NULL;
    }
    for (unsigned i = 0; i < n_ext; i++) {
        if (ext[i].node >= nodes) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "--extend names node %u, but there are only %u nodes", ext[i].node, nodes);
            return NULL;
        }
        for (unsigned j = 0; j < i; j++)
            if (ext[j].node == ext[i].node) {
                g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "--extend names node %u twice",
                            ext[i].node);
                return NULL;
            }
    }
    DlMintPlan *p = g_new0(DlMintPlan, 1);
    p->nodes = nodes;
    p->ranges = g_array_new(FALSE, FALSE, sizeof(DlMintRange));
    p->overlaps = g_array_new(FALSE, FALSE, sizeof(DlMintOverlap));
    p->shared = g_array_new(FALSE, FALSE, sizeof(DlMintOverlap));
    for (unsigned id = 0; id < nodes; id++) {
        /* firmware_memmap.c: the region numbers are the seed's. */
        add_range(p->ranges, id, 1, (id % 5) * DL_MINT_REGION1_SIZE, DL_MINT_REGION1_SIZE, true,
                  false);
        add_range(p->ranges, id, 2, DL_MINT_REGION2_BASE + DL_MINT_REGION2_BASE * (id % 5),
                  DL_MINT_REGION2_SIZE, true, false);
        uint64_t start = DL_MINT_MEMORY_START + id * DL_MINT_MEMORY_STEP;
        uint64_t own = DL_MINT_MEMORY_SIZE - DL_MINT_REGION2_SIZE;
        const DlMintExtend *e = NULL;
        for (unsigned i = 0; i < n_ext; i++)
            if (ext[i].node == id)
                e = &ext[i];
        if (!e) {
            add_range(p->ranges, id, 3, start, own, true, false);
        } else if (!e->ro || e->size <= own) {
            /* Kexec-Mint hands the whole size to the node as RAM. */
            add_range(p->ranges, id, 3, start, e->size, true, e->size > own);
        } else {
            /* The node keeps its own part as RAM; the rest is a read-only
             * view of the others (the watch's PROT_READ mapping). */
            add_range(p->ranges, id, 3, start, own, true, false);
            add_range(p->ranges, id, 3, start + own, e->size - own, false, true);
        }
    }
    /* Every pair of ranges of different nodes that meet: writable on the
     * writer's side is a hazard, read-only is the safe shared view. */
    for (guint i = 0; i < p->ranges->len; i++) {
        const DlMintRange *w = &g_array_index(p->ranges, DlMintRange, i);
        for (guint j = 0; j < p->ranges->len; j++) {
            const DlMintRange *o = &g_array_index(p->ranges, DlMintRange, j);
            if (w->node == o->node)
                continue;
            uint64_t s = MAX(w->start, o->start), e = MIN(w->end, o->end);
            if (s >= e)
                continue;
            /* The owner's memory is what it holds writable, as its RAM. */
            if (!o->writable)
                continue;
            DlMintOverlap ov = {w->node, o->node, w->region, o->region, s, e};
            g_array_append_val(w->writable ? p->overlaps : p->shared, ov);
        }
    }
    return p;
}

void dl_mint_plan_free(DlMintPlan *p)
{
    if (!p)
        return;
    g_array_unref(p->ranges);
    g_array_unref(p->overlaps);
    g_array_unref(p->shared);
    g_free(p);
}

bool dl_mint_monitor_view(const DlMintPlan *p, unsigned node, GArray *seen, GError **err)
{
    if (node == 0 || node >= p->nodes) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "node %u is not a watched node of a %u-node plan (node 0 is the monitor)", node,
                    p->nodes);
        return false;
    }
    for (guint i = 0; i < p->overlaps->len; i++) {
        const DlMintOverlap *o = &g_array_index(p->overlaps, DlMintOverlap, i);
        if (o->writer == 0 && o->owner == node) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "node 0's region %u writes into node %u's region %u at 0x%" PRIx64
                        "-0x%" PRIx64 ": the monitor's view must be read-only (extend with :ro)",
                        o->writer_region, node, o->owner_region, o->start, o->end - 1);
            return false;
        }
    }
    guint before = seen->len;
    for (guint i = 0; i < p->shared->len; i++) {
        const DlMintOverlap *o = &g_array_index(p->shared, DlMintOverlap, i);
        if (o->writer == 0 && o->owner == node)
            g_array_append_val(seen, *o);
    }
    if (seen->len == before) {
        g_set_error(
            err, DL_ERROR, DL_ERROR_PARSE,
            "node 0's view does not reach node %u's memory: extend node 0's region 3 "
            "over it, read-only (e.g. --extend 0=0x%" PRIx64 ":ro)",
            node,
            (uint64_t)(DL_MINT_MEMORY_STEP * node + DL_MINT_MEMORY_SIZE - DL_MINT_REGION2_SIZE));
        return false;
    }
    return true;
}

static void append_overlaps(GString *s, const GArray *a, const char *how)
{
    for (guint i = 0; i < a->len; i++) {
        const DlMintOverlap *o = &g_array_index(a, DlMintOverlap, i);
        g_string_append_printf(s,
                               "  node %u region %u %s node %u region %u: 0x%09" G_GINT64_MODIFIER
                               "x-0x%09" G_GINT64_MODIFIER "x (%" G_GUINT64_FORMAT " MiB)\n",
                               o->writer, o->writer_region, how, o->owner, o->owner_region,
                               o->start, o->end, (o->end - o->start) >> 20);
    }
}

char *dl_mint_plan_text(const DlMintPlan *p, unsigned cols)
{
    GString *s = g_string_new(NULL);
    uint64_t top = 0;
    for (guint i = 0; i < p->ranges->len; i++)
        top = MAX(top, g_array_index(p->ranges, DlMintRange, i).end);
    if (cols < 8)
        cols = 8;
    g_string_append(s, "node region start       end         size        access\n");
    for (guint i = 0; i < p->ranges->len; i++) {
        const DlMintRange *r = &g_array_index(p->ranges, DlMintRange, i);
        g_string_append_printf(s,
                               "%4u %6u 0x%09" G_GINT64_MODIFIER "x 0x%09" G_GINT64_MODIFIER
                               "x 0x%09" G_GINT64_MODIFIER "x %s%s\n",
                               r->node, r->region, r->start, r->end, r->end - r->start,
                               r->writable ? "rw" : "ro", r->extension ? " (extension)" : "");
    }
    uint64_t slice = (top + cols - 1) / cols;
    g_string_append_printf(s,
                           "\nmap: one column = 0x%" G_GINT64_MODIFIER
                           "x bytes; W writable, r read-only, . none, ! writable over "
                           "another node's memory\n",
                           slice);
    for (unsigned n = 0; n < p->nodes; n++) {
        g_string_append_printf(s, "node %2u |", n);
        for (unsigned c = 0; c < cols; c++) {
            uint64_t cs = c * slice, ce = cs + slice;
            char ch = '.';
            for (guint i = 0; i < p->ranges->len; i++) {
                const DlMintRange *r = &g_array_index(p->ranges, DlMintRange, i);
                if (r->node != n || r->end <= cs || r->start >= ce)
                    continue;
                if (r->writable)
                    ch = 'W';
                else if (ch == '.')
                    ch = 'r';
            }
            for (guint i = 0; i < p->overlaps->len; i++) {
                const DlMintOverlap *o = &g_array_index(p->overlaps, DlMintOverlap, i);
                if (o->writer == n && o->end > cs && o->start < ce)
                    ch = '!';
            }
            g_string_append_c(s, ch);
        }
        g_string_append(s, "|\n");
    }
    g_string_append_printf(s, "        0%*s0x%" G_GINT64_MODIFIER "x\n", (int)cols - 1, "", top);
    g_string_append_printf(s, "\nwritable overlaps: %u\n", p->overlaps->len);
    append_overlaps(s, p->overlaps, "writes into");
    if (p->shared->len) {
        g_string_append_printf(s, "read-only views of other nodes: %u\n", p->shared->len);
        append_overlaps(s, p->shared, "reads");
    }
    return g_string_free(s, FALSE);
}
