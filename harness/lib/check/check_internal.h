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
    const DlCore *core;
    const DlCheckInput *in;
    DlCheckResult *r;
    int text; /* index of the kernel-text PT_LOAD, or -1 */
} DlCheckCtx;

void dl_check_header(DlCheckCtx *c);
void dl_check_layout(DlCheckCtx *c);
void dl_check_notes(DlCheckCtx *c);
void dl_check_vmcoreinfo(DlCheckCtx *c);
void dl_check_loads(DlCheckCtx *c);
void dl_check_text(DlCheckCtx *c);
void dl_check_memmap(DlCheckCtx *c);

/* True for the PT_LOAD that maps kernel text (vaddr in the kernel map). */
bool dl_check_is_text(const DlPhdr *p);

#endif
