/* mkkdump: rewrite any dump dumplab reads as kdump-compressed or flattened
 * (dumpgen.h), for tests and benchmarks.
 *   mkkdump [-c none|zlib|lzo|snappy|zstd] [-d LEVEL] IN OUT
 *   mkkdump -F IN OUT        (flatten a file as makedumpfile -F does)
 *   mkkdump -x PFN|stext FILE (mark one dumped frame excluded, in place;
 *                              "stext": the frame of SYMBOL(_stext))
 * Exit 0 written, 2 error. */
#include "dumplab/dumpgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    guint32 comp = DL_DUMP_ZLIB;
    int level = 0;
    bool flatten = false;
    int i = 1;
    if (argc == 4 && !strcmp(argv[1], "-x")) {
        g_autoptr(GError) err = NULL;
        guint64 pfn = 0;
        if (!strcmp(argv[2], "stext")) {
            g_autoptr(DlDump) d = dl_dump_open(argv[3], &err);
            guint64 st, pb = 0;
            if (!d || !dl_dump_vmcoreinfo_u64(d, "SYMBOL(_stext)", &st)) {
                fprintf(stderr, "mkkdump: %s: no SYMBOL(_stext)\n", argv[3]);
                return 2;
            }
            dl_dump_vmcoreinfo_u64(d, "NUMBER(phys_base)", &pb);
            pfn = (st - 0xffffffff80000000ULL + pb) / dl_dump_page_size(d);
        } else if (!g_ascii_string_to_unsigned(argv[2], 0, 0, G_MAXUINT64, &pfn, &err)) {
            fprintf(stderr, "mkkdump: %s\n", err->message);
            return 2;
        }
        if (!dl_dumpgen_exclude(argv[3], pfn, &err)) {
            fprintf(stderr, "mkkdump: %s\n", err->message);
            return 2;
        }
        printf("0x%" G_GINT64_MODIFIER "x\n", pfn);
        return 0;
    }
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "-F"))
            flatten = true;
        else if (!strcmp(argv[i], "-d") && i + 1 < argc)
            level = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
            const char *c = argv[++i];
            comp = !strcmp(c, "zlib")     ? DL_DUMP_ZLIB
                   : !strcmp(c, "lzo")    ? DL_DUMP_LZO
                   : !strcmp(c, "snappy") ? DL_DUMP_SNAPPY
                   : !strcmp(c, "zstd")   ? DL_DUMP_ZSTD
                                          : 0;
        } else
            break;
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: mkkdump [-c none|zlib|lzo|snappy|zstd] [-d LEVEL] [-F] IN OUT\n");
        return 2;
    }
    g_autoptr(GError) err = NULL;
    if (flatten) {
        if (!dl_dumpgen_flatten(argv[i], argv[i + 1], 1 << 20, &err)) {
            fprintf(stderr, "mkkdump: %s\n", err->message);
            return 2;
        }
        return 0;
    }
    g_autoptr(DlDump) d = dl_dump_open(argv[i], &err);
    if (!d || !dl_dumpgen_kdump(d, argv[i + 1], comp, level, &err)) {
        fprintf(stderr, "mkkdump: %s\n", err->message);
        return 2;
    }
    return 0;
}
