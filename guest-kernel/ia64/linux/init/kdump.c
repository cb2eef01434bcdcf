/* kdump for the guest's init, without kexec-tools (it has no ia64 build
 * here): the first kernel's side loads the capture kernel with
 * kexec_load(KEXEC_ON_CRASH) laid out as kexec-tools' ia64 code lays it out
 * (kexec/arch/ia64, purgatory/arch/ia64; see ia64-facts.md section 5), and
 * the capture kernel's side writes /proc/vmcore out through the platform's
 * dump device.
 *
 * Layout inside the "Crash kernel" region [cs, ce):
 *   cs + (kernel's offset in its 64 MiB granule): the vmlinux PT_LOADs,
 *       merged and page-aligned, shifted as move_loaded_segments does;
 *   info (64 KiB): the entry stub (start.S), a dummy SetVirtualAddressMap,
 *       the new ia64_boot_param, the command line, the EFI memory map
 *       (patch_efi_memmap: old LoaderData becomes Conventional, every
 *       loaded piece is LoaderData), and at +32 KiB the ELF core header in
 *       a LoaderData descriptor of its own (reserve_elfcorehdr needs one
 *       starting exactly there);
 *   the capture initramfs (/capture.cpio: this init alone).
 * The command line gets " elfcorehdr=NK max_addr=NM min_addr=NM", as
 * kexec-tools writes it, and maxcpus=1: the other CPUs stay frozen in the
 * old kernel. The old boot parameters and EFI memory map (LoaderData) are
 * read through /dev/mem; the runtime services table's SetVirtualAddress-
 * Map is patched by the entry stub at crash time, as purgatory does. */
#include "init.h"

#define ALIGN64K(x) (((x) + 0xffffUL) & ~0xffffUL)
#define GRANULE_64M (64UL << 20)
#define PAGE_OFFSET 0xe000000000000000UL
#define INFO_SIZE 0x10000UL
#define INFO_BOOT_PARAM 0x1000
#define INFO_CMDLINE 0x2000
#define INFO_MEMMAP 0x3000
#define INFO_MEMMAP_MAX 0x5000
#define INFO_ELFCORE 0x8000
#define INFO_SVAM_DESC 0x200 /* start.S's stub patches the runtime table to this */
#define KEXEC_STUB_DATA 256  /* the stub's two words (start.S) */
#define INFO_SVAM_CODE 0x210
#define EFI_LOADER_DATA 2
#define EFI_CONVENTIONAL 7

extern const char kexec_stub[], kexec_stub_data[], kexec_stub_end[];
extern const char efi_dummy_svam[], efi_dummy_svam_end[];

struct range {
    unsigned long start, end; /* end exclusive */
};

static struct {
    struct range ram[32];
    unsigned nram;
    struct range crash, kcode, memmap, bparam;
} io;

static unsigned long rd64(const void *p)
{
    unsigned long v;
    memcpy(&v, p, 8);
    return v;
}
static void wr64(void *p, unsigned long v)
{
    memcpy(p, &v, 8);
}
static void wr32(void *p, unsigned v)
{
    memcpy(p, &v, 4);
}
static void wr16(void *p, unsigned v)
{
    unsigned short s = (unsigned short)v;
    memcpy(p, &s, 2);
}

static int fail(const char *what, long err)
{
    char num[24];
    say(what, utoa((unsigned long)-err, num, sizeof(num)));
    return -1;
}

/* /proc/iomem: "  start-end : name", two spaces per nesting level. */
static int read_iomem(void)
{
    static char text[16384];
    if (read_small("/proc/iomem", text, sizeof(text)) <= 0)
        return -1;
    for (const char *p = text; *p;) {
        unsigned depth = 0;
        while (*p == ' ')
            p++, depth++;
        struct range r;
        r.start = parse_hex(&p);
        if (*p == '-')
            p++;
        r.end = parse_hex(&p) + 1;
        while (*p == ' ' || *p == ':')
            p++;
        const char *name = p;
        while (*p && *p != '\n')
            p++;
        unsigned long nl = (unsigned long)(p - name);
        if (*p)
            p++;
#define IS(s) (nl == sizeof(s) - 1 && !memcmp(name, s, nl))
        if (IS("System RAM") && depth == 0 && io.nram < 32)
            io.ram[io.nram++] = r;
        else if (IS("Crash kernel"))
            io.crash = r;
        else if (IS("Kernel code"))
            io.kcode = r;
        else if (IS("EFI Memory Map"))
            io.memmap = r;
        else if (IS("Boot parameter"))
            io.bparam = r;
#undef IS
    }
    return 0;
}

