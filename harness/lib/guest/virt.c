/* libvirt orchestration through the C API: connection, transient domains,
 * hypervisor-side actions. */
#include "dumplab/virt.h"
#include "dumplab/error.h"
#include "dumplab/owner.h"
#include "dumplab/remote.h"

#include <errno.h>
#include <fcntl.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *last_virt_error(void)
{
    const virError *e = virGetLastError();
    return e && e->message ? e->message : "unknown libvirt error";
}

static void set_virt_error(GError **err, const char *what)
{
    g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "%s: %s", what, last_virt_error());
}

/* libvirt prints every error to stderr by default; we report them as
 * values instead. */
static void quiet_handler(void *data, virErrorPtr e)
{
}

const char *dl_virt_uri(void)
{
    const char *u = g_getenv("DUMPLAB_LIBVIRT_URI");
    return u && *u ? u : DL_VIRT_LOCAL_URI;
}

/* Only connects: starting daemons is the command layer's business (and only
 * for the local qemu:///system), never a library's. */
virConnectPtr dl_virt_connect(GError **err)
{
    virSetErrorFunc(NULL, quiet_handler);
    virConnectPtr conn = virConnectOpen(dl_virt_uri());
    if (!conn) {
        g_autofree char *what = g_strdup_printf("libvirt connection to %s", dl_virt_uri());
        set_virt_error(err, what);
    }
    return conn;
}

const char *dl_accel_name(DlAccel accel)
{
    return accel == DL_ACCEL_KVM ? "kvm" : "tcg";
}

char *dl_virt_domain_name(const char *scenario)
{
    static unsigned counter;
    g_autofree char *safe = g_strdup(scenario ? scenario : "run");
    g_strcanon(safe, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", '_');
    if (strlen(safe) > 40)
        safe[40] = '\0';
    return g_strdup_printf(DL_DOMAIN_PREFIX "%d-%u-%s", (int)getpid(), ++counter, safe);
}

void dl_virt_append_name(GString *x, const char *name)
{
    g_autofree char *esc = g_markup_escape_text(name, -1);
    g_string_append_printf(x, "  <name>%s</name>\n", esc);
    /* The owning run, so that cleanup (of any dumplab, on any host) can
     * prove it gone before it destroys the domain. */
    DlOwner self;
    if (dl_owner_self(&self, NULL)) {
        g_autofree char *owner = dl_owner_xml(&self);
        g_string_append_printf(x, "  <metadata>%s</metadata>\n", owner);
        dl_owner_clear(&self);
    }
}

char *dl_virt_domain_xml(const DlGuestSpec *s)
{
    GString *x = g_string_new(NULL);
    g_autofree char *kernel = g_markup_escape_text(s->kernel, -1);
    g_autofree char *initrd = g_markup_escape_text(s->initrd, -1);
    g_autofree char *cmdline = g_markup_escape_text(s->cmdline, -1);
    g_autofree char *console = g_markup_escape_text(s->console_log, -1);
    g_autofree char *sock = g_markup_escape_text(s->agent_sock, -1);

    g_string_append_printf(x, "<domain type='%s'%s>\n", s->accel == DL_ACCEL_KVM ? "kvm" : "qemu",
                           s->ram_file ? " xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'"
                                       : "");
    dl_virt_append_name(x, s->name);
    g_string_append_printf(x, "  <memory unit='MiB'>%u</memory>\n", s->memory_mib);
    g_string_append_printf(x, "  <vcpu>%u</vcpu>\n", s->vcpus);
    g_string_append(x, "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n");
    g_string_append_printf(x, "    <kernel>%s</kernel>\n    <initrd>%s</initrd>\n", kernel, initrd);
    g_string_append_printf(x, "    <cmdline>%s</cmdline>\n  </os>\n", cmdline);
    /* vmcoreinfo: QEMU's own dumps then carry the guest's VMCOREINFO. */
    g_string_append(x, "  <features><acpi/><apic/><vmcoreinfo state='on'/></features>\n");
    g_string_append(x, "  <clock offset='utc'/>\n");
    /* A reboot or crash of the guest ends the domain: the harness reads the
     * state change as the end of a phase; nothing restarts behind its back. */
    g_string_append(x, "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>destroy</on_reboot>\n"
                       "  <on_crash>preserve</on_crash>\n");
    /* No USB controller (libvirt adds a PIIX3 UHCI to every pc machine):
     * each kernel's quirk_usb_early_handoff spent 0.3 s on it under TCG. */
    g_string_append(x, "  <devices>\n    <controller type='usb' model='none'/>\n");
    /* cache='unsafe': the guest's flushes (after the vmcore, after the
     * header) no longer make QEMU fdatasync 800 MiB to the host's disk
     * inside the capture. Every write is in the host's page cache when the
     * guest sees it complete, so the harness reads the whole dump after
     * DONE; only a host crash before writeback would lose it. */
    if (s->dump_disk) {
        g_autofree char *disk = g_markup_escape_text(s->dump_disk, -1);
        g_string_append_printf(
            x,
            "    <disk type='file' device='disk'>\n"
            "      <driver name='qemu' type='raw' cache='unsafe' error_policy='report'/>\n"
            "      <source file='%s'/>\n"
            "      <target dev='vda' bus='virtio'/>\n"
            "    </disk>\n",
            disk);
    }
    g_string_append_printf(x,
                           "    <serial type='file'>\n"
                           "      <source path='%s'/>\n"
                           "      <target port='0'/>\n"
                           "    </serial>\n",
                           console);
    g_string_append_printf(x,
                           "    <serial type='unix'>\n"
                           "      <source mode='bind' path='%s'/>\n"
                           "      <target port='1'/>\n"
                           "    </serial>\n",
                           sock);
    if (s->pvpanic)
        g_string_append(x, "    <panic model='isa'><address type='isa' iobase='0x505'/></panic>\n");
    if (s->extra_devices)
        g_string_append(x, s->extra_devices);
    g_string_append(x, "    <memballoon model='none'/>\n  </devices>\n");
    /* QEMU runs as root and relabels nothing: the images are shared by
     * concurrent runs, and relabelling them would race. */
    g_string_append(x, "  <seclabel type='static' model='dac' relabel='no'>"
                       "<label>+0:+0</label></seclabel>\n");
    if (s->ram_file)
        dl_virt_append_ram_file(x, s->ram_file, s->memory_mib);
    g_string_append(x, "</domain>\n");
    return g_string_free(x, FALSE);
}

virDomainPtr dl_virt_start(virConnectPtr conn, const DlGuestSpec *spec, GError **err)
{
    g_autofree char *xml = dl_virt_domain_xml(spec);
    virDomainPtr dom = virDomainCreateXML(conn, xml, 0);
    if (!dom)
        set_virt_error(err, "starting domain");
    return dom;
}

bool dl_virt_is_active(virDomainPtr dom)
{
    int state = 0, reason = 0;
    if (virDomainGetState(dom, &state, &reason, 0) < 0)
        return false;
    return state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_PAUSED ||
           state == VIR_DOMAIN_BLOCKED || state == VIR_DOMAIN_PMSUSPENDED;
}

bool dl_virt_is_crashed(virDomainPtr dom)
{
    int state = 0, reason = 0;
    return virDomainGetState(dom, &state, &reason, 0) == 0 && state == VIR_DOMAIN_CRASHED;
}

void dl_virt_destroy(virDomainPtr dom)
{
    if (!dom)
        return;
    /* A transient domain disappears once destroyed; an error here only means
     * it was gone already. */
    virDomainDestroy(dom);
    virDomainFree(dom);
}

/* Whether the domain's owner is provably gone: its metadata must name a
 * process of this host's boot that no longer runs. A domain without the
 * metadata (another tool's, an older dumplab's) is never ours to judge. */
static bool owner_gone(virDomainPtr dom, const DlOwner *self, const char **why)
{
    char *md = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, DL_OWNER_NS, 0);
    if (!md)
        return false;
    DlOwner o;
    bool ok = dl_owner_parse(md, &o, NULL);
    free(md);
    if (!ok)
        return false;
    bool gone = dl_owner_judge(&o, self, why) == DL_OWNER_GONE;
    dl_owner_clear(&o);
    return gone;
}

