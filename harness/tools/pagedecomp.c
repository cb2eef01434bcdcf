/* pagedecomp: the floor for checking a kdump-compressed file: reads every
 * dumped page's data and decompresses it with the same library, nothing
 * else (the descriptors are collected first, untimed). bench/formats.sh
 * divides `dumplab check`'s time by this one's.
 *   pagedecomp FILE    prints "PAGES SECONDS" */
#include "dumplab/dump.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

typedef struct {
    guint64 off;
    guint32 size, flags;
} Desc;

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pagedecomp KDUMP-COMPRESSED-FILE\n");
        return 2;
    }
    g_autoptr(GError) err = NULL;
    g_autoptr(DlDump) d = dl_dump_open(argv[1], &err);
    if (!d || dl_dump_format(d) != DL_FMT_KDUMP) {
        fprintf(stderr, "pagedecomp: %s\n", err ? err->message : "not kdump-compressed");
        return 2;
    }
    guint32 ps = dl_dump_page_size(d);
    g_autoptr(GArray) descs = g_array_new(FALSE, FALSE, sizeof(Desc));
    for (guint64 pfn = dl_dump_next_pfn(d, 0); pfn < dl_dump_max_pfn(d);
         pfn = dl_dump_next_pfn(d, pfn + 1)) {
        DlPageDesc pd;
        if (dl_dump_kdump_desc(d, pfn, &pd, NULL)) {
            Desc x = {pd.offset, pd.size, pd.flags};
            g_array_append_val(descs, x);
        }
    }
    int fd = open(argv[1], O_RDONLY);
    g_autofree guint8 *in = g_malloc(ps), *out = g_malloc(ps);
    gint64 t0 = g_get_monotonic_time();
    guint64 bad = 0;
    for (guint i = 0; i < descs->len; i++) {
        const Desc *x = &g_array_index(descs, Desc, i);
        if (x->size > ps || pread(fd, in, x->size, (off_t)x->off) != (ssize_t)x->size) {
            bad++;
            continue;
        }
        bad += !dl_decompress(x->flags & ~(guint32)DL_DUMP_INCOMPLETE, in, x->size, out, ps,
                              NULL);
    }
    double s = (g_get_monotonic_time() - t0) / 1e6;
    close(fd);
    printf("%u %.4f\n", descs->len, s);
    return bad ? 1 : 0;
}
