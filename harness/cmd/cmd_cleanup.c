/* dumplab cleanup: remove leftover domains of killed runs. */
#include "commands.h"
#include "dumplab/virt.h"

#include <stdio.h>
#include <string.h>

int cmd_cleanup(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "usage: dumplab cleanup\n"
                        "Destroys the dumplab-* domains whose dumplab process is gone.\n");
        return !strcmp(argv[1], "--help") ? 0 : 2;
    }
    g_autoptr(GError) err = NULL;
    virConnectPtr conn = cmd_connect(&err);
    if (!conn) {
        fprintf(stderr, "dumplab cleanup: %s\n", err->message);
        return 2;
    }
    int n = dl_virt_remove_leftovers(conn, &err);
    virConnectClose(conn);
    if (n < 0) {
        fprintf(stderr, "dumplab cleanup: %s\n", err->message);
        return 2;
    }
    printf("removed %d leftover domain%s\n", n, n == 1 ? "" : "s");
    return 0;
}