static long read_file_at(int fd, void *buf, unsigned long len, unsigned long off)
{
    unsigned long done = 0;
    while (done < len) {
        long r = sys_pread(fd, (char *)buf + done, len - done, (long)(off + done));
        if (r <= 0)
            return r < 0 ? r : -5;
        done += (unsigned long)r;
    }
    return 0;
}

/* Whether program header p is a PT_LOAD with memory: p_type is the low
 * 32 bits of the first word, p_flags the high ones. */
static int is_load(const unsigned char *p)
{
    return (rd64(p) & 0xffffffffUL) == 1 && rd64(p + 40);
}

/* The vmlinux PT_LOADs as one buffer [*lo, *lo + *span). */
static void *load_kernel(unsigned long *lo, unsigned long *span, unsigned long *entry,
                         unsigned long *text_vaddr)
{
    long fd = sys_open("/vmlinux", O_RDONLY, 0);
    if (fd < 0) {
        fail("no /vmlinux in the initramfs: ", fd);
        return 0;
    }
    static unsigned char eh[64], ph[56 * 16];
    if (read_file_at((int)fd, eh, 64, 0) || memcmp(eh, "\177ELF\2\1", 6) || eh[18] != 50) {
        say("/vmlinux is not an ELF64 IA-64 file", 0);
        return 0;
    }
    unsigned long phoff = rd64(eh + 32);
    unsigned phnum = (unsigned)(eh[56] | eh[57] << 8), phent = (unsigned)(eh[54] | eh[55] << 8);
    if (phent != 56 || phnum > 16 || read_file_at((int)fd, ph, 56UL * phnum, phoff)) {
        say("/vmlinux: unexpected program headers", 0);
        return 0;
    }
    unsigned long low = ~0UL, high = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const unsigned char *p = ph + 56 * i;
        unsigned long pa = rd64(p + 24), msz = rd64(p + 40);
        if (!is_load(p))
            continue;
        if (pa < low)
            low = pa;
        if (pa + msz > high)
            high = pa + msz;
        if (io.kcode.start >= pa && io.kcode.start < pa + msz)
            *text_vaddr = rd64(p + 16) + (io.kcode.start - pa);
    }
    if (low >= high) {
        say("/vmlinux has no PT_LOAD", 0);
        return 0;
    }
    low &= ~0xffffUL;
    *lo = low;
    *span = ALIGN64K(high - low);
    *entry = rd64(eh + 24);
    long buf = sys_mmap(*span);
    if (buf < 0 && buf > -4096) {
        fail("cannot map the kernel's buffer: errno ", buf);
        return 0;
    }
    for (unsigned i = 0; i < phnum; i++) {
        const unsigned char *p = ph + 56 * i;
        if (!is_load(p))
            continue;
        if (read_file_at((int)fd, (char *)buf + (rd64(p + 24) - low), rd64(p + 32), rd64(p + 8))) {
            say("cannot read /vmlinux", 0);
            return 0;
        }
    }
    sys_close((int)fd);
    return (void *)buf;
}

