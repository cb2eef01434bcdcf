/* The crash kernel: announce ourselves, wait until the harness has taken
 * its own dump, copy /proc/vmcore and the dmesg to the dump disk, write
 * the header last, power off.
 *
 * Layout 2 (PROTOCOL.md): the vmcore at offset 0, so that the host turns
 * the disk file into the vmcore by truncating and renaming it, with no
 * copy; the header in the disk's last 4 KiB. Writes bypass the crash
 * kernel's page cache (O_DIRECT): under TCG every byte the guest copies
 * costs emulated instructions, and the page cache would copy each twice.
 * Several writes are in flight (diskwriter.c) while the next chunk is
 * copied. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define DISK "/dev/vda"
#define MIB ((uint64_t)1 << 20)
#define CHUNK (4 * MIB)
#define ALIGN 4096 /* O_DIRECT: buffers, offsets and lengths in whole blocks */
#define HEADER_SIZE 4096
#define PROGRESS_EVERY (64 * MIB)

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    char why[512], enc[AGENT_LINE_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    logmsg("capture failed: %s", why);
    pct_encode(why, enc, sizeof(enc));
    chan_send("FAIL phase=capture reason=%s", enc);
}

static int open_disk(void)
{
    /* virtio_blk was loaded by main(); the node appears asynchronously. */
    for (int i = 0; i < 300; i++) {
        int fd = open(DISK, O_RDWR | O_CLOEXEC | O_DIRECT);
        if (fd >= 0)
            return fd;
        usleep(100 * 1000);
    }
    return -1;
}

/* Writes n bytes of an ALIGN-aligned buffer at off, zero-padding the tail
 * to a whole block (the pad lies in the gap before the next item). */
static bool write_direct(int fd, char *buf, size_t n, uint64_t off)
{
    size_t padded = (n + ALIGN - 1) / ALIGN * ALIGN;
    memset(buf + n, 0, padded - n);
    return pwrite_all(fd, buf, padded, off);
}

#define PAGE 4096

/* Whether n bytes at p (n a multiple of 64, p 8-byte aligned) are all zero. */
static bool is_zero(const char *p, size_t n)
{
    const uint64_t *q = (const uint64_t *)(const void *)p;
    for (size_t i = 0; i < n / 8; i += 8)
        if (q[i] | q[i + 1] | q[i + 2] | q[i + 3] | q[i + 4] | q[i + 5] | q[i + 6] | q[i + 7])
            return false;
    return true;
}

/* A window of /proc/vmcore: mapped where the kernel allows it, read into
 * buf otherwise. read() goes through copy_oldmem_page, which maps and
 * unmaps each 4 KiB page of the old memory (a kernel TLB flush per page,
 * the capture's main cost under TCG); mmap maps the whole window once
 * (remap_oldmem_pfn_range). *mapped turns false for good on the first
 * refusal. Returns the bytes available at *src (0 at the end), -1 with
 * errno on a read error: a short window would end the copy as if complete. */
static ssize_t vmcore_window(int in, bool *mapped, uint64_t size, uint64_t off, char *buf,
                             size_t want, const char **src, void **map)
{
    *map = NULL;
    *src = buf;
    if (*mapped && off < size) {
        size_t len = size - off < want ? (size_t)(size - off) : want;
        void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, in, (off_t)off);
        if (m != MAP_FAILED) {
            *map = m;
            *src = m;
            return (ssize_t)len;
        }
        logmsg("mmap of /proc/vmcore refused (%s): reading it instead", strerror(errno));
        *mapped = false;
    }
    if (off >= size && *mapped)
        return 0;
    size_t have = 0;
    while (have < want) {
        ssize_t r = pread(in, buf + have, want - have, (off_t)(off + have));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        have += (size_t)r;
    }
    return (ssize_t)have;
}

/* Puts the non-zero pages of a window (src, have bytes, at disk offset
 * off) into buf and writes them. The dump disk is a fresh sparse file that
 * reads zero, so a zero page is neither copied nor written: about half of
 * a freshly booted guest's RAM never held data, and under TCG the copy,
 * not the disk, is what costs (the result is cp --sparse=always). A window
 * broken into more runs than the writer takes is written whole. */
