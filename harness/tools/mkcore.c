/* mkcore: write a synthetic ELF core from a description (coregen.h).
 *   mkcore DESCRIPTION-FILE|- OUTPUT */
#include "dumplab/coregen.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mkcore DESCRIPTION|- OUTPUT\n"
                        "Writes a synthetic ELF core (mode 0600); the description format is "
                        "in harness/include/dumplab/coregen.h.\n");
        return 2;
    }
    g_autofree char *desc = NULL;
    g_autoptr(GError) err = NULL;
    if (g_strcmp0(argv[1], "-") == 0) {
        g_autoptr(GString) s = g_string_new(NULL);
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
            g_string_append_len(s, buf, (gssize)n);
        desc = g_string_free(g_steal_pointer(&s), FALSE);
    } else if (!g_file_get_contents(argv[1], &desc, NULL, &err)) {
        fprintf(stderr, "mkcore: %s\n", err->message);
        return 2;
    }
    if (!dl_coregen_write(desc, argv[2], &err)) {
        fprintf(stderr, "mkcore: %s\n", err->message);
        return 1;
    }
    return 0;
}
