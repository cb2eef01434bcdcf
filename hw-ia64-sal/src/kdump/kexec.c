/* kexec-tools' part of an IA-64 crash load (kexec/arch/ia64/), done by
 * the runner the way user space does it, then handed to the first kernel
 * through a staging table that its kexec_load copies into Xs..Xe:
 *  - the capture kernel's PT_LOAD segments (they must lie in Xs..Xe);
 *  - ia64_boot_param pointing at the new command line and memory map;
 *  - the command line: console, "elfcorehdr=<KiB>K", max_addr/min_addr in
 *    MiB, as crashdump-ia64.c writes them;
 *  - the EFI memory map: the firmware's, with Xs..Xe Conventional except
 *    the ELF core header (LoaderData, as purgatory's patch_efi_memmap tags
 *    loaded pieces) and every other RAM range the first kernel managed
 *    Reserved. Real kdump confines the capture kernel with min_addr/
 *    max_addr instead of rewriting the rest to Reserved; this map does
 *    both, so a capture kernel that trusts either stays inside;
 *  - the ELF core header: one PT_NOTE per CPU at its crash_notes buffer,
 *    one for VMCOREINFO, a PT_LOAD for the kernel text in region 5 and
 *    PT_LOADs for RAM minus Xs..Xe (region 7). */
#include "ia64/kdump.h"

#include <stdio.h>
#include <string.h>

#include "../../../guest-kernel/ia64/layout.h"
#include "ia64/efi.h"
#include "ia64/firmware.h"
#include "ia64/mem.h"

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void wr(uint8_t *p, unsigned n, uint64_t v)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

struct stage {
    struct ia64_machine *m;
    uint64_t next; /* next free staging byte */
    unsigned nseg;
    char *err;
    size_t errlen;
};

static int add_segment(struct stage *s, const void *buf, uint64_t len, uint64_t dst)
{
    uint64_t padded = (len + 7) & ~7ULL;
    if (dst < KD_XS || dst > KD_XE || padded > KD_XE - dst || (dst & 7)) {
        snprintf(s->err, s->errlen, "segment 0x%llx+0x%llx is not inside Xs..Xe",
                 (unsigned long long)dst, (unsigned long long)len);
        return -1;
    }
    if (s->nseg >= KD_MAX_SEGS || padded > KD_STAGE_END - s->next) {
        snprintf(s->err, s->errlen, "staging area full (%u segments)", s->nseg);
        return -1;
    }
    uint8_t *p = ia64_ram_ptr(s->m, s->next, padded);
    uint8_t *t = ia64_ram_ptr(s->m, KD_STAGE + 8 + 24ULL * s->nseg, 24);
    if (!p || !t) {
        snprintf(s->err, s->errlen, "staging area outside RAM");
        return -1;
    }
    memset(p, 0, padded);
    memcpy(p, buf, len);
    wr(t, 8, s->next);
    wr(t + 8, 8, dst);
    wr(t + 16, 8, padded);
    s->next += (padded + 4095) & ~4095ULL;
    s->nseg++;
    return 0;
}

/* The capture kernel's PT_LOADs, placed at their p_paddr as kexec-tools'
 * elf_exec_load does for a kernel linked where it runs. */
static int stage_kernel(struct stage *s, const uint8_t *b, size_t len, uint64_t *entry)
{
    if (len < 64 || memcmp(b, "\177ELF", 4) || b[4] != 2 || b[5] != 1 || rd(b + 18, 2) != 50) {
        snprintf(s->err, s->errlen, "capture kernel: not an ELF64 IA-64 file");
        return -1;
    }
    uint64_t phoff = rd(b + 32, 8);
    unsigned phentsize = (unsigned)rd(b + 54, 2), phnum = (unsigned)rd(b + 56, 2);
    if (phentsize != 56 || phoff > len || (uint64_t)phnum * 56 > len - phoff) {
        snprintf(s->err, s->errlen, "capture kernel: program headers out of the file");
        return -1;
    }
    *entry = rd(b + 24, 8);
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = b + phoff + 56ULL * i;
        if (rd(ph, 4) != 1)
            continue;
        uint64_t off = rd(ph + 8, 8), pa = rd(ph + 24, 8), fsz = rd(ph + 32, 8),
                 msz = rd(ph + 40, 8);
        if (off > len || fsz > len - off || fsz > msz) {
            snprintf(s->err, s->errlen, "capture kernel: PT_LOAD %u out of the file", i);
            return -1;
        }
        /* The memory size, zero-filled, so .bss is cleared too. */
        static uint8_t seg[KD_STAGE_END - KD_STAGE_DATA];
        if (msz > sizeof(seg)) {
            snprintf(s->err, s->errlen, "capture kernel: PT_LOAD %u too large", i);
            return -1;
        }
        memset(seg, 0, msz);
        memcpy(seg, b + off, fsz);
        if (add_segment(s, seg, msz, pa))
            return -1;
    }
    return 0;
}

