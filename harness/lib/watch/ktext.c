/* The guest kernel's text from its own page tables (ktext.h). */
#include "dumplab/ktext.h"
#include "dumplab/error.h"

#include <string.h>

#define START_KERNEL_MAP 0xffffffff80000000ULL
#define PAGE 4096ULL
/* KERNEL_IMAGE_SIZE: the text cannot extend further than this either way,
 * whatever the tables say. */
#define MAX_EXTENT (1ULL << 30)
#define IDT_GATES 256
#define GATE_PRESENT 0x80

/* A supervisor mapping the CPU would execute. */
static bool exec_at(const DlGuestView *v, uint64_t cr3, bool la57, uint64_t va, DlXlate *t)
{
    return dl_x86_translate(v, cr3, la57, va, t) && !t->nx && !t->user;
}

/* The executable mapping around va in which pa - va stays the same (the
 * kernel image is mapped physically contiguous): [*lo, *hi). */
static void extent(const DlGuestView *v, uint64_t cr3, bool la57, uint64_t va, uint64_t *lo,
                   uint64_t *hi)
{
    DlXlate t;
    exec_at(v, cr3, la57, va, &t);
    uint64_t delta = t.pa - va;
    uint64_t l = va & ~(t.page_size - 1), h = (va | (t.page_size - 1)) + 1;
    while (va - l < MAX_EXTENT && l > 0) {
        DlXlate u;
        if (!exec_at(v, cr3, la57, l - 1, &u) || u.pa - (l - 1) != delta)
            break;
        l = (l - 1) & ~(u.page_size - 1);
    }
    while (h - va < MAX_EXTENT && h != 0) {
        DlXlate u;
        if (!exec_at(v, cr3, la57, h, &u) || u.pa - h != delta)
            break;
        h = (h | (u.page_size - 1)) + 1;
    }
    *lo = l;
    *hi = h;
}

/* The IDT's present gates' handler addresses (through cr3). */
static unsigned read_idt(const DlGuestView *v, const DlVcpuState *c, uint64_t cr3,
                         uint64_t *handlers)
{
    unsigned n = MIN((c->idt_limit + 1) / 16, IDT_GATES), got = 0;
    for (unsigned i = 0; i < n; i++) {
        DlXlate t;
        uint64_t gva = c->idt_base + 16ULL * i;
        const uint8_t *g;
        if (!dl_x86_translate(v, cr3, c->la57, gva, &t) || !(g = dl_view_phys(v, t.pa, 16)))
            continue;
        if (!(g[5] & GATE_PRESENT))
            continue;
        uint64_t lo = (uint64_t)g[0] | (uint64_t)g[1] << 8;
        uint64_t mid = (uint64_t)g[6] | (uint64_t)g[7] << 8;
        uint32_t high;
        memcpy(&high, g + 8, 4);
        handlers[got++] = lo | mid << 16 | (uint64_t)high << 32;
    }
    return got;
}

/* _etext lies inside the last executable page: the linker fills the rest
 * of that page with zeros up to the next section, and the kernel frees the
 * pages after it (free_kernel_image_pages), so the text ends after its
 * last non-zero byte. */
static uint64_t text_end(const DlGuestView *v, uint64_t pend_page)
{
    const uint8_t *p = dl_view_phys(v, pend_page - PAGE, PAGE);
    if (!p)
        return pend_page;
    uint64_t n = PAGE;
    while (n > 0 && p[n - 1] == 0)
        n--;
    return pend_page - PAGE + n;
}

static bool find_with(const DlGuestView *v, const DlVcpuState *c, uint64_t cr3, uint64_t link_text,
                      DlKernelText *out)
{
    uint64_t h[IDT_GATES];
    unsigned n = read_idt(v, c, cr3, h);
    unsigned best_in = 0;
    for (unsigned i = 0; i < n; i++) {
        DlXlate t;
        if (!exec_at(v, cr3, c->la57, h[i], &t))
            continue;
        /* Already inside the best range: nothing new to learn. */
        if (best_in && h[i] >= out->vstart && h[i] < out->vmap_end)
            continue;
        uint64_t lo, hi;
        extent(v, cr3, c->la57, h[i], &lo, &hi);
        unsigned in = 0;
        for (unsigned j = 0; j < n; j++)
            in += h[j] >= lo && h[j] < hi;
        if (in > best_in) {
            best_in = in;
            out->vstart = lo;
            out->vmap_end = hi;
        }
    }
    if (!best_in)
        return false;
    DlXlate t;
    dl_x86_translate(v, cr3, c->la57, out->vstart, &t);
    out->pstart = t.pa;
    uint64_t pmap_end = t.pa + (out->vmap_end - out->vstart);
    out->pend = text_end(v, pmap_end);
    out->vend = out->vstart + (out->pend - out->pstart);
    out->kaslr_virt = (int64_t)(out->vstart - link_text);
    out->kaslr_phys = (int64_t)(out->pstart - (link_text - START_KERNEL_MAP));
    out->cr3 = cr3;
    out->handlers = n;
    out->outside = n - best_in;
    return true;
}

bool dl_ktext_find(const DlGuestView *v, const DlVcpuState *cpu, uint64_t link_text,
                   DlKernelText *out, GError **err)
{
    memset(out, 0, sizeof(*out));
    /* With page-table isolation a vCPU caught in user mode runs on the user
     * half of an 8 KiB PGD pair, which maps only the entry text: the kernel
     * half (bit 12 clear) maps it all. Try both, keep the wider. */
    uint64_t cr3 = cpu->cr3 & ~0xfffULL;
    uint64_t cands[2] = {cr3 & ~0x1000ULL, cr3};
    unsigned nc = cands[0] == cands[1] ? 1 : 2;
    bool found = false;
    for (unsigned i = 0; i < nc; i++) {
        DlKernelText k;
        memset(&k, 0, sizeof(k));
        if (find_with(v, cpu, cands[i], link_text, &k) &&
            (!found || k.vmap_end - k.vstart > out->vmap_end - out->vstart)) {
            *out = k;
            found = true;
        }
    }
    if (!found)
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "no executable kernel mapping holds an IDT handler (CR3 0x%" G_GINT64_MODIFIER
                    "x, IDT 0x%" G_GINT64_MODIFIER "x/%u, %d-level paging)",
                    cpu->cr3, cpu->idt_base, cpu->idt_limit, cpu->la57 ? 5 : 4);
    return found;
}
