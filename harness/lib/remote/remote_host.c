/* What a libvirt host offers a batch: its CPUs and free memory, asked
 * through the connection itself (works the same over qemu+ssh). */
#include "dumplab/remote.h"
#include "dumplab/virt.h"

#include <libvirt/virterror.h>
#include <string.h>

static void quiet_handler(void *data, virErrorPtr e)
{
}

static const char *virt_msg(void)
{
    const virError *e = virGetLastError();
    return e && e->message ? e->message : "unknown libvirt error";
}

bool dl_remote_probe_host(const char *uri, unsigned jobs, DlSchedHost *h, GError **err)
{
    memset(h, 0, sizeof(*h));
    virSetErrorFunc(NULL, quiet_handler);
    virConnectPtr c = virConnectOpen(uri);
    if (!c) {
        g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "--connect %s: %s", uri, virt_msg());
        return false;
    }
    virNodeInfo info;
    int nparams = 0;
    bool ok = virNodeGetInfo(c, &info) == 0 &&
              virNodeGetMemoryStats(c, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &nparams, 0) == 0;
    guint64 avail_kib = 0;
    if (ok && nparams > 0) {
        virNodeMemoryStatsPtr st = g_new0(virNodeMemoryStats, nparams);
        ok = virNodeGetMemoryStats(c, VIR_NODE_MEMORY_STATS_ALL_CELLS, st, &nparams, 0) == 0;
        for (int i = 0; ok && i < nparams; i++)
            if (!strcmp(st[i].field, VIR_NODE_MEMORY_STATS_FREE) ||
                !strcmp(st[i].field, VIR_NODE_MEMORY_STATS_BUFFERS) ||
                !strcmp(st[i].field, VIR_NODE_MEMORY_STATS_CACHED))
                avail_kib += st[i].value;
        g_free(st);
    }
    if (!ok) {
        g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "--connect %s: asking the host's size: %s",
                    uri, virt_msg());
        virConnectClose(c);
        return false;
    }
    virConnectClose(c);
    guint64 mib = avail_kib >> 10;
    h->uri = g_strdup(uri);
    h->remote = true;
    h->cores = info.cpus ? info.cpus : 1;
    h->mem_mib = mib > DL_SCHED_HOST_RESERVE_MIB ? mib - DL_SCHED_HOST_RESERVE_MIB : 0;
    h->slots = jobs ? jobs : 1;
    return true;
}