int kd_ram_ranges(struct ia64_machine *m, uint64_t start[], uint64_t end[], int max)
{
    const uint8_t *bp = ia64_ram_ptr(m, IA64_FW_BOOT_PARAM, BOOT_PARAM_SIZE);
    if (!bp)
        return -1;
    uint64_t map = rd(bp + BOOT_PARAM_EFI_MEMMAP, 8), size = rd(bp + BOOT_PARAM_MEMMAP_SIZE, 8),
             dsz = rd(bp + BOOT_PARAM_MEMDESC_SIZE, 8);
    const uint8_t *d = ia64_ram_ptr(m, map, size);
    if (!d || dsz < 40 || size / dsz > 64)
        return -1;
    int n = 0;
    for (uint64_t o = 0; o + dsz <= size; o += dsz) {
        if (rd(d + o + EFI_MD_TYPE, 4) != EFI_CONVENTIONAL_MEMORY)
            continue;
        uint64_t a = rd(d + o + EFI_MD_PHYS, 8), e = a + (rd(d + o + EFI_MD_PAGES, 8) << 12);
        /* cut Xs..Xe out */
        uint64_t piece[2][2] = {{a, e < KD_XS ? e : KD_XS}, {a > KD_XE ? a : KD_XE, e}};
        for (int k = 0; k < 2; k++) {
            if (piece[k][0] >= piece[k][1])
                continue;
            if (n >= max)
                return -1;
            start[n] = piece[k][0];
            end[n] = piece[k][1];
            n++;
        }
    }
    return n;
}

static unsigned put_desc(uint8_t *map, unsigned n, uint32_t type, uint64_t a, uint64_t e,
                         uint64_t attr)
{
    if (a >= e)
        return n;
    uint8_t *d = map + n * IA64_FW_MEMDESC_SIZE;
    memset(d, 0, IA64_FW_MEMDESC_SIZE);
    wr(d + EFI_MD_TYPE, 4, type);
    wr(d + EFI_MD_PHYS, 8, a);
    wr(d + EFI_MD_VIRT, 8, a);
    wr(d + EFI_MD_PAGES, 8, (e - a) >> 12);
    wr(d + EFI_MD_ATTR, 8, attr);
    return n + 1;
}

