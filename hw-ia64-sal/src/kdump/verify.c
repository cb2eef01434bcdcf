/* The proofs on a vmcore the capture kernel wrote, against what the model
 * knows: the ELF core file is well formed (every length checked against
 * the file), it holds one NT_PRSTATUS per CPU whose ip/cfm/psr/bsp are
 * where the model saw that CPU when the stop reached it, its PT_LOADs are
 * exactly RAM minus Xs..Xe and match the memory snapshot taken when the
 * capture kernel started, page by page, the marker pages hold the (seed,
 * frame) pattern byte for byte, one CPU captured (the right one), every
 * other halted, and the capture side wrote nothing outside Xs..Xe. */
#define _GNU_SOURCE /* memmem */
#include "ia64/kdump.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../../guest-kernel/ia64/layout.h"
#include "../../../harness/include/dumplab/marker.h"
#include "ia64/cpu.h"

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void add(struct kd_findings *f, const char *fmt, ...)
{
    if (f->n >= KD_FINDINGS_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->text[f->n++], sizeof(f->text[0]), fmt, ap);
    va_end(ap);
}

int kd_expected_capture(const struct kd_machine *k, const struct kd_case *c,
                        const struct kd_result *r)
{
    if (c->fault == KD_FAULT_PANIC && c->stop == KD_STOP_IPI_THEN_INIT)
        return (int)c->fault_cpu;
    return r->narrivals ? (int)r->arrivals[0] : -1;
}

struct load {
    uint64_t off, pa, va, size;
};

/* Notes: one NT_PRSTATUS per CPU (pr_pid = CPU + 1), registers proven. */
static void check_notes(const struct kd_machine *k, const struct kd_result *r, const uint8_t *v,
                        uint64_t off, uint64_t size, struct kd_findings *f)
{
    unsigned ncpus = k->m.ncpus;
    bool seen[KD_CPUS_MAX] = {0};
    uint64_t o = 0;
    while (o + 12 <= size) {
        uint64_t namesz = rd(v + off + o, 4), descsz = rd(v + off + o + 4, 4),
                 type = rd(v + off + o + 8, 4);
        uint64_t name_al = (namesz + 3) & ~3ULL, desc_al = (descsz + 3) & ~3ULL;
        if (namesz > size || descsz > size || 12 + name_al + desc_al > size - o) {
            add(f, "note at 0x%llx runs past its PT_NOTE", (unsigned long long)(off + o));
            return;
        }
        const uint8_t *name = v + off + o + 12, *desc = name + name_al;
        o += 12 + name_al + desc_al;
        f->notes++;
        if (type == 0 && namesz == 11 && !memcmp(name, "VMCOREINFO", 11)) {
            f->vmcoreinfo++;
            /* the text is not NUL-terminated: look inside descsz only */
            if (!memmem(desc, descsz, "OSRELEASE=", 10) || !memmem(desc, descsz, "CRASHTIME=", 10))
                add(f, "VMCOREINFO lacks OSRELEASE or CRASHTIME");
            continue;
        }
        if (type != 1 || namesz != 5 || memcmp(name, "CORE", 5))
            continue;
        if (descsz != KD_PRSTATUS_SIZE) {
            add(f, "NT_PRSTATUS of %llu bytes, not %d", (unsigned long long)descsz,
                KD_PRSTATUS_SIZE);
            continue;
        }
        uint64_t pid = rd(desc + KD_PR_PID, 4);
        if (pid == 0 || pid > ncpus) {
            add(f, "NT_PRSTATUS with pr_pid %llu names no CPU", (unsigned long long)pid);
            continue;
        }
        unsigned cpu = (unsigned)pid - 1;
        f->prstatus++;
        if (seen[cpu])
            add(f, "cpu%u has two NT_PRSTATUS notes", cpu);
        seen[cpu] = true;
        const uint8_t *g = desc + KD_PR_REG;
        uint64_t ip = rd(g + 8 * 42, 8), cfm = rd(g + 8 * 43, 8), psr = rd(g + 8 * 44, 8),
                 bsp = rd(g + 8 * 46, 8);
        const struct kd_cpu_fact *fa = &r->cpu[cpu];
        if (fa->how == 0) {
            add(f, "cpu%u has a note but the model never saw a stop reach it", cpu);
            continue;
        }
        if (ip != fa->ip)
            add(f, "cpu%u saved ip 0x%llx, the model saw it at 0x%llx", cpu, (unsigned long long)ip,
                (unsigned long long)fa->ip);
        if (cfm != (fa->cfm & 0x3fffffffffULL))
            add(f, "cpu%u saved cfm 0x%llx, the model had 0x%llx", cpu, (unsigned long long)cfm,
                (unsigned long long)fa->cfm);
        if (bsp != fa->bsp)
            add(f, "cpu%u saved bsp 0x%llx, the model had 0x%llx", cpu, (unsigned long long)bsp,
                (unsigned long long)fa->bsp);
        if (fa->how != 3) { /* r1..r15, pr, b0: the stops found them, not the panic path */
            for (unsigned reg = 1; reg < 16; reg++)
                if (rd(g + 8 * reg, 8) != fa->gr[reg]) {
                    add(f, "cpu%u saved r%u 0x%llx, the model had 0x%llx", cpu, reg,
                        (unsigned long long)rd(g + 8 * reg, 8), (unsigned long long)fa->gr[reg]);
                    break;
                }
            if (rd(g + 8 * 33, 8) != fa->pr)
                add(f, "cpu%u saved pr 0x%llx, the model had 0x%llx", cpu,
                    (unsigned long long)rd(g + 8 * 33, 8), (unsigned long long)fa->pr);
            if (rd(g + 8 * 34, 8) != fa->b0)
                add(f, "cpu%u saved b0 0x%llx, the model had 0x%llx", cpu,
                    (unsigned long long)rd(g + 8 * 34, 8), (unsigned long long)fa->b0);
        }
        if (fa->how != 3 && psr != fa->psr)
            add(f, "cpu%u saved psr 0x%llx, the model had 0x%llx", cpu, (unsigned long long)psr,
                (unsigned long long)fa->psr);
    }
    for (unsigned c = 0; c < ncpus; c++)
        if (!seen[c])
            add(f, "no NT_PRSTATUS for cpu%u", c);
    if (f->vmcoreinfo != 1)
        add(f, "%u VMCOREINFO notes, expected 1", f->vmcoreinfo);
}

