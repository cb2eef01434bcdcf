/* The guest init's kexec_load layout (kdump.c) on synthetic input, on the
 * host: sys6 is replaced by a fake kernel that serves /proc/iomem, a small
 * /vmlinux, /capture.cpio, sysfs's crash notes and VMCOREINFO, and the
 * firmware tables behind /dev/mem, and records the kexec_load call. Checks
 * what Linux/ia64 and kexec-tools require of it (ia64-facts.md section 5):
 * every segment page-aligned inside the crash region, the kernel at its
 * offset in a 64 MiB granule, the entry stub's words, the boot parameters
 * pointing at the new command line and EFI memory map, the command line's
 * elfcorehdr/max_addr/min_addr, an EFI LoaderData descriptor starting
 * exactly at the ELF core header, old LoaderData turned Conventional, the
 * ELF core header's notes and loads, and SetVirtualAddressMap patched.
 * TAP output. */
#include "init.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* start.S's symbols, laid out as there: the stub's words at +256. */
__asm__(".section .rodata\n"
        ".globl kexec_stub, kexec_stub_data, kexec_stub_end, efi_dummy_svam, efi_dummy_svam_end\n"
        "kexec_stub: .byte 1\n .fill 255, 1, 0\n"
        "kexec_stub_data: .fill 16, 1, 0\n"
        "kexec_stub_end:\n"
        "efi_dummy_svam: .byte 2\n .fill 15, 1, 0\n"
        "efi_dummy_svam_end:\n"
        ".text\n");

#define MB (1UL << 20)
#define CRASH_START (128 * MB)
#define CRASH_END (256 * MB)
#define KERNEL_PA (64 * MB)
#define BP_PA 0x84000UL
#define MAP_PA 0x83000UL
#define SYSTAB_PA 0x82000UL
#define RUNTIME_PA 0x85000UL
#define DSZ 48

static unsigned char vmlinux[4096], devmem[0x90000], cpio[3000];
static struct {
    unsigned long entry, nr, flags;
    struct kexec_segment seg[8];
} kx;
static int n, failed;

static void ok(int cond, const char *what)
{
    printf("%sok %d %s\n", cond ? "" : "not ", ++n, what);
    if (!cond)
        failed = 1;
}

static void put64(unsigned char *p, unsigned long v)
{
    memcpy(p, &v, 8);
}
static unsigned long get64(const unsigned char *p)
{
    unsigned long v;
    memcpy(&v, p, 8);
    return v;
}

static const char iomem[] = "00000000-0007ffff : System RAM\n"
                            "00080000-000cffff : reserved\n"
                            "  00083000-0008302f : EFI Memory Map\n"
                            "  00084000-0008404f : Boot parameter\n"
                            "000d0000-1fffffff : System RAM\n"
                            "  04000000-047fffff : Kernel code\n"
                            "  08000000-0fffffff : Crash kernel\n"
                            "fff00000-fff2ffff : reserved\n";

struct file {
    const char *path;
    const unsigned char *data;
    unsigned long len;
};
static struct file files[16];
static int nfiles;
static struct file *open_files[32];
static unsigned long pos[32]; /* read(2)'s file position per descriptor */

static void add(const char *path, const void *data, unsigned long len)
{
    files[nfiles++] = (struct file){path, data, len};
}

long sys6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
    (void)a4;
    (void)a5;
    switch (nr - 1024) {
    case 4: /* open */
        for (int i = 0; i < nfiles; i++)
            if (!strcmp(files[i].path, (const char *)a0)) {
                for (int fd = 3; fd < 32; fd++)
                    if (!open_files[fd]) {
                        open_files[fd] = &files[i];
                        pos[fd] = 0;
                        return fd;
                    }
            }
        return -2;
    case 5:
        open_files[a0] = NULL;
        return 0;
    case 2:     /* read: whole small files at once */
    case 124: { /* pread */
        struct file *f = open_files[a0];
        unsigned long off = nr - 1024 == 2 ? 0 : (unsigned long)a3;
        if (nr - 1024 == 2) {
            off = pos[a0];
            pos[a0] += f->len > off
                           ? ((unsigned long)a2 < f->len - off ? (unsigned long)a2 : f->len - off)
                           : 0;
        }
        if (off >= f->len)
            return 0;
        unsigned long k = (unsigned long)a2 < f->len - off ? (unsigned long)a2 : f->len - off;
        memcpy((void *)a1, f->data + off, k);
        return (long)k;
    }
    case 125: /* pwrite into /dev/mem */
        if ((unsigned long)a3 + (unsigned long)a2 > sizeof(devmem))
            return -14;
        memcpy(devmem + a3, (void *)a1, (unsigned long)a2);
        return a2;
    case 16: /* lseek end */
        return (long)open_files[a0]->len;
    case 127: { /* mmap anonymous */
        void *p = aligned_alloc(65536, ((unsigned long)a1 + 65535) & ~65535UL);
        memset(p, 0, (unsigned long)a1);
        return (long)p;
    }
    case 244: /* kexec_load */
        kx.entry = (unsigned long)a0;
        kx.nr = (unsigned long)a1;
        kx.flags = (unsigned long)a3;
        memcpy(kx.seg, (void *)a2, sizeof(struct kexec_segment) * (unsigned long)a1);
        return 0;
    case 3: /* write (kmsg) */
        return a2;
    }
    return -38;
}

