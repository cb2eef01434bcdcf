/* The command layer's libvirt connection: the one place that starts daemons.
 * Only for the local qemu:///system, only as root, and only when no daemon
 * answers; a DUMPLAB_LIBVIRT_URI naming another libvirt is never started
 * from here (it is someone else's daemon). */
#include "commands.h"
#include "dumplab/virt.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The first start after QEMU was installed probes its capabilities: 8.4 s
 * was measured on a fresh machine, so allow far more. */
#define DAEMON_WAIT_S 60

static bool process_running(const char *comm)
{
    DIR *d = opendir("/proc");
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        g_autofree char *path = g_strdup_printf("/proc/%s/comm", e->d_name);
        g_autofree char *c = NULL;
        if (g_file_get_contents(path, &c, NULL, NULL))
            found = strcmp(g_strstrip(c), comm) == 0;
    }
    closedir(d);
    return found;
}

static bool spawn_daemon(const char *prog, GError **err)
{
    if (process_running(prog))
        return true;
    fprintf(stderr, "dumplab: starting %s\n", prog);
    char *argv[] = {(char *)prog, (char *)"-d", NULL};
    int status = 0;
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
                      err) ||
        !g_spawn_check_wait_status(status, err)) {
        g_prefix_error(err, "starting %s: ", prog);
        return false;
    }
    return true;
}

virConnectPtr cmd_connect(GError **err)
{
    g_autoptr(GError) first = NULL;
    virConnectPtr conn = dl_virt_connect(&first);
    if (conn)
        return conn;
    if (strcmp(dl_virt_uri(), DL_VIRT_LOCAL_URI) != 0 || geteuid() != 0) {
        g_propagate_error(err, g_steal_pointer(&first));
        return NULL;
    }
    if (!spawn_daemon("virtlogd", err) || !spawn_daemon("libvirtd", err))
        return NULL;
    gint64 start = g_get_monotonic_time();
    gint64 next_note = 0;
    for (;;) {
        g_clear_error(&first);
        conn = dl_virt_connect(&first);
        if (conn)
            return conn;
        gint64 waited = (g_get_monotonic_time() - start) / G_USEC_PER_SEC;
        if (waited >= DAEMON_WAIT_S)
            break;
        if (waited >= next_note) {
            fprintf(stderr,
                    "dumplab: waiting for libvirtd to answer on %s (%" G_GINT64_FORMAT
                    " of %d s)\n",
                    dl_virt_uri(), waited, DAEMON_WAIT_S);
            next_note += 10;
        }
        g_usleep(250 * 1000);
    }
    g_propagate_prefixed_error(err, g_steal_pointer(&first),
                               "libvirtd started but after %d s: ", DAEMON_WAIT_S);
    return NULL;
}
