/* Frame classes from the dump's own struct pages (pageclass.h), with the
 * tests makedumpfile's __exclude_unnecessary_pages applies: buddy pages
 * (page_type PG_buddy, order in page->private) are free; an anonymous
 * mapping (bit 0) or a hugetlb compound page is user data; an LRU or
 * swap-cache page that is not anonymous is page cache, private when
 * PG_private is set. Tail pages take their head's class. */
#include "dumplab/pageclass.h"
#include "dumplab/error.h"

#include <elf.h>
#include <string.h>

#define PAGE_TYPE_BASE 0xf0000000u
#define MAX_ORDER_SANE 20

struct DlPageClassifier {
    DlDump *d, *info;
    guint64 mem_section, nr_roots, ms_size, ms_map_off, section_shift;
    guint64 page_size_struct, off_flags, off_mapping, off_lru, off_mapcount, off_private;
    guint64 pg_lru, pg_private, pg_swapcache, pg_swapbacked, pg_head;
    bool have_swapbacked, extreme;
    guint32 buddy_bit; /* page_type bit of PG_buddy */
    guint32 page_shift;
    /* One translation cached: virtual [vbase, vbase+vlen) at pbase. */
    guint64 vbase, vlen, pbase;
    /* Recently read frames (struct pages are read 64 to a frame). */
    guint64 cache_pfn[64];
    guint8 *cache;
    /* The last section's decoded mem_map. */
    guint64 sec_nr, sec_map;
    bool sec_valid, sec_present;
};

static bool need(DlDump *d, const char *key, guint64 *out, GError **err)
{
    if (dl_dump_vmcoreinfo_u64(d, key, out))
        return true;
    g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                "VMCOREINFO lacks %s: struct pages cannot be found", key);
    return false;
}

static bool read_virt(DlPageClassifier *c, guint64 v, void *buf, gsize len)
{
    guint8 *out = buf;
    while (len) {
        if (!(v >= c->vbase && v - c->vbase < c->vlen)) {
            guint64 p, span;
            if (!dl_kvtop_with(c->d, c->info, v, &p, &span))
                return false;
            c->vbase = v & ~(span - 1);
            c->vlen = span;
            c->pbase = p - (v - c->vbase);
        }
        guint64 in = v - c->vbase;
        gsize take = MIN(len, c->vlen - in);
        guint32 ps = dl_dump_page_size(c->d);
        guint64 pa = c->pbase + in, pfn = pa / ps, slot = pfn % 64;
        take = MIN(take, ps - pa % ps);
        if (c->cache_pfn[slot] != pfn + 1) {
            DlPageState st;
            if (!dl_dump_page(c->d, pfn, c->cache + slot * ps, &st, NULL) ||
                st != DL_PAGE_PRESENT) {
                c->cache_pfn[slot] = 0;
                return false;
            }
            c->cache_pfn[slot] = pfn + 1;
        }
        memcpy(out, c->cache + slot * ps + pa % ps, take);
        out += take, v += take, len -= take;
    }
    return true;
}

DlPageClassifier *dl_pageclass_new(DlDump *d, GError **err)
{
    return dl_pageclass_new_with(d, d, err);
}

