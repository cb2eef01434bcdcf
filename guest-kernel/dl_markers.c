// SPDX-License-Identifier: GPL-2.0
/* Marker pages: N order-0 pages filled with dl_marker_word(seed, pfn, i) and
 * kept until unload, so a correct vmcore must contain each of them at its own
 * frame. The manifest lists them as runs of consecutive frames. */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "dl_internal.h"
#include "marker.h"

static unsigned long *dl_pfns; /* sorted after allocation */
static unsigned long dl_count;
static u64 dl_seed;

static int dl_cmp_pfn(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a;
    unsigned long y = *(const unsigned long *)b;

    return x < y ? -1 : x > y;
}

static void dl_fill(struct page *page, u64 seed)
{
    unsigned long long pfn = page_to_pfn(page);
    u64 *w = page_address(page);
    unsigned int i;

    for (i = 0; i < DL_MARKER_WORDS; i++)
        w[i] = dl_marker_word(seed, pfn, i);
}

void dl_markers_free(void)
{
    unsigned long i;

    for (i = 0; i < dl_count; i++)
        __free_page(pfn_to_page(dl_pfns[i]));
    kvfree(dl_pfns);
    dl_pfns = NULL;
    dl_count = 0;
    dl_seed = 0;
}

/* Replaces any earlier set: one seed describes all marker pages. */
int dl_markers_alloc(u64 seed, unsigned long count)
{
    unsigned long *pfns;
    unsigned long i;

    /* Leave the guest at least half its memory so the crash kernel's
     * loading and the test itself still work. */
    if (count == 0 || count > totalram_pages() / 2) {
        pr_warn("dumplab_crash: markers: count %lu must be 1..%lu\n", count, totalram_pages() / 2);
        return -EINVAL;
    }
    pfns = kvcalloc(count, sizeof(*pfns), GFP_KERNEL);
    if (!pfns)
        return -ENOMEM;
    dl_markers_free();
    for (i = 0; i < count; i++) {
        /* Lowmem only: page_address() must map it (no highmem on x86-64,
         * but say so). */
        struct page *page = alloc_page(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY);

        if (!page) {
            pr_warn("dumplab_crash: markers: out of memory after %lu pages\n", i);
            while (i--)
                __free_page(pfn_to_page(pfns[i]));
            kvfree(pfns);
            return -ENOMEM;
        }
        dl_fill(page, seed);
        pfns[i] = page_to_pfn(page);
        cond_resched();
    }
    sort(pfns, count, sizeof(*pfns), dl_cmp_pfn, NULL);
    dl_pfns = pfns;
    dl_count = count;
    dl_seed = seed;
    pr_info("dumplab_crash: markers: %lu pages, seed %llu\n", count, (unsigned long long)seed);
    return 0;
}

void dl_markers_show(struct seq_file *m)
{
    unsigned long i = 0;

    while (i < dl_count) {
        unsigned long start = dl_pfns[i], n = 1;

        while (i + n < dl_count && dl_pfns[i + n] == start + n)
            n++;
        seq_printf(m, "marker pfn=0x%lx count=%lu\n", start, n);
        i += n;
    }
    seq_printf(m, "seed value=%llu\n", (unsigned long long)dl_seed);
}

unsigned long dl_markers_count(void)
{
    return dl_count;
}

u64 dl_markers_seed(void)
{
    return dl_seed;
}
