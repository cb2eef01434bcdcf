/* A guest kernel's text found without the guest's help: from the vCPU state
 * QEMU holds (CR3, CR4.LA57, the IDT base and limit), the guest's own page
 * tables in the read-only view (4- and 5-level), the IDT's handlers and the
 * executable kernel mapping that holds them. */
#ifndef DUMPLAB_KTEXT_H
#define DUMPLAB_KTEXT_H

#include "dumplab/guestview.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* x86-64's kernel link address with the default CONFIG_PHYSICAL_START
 * (__START_KERNEL): where _text lies without KASLR. */
#define DL_X86_START_KERNEL 0xffffffff81000000ULL
#define DL_X86_PHYSICAL_START 0x1000000ULL

typedef struct {
    uint64_t cr3, cr4, idt_base;
    uint32_t idt_limit;
    bool la57; /* CR4 bit 12: 5-level paging */
} DlVcpuState;

/* One CPU's state from QEMU's "info registers" text (the first CPU in it).
 * Fails naming the missing register. */
bool dl_vcpu_parse(const char *text, DlVcpuState *out, GError **err);

typedef struct {
    uint64_t pa;        /* guest-physical address of va */
    uint64_t page_size; /* 4 KiB, 2 MiB or 1 GiB */
    bool writable, user, nx;
} DlXlate;

/* Translates va through the page tables at cr3 (PCID bits ignored). False
 * when va is not canonical or not mapped, or a table is outside RAM. */
bool dl_x86_translate(const DlGuestView *v, uint64_t cr3, bool la57, uint64_t va, DlXlate *out);

typedef struct {
    uint64_t vstart, vend; /* [_text, _etext): the virtual text bounds */
    uint64_t pstart, pend; /* the same, guest-physical */
    uint64_t vmap_end;     /* end of the executable mapping (page aligned) */
    int64_t kaslr_virt;    /* vstart - link address of _text */
    int64_t kaslr_phys;    /* pstart - physical load address without KASLR */
    uint64_t cr3;          /* the page tables that map it */
    unsigned handlers;     /* present IDT gates read */
    unsigned outside;      /* of them, pointing outside the text */
} DlKernelText;

/* Finds the kernel text: the executable, physically contiguous supervisor
 * mapping that holds the IDT's handlers. link_text is _text's link address
 * (DL_X86_START_KERNEL unless the vmlinux says otherwise). */
bool dl_ktext_find(const DlGuestView *v, const DlVcpuState *cpu, uint64_t link_text,
                   DlKernelText *out, GError **err);

#endif
