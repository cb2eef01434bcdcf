/* The text health check (textwatch.h). */
#include "dumplab/textwatch.h"
#include "dumplab/error.h"

#include <string.h>

#define PAGE 4096u
/* Changed bytes closer than this belong to one change: a 5-byte site whose
 * new bytes happen to equal some old ones still reads as one. */
#define MERGE_GAP 4
/* A text larger than this is not a kernel's text: refuse rather than copy. */
#define MAX_TEXT (256ull << 20)

struct DlTextWatch {
    const DlGuestView *v;
    DlKernelText kt;
    const DlKsyms *ks;
    uint64_t pages;
    uint64_t *hash;
    uint8_t *copy; /* the baseline bytes, page by page */
};

/* A 64-bit multiply-xorshift hash over a page's words: the page is 4 KiB,
 * so one pass over 512 words; fast enough to hash a 14 MiB text in a few
 * ms. */
static uint64_t page_hash(const uint8_t *p)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (unsigned i = 0; i < PAGE; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 29;
    }
    return h;
}

DlTextWatch *dl_textwatch_new(const DlGuestView *v, const DlKernelText *kt, const DlKsyms *ks,
                              GError **err)
{
    uint64_t pstart = kt->pstart & ~(uint64_t)(PAGE - 1);
    uint64_t pend = (kt->pend + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    if (pend <= pstart || pend - pstart > MAX_TEXT || !dl_view_phys(v, pstart, pend - pstart)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "kernel text 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER
                    "x is not in the guest's RAM (or larger than %llu MiB)",
                    kt->pstart, kt->pend, MAX_TEXT >> 20);
        return NULL;
    }
    DlTextWatch *w = g_new0(DlTextWatch, 1);
    w->v = v;
    w->kt = *kt;
    w->kt.pstart = pstart;
    w->kt.vstart = kt->vstart & ~(uint64_t)(PAGE - 1);
    w->ks = ks;
    w->pages = (pend - pstart) / PAGE;
    w->hash = g_new0(uint64_t, w->pages);
    w->copy = g_malloc(w->pages * PAGE);
    return w;
}

void dl_textwatch_free(DlTextWatch *w)
{
    if (!w)
        return;
    g_free(w->hash);
    g_free(w->copy);
    g_free(w);
}

uint64_t dl_textwatch_pages(const DlTextWatch *w)
{
    return w->pages;
}

static const uint8_t *page_now(const DlTextWatch *w, uint64_t i)
{
    return dl_view_phys(w->v, w->kt.pstart + i * PAGE, PAGE);
}

void dl_textwatch_baseline(DlTextWatch *w)
{
    for (uint64_t i = 0; i < w->pages; i++) {
        const uint8_t *p = page_now(w, i);
        memcpy(w->copy + i * PAGE, p, PAGE);
        /* Hash the copy: the guest may write the page meanwhile. */
        w->hash[i] = page_hash(w->copy + i * PAGE);
    }
}

void dl_text_change_free(DlTextChange *c)
{
    if (!c)
        return;
    g_free(c->symbol);
    g_free(c);
}

char *dl_text_change_describe(const DlTextChange *c)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "0x%" G_GINT64_MODIFIER "x ", c->va);
    if (c->symbol)
        g_string_append_printf(s, "%s+0x%" G_GINT64_MODIFIER "x ", c->symbol, c->off);
    g_string_append_printf(s, "%s:", dl_text_class_name(c->cls));
    unsigned n = MIN(c->len, DL_TC_MAX_BYTES);
    for (unsigned i = 0; i < n; i++)
        g_string_append_printf(s, " %02x", c->old[i]);
    g_string_append(s, " ->");
    for (unsigned i = 0; i < n; i++)
        g_string_append_printf(s, " %02x", c->now[i]);
    if (c->len > n)
        g_string_append_printf(s, " ... (%u bytes)", c->len);
    return g_string_free(s, FALSE);
}

/* One run of changed bytes at page offset [a, b) of page i. */
static DlTextChange *make_change(DlTextWatch *w, uint64_t i, unsigned a, unsigned b,
                                 const uint8_t *now, gint64 t)
{
    DlTextChange *c = g_new0(DlTextChange, 1);
    const uint8_t *old = w->copy + i * PAGE;
    c->va = w->kt.vstart + i * PAGE + a;
    c->len = b - a;
    unsigned n = MIN(c->len, DL_TC_MAX_BYTES);
    memcpy(c->old, old + a, n);
    memcpy(c->now, now + a, n);
    c->seen_us = t;
    uint64_t link = c->va - (uint64_t)w->kt.kaslr_virt;
    /* The site's bytes as they are now, through the view (a site may
     * straddle the page end). */
    uint64_t site = 0;
    const uint8_t *site_now = NULL;
    if (w->ks && (dl_ksyms_site(w->ks->mcount, link, c->len, &site) ||
                  dl_ksyms_site(w->ks->jump, link, c->len, &site) ||
                  dl_ksyms_site(w->ks->scall, link, c->len, &site))) {
        uint64_t sva = site + (uint64_t)w->kt.kaslr_virt;
        site_now = dl_view_phys(w->v, w->kt.pstart + (sva - w->kt.vstart), 5);
    }
    c->cls = dl_text_classify(w->ks, link, old + a, now + a, c->len, site_now, NULL);
    if (w->ks) {
        uint64_t off = 0;
        const DlKsym *s = dl_ksyms_lookup(w->ks, link, &off);
        if (s) {
            c->symbol = g_strdup(s->name);
            c->off = off;
        }
    }
    return c;
}

unsigned dl_textwatch_scan(DlTextWatch *w, GPtrArray *changes)
{
    unsigned found = 0;
    gint64 t = g_get_monotonic_time();
    uint8_t now[PAGE];
    for (uint64_t i = 0; i < w->pages; i++) {
        const uint8_t *p = page_now(w, i);
        if (page_hash(p) == w->hash[i])
            continue;
        /* One snapshot of the page, so the diff and the new baseline agree. */
        memcpy(now, p, PAGE);
        uint8_t *old = w->copy + i * PAGE;
        unsigned a = 0;
        while (a < PAGE) {
            if (old[a] == now[a]) {
                a++;
                continue;
            }
            unsigned b = a + 1, last = a;
            while (b < PAGE && b - last <= MERGE_GAP) {
                if (old[b] != now[b])
                    last = b;
                b++;
            }
            g_ptr_array_add(changes, make_change(w, i, a, last + 1, now, t));
            found++;
            a = last + 1;
        }
        memcpy(old, now, PAGE);
        w->hash[i] = page_hash(old);
    }
    return found;
}
