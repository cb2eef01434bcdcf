/* x86_64 kernel virtual addresses to physical ones, as crash and
 * makedumpfile do it: kernel-text addresses through phys_base, everything
 * else through a 4-level walk of init_top_pgt (vmcore-facts.md A1). */
#include "dumplab/pageclass.h"

#include <elf.h>

#define KERNEL_MAP 0xffffffff80000000ULL
#define PTE_PRESENT 0x1ULL
#define PTE_PSE 0x80ULL
#define PTE_ADDR 0x000ffffffffff000ULL

static bool entry(DlDump *d, guint64 table, guint64 idx, guint64 *out)
{
    guint64 v;
    if (!dl_dump_read_phys(d, (table & PTE_ADDR) + idx * 8, &v, 8, NULL))
        return false;
    *out = GUINT64_FROM_LE(v);
    return (*out & PTE_PRESENT) != 0;
}

bool dl_kvtop(DlDump *d, guint64 vaddr, guint64 *paddr, guint64 *span)
{
    return dl_kvtop_with(d, d, vaddr, paddr, span);
}

bool dl_kvtop_with(DlDump *d, DlDump *info, guint64 vaddr, guint64 *paddr, guint64 *span)
{
    guint64 dummy;
    if (!span)
        span = &dummy;
    if (dl_dump_machine(info) != EM_X86_64)
        return false;
    guint64 phys_base = 0, pgd, l5 = 0;
    const DlKdumpInfo *ki = dl_dump_kdump_info(info);
    if (!dl_dump_vmcoreinfo_u64(info, "NUMBER(phys_base)", &phys_base) && ki)
        phys_base = ki->phys_base;
    if (vaddr >= KERNEL_MAP) {
        *paddr = vaddr - KERNEL_MAP + phys_base;
        *span = 1ULL << 21;
        return true;
    }
    if (dl_dump_vmcoreinfo_u64(info, "NUMBER(pgtable_l5_enabled)", &l5) && l5)
        return false; /* 5-level paging is not walked */
    if (!dl_dump_vmcoreinfo_u64(info, "SYMBOL(init_top_pgt)", &pgd) || pgd < KERNEL_MAP)
        return false;
    guint64 e, t = pgd - KERNEL_MAP + phys_base;
    if (!entry(d, t, (vaddr >> 39) & 511, &e) || !entry(d, e, (vaddr >> 30) & 511, &t))
        return false;
    if (t & PTE_PSE) {
        *paddr = (t & PTE_ADDR & ~((1ULL << 30) - 1)) | (vaddr & ((1ULL << 30) - 1));
        *span = 1ULL << 30;
        return true;
    }
    if (!entry(d, t, (vaddr >> 21) & 511, &e))
        return false;
    if (e & PTE_PSE) {
        *paddr = (e & PTE_ADDR & ~((1ULL << 21) - 1)) | (vaddr & ((1ULL << 21) - 1));
        *span = 1ULL << 21;
        return true;
    }
    if (!entry(d, e, (vaddr >> 12) & 511, &t))
        return false;
    *paddr = (t & PTE_ADDR) | (vaddr & 0xfff);
    *span = 4096;
    return true;
}
