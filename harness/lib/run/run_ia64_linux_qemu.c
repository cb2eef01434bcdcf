/* Linux/ia64 (kernel = linux-source-6.1) on platform = qemu: the same
 * vmlinux and initramfs as on the model (run_ia64_linux.c), in
 * qemu-system-ia64's ia64-sal machine under libvirt. The kernel, initrd and
 * command line go in the domain's <os>; the dump device's file and the AP
 * wake-up through the machine's properties. fault = init: once the first
 * kernel's init says it is armed, virDomainInjectNMI raises the platform
 * INIT on every CPU (Linux's INIT handler starts the capture kernel). The
 * capture kernel powers off through ACPI S5 and the transient domain is
 * gone; the harness destroys it only if it outlives its deadline, or once it
 * took the hypervisor's dump the capture kernel's init holds for. */
#include "dumplab/error.h"
#include "dumplab/sigguard.h"
#include "dumplab/virt.h"
#include "run_ia64.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <string.h>

#define RAM_MIB 512

static char *domain_xml(const DlIa64LinuxGuest *g, const char *name, const char *qemu)
{
    g_autofree char *mprops = g_strdup_printf("ap-wakeup=on,vmcore=%s", g->vmcore);
    DlIa64Domain d = {.name = name,
                      .qemu = qemu,
                      .kernel = g->vmlinux,
                      .initrd = g->initrd,
                      .cmdline = g->append,
                      .console = g->console,
                      .machine_props = mprops,
                      .cpus = g->cpus,
                      .ram_mib = RAM_MIB};
    return dl_ia64_domain_xml(&d);
}

const char *const dl_ia64_linux_milestones[DL_IA64_LINUX_MILESTONES] = {
    "dumplab-init: running as pid 1", "dumplab-init: armed", "dumplab-init: mode capture",
    "dumplab-init: vmcore written"};

bool dl_ia64_linux_qemu(virConnectPtr conn, const DlIa64LinuxGuest *g, int *powered_off,
                        GError **err)
{
    *powered_off = 0;
    g_autofree char *qemu = dl_ia64_qemu_binary(err);
    if (!qemu)
        return false;
    g_autofree char *name = dl_virt_domain_name(g->scenario);
    if (g->domain)
        *g->domain = g_strdup(name);
    g_autofree char *xml = domain_xml(g, name, qemu);
    g_autofree char *xml_path = g_build_filename(g->dir, "domain.xml", NULL);
    g_file_set_contents(xml_path, xml, -1, NULL);
    virDomainPtr dom = virDomainCreateXML(conn, xml, 0);
    if (!dom) {
        virErrorPtr ve = virGetLastError();
        g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "starting domain %s: %s", name,
                    ve && ve->message ? ve->message : "libvirt error");
        return false;
    }
    /* Bounded by the scenario's deadline, never by what the guest says. */
    gint64 deadline = g_get_monotonic_time() + (gint64)g->timeout_s * G_USEC_PER_SEC;
    bool injected = !g->init, ok = true;
    /* A transient domain that powered off is gone, hence not active. */
    while (dl_virt_is_active(dom)) {
        if (dl_sigguard_caught()) {
            g_set_error(err, DL_ERROR, DL_ERROR_INTERRUPTED, "interrupted");
            ok = false;
            break;
        }
        if (g_get_monotonic_time() >= deadline) {
            g_set_error(err, DL_ERROR, DL_ERROR_TIMEOUT,
                        "domain %s still running after %d s (console in %s)", name, g->timeout_s,
                        g->console);
            ok = false;
            break;
        }
        g_autofree char *text = NULL;
        if (!g_file_get_contents(g->console, &text, NULL, NULL))
            text = g_strdup("");
        for (int i = 0; g->seen && i < DL_IA64_LINUX_MILESTONES; i++)
            if (!g->seen[i] && strstr(text, dl_ia64_linux_milestones[i]))
                g->seen[i] = g_get_monotonic_time();
        /* The capture kernel's init wrote the vmcore and holds: the first
         * kernel's memory is what the vmcore says it is. The dump ends the
         * run; the domain (ours) is destroyed below. */
        if (g->hvdump && strstr(text, "dumplab-init: holding for the hypervisor's dump")) {
            gint64 left = (deadline - g_get_monotonic_time()) / G_USEC_PER_SEC;
            ok = dl_virt_core_dump(dom, g->hvdump, left > 1 ? (int)left : 1, NULL, NULL, err);
            break;
        }
        if (!injected && strstr(text, "dumplab-init: armed")) {
            if (!dl_virt_inject_nmi(dom, err)) {
                ok = false;
                break;
            }
            injected = true;
        }
        g_usleep(100 * 1000);
    }
    *powered_off = ok;
    dl_virt_destroy(dom);
    return ok;
}