/* The capture kernel's command line from ours. */
static void capture_cmdline(char *out, unsigned long len, const char *old, unsigned long elfcore)
{
    unsigned long n = 0;
    for (const char *p = old; *p && *p != '\n';) {
        const char *w = p;
        while (*p && *p != ' ' && *p != '\n')
            p++;
        unsigned long wl = (unsigned long)(p - w);
        while (*p == ' ')
            p++;
        if ((wl >= 12 && !memcmp(w, "crashkernel=", 12)) ||
            (wl >= 13 && !memcmp(w, "dumplab.mode=", 13)) ||
            (wl >= 14 && !memcmp(w, "dumplab.fault=", 14)))
            continue;
        if (n + wl + 2 >= len)
            break;
        memcpy(out + n, w, wl);
        n += wl;
        out[n++] = ' ';
    }
    char num[24];
    const char *parts[] = {"dumplab.mode=capture maxcpus=1 elfcorehdr=",
                           utoa(elfcore >> 10, num, sizeof(num)), "K max_addr=", 0};
    for (unsigned i = 0; parts[i]; i++)
        for (const char *q = parts[i]; *q && n + 1 < len; q++)
            out[n++] = *q;
    char num2[24], num3[24];
    const char *tail[] = {utoa(io.crash.end >> 20, num2, sizeof(num2)),
                          "M min_addr=", utoa(io.crash.start >> 20, num3, sizeof(num3)), "M", 0};
    for (unsigned i = 0; tail[i]; i++)
        for (const char *q = tail[i]; *q && n + 1 < len; q++)
            out[n++] = *q;
    out[n] = 0;
}

/* patch_efi_memmap: returns the new map's size. */
static unsigned long patch_memmap(unsigned char *out, unsigned long room, const unsigned char *old,
                                  unsigned long size, unsigned long dsz, const struct range *load,
                                  unsigned nload)
{
    unsigned long n = 0;
#define EMIT(type, s, e)                                                                           \
    do {                                                                                           \
        if (n + dsz > room)                                                                        \
            return 0;                                                                              \
        memcpy(out + n, d, dsz);                                                                   \
        wr32(out + n, (type));                                                                     \
        wr64(out + n + 8, (s));                                                                    \
        wr64(out + n + 16, rd64(d + 16) + ((s)-ds));                                               \
        wr64(out + n + 24, ((e) - (s)) >> 12);                                                     \
        n += dsz;                                                                                  \
    } while (0)
    for (unsigned long off = 0; off + dsz <= size; off += dsz) {
        const unsigned char *d = old + off;
        unsigned type = (unsigned)(d[0] | d[1] << 8 | d[2] << 16 | (unsigned)d[3] << 24);
        unsigned long ds = rd64(d + 8), de = ds + (rd64(d + 24) << 12);
        if (ds == de)
            continue;
        if (type == EFI_LOADER_DATA)
            type = EFI_CONVENTIONAL;
        unsigned long cur = ds;
        for (unsigned i = 0; i < nload; i++) {
            if (load[i].end <= cur || load[i].start >= de)
                continue;
            unsigned long s = load[i].start > cur ? load[i].start : cur;
            unsigned long e = load[i].end < de ? load[i].end : de;
            if (s > cur)
                EMIT(type, cur, s);
            EMIT(EFI_LOADER_DATA, s, e);
            cur = e;
        }
        if (cur < de)
            EMIT(type, cur, de);
    }
#undef EMIT
    return n;
}

/* The ELF core header kexec-tools' crash_create_elf64_headers writes:
 * PT_NOTE per CPU (crash_notes) and for VMCOREINFO, PT_LOAD for the
 * kernel text and for every RAM range but the crash region. p_offset of
 * each is the physical address (what /proc/vmcore reads from). */
