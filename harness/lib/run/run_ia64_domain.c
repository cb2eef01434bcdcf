/* The libvirt domain of an ia64-sal machine (qemu-system-ia64), shared by
 * the model's own guests (run_ia64_qemu.c) and Linux/ia64
 * (run_ia64_linux_qemu.c). */
#include "dumplab/virt.h"
#include "run_ia64.h"

char *dl_ia64_domain_xml(const DlIa64Domain *d)
{
    GString *x = g_string_new(NULL);
    g_autofree char *emu = g_markup_escape_text(d->qemu, -1);
    g_autofree char *kernel = g_markup_escape_text(d->kernel, -1);
    g_autofree char *log = g_markup_escape_text(d->console, -1);
    /* The machine's properties (qemu-patches 0005): libvirt has no element
     * for them, so they go through the qemu:commandline namespace (QEMU
     * merges a second -machine into the first). The work folder's paths
     * hold no comma. */
    g_autofree char *props = g_markup_escape_text(d->machine_props, -1);
    g_string_append(x, "<domain type='qemu' "
                       "xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n");
    dl_virt_append_name(x, d->name);
    g_string_append_printf(x, "  <memory unit='MiB'>%d</memory>\n  <vcpu>%u</vcpu>\n", d->ram_mib,
                           d->cpus);
    g_string_append_printf(x,
                           "  <os>\n    <type arch='ia64' machine='ia64-sal'>hvm</type>\n"
                           "    <kernel>%s</kernel>\n",
                           kernel);
    if (d->initrd) {
        g_autofree char *initrd = g_markup_escape_text(d->initrd, -1);
        g_string_append_printf(x, "    <initrd>%s</initrd>\n", initrd);
    }
    if (d->cmdline) {
        g_autofree char *cmdline = g_markup_escape_text(d->cmdline, -1);
        g_string_append_printf(x, "    <cmdline>%s</cmdline>\n", cmdline);
    }
    g_string_append(x, "  </os>\n");
    g_string_append_printf(
        x,
        "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>destroy</on_reboot>\n"
        "  <on_crash>%s</on_crash>\n",
        d->preserve_on_crash ? "preserve" : "destroy");
    g_string_append_printf(x,
                           "  <devices>\n    <emulator>%s</emulator>\n"
                           "    <serial type='pty'><log file='%s' append='off'/></serial>\n"
                           "    <console type='pty'/>\n"
                           "    <controller type='usb' model='none'/>\n"
                           "    <memballoon model='none'/>\n  </devices>\n",
                           emu, log);
    g_string_append(x, "  <seclabel type='static' model='dac' relabel='no'>"
                       "<label>+0:+0</label></seclabel>\n");
    g_string_append_printf(x,
                           "  <qemu:commandline>\n    <qemu:arg value='-machine'/>\n"
                           "    <qemu:arg value='%s'/>\n  </qemu:commandline>\n",
                           props);
    g_string_append(x, "</domain>\n");
    return g_string_free(x, FALSE);
}
