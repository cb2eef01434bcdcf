/* dumplab cleanup: remove leftover domains of killed runs. */
#include "commands.h"
#include "dumplab/virt.h"

#include <stdio.h>
#include <string.h>

int cmd_cleanup(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "usage: dumplab cleanup\n"
                        "Destroys the dumplab-* domains whose owning run is provably gone\n"
                        "(same machine and boot, no such process or a later one).\n");
        return !strcmp(argv[1], "--help") ? 0 : 2;
    }
    g_autoptr(GError) err = NULL;
    virConnectPtr conn = cmd_connect(&err);
    if (!conn) {
        fprintf(stderr, "dumplab cleanup: %s\n", err->message);
        return 2;
    }
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    int n = dl_virt_remove_leftovers(conn, names, &err);
    virConnectClose(conn);
    if (n < 0) {
        fprintf(stderr, "dumplab cleanup: %s\n", err->message);
        return 2;
    }
    for (guint i = 0; i < names->len; i++)
        printf("removed %s\n", (const char *)g_ptr_array_index(names, i));
    printf("removed %d leftover domain%s\n", n, n == 1 ? "" : "s");
    return 0;
}