static unsigned long elfcore(unsigned char *out, unsigned long room, unsigned long text_vaddr)
{
    unsigned char *ph = out + 64;
    unsigned nph = 0;
    char path[64], buf[64];
#define PH(type, paddr, vaddr, size)                                                               \
    do {                                                                                           \
        unsigned char *p = ph + 56 * nph++;                                                        \
        if ((unsigned long)(p + 56 - out) > room)                                                  \
            return 0;                                                                              \
        memset(p, 0, 56);                                                                          \
        wr32(p, (type));                                                                           \
        wr32(p + 4, (type) == 1 ? 7 : 0);                                                          \
        wr64(p + 8, (paddr));                                                                      \
        wr64(p + 16, (vaddr));                                                                     \
        wr64(p + 24, (paddr));                                                                     \
        wr64(p + 32, (size));                                                                      \
        wr64(p + 40, (size));                                                                      \
        wr64(p + 48, (type) == 1 ? 4096 : 0);                                                      \
    } while (0)
    for (unsigned cpu = 0; cpu < 64; cpu++) {
        char num[8];
        const char *c = utoa(cpu, num, sizeof(num));
        unsigned long n = 0;
        for (const char *q = "/sys/devices/system/cpu/cpu"; *q; q++)
            path[n++] = *q;
        for (; *c; c++)
            path[n++] = *c;
        unsigned long base = n;
        for (const char *q = "/crash_notes"; *q; q++)
            path[n++] = *q;
        path[n] = 0;
        if (read_small(path, buf, sizeof(buf)) <= 0)
            break;
        const char *p = buf;
        unsigned long addr = parse_hex(&p);
        n = base;
        for (const char *q = "/crash_notes_size"; *q; q++)
            path[n++] = *q;
        path[n] = 0;
        unsigned long size = 1144 + 64; /* NT_PRSTATUS and the terminator, if the file is absent */
        if (read_small(path, buf, sizeof(buf)) > 0) {
            size = 0;
            for (p = buf; *p >= '0' && *p <= '9'; p++)
                size = size * 10 + (unsigned long)(*p - '0');
        }
        PH(4, addr, 0, size);
    }
    if (read_small("/sys/kernel/vmcoreinfo", buf, sizeof(buf)) > 0) {
        const char *p = buf;
        unsigned long addr = parse_hex(&p);
        while (*p == ' ')
            p++;
        unsigned long size = parse_hex(&p);
        PH(4, addr, 0, size);
    }
    if (io.kcode.end > io.kcode.start && text_vaddr)
        PH(1, io.kcode.start, text_vaddr, io.kcode.end - io.kcode.start);
    for (unsigned i = 0; i < io.nram; i++) {
        struct range r = io.ram[i];
        if (io.crash.start >= r.start && io.crash.end <= r.end) {
            if (io.crash.start > r.start)
                PH(1, r.start, PAGE_OFFSET + r.start, io.crash.start - r.start);
            r.start = io.crash.end;
        }
        if (r.end > r.start)
            PH(1, r.start, PAGE_OFFSET + r.start, r.end - r.start);
    }
#undef PH
    memset(out, 0, 64);
    memcpy(out, "\177ELF\2\1\1", 7);
    wr16(out + 16, 4);  /* ET_CORE */
    wr16(out + 18, 50); /* EM_IA_64 */
    wr32(out + 20, 1);
    wr64(out + 32, 64);
    wr16(out + 52, 64);
    wr16(out + 54, 56);
    wr16(out + 56, nph);
    return 64 + 56UL * nph;
}

