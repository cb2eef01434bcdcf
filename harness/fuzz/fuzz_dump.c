/* libFuzzer targets for the vmcore reader (dump.h): with FUZZ_READER the
 * reader alone (read-*), without it the checker and the comparison over it
 * (dump-*). One file, built three times each (ELF, kdump-compressed,
 * flattened) with a corpus each; the reader picks the format from the bytes, the corpora
 * steer each build to its own. The input is handed over as a file (a
 * memfd), exactly as a vmcore on disk is read. Every input must give a
 * result or an error: no crash, no hang, no leak, no read outside it. */
#define _GNU_SOURCE
#include "dumplab/check.h"
#include "dumplab/proof.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef FUZZ_READER
/* The reader alone (read-elf, read-kdump, read-flat): open (headers,
 * notes, bitmaps, descriptors, the flattened index), then the frames a
 * walk meets first, at most 256, each read (and decompressed), and the
 * text-against-RAM walk. About 100x the executions of the whole checker
 * per second. One memory file is reused: only its contents change. */
#define MAX_FRAMES 256

#ifdef FUZZ_STREAM
/* read-stream: the one-pass reader of `dumplab check -` over the input as
 * a stream (read() from the start of a memory file, as from a pipe). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0 && (fd = memfd_create("fuzz-stream", MFD_CLOEXEC)) < 0)
        return 0;
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size) ||
        lseek(fd, 0, SEEK_SET) != 0)
        return 0;
    GError *err = NULL;
    DlStreamStats st;
    DlDump *d = dl_dump_open_stream(fd, "fuzz", &st, &err);
    g_clear_error(&err);
    if (d) {
        DlCheckInput in = {.expect_cpus = 2, .quick = true};
        DlCheckResult *r = dl_check_dump(d, &in, &err);
        g_clear_error(&err);
        dl_check_result_free(r);
        g_free(st.problems);
        dl_dump_close(d);
    }
    return 0;
}
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz-read", MFD_CLOEXEC);
        if (fd < 0)
            return 0;
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        return 0;
    GError *err = NULL;
    DlDump *d = dl_dump_open(path, &err);
    g_clear_error(&err);
    if (!d)
        return 0;
    guint64 v;
    dl_dump_vmcoreinfo_u64(d, "SYMBOL(_stext)", &v);
    guint8 *page = g_malloc(dl_dump_page_size(d));
    guint64 max = dl_dump_max_pfn(d), n = 0;
    for (guint64 pfn = dl_dump_next_pfn(d, 0); pfn < max && n < MAX_FRAMES;
         pfn = dl_dump_next_pfn(d, pfn + 1), n++) {
        DlPageState st;
        DlPageDesc pd;
        dl_dump_page(d, pfn, page, &st, &err);
        g_clear_error(&err);
        if (dl_dump_kdump_info(d)) {
            dl_dump_kdump_desc(d, pfn, &pd, &err);
            g_clear_error(&err);
        }
        if (st == DL_PAGE_EXCLUDED)
            pfn = dl_dump_excluded_end(d, pfn) - 1;
    }
    guint64 compared, differ, first;
    dl_dump_text_agrees(d, &compared, &differ, &first, &err);
    g_clear_error(&err);
    dl_dump_io_ok(d, NULL);
    g_free(page);
    dl_dump_close(d);
    return 0;
}
#endif
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-dump", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    GError *err = NULL;
    DlDump *d = dl_dump_open(path, &err);
    if (d) {
        DlCheckInput in = {.expect_cpus = 2};
        DlCheckResult *r = dl_check_dump(d, &in, &err);
        if (r) {
            /* The comparison against itself walks every frame again. */
            DlCompareStats st;
            dl_proof_compare(d, d, NULL, NULL, r, &st);
            if (st.differ)
                g_array_free(st.differ, TRUE);
            char *s = dl_check_summary(r);
            g_free(s);
            dl_check_result_free(r);
        }
        dl_dump_close(d);
    }
    g_clear_error(&err);
    close(fd);
    return 0;
}
#endif