/* The capture kernel's EFI memory map; returns its size in bytes or 0. */
static size_t capture_memmap(struct ia64_machine *m, uint8_t *out, size_t cap)
{
    const uint8_t *bp = ia64_ram_ptr(m, IA64_FW_BOOT_PARAM, BOOT_PARAM_SIZE);
    uint64_t map = rd(bp + BOOT_PARAM_EFI_MEMMAP, 8), size = rd(bp + BOOT_PARAM_MEMMAP_SIZE, 8),
             dsz = rd(bp + BOOT_PARAM_MEMDESC_SIZE, 8);
    const uint8_t *d = ia64_ram_ptr(m, map, size);
    if (!d || dsz < 40)
        return 0;
    unsigned n = 0, max = (unsigned)(cap / IA64_FW_MEMDESC_SIZE);
    for (uint64_t o = 0; o + dsz <= size; o += dsz) {
        uint32_t type = (uint32_t)rd(d + o, 4);
        uint64_t a = rd(d + o + EFI_MD_PHYS, 8), e = a + (rd(d + o + EFI_MD_PAGES, 8) << 12);
        uint64_t attr = rd(d + o + EFI_MD_ATTR, 8);
        if (n + 5 > max)
            return 0;
        if (type != EFI_CONVENTIONAL_MEMORY) { /* firmware and MMIO: unchanged */
            memcpy(out + n * IA64_FW_MEMDESC_SIZE, d + o, 40);
            memset(out + n * IA64_FW_MEMDESC_SIZE + 40, 0, IA64_FW_MEMDESC_SIZE - 40);
            n++;
            continue;
        }
        uint64_t xs = a > KD_XS ? a : KD_XS, xe = e < KD_XE ? e : KD_XE;
        if (xs >= xe) {
            n = put_desc(out, n, EFI_RESERVED_TYPE, a, e, attr);
            continue;
        }
        n = put_desc(out, n, EFI_RESERVED_TYPE, a, xs, attr);
        uint64_t h0 = KD_CAP_ELFHDR, h1 = KD_CAP_ELFHDR + 4096;
        n = put_desc(out, n, EFI_CONVENTIONAL_MEMORY, xs, h0 < xe ? h0 : xe, attr);
        n = put_desc(out, n, EFI_LOADER_DATA, h0 > xs ? h0 : xs, h1 < xe ? h1 : xe, attr);
        n = put_desc(out, n, EFI_CONVENTIONAL_MEMORY, h1 > xs ? h1 : xs, xe, attr);
        n = put_desc(out, n, EFI_RESERVED_TYPE, xe, e, attr);
    }
    return (size_t)n * IA64_FW_MEMDESC_SIZE;
}

/* The ELF core header; returns its size or 0. */
static size_t core_header(struct kd_machine *k, uint8_t *h, size_t cap)
{
    uint64_t rs[16], re[16];
    int nr = kd_ram_ranges(&k->m, rs, re, 16);
    unsigned ncpus = k->m.ncpus;
    if (nr < 0)
        return 0;
    unsigned phnum = ncpus + 1 + 1 + (unsigned)nr; /* notes, VMCOREINFO, text, RAM */
    size_t size = 64 + 56 * (size_t)phnum;
    if (size > cap)
        return 0;
    memset(h, 0, size);
    memcpy(h, "\177ELF", 4);
    h[4] = 2;          /* ELFCLASS64 */
    h[5] = 1;          /* little-endian */
    h[6] = 1;          /* EV_CURRENT */
    wr(h + 16, 2, 4);  /* ET_CORE */
    wr(h + 18, 2, 50); /* EM_IA_64 */
    wr(h + 20, 4, 1);
    wr(h + 32, 8, 64);
    wr(h + 52, 2, 64);
    wr(h + 54, 2, 56);
    wr(h + 56, 2, phnum);
    uint8_t *ph = h + 64;
    for (unsigned c = 0; c < ncpus; c++, ph += 56) {
        uint64_t notes = KD_NOTES + (uint64_t)c * KD_NOTE_STRIDE + KD_NOTE_OFF;
        wr(ph, 4, 4); /* PT_NOTE at the CPU's crash_notes buffer */
        wr(ph + 8, 8, notes);
        wr(ph + 24, 8, notes);
        wr(ph + 32, 8, KD_NOTE_BYTES);
        wr(ph + 40, 8, KD_NOTE_BYTES);
    }
    wr(ph, 4, 4); /* PT_NOTE: VMCOREINFO (kexec-tools reads /sys/kernel/vmcoreinfo) */
    wr(ph + 8, 8, KD_VMCOREINFO);
    wr(ph + 24, 8, KD_VMCOREINFO);
    wr(ph + 32, 8, KD_VMCOREINFO_SIZE);
    wr(ph + 40, 8, KD_VMCOREINFO_SIZE);
    ph += 56;
    wr(ph, 4, 1); /* PT_LOAD: the kernel text in region 5 ("Kernel code") */
    wr(ph + 4, 4, 7);
    wr(ph + 8, 8, KD_KERNEL_PA);
    wr(ph + 16, 8, KD_R5 + KD_KERNEL_PA);
    wr(ph + 24, 8, KD_KERNEL_PA);
    wr(ph + 32, 8, KD_KERNEL_TEXT_SIZE);
    wr(ph + 40, 8, KD_KERNEL_TEXT_SIZE);
    ph += 56;
    for (int i = 0; i < nr; i++, ph += 56) {
        wr(ph, 4, 1); /* PT_LOAD */
        wr(ph + 4, 4, 7);
        wr(ph + 8, 8, rs[i]);
        wr(ph + 16, 8, KD_R7 + rs[i]); /* page_offset, region 7 */
        wr(ph + 24, 8, rs[i]);
        wr(ph + 32, 8, re[i] - rs[i]);
        wr(ph + 40, 8, re[i] - rs[i]);
    }
    return size;
}