static bool put_window(DiskWriter *w, char *buf, const char *src, size_t have, uint64_t off)
{
    size_t npages = (have + PAGE - 1) / PAGE, runs = 0;
    bool zero[CHUNK / PAGE], prev = true;
    for (size_t i = 0; i < npages; i++) {
        size_t len = have - i * PAGE < PAGE ? have - i * PAGE : PAGE;
        zero[i] = len == PAGE && is_zero(src + i * PAGE, PAGE);
        if (!zero[i]) {
            if (src != buf)
                memcpy(buf + i * PAGE, src + i * PAGE, len);
            runs += prev;
        }
        prev = zero[i];
    }
    if (runs > DW_RUNS) {
        for (size_t i = 0; i < npages; i++)
            if (zero[i])
                memset(buf + i * PAGE, 0, PAGE);
        return dw_put(w, buf, 0, have, off);
    }
    for (size_t i = 0; i < npages;) {
        if (zero[i]) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < npages && !zero[j])
            j++;
        size_t end = j * PAGE < have ? j * PAGE : have;
        if (!dw_put(w, buf, i * PAGE, end - i * PAGE, off + i * PAGE))
            return false;
        i = j;
    }
    return true;
}

static bool copy_vmcore(int disk, uint64_t limit, uint64_t *copied)
{
    int in = open("/proc/vmcore", O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        fail("open /proc/vmcore: %s", strerror(errno));
        return false;
    }
    struct stat st;
    /* mmap needs page-aligned windows of a file whose size is known. */
    bool mapped = fstat(in, &st) == 0 && st.st_size > 0 && st.st_size % PAGE == 0;
    uint64_t size = mapped ? (uint64_t)st.st_size : 0;
    uint64_t off = 0, next = PROGRESS_EVERY;
    DiskWriter w;
    bool ok = dw_open(&w, disk, CHUNK, ALIGN);
    if (!ok)
        fail("no memory for the copy's buffers");
    while (ok) {
        char *buf = dw_get(&w);
        if (!buf) {
            fail("writing the dump disk before offset %" PRIu64 ": %s", off, strerror(errno));
            ok = false;
            break;
        }
        const char *src;
        void *map;
        /* A full window per round: only the last may be short. */
        ssize_t r = vmcore_window(in, &mapped, size, off, buf, CHUNK, &src, &map);
        if (r < 0) {
            fail("reading /proc/vmcore at offset %" PRIu64 ": %s", off, strerror(errno));
            ok = false;
            break;
        }
        size_t have = (size_t)r;
        if (have == 0)
            break;
        if (off + have > limit) {
            if (map)
                munmap(map, have);
            fail("/proc/vmcore is larger than the dump disk leaves room for (%" PRIu64 " bytes)",
                 limit);
            ok = false;
            break;
        }
        ok = put_window(&w, buf, src, have, off);
        if (map)
            munmap(map, have);
        if (!ok) {
            fail("writing the dump disk at offset %" PRIu64 ": %s", off, strerror(errno));
            break;
        }
        off += have;
        if (off >= next) {
            chan_send("PROGRESS bytes=%" PRIu64, off);
            next += PROGRESS_EVERY;
        }
        if (have < CHUNK)
            break;
    }
    /* Every write must have landed before DONE, failed copy or not. */
    if (!dw_finish(&w) && ok) {
        fail("writing the dump disk below offset %" PRIu64 ": %s", off, strerror(errno));
        ok = false;
    }
    dw_close(&w);
    close(in);
    *copied = off;
    return ok;
}

/* The kernel log of the crashed kernel, extracted by makedumpfile from
 * /proc/vmcore (through VMCOREINFO). Failure is not fatal: the vmcore is
 * what matters, and the harness can run makedumpfile itself. */
static char *dump_dmesg(size_t *len)
{
    char out[1024];
    char *argv[] = {"/usr/bin/makedumpfile", "--dump-dmesg", "/proc/vmcore", "/tmp/dmesg.txt",
                    NULL};
    int rc = run_cmd(argv, out, sizeof(out));
    if (rc != 0) {
        logmsg("makedumpfile --dump-dmesg exited %d: %s", rc, out);
        *len = 0;
        return NULL;
    }
    return read_file("/tmp/dmesg.txt", len);
}

