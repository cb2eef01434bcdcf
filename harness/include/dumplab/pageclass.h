/* What the kernel in a dump used each frame for, read from its own struct
 * page array as makedumpfile reads it: mem_section found through VMCOREINFO
 * (SYMBOL(mem_section), LENGTH, SIZE, OFFSET(...), NUMBER(SECTION_SIZE_BITS),
 * NUMBER(PG_*), NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)), virtual addresses
 * translated through the kernel's page tables (SYMBOL(init_top_pgt),
 * NUMBER(phys_base)). x86_64 with 4-level paging. */
#ifndef DUMPLAB_PAGECLASS_H
#define DUMPLAB_PAGECLASS_H

#include "dumplab/dump.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
    DL_PC_KERNEL,      /* none of the classes a filter may drop */
    DL_PC_FREE,        /* in the buddy allocator (-d 16) */
    DL_PC_USER,        /* anonymous or hugetlbfs (-d 8) */
    DL_PC_CACHE,       /* page cache, not private (-d 2) */
    DL_PC_CACHE_PRIV,  /* page cache with private data (-d 4) */
    DL_PC_NO_PAGE,     /* no struct page (a hole of the memory model) */
    DL_PC_UNREADABLE,  /* its struct page is not in the dump */
} DlPageClass;

typedef struct DlPageClassifier DlPageClassifier;

/* Fails (with err naming the missing VMCOREINFO entry or page) when the
 * dump does not say enough to find struct pages. */
DlPageClassifier *dl_pageclass_new(DlDump *d, GError **err);
/* Struct pages read from mem's memory, found through info's VMCOREINFO:
 * a hypervisor dump without VMCOREINFO read with the kdump vmcore's. */
DlPageClassifier *dl_pageclass_new_with(DlDump *mem, DlDump *info, GError **err);
void dl_pageclass_free(DlPageClassifier *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlPageClassifier, dl_pageclass_free)

/* The class of frame pfn; flags, when not NULL, gets page->flags (of the
 * compound head for a tail page). */
DlPageClass dl_pageclass_get(DlPageClassifier *c, guint64 pfn, guint64 *flags);
/* The dump-level bit that allows excluding a page of class k (1 zero, 2, 4,
 * 8, 16), 0 for none. */
int dl_pageclass_level_bit(DlPageClass k);
const char *dl_pageclass_name(DlPageClass k); /* "kernel", "free", "user", ... */

/* Virtual to physical through the dump's page tables; false when unmapped
 * or a table is not in the dump. span, when not NULL, gets the size of the
 * mapping (4 KiB, 2 MiB, 1 GiB; the text map counts as 2 MiB). */
bool dl_kvtop(DlDump *d, guint64 vaddr, guint64 *paddr, guint64 *span);
/* The same with the tables in mem and the symbols in info's VMCOREINFO. */
bool dl_kvtop_with(DlDump *mem, DlDump *info, guint64 vaddr, guint64 *paddr, guint64 *span);

#endif