int main(void)
{
    /* /vmlinux: two PT_LOADs at 64 MiB, entry inside the first, with
     * p_flags set as a real vmlinux has them (RWE, RW): p_type is only the
     * low half of the first word. */
    memcpy(vmlinux, "\177ELF\2\1\1", 7);
    vmlinux[18] = 50;
    put64(vmlinux + 24, KERNEL_PA + 0x1000);
    put64(vmlinux + 32, 64);
    vmlinux[54] = 56;
    vmlinux[56] = 2;
    unsigned char *ph = vmlinux + 64;
    ph[0] = 1;
    ph[4] = 7;
    put64(ph + 8, 1024);
    put64(ph + 16, 0xa000000100000000UL);
    put64(ph + 24, KERNEL_PA);
    put64(ph + 32, 512);
    put64(ph + 40, 0x700000);
    ph += 56;
    ph[0] = 1;
    ph[4] = 6;
    put64(ph + 8, 2048);
    put64(ph + 16, 0xa000000100800000UL);
    put64(ph + 24, KERNEL_PA + 0x800000);
    put64(ph + 32, 512);
    put64(ph + 40, 0x100000);
    memset(vmlinux + 1024, 0xaa, 512);
    /* firmware: boot param, a memmap with one LoaderData and the big
     * Conventional range, systab -> runtime table */
    put64(devmem + BP_PA + 8, SYSTAB_PA);
    put64(devmem + BP_PA + 16, MAP_PA);
    put64(devmem + BP_PA + 24, 3 * DSZ);
    put64(devmem + BP_PA + 32, DSZ);
    unsigned char *d = devmem + MAP_PA;
    d[0] = 2; /* LoaderData */
    put64(d + 8, 0);
    put64(d + 24, 0x80);
    put64(d + 32, 8);
    d += DSZ;
    d[0] = 13; /* PalCode */
    put64(d + 8, 0x80000);
    put64(d + 24, 0x50);
    put64(d + 32, 8);
    d += DSZ;
    d[0] = 7;
    put64(d + 8, 0xd0000);
    put64(d + 24, (0x20000000 - 0xd0000) >> 12);
    put64(d + 32, 8);
    put64(devmem + SYSTAB_PA + 88, RUNTIME_PA);
    memset(cpio, 0x55, sizeof(cpio));
    add("/proc/iomem", (const unsigned char *)iomem, sizeof(iomem) - 1);
    add("/vmlinux", vmlinux, sizeof(vmlinux));
    add("/capture.cpio", cpio, sizeof(cpio));
    add("/dev/mem", devmem, sizeof(devmem));
    add("/sys/devices/system/cpu/cpu0/crash_notes", (const unsigned char *)"1f00000\n", 8);
    add("/sys/devices/system/cpu/cpu0/crash_notes_size", (const unsigned char *)"1208\n", 5);
    add("/sys/devices/system/cpu/cpu1/crash_notes", (const unsigned char *)"1f10000\n", 8);
    add("/sys/kernel/vmcoreinfo", (const unsigned char *)"0x0000000001e00000 1024\n", 24);

    long rc = kdump_load("earlycon=uart8250,mmio,0xfff00000 console=ttyS0 crashkernel=128M "
                         "dumplab.mode=kdump dumplab.fault=sysrq-c");
    ok(rc == 0 && kx.nr == 3, "kexec_load called with three segments");
    if (kx.nr != 3) {
        printf("1..%d\n", n);
        return 1;
    }
    ok(kx.flags == (KEXEC_ON_CRASH | KEXEC_ARCH_IA_64), "flags: KEXEC_ON_CRASH | KEXEC_ARCH_IA_64");
    int inside = 1, aligned = 1;
    for (unsigned i = 0; i < kx.nr; i++) {
        inside &= kx.seg[i].mem >= CRASH_START && kx.seg[i].mem + kx.seg[i].memsz <= CRASH_END;
        aligned &= !(kx.seg[i].mem & 0xffff) && !(kx.seg[i].memsz & 0xffff) &&
                   kx.seg[i].bufsz <= kx.seg[i].memsz;
    }
    ok(inside, "every segment lies inside the crash region");
    ok(aligned, "every segment is 64 KiB aligned, buffer within memsz");
    ok(kx.seg[0].mem == CRASH_START && kx.seg[0].memsz == 0x900000,
       "the kernel keeps its offset in its 64 MiB granule; PT_LOADs merged");
    ok(((unsigned char *)kx.seg[0].buf)[0] == 0xaa &&
           ((unsigned char *)kx.seg[0].buf)[0x800000] == 0 &&
           ((unsigned char *)kx.seg[0].buf)[0x800000 - 1] == 0,
       "PT_LOAD contents at their offsets, the rest zero");
    const unsigned char *ib = kx.seg[1].buf;
    unsigned long info = kx.seg[1].mem;
    ok(kx.entry == info && ib[0] == 1, "the entry is the stub at the start of the info page");
    ok(get64(ib + 256) == info + 0x1000 && get64(ib + 264) == CRASH_START + 0x1000,
       "stub words: the new boot parameters and the moved kernel entry");
    const unsigned char *bp = ib + 0x1000;
    const char *cmd = (const char *)ib + 0x2000;
    ok(get64(bp) == info + 0x2000 && get64(bp + 16) == info + 0x3000,
       "boot parameters point at the new command line and EFI memory map");
    char want[128];
    snprintf(want, sizeof(want), "elfcorehdr=%luK max_addr=256M min_addr=128M",
             (info + 0x8000) >> 10);
    ok(strstr(cmd, want) && strstr(cmd, "dumplab.mode=capture") && strstr(cmd, "maxcpus=1") &&
           !strstr(cmd, "crashkernel=") && !strstr(cmd, "dumplab.fault") &&
           strstr(cmd, "console=ttyS0"),
       "command line: elfcorehdr in KiB, max/min_addr in MiB, crashkernel= dropped");
    ok(get64(bp + 64) == kx.seg[2].mem && get64(bp + 72) == sizeof(cpio),
       "the capture initramfs is the initrd");
    unsigned long msz = get64(bp + 24);
    int at_core = 0, conv0 = 0, covered = 1;
    unsigned long next = 0;
    for (unsigned long off = 0; off + DSZ <= msz; off += DSZ) {
        const unsigned char *e = ib + 0x3000 + off;
        unsigned long pa = get64(e + 8), pages = get64(e + 24);
        if (pa == info + 0x8000 && e[0] == 2 && pages == 8)
            at_core = 1;
        if (pa == 0 && e[0] == 7)
            conv0 = 1;
        covered &= pa == next;
        next = pa + (pages << 12);
    }
    ok(at_core, "a LoaderData descriptor starts exactly at the ELF core header (32 KiB)");
    ok(conv0, "the old LoaderData became Conventional");
    ok(covered && next == 0x20000000, "the new map still covers RAM without gaps or overlaps");
    const unsigned char *eh = ib + 0x8000;
    unsigned phn = eh[56];
    ok(!memcmp(eh, "\177ELF\2\1\1", 7) && eh[16] == 4 && eh[18] == 50,
       "ELF core header: ELF64 LSB ET_CORE EM_IA_64");
    int notes = 0, text = 0, ram_ok = 1, crash_excluded = 1;
    for (unsigned i = 0; i < phn; i++) {
        const unsigned char *p = eh + 64 + 56 * i;
        unsigned long off = get64(p + 8), va = get64(p + 16), pa = get64(p + 24),
                      sz = get64(p + 32);
        if (p[0] == 4)
            notes += off == pa;
        if (p[0] == 1 && va == 0xa000000100000000UL && pa == 0x4000000 && sz == 0x800000)
            text = 1;
        else if (p[0] == 1) {
            ram_ok &= va == 0xe000000000000000UL + pa && off == pa;
            crash_excluded &= pa + sz <= CRASH_START || pa >= CRASH_END;
        }
    }
    ok(notes == 3, "PT_NOTEs: two CPUs' crash notes and VMCOREINFO (0x-prefixed address)");
    ok(text, "PT_LOAD of the kernel text at its link address");
    ok(ram_ok && crash_excluded,
       "RAM PT_LOADs in region 7, p_offset = physical, crash region cut out");
    /* The stub patches the runtime table at crash time (start.S, proven
     * by test-kdump.sh's capture kernel getting past efi_enter_virtual_-
     * mode); the load leaves the firmware's table alone. */
    ok(get64(devmem + RUNTIME_PA + 24 + 32) == 0 && get64(ib + 0x200) == info + 0x210 &&
           ib[0x210] == 2,
       "the dummy SetVirtualAddressMap's descriptor in the info page; the firmware's table "
       "untouched");
    printf("1..%d\n", n);
    return failed;
}