DlPageClassifier *dl_pageclass_new_with(DlDump *d, DlDump *info, GError **err)
{
    g_autofree DlPageClassifier *c = g_new0(DlPageClassifier, 1);
    c->d = d;
    c->info = info;
    if (dl_dump_machine(info) != EM_X86_64) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "struct pages are found only in x86_64 dumps (this one is %s)",
                    dl_machine_name(dl_dump_machine(info)));
        return NULL;
    }
    guint64 spr, max_bits, buddy;
    d = info; /* the VMCOREINFO entries come from info */
    if (!need(d, "SYMBOL(mem_section)", &c->mem_section, err) ||
        !need(d, "LENGTH(mem_section)", &c->nr_roots, err) ||
        !need(d, "SIZE(mem_section)", &c->ms_size, err) ||
        !need(d, "OFFSET(mem_section.section_mem_map)", &c->ms_map_off, err) ||
        !need(d, "NUMBER(SECTION_SIZE_BITS)", &c->section_shift, err) ||
        !need(d, "NUMBER(MAX_PHYSMEM_BITS)", &max_bits, err) ||
        !need(d, "SIZE(page)", &c->page_size_struct, err) ||
        !need(d, "OFFSET(page.flags)", &c->off_flags, err) ||
        !need(d, "OFFSET(page.mapping)", &c->off_mapping, err) ||
        !need(d, "OFFSET(page.lru)", &c->off_lru, err) ||
        !need(d, "OFFSET(page._mapcount)", &c->off_mapcount, err) ||
        !need(d, "OFFSET(page.private)", &c->off_private, err) ||
        !need(d, "NUMBER(PG_lru)", &c->pg_lru, err) ||
        !need(d, "NUMBER(PG_private)", &c->pg_private, err) ||
        !need(d, "NUMBER(PG_swapcache)", &c->pg_swapcache, err) ||
        !need(d, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", &buddy, err))
        return NULL;
    c->have_swapbacked = dl_dump_vmcoreinfo_u64(d, "NUMBER(PG_swapbacked)", &c->pg_swapbacked);
    if (!dl_dump_vmcoreinfo_u64(d, "NUMBER(PG_head_mask)", &c->pg_head))
        c->pg_head = 0;
    d = c->d;
    guint32 ps = dl_dump_page_size(d);
    c->page_shift = (guint32)g_bit_nth_lsf(ps, -1);
    if (c->ms_size == 0 || c->ms_size > 4096 || c->page_size_struct < 32 ||
        c->page_size_struct > 256 || c->section_shift <= c->page_shift || c->section_shift > 40 ||
        max_bits > 56 || max_bits <= c->section_shift || c->pg_lru > 63 || c->pg_private > 63 ||
        c->pg_swapcache > 63 || c->pg_swapbacked > 63 ||
        c->off_flags + 8 > c->page_size_struct || c->off_mapping + 8 > c->page_size_struct ||
        c->off_lru + 8 > c->page_size_struct || c->off_mapcount + 4 > c->page_size_struct ||
        c->off_private + 8 > c->page_size_struct) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "VMCOREINFO's struct page and mem_section sizes and offsets are not "
                    "plausible");
        return NULL;
    }
    /* SPARSEMEM_EXTREME when the array has one root per page of sections. */
    spr = ps / c->ms_size;
    guint64 nr_sections = 1ULL << (max_bits - c->section_shift);
    c->extreme = c->nr_roots == (nr_sections + spr - 1) / spr;
    c->buddy_bit = ~(guint32)buddy;
    if (c->buddy_bit == 0 || (c->buddy_bit & PAGE_TYPE_BASE))
        c->buddy_bit = 0x80;
    c->cache = g_malloc((gsize)ps * 64);
    c->sec_valid = false;
    return g_steal_pointer(&c);
}

void dl_pageclass_free(DlPageClassifier *c)
{
    if (!c)
        return;
    g_free(c->cache);
    g_free(c);
}

/* Virtual address of pfn's struct page, false when there is none. */
static bool page_addr(DlPageClassifier *c, guint64 pfn, guint64 *out)
{
    guint64 nr = pfn >> (c->section_shift - c->page_shift);
    if (!c->sec_valid || c->sec_nr != nr) {
        c->sec_valid = true;
        c->sec_nr = nr;
        c->sec_present = false;
        guint64 ms, spr = dl_dump_page_size(c->d) / c->ms_size;
        if (c->extreme) {
            guint64 root = nr / spr, rp;
            if (root >= c->nr_roots || !read_virt(c, c->mem_section + root * 8, &rp, 8) || !rp)
                return false;
            ms = GUINT64_FROM_LE(rp) + (nr % spr) * c->ms_size;
        } else {
            if (nr >= c->nr_roots * spr)
                return false;
            ms = c->mem_section + nr * c->ms_size;
        }
        guint64 map;
        if (!read_virt(c, ms + c->ms_map_off, &map, 8))
            return false;
        map = GUINT64_FROM_LE(map);
        /* Bit 0: present; bit 1: has a mem_map. The low bits are flags. */
        if ((map & 3) != 3)
            return false;
        c->sec_map = map & ~0x3fULL;
        c->sec_present = true;
    }
    if (!c->sec_present)
        return false;
    *out = c->sec_map + pfn * c->page_size_struct;
    return true;
}

