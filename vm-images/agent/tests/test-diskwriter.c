/* The crash-kernel agent's disk writer (diskwriter.c) on the host: O_DIRECT
 * writes of block runs, several in flight through Linux AIO. Prints TAP.
 *
 *   test-diskwriter FILE     (FILE on a file system with O_DIRECT; created) */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLK 4096
#define CHUNK (1 << 20)
#define CHUNKS 48

static int n, failed;

static void tap(bool ok, const char *what)
{
    printf("%sok %d %s\n", ok ? "" : "not ", ++n, what);
    failed |= !ok;
}

/* Writes CHUNKS chunks of pseudo-random runs (up to DW_RUNS a buffer, as
 * the capture's zero-page skipping makes them) and a short tail; ref
 * holds what the file must read. */
static bool write_runs(DiskWriter *w, unsigned char *ref, unsigned seed)
{
    srand(seed);
    for (int c = 0; c < CHUNKS; c++) {
        char *b = dw_get(w);
        if (!b)
            return false;
        size_t at = 0;
        for (int r = rand() % (DW_RUNS + 1); r > 0; r--) {
            size_t gap = (size_t)(rand() % 8) * BLK, len = (size_t)(1 + rand() % 16) * BLK;
            if (at + gap + len > CHUNK)
                break;
            at += gap;
            memset(b + at, (c * 31 + r) | 1, len);
            memcpy(ref + (size_t)c * CHUNK + at, b + at, len);
            if (!dw_put(w, b, at, len, (uint64_t)c * CHUNK + at))
                return false;
            at += len;
        }
    }
    /* A tail that is not whole blocks: padded with zeros. */
    char *b = dw_get(w);
    if (!b)
        return false;
    memset(b, 0x5a, 100);
    memcpy(ref + (size_t)CHUNKS * CHUNK, b, 100);
    return dw_put(w, b, 0, 100, (uint64_t)CHUNKS * CHUNK) && dw_finish(w);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test-diskwriter FILE\n");
        return 2;
    }
    size_t size = (size_t)(CHUNKS + 1) * CHUNK;
    int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0600);
    if (fd < 0) {
        printf("1..0 # SKIP %s: no O_DIRECT here (%s)\n", argv[1], strerror(errno));
        return 77;
    }
    unsigned char *ref = calloc(1, size), *got = malloc(size);
    DiskWriter w;
    bool opened = ref && got && ftruncate(fd, (off_t)size) == 0 && dw_open(&w, fd, CHUNK, BLK);
    tap(opened, "the writer opens with its buffers");
    if (!opened) {
        free(ref);
        free(got);
        close(fd);
        printf("1..%d\n", n);
        return 1;
    }
    tap(w.async, "Linux AIO is in use (io_setup accepted)");
    bool wrote = write_runs(&w, ref, 1);
    tap(wrote, "48 buffers of up to DW_RUNS runs each are written, several in flight");
    tap(w.inflight == 0, "nothing is left in flight after dw_finish");
    int rfd = open(argv[1], O_RDONLY);
    tap(rfd >= 0 && pread(rfd, got, size, 0) == (ssize_t)size && memcmp(got, ref, size) == 0,
        "the file reads back byte for byte, gaps zero, the tail padded with zeros");
    char *b = dw_get(&w);
    tap(b && !dw_put(&w, b, 100, BLK, 0) && errno == EINVAL,
        "a run that does not start on a block is refused (EINVAL), not written");
    for (int r = 0; b && r < DW_RUNS; r++)
        dw_put(&w, b, (size_t)r * BLK, BLK, (uint64_t)r * BLK);
    tap(b && !dw_put(&w, b, (size_t)DW_RUNS * BLK, BLK, 0) && errno == EINVAL,
        "a buffer takes at most DW_RUNS runs between two dw_get");
    dw_finish(&w);
    dw_close(&w);
    close(fd);

    /* A read-only descriptor: every write fails; the error is kept. */
    int ro = open(argv[1], O_RDONLY | O_DIRECT);
    DiskWriter w2;
    bool ok2 = ro >= 0 && dw_open(&w2, ro, CHUNK, BLK);
    char *b2 = ok2 ? dw_get(&w2) : NULL;
    bool put = b2 && dw_put(&w2, b2, 0, BLK, 0);
    bool fin = put && dw_finish(&w2);
    tap(ok2 && !fin && errno == EBADF, "a write to a read-only disk fails with EBADF, no crash");
    tap(ok2 && !dw_get(&w2) && errno == EBADF, "and every later call fails with the same error");
    if (ok2)
        dw_close(&w2);
    if (ro >= 0)
        close(ro);
    if (rfd >= 0)
        close(rfd);
    unlink(argv[1]);
    free(ref);
    free(got);
    printf("1..%d\n", n);
    return failed;
}