const char *crash_kernel(void)
{
    struct utsname u;
    struct stat st;
    uname(&u);
    uint64_t vmcore_size = stat("/proc/vmcore", &st) == 0 ? (uint64_t)st.st_size : 0;
    chan_send("HELLO stage=crash osrelease=%s cpus=%ld version=1 vmcore_size=%" PRIu64, u.release,
              sysconf(_SC_NPROCESSORS_ONLN), vmcore_size);

    char line[AGENT_LINE_MAX];
    while (chan_recv(line, sizeof(line)) && strcmp(line, "CAPTURE") != 0) {
        if (strcmp(line, "POWEROFF") == 0)
            return "the harness asked (POWEROFF) before CAPTURE";
        /* The harness brackets its dump with two of these: our clock
         * stands still while the vCPUs are stopped, so what it lost
         * against the host's is the guest's downtime. */
        if (strcmp(line, "CLOCK") == 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            chan_send("CLOCK ns=%" PRIu64, (uint64_t)now.tv_sec * 1000000000u + now.tv_nsec);
        }
    }

    if (kdump_planned())
        return kdump_capture();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int disk = open_disk();
    if (disk < 0) {
        fail("the dump disk %s did not appear: %s", DISK, strerror(errno));
        return "capture failed (see the FAIL line)";
    }
    uint64_t disk_size = 0;
    if (ioctl(disk, BLKGETSIZE64, &disk_size) < 0 || disk_size < 2 * MIB + HEADER_SIZE) {
        fail("the dump disk %s: no usable size (%s)", DISK, strerror(errno));
        close(disk);
        return "capture failed (see the FAIL line)";
    }
    uint64_t header_off = (disk_size - HEADER_SIZE) / ALIGN * ALIGN;
    uint64_t copied = 0;
    if (!copy_vmcore(disk, header_off - MIB, &copied)) {
        close(disk);
        return "capture failed (see the FAIL line)";
    }
    size_t dlen = 0;
    char *dmesg = dump_dmesg(&dlen);
    uint64_t dmesg_off = ((copied + MIB - 1) / MIB) * MIB;
    if (dmesg && dmesg_off + dlen > header_off) {
        logmsg("the dmesg (%zu bytes) does not fit before the header; left out", dlen);
        dlen = 0;
    }
    char *dbuf = NULL;
    if (dmesg && dlen &&
        (posix_memalign((void **)&dbuf, ALIGN, (dlen + ALIGN - 1) / ALIGN * ALIGN) != 0 ||
         (memcpy(dbuf, dmesg, dlen), !write_direct(disk, dbuf, dlen, dmesg_off)))) {
        fail("writing the dmesg to the dump disk: %s", strerror(errno));
        free(dbuf);
        free(dmesg);
        close(disk);
        return "capture failed (see the FAIL line)";
    }
    free(dbuf);
    free(dmesg);
    /* O_DIRECT bypasses our page cache, not the disk's write cache. */
    if (fdatasync(disk) < 0) {
        fail("syncing the dump disk: %s", strerror(errno));
        close(disk);
        return "capture failed (see the FAIL line)";
    }
    /* The header goes last: its presence means the data before it is
     * complete and on the disk. */
    char *hdr = NULL;
    bool hok = posix_memalign((void **)&hdr, ALIGN, HEADER_SIZE) == 0;
    if (hok) {
        memset(hdr, 0, HEADER_SIZE);
        snprintf(hdr, HEADER_SIZE,
                 "DUMPLAB-DUMP 2\nvmcore_offset=0\nvmcore_size=%" PRIu64 "\ndmesg_offset=%" PRIu64
                 "\ndmesg_size=%zu\nstatus=complete\n",
                 copied, dmesg_off, dlen);
        hok = pwrite_all(disk, hdr, HEADER_SIZE, header_off) && fdatasync(disk) == 0;
    }
    free(hdr);
    if (!hok) {
        fail("writing the dump header: %s", strerror(errno));
        close(disk);
        return "capture failed (see the FAIL line)";
    }
    close(disk);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    chan_send("DONE vmcore=%" PRIu64 " dmesg=%zu seconds=%ld", copied, dlen,
              (long)(t1.tv_sec - t0.tv_sec));
    return "capture done";
}
