/* Shared by the checker's rule files (not a public header). */
#ifndef DUMPLAB_CHECK_INTERNAL_H
#define DUMPLAB_CHECK_INTERNAL_H

#include "dumplab/check.h"

#define X86_KERNEL_MAP ((guint64)0xffffffff80000000ULL) /* __START_KERNEL_map */
#define X86_PHYSICAL_START ((guint64)0x1000000)         /* CONFIG_PHYSICAL_START default */
#define CORE_PAGE ((guint64)4096)
#define MAX_PHYS ((guint64)1 << 52)
#define LOW_1M ((guint64)1 << 20)

typedef struct {
    DlDump *dump;       /* the reader */
    const DlEhdr *elf;  /* its ELF header; NULL for other formats */
    const DlCheckInput *in;
    DlCheckResult *r;
    int text; /* index of the kernel-text PT_LOAD, or -1 */
} DlCheckCtx;

/* Notes and VMCOREINFO of the dump. */
guint dl_ctx_nnotes(const DlCheckCtx *c);
const DlNote *dl_ctx_note(const DlCheckCtx *c, guint i);
GPtrArray *dl_ctx_note_problems(const DlCheckCtx *c);
const char *dl_ctx_vmcoreinfo(const DlCheckCtx *c);
const char *dl_ctx_vmci(const DlCheckCtx *c, const char *key);
guint16 dl_ctx_machine(const DlCheckCtx *c);

/* Page data, bitmaps, descriptors, the filter (check_pages.c, check_kdump.c,
 * check_filter.c). False with err when a read failed under the checker. */
bool dl_check_pages(DlCheckCtx *c, GError **err);
void dl_check_kdump(DlCheckCtx *c);
void dl_check_filter(DlCheckCtx *c);

void dl_check_header(DlCheckCtx *c);
void dl_check_layout(DlCheckCtx *c);
void dl_check_notes(DlCheckCtx *c);
void dl_check_vmcoreinfo(DlCheckCtx *c);
void dl_check_loads(DlCheckCtx *c);
void dl_check_text(DlCheckCtx *c);
void dl_check_memmap(DlCheckCtx *c);

/* True for the PT_LOAD that maps kernel text (x86_64: vaddr in the kernel
 * map; ia64: region 5). */
bool dl_check_is_text(const DlCheckCtx *c, const DlPhdr *p);

#endif