bool kd_verify(struct kd_machine *k, const struct kd_case *c, const struct kd_result *r,
               struct kd_findings *f)
{
    memset(f, 0, sizeof(*f));
    unsigned ncpus = k->m.ncpus;
    if (r->itlb_miss_cpu >= 0)
        add(f, "cpu%d: instruction TLB miss after 0x%llx (purged while fetching through the TLB)",
            r->itlb_miss_cpu, (unsigned long long)r->itlb_miss_ip);
    if (r->stale_irqs)
        add(f, "the capture kernel saw %llu stale interrupt(s), vector 0x%llx",
            (unsigned long long)r->stale_irqs, (unsigned long long)r->stale_vector);
    int want = kd_expected_capture(k, c, r);
    if (r->capture_cpu < 0)
        add(f, "the capture kernel never started");
    else if (want >= 0 && r->capture_cpu != want)
        add(f, "cpu%d captured, expected cpu%d", r->capture_cpu, want);
    for (unsigned i = 0; i < ncpus; i++)
        if ((int)i != r->capture_cpu && !((r->halted_mask >> i) & 1))
            add(f, "cpu%u did not halt", i);
    if (r->halt_code != 0)
        add(f, "the machine halted with code 0x%x", r->halt_code);
    if (r->stray_pages)
        add(f, "the capture side wrote %llu page(s) outside Xs..Xe, first at 0x%llx",
            (unsigned long long)r->stray_pages, (unsigned long long)r->first_stray);
    const uint8_t *v = r->vmcore;
    uint64_t len = r->vmcore_len;
    if (!v || !r->vmcore_finished) {
        add(f, "no complete vmcore (%llu bytes)", (unsigned long long)len);
        return false;
    }
    if (len < 64 || memcmp(v, "\177ELF", 4) || v[4] != 2 || v[5] != 1 || rd(v + 16, 2) != 4 ||
        rd(v + 18, 2) != 50) {
        add(f, "vmcore is not an ELF64 little-endian EM_IA_64 core file");
        return false;
    }
    uint64_t phoff = rd(v + 32, 8), phnum = rd(v + 56, 2), phentsize = rd(v + 54, 2);
    if (phentsize != 56 || phoff > len || phnum * 56 > len - phoff) {
        add(f, "program headers outside the file");
        return false;
    }
    struct load loads[32];
    unsigned nl = 0, nnotes = 0;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = v + phoff + 56 * i;
        uint64_t type = rd(ph, 4), off = rd(ph + 8, 8), pa = rd(ph + 24, 8), fsz = rd(ph + 32, 8);
        if (off > len || fsz > len - off) {
            add(f, "segment %llu (0x%llx bytes at 0x%llx) runs past the file",
                (unsigned long long)i, (unsigned long long)fsz, (unsigned long long)off);
            return false;
        }
        if (type == 4) {
            nnotes++;
            check_notes(k, r, v, off, fsz, f);
        } else if (type == 1 && nl < 32) {
            loads[nl++] = (struct load){off, pa, rd(ph + 16, 8), fsz};
        }
    }
    f->loads = nl;
    if (nnotes != 1)
        add(f, "%u PT_NOTE segments, /proc/vmcore merges them into one", nnotes);
    /* The region-7 PT_LOADs are exactly the RAM ranges of the core header;
     * one region-5 PT_LOAD maps the kernel text. */
    uint64_t rs[16], re[16];
    int nr = kd_ram_ranges(&k->m, rs, re, 16);
    unsigned nram = 0, ntext = 0;
    for (unsigned i = 0; i < nl; i++) {
        if (loads[i].va >> 61 == 5) {
            ntext++;
            if (loads[i].pa != KD_KERNEL_PA || loads[i].size != KD_KERNEL_TEXT_SIZE ||
                loads[i].va != KD_R5 + KD_KERNEL_PA)
                add(f, "the kernel text PT_LOAD is 0x%llx+0x%llx at 0x%llx",
                    (unsigned long long)loads[i].pa, (unsigned long long)loads[i].size,
                    (unsigned long long)loads[i].va);
            continue;
        }
        if (nr < 0 || nram >= (unsigned)nr || loads[i].pa != rs[nram] ||
            loads[i].size != re[nram] - rs[nram] || loads[i].va != KD_R7 + loads[i].pa)
            add(f, "PT_LOAD %u (0x%llx+0x%llx) is not RAM range %u of the header", i,
                (unsigned long long)loads[i].pa, (unsigned long long)loads[i].size, nram);
        nram++;
    }
    if (nr < 0 || nram != (unsigned)nr || ntext != 1)
        add(f, "%u RAM and %u text PT_LOADs, expected %d and 1", nram, ntext, nr);
    /* Page by page against the memory when the capture kernel started. */
    uint64_t bad = 0, first_bad = 0;
    for (unsigned i = 0; i < nl; i++) {
        if (loads[i].pa > k->m.ram_size || loads[i].size > k->m.ram_size - loads[i].pa) {
            add(f, "PT_LOAD %u lies outside RAM", i);
            continue;
        }
        if (loads[i].pa < KD_XE && KD_XS < loads[i].pa + loads[i].size)
            add(f, "PT_LOAD %u overlaps Xs..Xe", i);
        for (uint64_t o = 0; o < loads[i].size && r->snapshot; o += 4096) {
            uint64_t n = loads[i].size - o < 4096 ? loads[i].size - o : 4096;
            f->pages_compared++;
            if (memcmp(v + loads[i].off + o, r->snapshot + loads[i].pa + o, n)) {
                if (!bad++)
                    first_bad = loads[i].pa + o;
            }
        }
    }
    if (bad)
        add(f, "%llu page(s) differ from memory at the crash, first at 0x%llx",
            (unsigned long long)bad, (unsigned long long)first_bad);
    /* Marker pages, from the pattern itself (not from the snapshot). */
    for (unsigned p = 0; p < k->boot.nmarkers; p++) {
        uint64_t pa = KD_MARKERS + 4096ULL * p, pfn = pa >> 12;
        const uint8_t *page = NULL;
        for (unsigned i = 0; i < nl; i++)
            if (pa >= loads[i].pa && pa + 4096 <= loads[i].pa + loads[i].size)
                page = v + loads[i].off + (pa - loads[i].pa);
        if (!page) {
            add(f, "marker page 0x%llx is not in the vmcore", (unsigned long long)pa);
            continue;
        }
        for (unsigned w = 0; w < DL_MARKER_WORDS; w++)
            if (rd(page + 8 * w, 8) != dl_marker_word(k->proof_seed, pfn, w)) {
                add(f, "marker page 0x%llx word %u is wrong", (unsigned long long)pa, w);
                break;
            }
        f->markers_checked++;
    }
    return f->n == 0;
}
