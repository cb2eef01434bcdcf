/* libFuzzer target for the vmcore reader (dump.h) and the checker over it:
 * one file, built three times (ELF, kdump-compressed, flattened) with a
 * corpus each; the reader picks the format from the bytes, the corpora
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
