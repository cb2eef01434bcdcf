/* Mint's memory views (seed 001): the firmware_memmap formulas, the seed's
 * two extensions of node 0 overlapping nodes 1 and 2 writably, and a
 * read-only extension that overlaps nothing writably. */
#include "dumplab/mintplan.h"
#include "tap.h"

#include <string.h>

static const DlMintRange *find(const DlMintPlan *p, unsigned node, unsigned region)
{
    for (guint i = 0; i < p->ranges->len; i++) {
        const DlMintRange *r = &g_array_index(p->ranges, DlMintRange, i);
        if (r->node == node && r->region == region)
            return r;
    }
    return NULL;
}

/* Whether node w writes into node o's region 3 (its kernel text) over
 * exactly [s, e). */
static bool writes_into(const DlMintPlan *p, unsigned w, unsigned o, uint64_t s, uint64_t e)
{
    for (guint i = 0; i < p->overlaps->len; i++) {
        const DlMintOverlap *v = &g_array_index(p->overlaps, DlMintOverlap, i);
        if (v->writer == w && v->owner == o && v->owner_region == 3 && v->start == s && v->end == e)
            return true;
    }
    return false;
}

static DlMintPlan *plan_with(unsigned nodes, const char *arg)
{
    DlMintExtend e;
    GError *err = NULL;
    if (arg && !dl_mint_parse_extend(arg, &e, &err)) {
        tap_diag("%s", err->message);
        g_error_free(err);
        return NULL;
    }
    return dl_mint_plan(nodes, &e, arg ? 1 : 0, NULL);
}

int main(void)
{
    g_autoptr(DlMintPlan) base = plan_with(3, NULL);
    const DlMintRange *r01 = find(base, 0, 1), *r12 = find(base, 1, 2), *r23 = find(base, 2, 3);
    tap_ok(r01 && r01->start == 0 && r01->end == 0x200000, "node 0 region 1 = (0, 0x200000)");
    tap_ok(r12 && r12->start == 0x10000000 && r12->end == 0x18000000,
           "node 1 region 2 = (0x10000000, 0x8000000)");
    tap_ok(r23 && r23->start == 0x50000000 && r23->end == 0x68000000,
           "node 2 region 3 = (0x50000000, 0x18000000): text of all nodes ends at 0x68000000");
    tap_ok(base->overlaps->len == 0, "three default nodes overlap nowhere (%u)",
           base->overlaps->len);

    /* The seed's first change: line 287 size = 0x48000000. */
    g_autoptr(DlMintPlan) big = plan_with(3, "0=0x48000000");
    tap_ok(big && writes_into(big, 0, 1, 0x38000000, 0x50000000) &&
               writes_into(big, 0, 2, 0x50000000, 0x68000000),
           "region 3 size 0x48000000: node 0 writes into all of nodes 1 and 2");
    /* The second: node 0's view up to 0x60000000, where node 2's text ends. */
    g_autoptr(DlMintPlan) cut = plan_with(3, "0=..0x60000000");
    tap_ok(cut && find(cut, 0, 3)->end == 0x60000000 &&
               writes_into(cut, 0, 1, 0x38000000, 0x50000000) &&
               writes_into(cut, 0, 2, 0x50000000, 0x60000000),
           "up to 0x60000000: node 0 still writes into node 1 and the text part of node 2");
    g_autoptr(DlMintPlan) ro = plan_with(3, "0=0x48000000:ro");
    tap_ok(ro && ro->overlaps->len == 0 && ro->shared->len == 2,
           "a read-only extension: no writable overlap, two read-only views (%u, %u)",
           ro ? ro->overlaps->len : 99, ro ? ro->shared->len : 99);
    g_autoptr(DlMintPlan) five = plan_with(5, NULL);
    tap_ok(five && writes_into(five, 3, 0, 0x20000000, 0x28000000) &&
               writes_into(five, 4, 0, 0x28000000, 0x30000000),
           "five default nodes: region 2 of nodes 3 and 4 lies in node 0's region 3");
    g_autoptr(DlMintPlan) six = plan_with(6, NULL);
    bool wrap = false;
    for (guint i = 0; six && i < six->overlaps->len; i++) {
        const DlMintOverlap *v = &g_array_index(six->overlaps, DlMintOverlap, i);
        wrap |= v->writer == 5 && v->owner == 0 && v->owner_region == 1;
    }
    tap_ok(wrap, "node 5 shares region 1 with node 0 (id %% 5)");

    g_autofree char *text = dl_mint_plan_text(big, 64);
    tap_ok(strstr(text, "node  0 |") && strchr(text, '!') && strstr(text, "writable overlaps: 4"),
           "the drawn map marks node 0's writable overlap");

    static const char *const bad[] = {"0",         "x=1",       "0=",  "0=0x10:rw",
                                      "64=0x1000", "0=..0x100", "0=0", "0=-5"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        DlMintExtend e;
        GError *err = NULL;
        bool ok = dl_mint_parse_extend(bad[i], &e, &err);
        tap_ok(!ok && err && strstr(err->message, "--extend"), "'%s' is refused: %s", bad[i],
               err ? err->message : "accepted");
        g_clear_error(&err);
    }
    /* A watch under a plan: node 0 (the monitor) must see each watched
     * node read-only, and see it at all. */
    GError *err = NULL;
    g_autoptr(GArray) seen = g_array_new(FALSE, FALSE, sizeof(DlMintOverlap));
    bool ok1 = dl_mint_monitor_view(ro, 1, seen, &err);
    bool ok2 = ok1 && dl_mint_monitor_view(ro, 2, seen, &err);
    const DlMintOverlap *s1 = ok2 ? &g_array_index(seen, DlMintOverlap, 0) : NULL;
    tap_ok(ok2 && seen->len == 2 && s1->owner == 1 && s1->start == 0x38000000 &&
               s1->end == 0x50000000,
           "the read-only plan: the monitor sees node 1 at 0x38000000-0x4fffffff and node 2 (%s)",
           err ? err->message : "yes");
    g_clear_error(&err);
    tap_ok(!dl_mint_monitor_view(big, 1, seen, &err) && err &&
               strstr(err->message, "writes into node 1") && strstr(err->message, ":ro"),
           "the seed's writable plan is refused for a watch: %s", err ? err->message : "accepted");
    g_clear_error(&err);
    tap_ok(!dl_mint_monitor_view(base, 2, seen, &err) && err &&
               strstr(err->message, "does not reach node 2") &&
               strstr(err->message, "0x48000000:ro"),
           "no extension: the monitor cannot see node 2, and the message says how: %s",
           err ? err->message : "accepted");
    g_clear_error(&err);
    tap_ok(!dl_mint_monitor_view(ro, 0, seen, &err) && err &&
               !dl_mint_monitor_view(ro, 3, seen, NULL),
           "node 0 and a node past the plan are not watched nodes");
    g_clear_error(&err);
    DlMintExtend e = {.node = 4, .size = 0x1000};
    tap_ok(!dl_mint_plan(3, &e, 1, &err) && err && strstr(err->message, "node 4"),
           "an extension of a node that does not exist is refused");
    g_clear_error(&err);
    tap_ok(!dl_mint_plan(0, NULL, 0, &err) && err, "zero nodes is refused");
    g_clear_error(&err);
    return tap_done();
}