long kdump_load(const char *cmdline)
{
    if (read_iomem() != 0)
        return fail("cannot read /proc/iomem: ", -5);
    if (io.crash.end <= io.crash.start) {
        say("no \"Crash kernel\" region: boot with crashkernel=", 0);
        return -1;
    }
    if (!io.bparam.end || !io.memmap.end) {
        say("/proc/iomem names no \"Boot parameter\" or \"EFI Memory Map\"", 0);
        return -1;
    }
    unsigned long lo = 0, span = 0, entry = 0, text_vaddr = 0;
    void *kbuf = load_kernel(&lo, &span, &entry, &text_vaddr);
    if (!kbuf)
        return -1;
    /* move_loaded_segments: keep the kernel's offset in its 64 MiB granule
     * (the kernel's TR maps a 64 MiB page). */
    unsigned long kbase = (io.crash.start & ~(GRANULE_64M - 1)) + (lo & (GRANULE_64M - 1));
    if (kbase < io.crash.start)
        kbase += GRANULE_64M;
    unsigned long info = ALIGN64K(kbase + span);

    long cfd = sys_open("/capture.cpio", O_RDONLY, 0);
    if (cfd < 0)
        return fail("no /capture.cpio: ", cfd);
    long csize = sys_lseek((int)cfd, 0, 2);
    unsigned long initrd = info + INFO_SIZE, initrd_span = ALIGN64K((unsigned long)csize);
    if (csize <= 0 || initrd + initrd_span > io.crash.end) {
        say("the capture kernel does not fit in the crash region", 0);
        return -1;
    }
    long ibuf = sys_mmap(initrd_span);
    if ((ibuf < 0 && ibuf > -4096) || read_file_at((int)cfd, (void *)ibuf, (unsigned long)csize, 0))
        return fail("cannot read /capture.cpio: ", -5);
    sys_close((int)cfd);

    unsigned char *ib = (unsigned char *)sys_mmap(INFO_SIZE);
    if ((long)ib < 0 && (long)ib > -4096)
        return fail("cannot map the info page: ", (long)ib);
    /* start.S's labels, as addresses: they bound one object each, which
     * pointer subtraction across symbols cannot say. */
    unsigned long stub = (unsigned long)kexec_stub, stub_data = (unsigned long)kexec_stub_data,
                  stub_len = (unsigned long)kexec_stub_end - stub,
                  svam_len = (unsigned long)efi_dummy_svam_end - (unsigned long)efi_dummy_svam;
    if (stub_data - stub != KEXEC_STUB_DATA || stub_len > INFO_SVAM_DESC || svam_len > 64) {
        say("start.S: the entry stub has an unexpected layout", 0);
        return -1;
    }
    memcpy(ib, kexec_stub, stub_len);
    wr64(ib + KEXEC_STUB_DATA, info + INFO_BOOT_PARAM);
    wr64(ib + KEXEC_STUB_DATA + 8, entry - lo + kbase);
    wr64(ib + INFO_SVAM_DESC, info + INFO_SVAM_CODE);
    wr64(ib + INFO_SVAM_DESC + 8, 0);
    memcpy(ib + INFO_SVAM_CODE, efi_dummy_svam, svam_len);

    long mem = sys_open("/dev/mem", O_RDONLY, 0);
    if (mem < 0)
        return fail("cannot open /dev/mem: ", mem);
    unsigned char *bp = ib + INFO_BOOT_PARAM;
    unsigned long bplen = io.bparam.end - io.bparam.start;
    if (bplen > 4096)
        bplen = 4096;
    if (read_file_at((int)mem, bp, bplen, io.bparam.start))
        return fail("cannot read the boot parameters: ", -5);
    static unsigned char oldmap[16384];
    unsigned long msize = rd64(bp + 24), dsz = rd64(bp + 32);
    if (msize > sizeof(oldmap) || dsz < 40 || dsz > 256 ||
        read_file_at((int)mem, oldmap, msize, rd64(bp + 16)))
        return fail("cannot read the EFI memory map: ", -5);

    struct range load[] = {{kbase, kbase + span},
                           {info, info + INFO_ELFCORE},
                           {info + INFO_ELFCORE, info + INFO_SIZE},
                           {initrd, initrd + initrd_span}};
    unsigned long nmap =
        patch_memmap(ib + INFO_MEMMAP, INFO_MEMMAP_MAX, oldmap, msize, dsz, load, 4);
    unsigned long ncore = elfcore(ib + INFO_ELFCORE, INFO_SIZE - INFO_ELFCORE, text_vaddr);
    if (!nmap || !ncore) {
        say("the EFI memory map or the ELF core header does not fit", 0);
        return -1;
    }
    capture_cmdline((char *)ib + INFO_CMDLINE, 2048, cmdline, info + INFO_ELFCORE);
    wr64(bp + 0, info + INFO_CMDLINE);
    wr64(bp + 16, info + INFO_MEMMAP);
    wr64(bp + 24, nmap);
    wr16(bp + 44 + 4, 0); /* orig_x, orig_y */
    wr16(bp + 44 + 6, 0);
    wr64(bp + 64, initrd);
    wr64(bp + 72, (unsigned long)csize);

    /* SetVirtualAddressMap -> the dummy: the entry stub patches the
     * runtime services table at crash time (start.S), as purgatory does. */
    sys_close((int)mem);

    struct kexec_segment segs[3] = {
        {kbuf, span, kbase, span},
        {ib, INFO_SIZE, info, INFO_SIZE},
        {(void *)ibuf, initrd_span, initrd, initrd_span},
    };
    long rc = sys_kexec_load(info, 3, segs, KEXEC_ON_CRASH | KEXEC_ARCH_IA_64);
    if (rc != 0)
        return fail("kexec_load failed: errno ", rc);
    char a[24], b[24];
    /* The harness leaves the capture kernel's own region out of the
     * comparison with the hypervisor's dump. */
    char range[64];
    unsigned long k = 0;
    for (const char *p = xtoa(io.crash.start, a, sizeof(a)); *p; p++)
        range[k++] = *p;
    range[k++] = '-';
    for (const char *p = xtoa(io.crash.end, b, sizeof(b)); *p; p++)
        range[k++] = *p;
    range[k] = 0;
    say("crashkernel ", range); /* [start, end) */
    say("capture kernel loaded at ", xtoa(kbase, a, sizeof(a)));
    say("elfcorehdr at ", xtoa(info + INFO_ELFCORE, b, sizeof(b)));
    return 0;
}