int kd_stage_capture(struct kd_machine *k, const void *capture, size_t len, char *err,
                     size_t errlen)
{
    struct ia64_machine *m = &k->m;
    struct stage s = {m, KD_STAGE_DATA, 0, err, errlen};
    uint64_t entry;
    if (stage_kernel(&s, capture, len, &entry))
        return -1;
    if (entry < KD_XS || entry >= KD_XE) {
        snprintf(err, errlen, "capture kernel entry 0x%llx is not inside Xs..Xe",
                 (unsigned long long)entry);
        return -1;
    }
    static uint8_t buf[4096];
    /* ELF core header */
    size_t hsz = core_header(k, buf, sizeof(buf));
    if (!hsz) {
        snprintf(err, errlen, "cannot build the ELF core header");
        return -1;
    }
    if (add_segment(&s, buf, hsz, KD_CAP_ELFHDR))
        return -1;
    /* EFI memory map */
    size_t msz = capture_memmap(m, buf, sizeof(buf));
    if (!msz) {
        snprintf(err, errlen, "cannot build the capture kernel's EFI memory map");
        return -1;
    }
    if (add_segment(&s, buf, msz, KD_CAP_MEMMAP))
        return -1;
    /* command line: elfcorehdr in KiB, max_addr/min_addr in MiB */
    char cmd[256];
    int cl =
        snprintf(cmd, sizeof(cmd), "console=uart elfcorehdr=%lluK max_addr=%lluM min_addr=%lluM",
                 (unsigned long long)(KD_CAP_ELFHDR >> 10), (unsigned long long)(KD_XE >> 20),
                 (unsigned long long)(KD_XS >> 20));
    if (add_segment(&s, cmd, (uint64_t)cl + 1, KD_CAP_CMDLINE))
        return -1;
    /* ia64_boot_param: the firmware's, pointing at the new pieces */
    const uint8_t *fbp = ia64_ram_ptr(m, IA64_FW_BOOT_PARAM, BOOT_PARAM_SIZE);
    if (!fbp) {
        snprintf(err, errlen, "no boot parameters");
        return -1;
    }
    memcpy(buf, fbp, BOOT_PARAM_SIZE);
    wr(buf + BOOT_PARAM_CMDLINE, 8, KD_CAP_CMDLINE);
    wr(buf + BOOT_PARAM_EFI_MEMMAP, 8, KD_CAP_MEMMAP);
    wr(buf + BOOT_PARAM_MEMMAP_SIZE, 8, msz);
    wr(buf + BOOT_PARAM_MEMDESC_SIZE, 8, IA64_FW_MEMDESC_SIZE);
    wr(buf + BOOT_PARAM_CONSOLE_COLS + 4, 4, 0); /* orig_x, orig_y */
    wr(buf + BOOT_PARAM_INITRD_START, 8, 0);
    wr(buf + BOOT_PARAM_INITRD_SIZE, 8, 0);
    if (add_segment(&s, buf, BOOT_PARAM_SIZE, KD_CAP_BOOTPARAM))
        return -1;
    uint8_t *t = ia64_ram_ptr(m, KD_STAGE, 8);
    uint8_t *cfg = ia64_ram_ptr(m, KD_CFG, 4096);
    if (!t || !cfg) {
        snprintf(err, errlen, "staging area outside RAM");
        return -1;
    }
    wr(t, 8, s.nseg);
    wr(cfg + CFG_CAP_ENTRY, 8, entry);
    wr(cfg + CFG_CAP_BOOTPARAM, 8, KD_CAP_BOOTPARAM);
    k->cap_entry = entry;
    k->cap_bootparam = KD_CAP_BOOTPARAM;
    return 0;
}