typedef struct {
    guint64 flags, mapping, lru, priv;
    guint32 mapcount;
} Page;

static bool read_page(DlPageClassifier *c, guint64 va, Page *p)
{
    guint8 buf[256];
    if (!read_virt(c, va, buf, c->page_size_struct))
        return false;
    memcpy(&p->flags, buf + c->off_flags, 8);
    memcpy(&p->mapping, buf + c->off_mapping, 8);
    memcpy(&p->lru, buf + c->off_lru, 8);
    memcpy(&p->priv, buf + c->off_private, 8);
    memcpy(&p->mapcount, buf + c->off_mapcount, 4);
    return true;
}

static bool is_buddy(const DlPageClassifier *c, const Page *p)
{
    return (p->mapcount & (PAGE_TYPE_BASE | c->buddy_bit)) == PAGE_TYPE_BASE;
}

DlPageClass dl_pageclass_get(DlPageClassifier *c, guint64 pfn, guint64 *flags)
{
    guint64 va;
    Page p;
    if (flags)
        *flags = 0;
    if (!page_addr(c, pfn, &va))
        return c->sec_valid && !c->sec_present ? DL_PC_NO_PAGE : DL_PC_UNREADABLE;
    if (!read_page(c, va, &p))
        return DL_PC_UNREADABLE;
    /* Part of a free block whose head is below: look back for a buddy
     * head covering pfn (orders up to MAX_ORDER_SANE, heads aligned). */
    /* Only a page with no page flags (the high bits hold zone, node and
     * section) and no mapping can be the tail of a free block. */
    if (!is_buddy(c, &p) && (p.flags & 0xffffff) == 0 && p.mapping == 0) {
        for (guint o = 1; o <= 10; o++) {
            guint64 head = pfn & ~((1ULL << o) - 1);
            Page h;
            guint64 hva;
            if (head == pfn || !page_addr(c, head, &hva) || !read_page(c, hva, &h))
                continue;
            if (is_buddy(c, &h) && h.priv < MAX_ORDER_SANE && pfn - head < (1ULL << h.priv)) {
                if (flags)
                    *flags = h.flags;
                return DL_PC_FREE;
            }
        }
    } else if (is_buddy(c, &p)) {
        if (flags)
            *flags = p.flags;
        return DL_PC_FREE;
    }
    /* A tail page: compound_head (the word at lru) has bit 0 set. */
    if (p.lru & 1) {
        Page h;
        if (read_page(c, p.lru - 1, &h))
            p = h;
    }
    if (flags)
        *flags = p.flags;
    if (p.mapping & 1)
        return DL_PC_USER;
    bool lru = (p.flags >> c->pg_lru) & 1;
    bool swapcache = ((p.flags >> c->pg_swapcache) & 1) &&
                     (!c->have_swapbacked || ((p.flags >> c->pg_swapbacked) & 1));
    if (lru || swapcache)
        return (p.flags >> c->pg_private) & 1 ? DL_PC_CACHE_PRIV : DL_PC_CACHE;
    return DL_PC_KERNEL;
}

int dl_pageclass_level_bit(DlPageClass k)
{
    switch (k) {
    case DL_PC_FREE:
        return 16;
    case DL_PC_USER:
        return 8;
    case DL_PC_CACHE:
        return 2 | 4;
    case DL_PC_CACHE_PRIV:
        return 4;
    default:
        return 0;
    }
}

const char *dl_pageclass_name(DlPageClass k)
{
    static const char *n[] = {"kernel", "free", "user", "cache", "cache-private", "no-page",
                              "unreadable"};
    return k <= DL_PC_UNREADABLE ? n[k] : "?";
}
