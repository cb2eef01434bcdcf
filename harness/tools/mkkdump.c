/* mkkdump: rewrite any dump dumplab reads as kdump-compressed or flattened
 * (dumpgen.h), for tests and benchmarks.
 *   mkkdump [-c none|zlib|lzo|snappy|zstd] [-d LEVEL] IN OUT
 *   mkkdump -F IN OUT        (flatten a file as makedumpfile -F does)
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
