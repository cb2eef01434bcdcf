/* The dump against the first kernel's memory map: all RAM there except
 * what the layout leaves out, and nothing of the crashkernel reservation
 * (that is the crash kernel's own memory, not the crashed kernel's). */
#include "check_internal.h"

#include <elf.h>

typedef struct {
    guint64 start, end; /* [start, end) */
} Iv;

static int iv_cmp(const void *a, const void *b)
{
    const Iv *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorts and merges in place. */
static void iv_norm(GArray *a)
{
    g_array_sort(a, iv_cmp);
    guint o = 0;
    for (guint i = 0; i < a->len; i++) {
        Iv v = g_array_index(a, Iv, i);
        if (v.end <= v.start)
            continue;
        if (o && v.start <= g_array_index(a, Iv, o - 1).end) {
            Iv *last = &g_array_index(a, Iv, o - 1);
            last->end = MAX(last->end, v.end);
        } else {
            g_array_index(a, Iv, o++) = v;
        }
    }
    g_array_set_size(a, o);
}

/* a minus b, both normalised; a new normalised array. */
static GArray *iv_sub(GArray *a, GArray *b)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(Iv));
    guint j = 0;
    for (guint i = 0; i < a->len; i++) {
        Iv v = g_array_index(a, Iv, i);
        while (j < b->len && g_array_index(b, Iv, j).end <= v.start)
            j++;
        for (guint k = j; k < b->len && v.start < v.end; k++) {
            Iv cut = g_array_index(b, Iv, k);
            if (cut.start >= v.end)
                break;
            if (cut.start > v.start) {
                Iv piece = {v.start, cut.start};
                g_array_append_val(out, piece);
            }
            v.start = MAX(v.start, cut.end);
        }
        if (v.start < v.end)
            g_array_append_val(out, v);
    }
    return out;
}

static GArray *from_ranges(GArray *ranges)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(Iv));
    for (guint i = 0; ranges && i < ranges->len; i++) {
        const DlRange *r = &g_array_index(ranges, DlRange, i);
        Iv v = {r->start, r->end + 1};
        g_array_append_val(a, v);
    }
    iv_norm(a);
    return a;
}

/* "0x1000-0x9ffff, 0x100000-0x1fffff (+3 more)"; total bytes in *sum. */
static char *describe(GArray *a, guint64 *sum)
{
    GString *s = g_string_new(NULL);
    *sum = 0;
    for (guint i = 0; i < a->len; i++) {
        const Iv *v = &g_array_index(a, Iv, i);
        *sum += v->end - v->start;
        if (i < 4)
            g_string_append_printf(s, "%s0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x",
                                   i ? ", " : "", v->start, v->end - 1);
    }
    if (a->len > 4)
        g_string_append_printf(s, " (+%u more)", a->len - 4);
    return g_string_free(s, FALSE);
}

void dl_check_memmap(DlCheckCtx *c)
{
    DlCheckResult *r = c->r;
    if (!c->in->ram || r->layout == DL_LAYOUT_UNKNOWN)
        return;
    /* What the dump covers: its segments up to p_memsz (past p_filesz are
     * pages a filter left out, makedumpfile -E; check_filter.c judges
     * them), or, without program headers, every frame that is RAM to it. */
    g_autoptr(GArray) dumped = g_array_new(FALSE, FALSE, sizeof(Iv));
    for (guint i = 0; c->elf && i < dl_dump_phnum(c->dump); i++) {
        const DlPhdr *p = dl_dump_phdr(c->dump, i);
        guint64 len = MAX(p->filesz, p->memsz);
        if (p->type != PT_LOAD || dl_check_is_text(c, p) || !len || p->paddr + len < p->paddr)
            continue;
        Iv v = {p->paddr, p->paddr + len};
        g_array_append_val(dumped, v);
    }
    if (!c->elf) {
        guint64 ps = dl_dump_page_size(c->dump), max = dl_dump_max_pfn(c->dump);
        for (guint64 pfn = dl_dump_next_pfn(c->dump, 0); pfn < max;
             pfn = dl_dump_next_pfn(c->dump, pfn + 1)) {
            Iv v = {pfn * ps, (pfn + 1) * ps};
            if (dumped->len && g_array_index(dumped, Iv, dumped->len - 1).end == v.start)
                g_array_index(dumped, Iv, dumped->len - 1).end = v.end;
            else
                g_array_append_val(dumped, v);
        }
    }
    iv_norm(dumped);
    g_autoptr(GArray) ram = from_ranges(c->in->ram);
    g_autoptr(GArray) ck = from_ranges(c->in->crashkernel);
    g_autoptr(GArray) left_out = g_array_new(FALSE, FALSE, sizeof(Iv));
    if (r->layout != DL_LAYOUT_QEMU)
        g_array_append_vals(left_out, ck->data, ck->len);
    if (r->layout == DL_LAYOUT_KEXEC_FILE_LOAD) {
        Iv low = {0, LOW_1M};
        g_array_append_val(left_out, low);
    }
    iv_norm(left_out);
    /* Page-granular formats (kdump-compressed) hold whole frames only: a
     * RAM range's partial first or last page cannot be in them. */
    if (!c->elf) {
        guint64 ps = dl_dump_page_size(c->dump);
        for (guint i = 0; i < ram->len; i++) {
            Iv *v = &g_array_index(ram, Iv, i);
            v->start = (v->start + ps - 1) / ps * ps;
            v->end = MAX(v->start, v->end / ps * ps);
        }
    }
    g_autoptr(GArray) expected = iv_sub(ram, left_out);
    g_autoptr(GArray) missing = iv_sub(expected, dumped);
    guint64 n;
    if (missing->len) {
        g_autofree char *d = describe(missing, &n);
        dl_check_add(r, DL_SEV_DEFECT, -1, "ram.missing",
                     "%" G_GUINT64_FORMAT " bytes of the guest's RAM are not in the dump: %s", n,
                     d);
    }
    if (r->layout != DL_LAYOUT_QEMU && ck->len) {
        g_autoptr(GArray) outside = iv_sub(dumped, ck);
        g_autoptr(GArray) inside = iv_sub(dumped, outside);
        if (inside->len) {
            g_autofree char *d = describe(inside, &n);
            dl_check_add(r, DL_SEV_DEFECT, -1, "ram.crashkernel-dumped",
                         "%" G_GUINT64_FORMAT
                         " bytes of the crashkernel reservation are in the dump: %s",
                         n, d);
        }
    }
    g_autoptr(GArray) extra = iv_sub(dumped, ram);
    if (extra->len && r->layout != DL_LAYOUT_QEMU) {
        g_autofree char *d = describe(extra, &n);
        dl_check_add(r, DL_SEV_WARNING, -1, "ram.extra",
                     "%" G_GUINT64_FORMAT " dumped bytes are not System RAM in the first "
                     "kernel's memory map: %s",
                     n, d);
    }
}