/* The capture kernel's side. The dump device takes (physical address,
 * length, offset) and copies by DMA, so each chunk of /proc/vmcore is read
 * into one locked page whose frame /proc/self/pagemap gives. */
#define DUMPDEV_PA 0xfff20000UL

long kdump_capture(void)
{
    long fd = sys_open("/proc/vmcore", O_RDONLY, 0);
    if (fd < 0)
        return fail("cannot open /proc/vmcore: ", fd);
    long size = sys_lseek((int)fd, 0, 2);
    long mem = sys_open("/dev/mem", O_RDWR, 0);
    if (mem < 0)
        return fail("cannot open /dev/mem: ", mem);
    long regs = sys_mmap_dev((int)mem, 0x10000, DUMPDEV_PA);
    if (regs < 0 && regs > -4096)
        return fail("cannot map the dump device: ", regs);
    volatile unsigned long *r = (volatile unsigned long *)regs;
    unsigned long page = 0x10000; /* the largest Linux/ia64 page; probe the real one below */
    long buf = sys_mmap(page);
    if (buf < 0 && buf > -4096)
        return fail("cannot map a buffer: ", buf);
    sys_mlock((void *)buf, page);
    memset((void *)buf, 0, page);
    long pm = sys_open("/proc/self/pagemap", O_RDONLY, 0);
    if (pm < 0)
        return fail("cannot open pagemap: ", pm);
    /* The buffer's frame, in the kernel's page size (AT_PAGESZ). */
    unsigned long psz = page_size(), pa = 0, e = 0;
    long rr = psz && psz <= page ? read_file_at((int)pm, &e, 8, (unsigned long)buf / psz * 8) : -22;
    char num[24], num2[24];
    if (rr || !((e >> 63) & 1)) {
        say("page size ", utoa(psz, num, sizeof(num)));
        say("pagemap entry ", xtoa(e, num2, sizeof(num2)));
        return fail("pagemap gives no frame for the buffer: ", rr ? rr : -5);
    }
    pa = (e & ((1UL << 55) - 1)) * psz;
    say("writing /proc/vmcore, bytes ", utoa((unsigned long)size, num, sizeof(num)));
    unsigned long step = (unsigned long)size / 10 + 1, next = step;
    for (unsigned long off = 0; off < (unsigned long)size;) {
        unsigned long n = (unsigned long)size - off < psz ? (unsigned long)size - off : psz;
        if (read_file_at((int)fd, (void *)buf, n, off))
            return fail("cannot read /proc/vmcore: ", -5);
        r[0] = pa;  /* DUMPDEV_SRC */
        r[1] = n;   /* DUMPDEV_LEN */
        r[2] = off; /* DUMPDEV_OFF */
        r[3] = 1;   /* DUMPDEV_CMD_COPY */
        if (r[4] != 0)
            return fail("the dump device refused a copy: status ", -(long)r[4]);
        off += n;
        if (off >= next || off == (unsigned long)size) {
            say("vmcore progress ",
                utoa(off / ((unsigned long)size / 100 + 1), num2, sizeof(num2)));
            next += step;
        }
    }
    r[3] = 2; /* DUMPDEV_CMD_FINISH */
    say("vmcore written", 0);
    return 0;
}
