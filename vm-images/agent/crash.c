/* The crash kernel: announce ourselves, wait until the harness has taken
 * its own dump (it pauses the guest for that), copy /proc/vmcore and the
 * dmesg to the dump disk, write the header last, power off. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define DISK "/dev/vda"
#define MIB ((uint64_t)1 << 20)
#define CHUNK (4 * MIB)
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
        int fd = open(DISK, O_RDWR | O_CLOEXEC);
        if (fd >= 0)
            return fd;
        usleep(100 * 1000);
    }
    return -1;
}

static bool pwrite_all(int fd, const void *buf, size_t n, uint64_t off)
{
    const char *p = buf;
    while (n) {
        ssize_t w = pwrite(fd, p, n, off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= w;
        off += w;
    }
    return true;
}

static bool copy_vmcore(int disk, uint64_t *copied)
{
    int in = open("/proc/vmcore", O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        fail("open /proc/vmcore: %s", strerror(errno));
        return false;
    }
    char *buf = malloc(CHUNK);
    uint64_t off = 0, next = PROGRESS_EVERY;
    bool ok = buf != NULL;
    while (ok) {
        ssize_t r = read(in, buf, CHUNK);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fail("reading /proc/vmcore at offset %" PRIu64 ": %s", off, strerror(errno));
            ok = false;
            break;
        }
        if (r == 0)
            break;
        if (!pwrite_all(disk, buf, r, MIB + off)) {
            fail("writing the dump disk at offset %" PRIu64 ": %s", MIB + off, strerror(errno));
            ok = false;
            break;
        }
        off += r;
        if (off >= next) {
            /* Keep the page cache of a small crash kernel from filling. */
            fdatasync(disk);
            chan_send("PROGRESS bytes=%" PRIu64, off);
            next += PROGRESS_EVERY;
        }
    }
    free(buf);
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
    while (chan_recv(line, sizeof(line)) && strcmp(line, "CAPTURE") != 0)
        if (strcmp(line, "POWEROFF") == 0)
            return "the harness asked (POWEROFF) before CAPTURE";

    if (kdump_planned())
        return kdump_capture();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int disk = open_disk();
    if (disk < 0) {
        fail("the dump disk %s did not appear: %s", DISK, strerror(errno));
        return "capture failed (see the FAIL line)";
    }
    uint64_t copied = 0;
    if (!copy_vmcore(disk, &copied)) {
        close(disk);
        return "capture failed (see the FAIL line)";
    }
    size_t dlen = 0;
    char *dmesg = dump_dmesg(&dlen);
    uint64_t dmesg_off = MIB + ((copied + MIB - 1) / MIB) * MIB;
    if (dmesg && !pwrite_all(disk, dmesg, dlen, dmesg_off)) {
        fail("writing the dmesg to the dump disk: %s", strerror(errno));
        free(dmesg);
        close(disk);
        return "capture failed (see the FAIL line)";
    }
    free(dmesg);
    if (fdatasync(disk) < 0) {
        fail("syncing the dump disk: %s", strerror(errno));
        close(disk);
        return "capture failed (see the FAIL line)";
    }
    /* The header goes last: its presence means the data before it is
     * complete and on the disk. */
    char hdr[4096];
    memset(hdr, 0, sizeof(hdr));
    snprintf(hdr, sizeof(hdr),
             "DUMPLAB-DUMP 1\nvmcore_offset=%" PRIu64 "\nvmcore_size=%" PRIu64
             "\ndmesg_offset=%" PRIu64 "\ndmesg_size=%zu\nstatus=complete\n",
             MIB, copied, dmesg_off, dlen);
    if (!pwrite_all(disk, hdr, sizeof(hdr), 0) || fdatasync(disk) < 0) {
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
