/* KVM probe: a short real boot under KVM that must reach the agent's HELLO. */
#include "dumplab/kvmprobe.h"
#include "dumplab/guest.h"
#include "dumplab/remote.h"

#include <string.h>
#include <unistd.h>

#define PROBE_TIMEOUT_S 30

static char *cache_path(const char *cache_dir)
{
    g_autofree char *boot_id = NULL;
    if (!g_file_get_contents("/proc/sys/kernel/random/boot_id", &boot_id, NULL, NULL))
        return NULL;
    g_strstrip(boot_id);
    return g_strdup_printf("%s/kvm-probe.%s", cache_dir, boot_id);
}

static DlAccel probe_boot(virConnectPtr conn, const DlImage *img, char **why)
{
    g_autofree char *dir = g_dir_make_tmp("dumplab-kvmprobe-XXXXXX", NULL);
    if (!dir) {
        *why = g_strdup("cannot make a folder for the KVM probe");
        return DL_ACCEL_TCG;
    }
    g_autofree char *console = g_build_filename(dir, "console.log", NULL);
    g_autofree char *sock = g_build_filename(dir, "agent.sock", NULL);
    g_autofree char *name = dl_virt_domain_name("kvmprobe");
    DlGuestSpec spec = {
        .name = name,
        .accel = DL_ACCEL_KVM,
        .vcpus = 1,
        .memory_mib = 256,
        .kernel = img->boot_kernel,
        .initrd = img->initrd,
        .cmdline = "console=ttyS0,115200 panic=-1",
        .console_log = console,
        .agent_sock = sock,
    };
    g_autoptr(GError) err = NULL;
    gint64 t0 = g_get_monotonic_time();
    DlGuest *g = dl_guest_start(conn, &spec, NULL, 10, &err);
    DlAccel accel = DL_ACCEL_TCG;
    if (g) {
        static const char *const hello[] = {"HELLO", NULL};
        g_autoptr(DlMsg) m = dl_guest_expect(g, hello, PROBE_TIMEOUT_S, &err);
        if (m) {
            accel = DL_ACCEL_KVM;
            *why = g_strdup_printf("a KVM guest reached its agent in %.1f s",
                                   (g_get_monotonic_time() - t0) / 1e6);
        }
    }
    if (accel == DL_ACCEL_TCG)
        *why = g_strdup_printf("KVM probe guest did not reach its agent (%s)",
                               err ? err->message : "no reason");
    dl_guest_free(g);
    unlink(console);
    unlink(sock);
    rmdir(dir);
    return accel;
}

DlAccel dl_kvm_probe(virConnectPtr conn, const DlImage *img, const char *cache_dir, char **why)
{
    const char *force = g_getenv("DUMPLAB_ACCEL");
    if (force && (!strcmp(force, "kvm") || !strcmp(force, "tcg"))) {
        *why = g_strdup("chosen by DUMPLAB_ACCEL");
        return !strcmp(force, "kvm") ? DL_ACCEL_KVM : DL_ACCEL_TCG;
    }
    if (dl_remote_enabled()) /* the host's own accelerator, asked there */
        return dl_remote_probe_accel(conn, why);
    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        *why = g_strdup("no usable /dev/kvm");
        return DL_ACCEL_TCG;
    }
    g_autofree char *path = cache_path(cache_dir);
    g_autofree char *cached = NULL;
    if (path && g_file_get_contents(path, &cached, NULL, NULL)) {
        char *nl = strchr(cached, '\n');
        if (nl) {
            *why = g_strdup_printf("%s (cached probe for this boot)", g_strstrip(nl + 1));
            return g_str_has_prefix(cached, "kvm") ? DL_ACCEL_KVM : DL_ACCEL_TCG;
        }
    }
    DlAccel accel = probe_boot(conn, img, why);
    if (path) {
        g_mkdir_with_parents(cache_dir, 0755);
        g_autofree char *text = g_strdup_printf("%s\n%s\n", dl_accel_name(accel), *why);
        g_file_set_contents(path, text, -1, NULL);
    }
    return accel;
}
