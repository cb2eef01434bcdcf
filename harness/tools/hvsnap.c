/* hvsnap: the short-pause hypervisor dump of a running libvirt domain
 * (ramsnap.h), by hand or for benchmarks.
 *   hvsnap DOMAIN OUT.vmcore          (pause, copy resident RAM, resume)
 *   hvsnap --bg DOMAIN OUT.vmcore     (QEMU's background snapshot)
 * Prints how long the guest was stopped and where the time went.
 * Exit 0: written; 1: failed. */
#include "dumplab/bgsnap.h"
#include "dumplab/ramsnap.h"
#include "dumplab/virt.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    bool bg = argc == 4 && !strcmp(argv[1], "--bg");
    if (bg) {
        argv++;
        argc--;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: hvsnap [--bg] DOMAIN OUT.vmcore\n");
        return 1;
    }
    g_autoptr(GError) err = NULL;
    virConnectPtr conn = dl_virt_connect(&err);
    virDomainPtr dom = conn ? virDomainLookupByName(conn, argv[1]) : NULL;
    if (!dom) {
        fprintf(stderr, "hvsnap: %s\n", err ? err->message : "no such domain");
        return 1;
    }
    if (bg) {
        DlBgSnapStats b;
        gint64 t0 = g_get_monotonic_time();
        bool ok = dl_bgsnap_take(dom, argv[2], 120, NULL, NULL, &b, &err);
        virDomainFree(dom);
        virConnectClose(conn);
        if (!ok) {
            fprintf(stderr, "hvsnap: %s\n", err->message);
            return 1;
        }
        printf("background snapshot in %.3f s (QEMU: total %.0f ms, downtime %.0f ms); stream %"
               G_GUINT64_FORMAT " MiB, %" G_GUINT64_FORMAT " pages, %" G_GUINT64_FORMAT " zero\n",
               (g_get_monotonic_time() - t0) / 1e6, b.total_ms, b.downtime_ms,
               b.stream_bytes >> 20, b.pages, b.zero_pages);
        return 0;
    }
    gint64 t0 = g_get_monotonic_time();
    DlRamSnap *s = dl_ramsnap_prepare(dom, &err);
    gint64 t1 = g_get_monotonic_time();
    DlRamSnapStats st;
    bool ok = s && dl_ramsnap_capture(s, &st, &err);
    gint64 t2 = g_get_monotonic_time();
    ok = ok && dl_ramsnap_write_elf(s, argv[2], &err);
    gint64 t3 = g_get_monotonic_time();
    dl_ramsnap_free(s);
    virDomainFree(dom);
    virConnectClose(conn);
    if (!ok) {
        fprintf(stderr, "hvsnap: %s\n", err->message);
        return 1;
    }
    printf("prepare %.3f s; paused %.3f s (pagemap %.3f, copy %.3f of %" G_GUINT64_FORMAT
           " MiB, resume %.3f); capture call %.3f s; ELF write %.3f s\n",
           (t1 - t0) / 1e6, st.pause_ms / 1e3, st.pagemap_ms / 1e3, st.copy_ms / 1e3,
           st.resident_bytes >> 20, st.resume_ms / 1e3, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
    return 0;
}
