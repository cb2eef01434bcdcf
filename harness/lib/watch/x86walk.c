/* The x86-64 page-table walk (4-level, and 5-level with CR4.LA57) over a
 * guest's RAM, as the MMU does it in long mode. */
#include "dumplab/ktext.h"

#include <string.h>

#define PTE_P (1ULL << 0)
#define PTE_W (1ULL << 1)
#define PTE_U (1ULL << 2)
#define PTE_PS (1ULL << 7)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL
/* CR3 bits 11:0 hold the PCID; 51:12 the table. */
#define CR3_ADDR 0x000ffffffffff000ULL

static bool canonical(uint64_t va, bool la57)
{
    int bits = la57 ? 57 : 48;
    int64_t s = (int64_t)(va << (64 - bits)) >> (64 - bits);
    return (uint64_t)s == va;
}

bool dl_x86_translate(const DlGuestView *v, uint64_t cr3, bool la57, uint64_t va, DlXlate *out)
{
    if (!canonical(va, la57))
        return false;
    uint64_t table = cr3 & CR3_ADDR;
    int levels = la57 ? 5 : 4;
    bool w = true, u = true, nx = false;
    for (int level = levels; level >= 1; level--) {
        int shift = 12 + 9 * (level - 1);
        uint64_t idx = (va >> shift) & 511;
        const uint8_t *p = dl_view_phys(v, table + idx * 8, 8);
        if (!p)
            return false;
        uint64_t e;
        memcpy(&e, p, 8);
        if (!(e & PTE_P))
            return false;
        w = w && (e & PTE_W);
        u = u && (e & PTE_U);
        nx = nx || (e & PTE_NX);
        /* 1 GiB pages at the PDPT (level 3), 2 MiB at the PD (level 2). */
        if (level == 1 || ((level == 2 || level == 3) && (e & PTE_PS))) {
            uint64_t size = 1ULL << shift;
            uint64_t base = e & PTE_ADDR & ~(size - 1);
            *out = (DlXlate){base | (va & (size - 1)), size, w, u, nx};
            return true;
        }
        table = e & PTE_ADDR;
    }
    return false;
}