int dl_virt_remove_leftovers(virConnectPtr conn, GPtrArray *removed_names, GError **err)
{
    DlOwner self;
    if (!dl_owner_self(&self, err)) {
        g_prefix_error(err, "who am I: ");
        return -1;
    }
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);
    if (n < 0) {
        set_virt_error(err, "listing domains");
        dl_owner_clear(&self);
        return -1;
    }
    int removed = 0;
    for (int i = 0; i < n; i++) {
        const char *name = virDomainGetName(doms[i]);
        const char *why = NULL;
        if (name && g_str_has_prefix(name, DL_DOMAIN_PREFIX) && owner_gone(doms[i], &self, &why)) {
            virDomainDestroy(doms[i]);
            virDomainUndefine(doms[i]); /* only matters if someone defined it */
            dl_virt_remove_ram_file(name);
            removed++;
            if (removed_names)
                g_ptr_array_add(removed_names, g_strdup_printf("%s (%s)", name, why));
        }
        virDomainFree(doms[i]);
    }
    free(doms);
    dl_owner_clear(&self);
    return removed;
}

bool dl_virt_inject_nmi(virDomainPtr dom, GError **err)
{
    if (virDomainInjectNMI(dom, 0) < 0) {
        set_virt_error(err, "injecting NMI");
        return false;
    }
    return true;
}

bool dl_virt_hmp(virDomainPtr dom, const char *cmd, char **reply, GError **err)
{
    char *out = NULL;
    if (virDomainQemuMonitorCommand(dom, cmd, &out, VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) < 0) {
        g_autofree char *what = g_strdup_printf("monitor command '%s'", cmd);
        set_virt_error(err, what);
        return false;
    }
    if (reply)
        *reply = g_strdup(out ? out : "");
    free(out);
    return true;
}

bool dl_virt_pause(virDomainPtr dom, GError **err)
{
    if (virDomainSuspend(dom) < 0) {
        set_virt_error(err, "pausing guest");
        return false;
    }
    return true;
}

bool dl_virt_resume(virDomainPtr dom, GError **err)
{
    if (virDomainResume(dom) < 0) {
        set_virt_error(err, "resuming guest");
        return false;
    }
    return true;
}

/* Shared by the caller and the dump thread; the last one out frees it. */
typedef struct {
    virDomainPtr dom;
    char *path;
    int rc;
    char *error;
    gint done;
    gint refs;
    int format; /* VIR_DOMAIN_CORE_DUMP_FORMAT_* */
} DumpJob;

static void dump_job_unref(DumpJob *j)
{
    if (!g_atomic_int_dec_and_test(&j->refs))
        return;
    virDomainFree(j->dom);
    g_free(j->path);
    g_free(j->error);
    g_free(j);
}

static gpointer dump_thread(gpointer data)
{
    DumpJob *j = data;
    j->rc = virDomainCoreDumpWithFormat(j->dom, j->path, j->format, VIR_DUMP_MEMORY_ONLY);
    if (j->rc < 0)
        j->error = g_strdup(last_virt_error()); /* libvirt errors are per thread */
    g_atomic_int_set(&j->done, 1);
    dump_job_unref(j);
    return NULL;
}

/* After an abort, how long the dump may take to give up before we stop
 * waiting for it (the thread then finishes on its own). */
#define DUMP_ABORT_GRACE_S 30

bool dl_virt_core_dump(virDomainPtr dom, const char *path, int timeout_s, DlProgressFn progress,
                       void *progress_data, GError **err)
{
    if (dl_remote_enabled()) /* QEMU writes on its own host: fetched as a volume */
        return dl_remote_core_dump(dom, path, timeout_s, err);
    /* Created 0600 before QEMU writes into it, so the guest's memory is
     * never readable by others, not even for a moment. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "creating %s", path);
        return false;
    }
    close(fd);
    /* DUMPLAB_HV_DUMP_FORMAT=kdump-zlib|kdump-lzo|kdump-snappy makes QEMU
     * write its kdump-compressed format instead of ELF (the reader and the
     * cross-check take either). */
    const char *want = g_getenv("DUMPLAB_HV_DUMP_FORMAT");
    int format = VIR_DOMAIN_CORE_DUMP_FORMAT_RAW;
    if (want && !strcmp(want, "kdump-zlib"))
        format = VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB;
    else if (want && !strcmp(want, "kdump-lzo"))
        format = VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_LZO;
    else if (want && !strcmp(want, "kdump-snappy"))
        format = VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_SNAPPY;
    else if (want && *want && strcmp(want, "elf")) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "DUMPLAB_HV_DUMP_FORMAT=%s: use elf, kdump-zlib, kdump-lzo or kdump-snappy",
                    want);
        return false;
    }
    /* libvirt's dump call blocks with no deadline of its own: it runs in a
     * thread while this one reports progress and aborts the job when the
     * deadline passes. */
    DumpJob *j = g_new0(DumpJob, 1);
    virDomainRef(dom);
    j->dom = dom;
    j->path = g_strdup(path);
    j->refs = 2;
    j->format = format;
    g_thread_unref(g_thread_new("dl-core-dump", dump_thread, j));
    gint64 t0 = g_get_monotonic_time();
    gint64 deadline = t0 + (gint64)timeout_s * G_USEC_PER_SEC;
    gint64 next_note = t0 + 10 * G_USEC_PER_SEC;
    bool aborted = false;
    while (!g_atomic_int_get(&j->done)) {
        gint64 now = g_get_monotonic_time();
        if (!aborted && now >= deadline) {
            virDomainAbortJob(dom);
            aborted = true;
        }
        if (aborted && now >= deadline + DUMP_ABORT_GRACE_S * G_USEC_PER_SEC)
            break;
        if (progress && now >= next_note) {
            struct stat st;
            guint64 mib = stat(path, &st) == 0 ? (guint64)st.st_size >> 20 : 0;
            g_autofree char *what =
                g_strdup_printf("hypervisor dump (%" G_GUINT64_FORMAT " MiB so far)", mib);
            progress(progress_data, what, (int)((now - t0) / G_USEC_PER_SEC));
            next_note += 10 * G_USEC_PER_SEC;
        }
        g_usleep(100 * 1000);
    }
    bool done = g_atomic_int_get(&j->done);
    bool ok = done && j->rc == 0 && !aborted;
    if (!ok) {
        if (aborted)
            g_set_error(err, DL_ERROR, DL_ERROR_TIMEOUT,
                        "hypervisor dump did not finish in %d s; aborted it", timeout_s);
        else
            g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "hypervisor dump: %s",
                        j->error ? j->error : "unknown libvirt error");
    }
    dump_job_unref(j);
    /* The dump holds the guest's secrets. */
    if (ok && chmod(path, 0600) < 0) {
        dl_set_error_errno(err, errno, "chmod %s", path);
        return false;
    }
    return ok;
}
