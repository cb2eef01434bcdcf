/* libvirt orchestration: connection, transient guest domains, leftovers. */
#ifndef DUMPLAB_VIRT_H
#define DUMPLAB_VIRT_H

#include "dumplab/subproc.h"

#include <glib.h>
#include <libvirt/libvirt.h>
#include <stdbool.h>

#define DL_DOMAIN_PREFIX "dumplab-"

typedef enum { DL_ACCEL_TCG, DL_ACCEL_KVM } DlAccel;

/* What a guest domain is made of. Paths are absolute. */
typedef struct {
    const char *name; /* unique domain name, DL_DOMAIN_PREFIX... */
    DlAccel accel;
    unsigned vcpus;
    unsigned memory_mib;
    const char *kernel;
    const char *initrd;
    const char *cmdline;
    const char *console_log; /* serial 0 (ttyS0) goes to this file */
    const char *agent_sock;  /* serial 1 (ttyS1): QEMU listens on this UNIX socket */
    const char *dump_disk;   /* raw file attached as virtio disk vda, or NULL */
    bool pvpanic;
    /* Watched guests: RAM in this file (a memory-backend-file, shared), which
     * the monitor maps read-only (watch.h). NULL: anonymous RAM. */
    const char *ram_file;
    const char *extra_devices; /* more <devices> XML (kdump targets), or NULL */
} DlGuestSpec;

#define DL_VIRT_LOCAL_URI "qemu:///system"

/* The libvirt URI in use: $DUMPLAB_LIBVIRT_URI, else qemu:///system. */
const char *dl_virt_uri(void);

/* Opens dl_virt_uri(). Starts no daemon; the error names the URI. */
virConnectPtr dl_virt_connect(GError **err);

/* The domain XML for a spec; the caller frees it. */
char *dl_virt_domain_xml(const DlGuestSpec *spec);
/* A domain's <name> and the <metadata> naming this run as its owner (owner.h),
 * for every domain XML dumplab writes. */
void dl_virt_append_name(GString *x, const char *name);

/* Creates and starts a transient domain from the spec. */
virDomainPtr dl_virt_start(virConnectPtr conn, const DlGuestSpec *spec, GError **err);

/* Destroys a domain if it still runs and frees the handle. Safe on NULL. */
void dl_virt_destroy(virDomainPtr dom);

/* True while the domain is running or paused (not shut off or crashed). */
bool dl_virt_is_active(virDomainPtr dom);
/* True when the guest panicked with no crash kernel to take over: pvpanic
 * told QEMU, and libvirt's on_crash=preserve keeps the domain for a dump. */
bool dl_virt_is_crashed(virDomainPtr dom);

/* A unique domain name for a run: prefix, our pid (so leftovers can be
 * told from live runs), a counter and the scenario's name. */
char *dl_virt_domain_name(const char *scenario);

/* Destroys domains with our prefix whose owner (owner.h) is provably gone;
 * adds "NAME (why)" to removed_names (may be NULL) for each.
 * Returns how many were removed, or -1 with err set. */
int dl_virt_remove_leftovers(virConnectPtr conn, GPtrArray *removed_names, GError **err);

/* Sends an NMI to every vCPU (virDomainInjectNMI). */
bool dl_virt_inject_nmi(virDomainPtr dom, GError **err);

/* Runs a human-monitor command (e.g. "mce ...") through libvirt-qemu. */
bool dl_virt_hmp(virDomainPtr dom, const char *cmd, char **reply, GError **err);

/* Pauses and resumes the guest. */
bool dl_virt_pause(virDomainPtr dom, GError **err);
bool dl_virt_resume(virDomainPtr dom, GError **err);

/* Takes a memory-only ELF dump (virDomainCoreDumpWithFormat) into path
 * (mode 0600) within timeout_s, reporting progress every 10 s; past the
 * deadline the libvirt job is aborted and the error says so. */
bool dl_virt_core_dump(virDomainPtr dom, const char *path, int timeout_s, DlProgressFn progress,
                       void *progress_data, GError **err);

const char *dl_accel_name(DlAccel accel);

/* File-backed RAM (virt_ramfile.c): the <qemu:commandline> lines that put
 * the guest's RAM in a shared memory-backend-file at path. */
void dl_virt_append_ram_file(GString *x, const char *path, unsigned memory_mib);
/* The file behind a running domain's RAM (QMP qom-get mem-path); an error
 * says when its RAM is not file-backed. */
char *dl_virt_ram_file(virDomainPtr dom, GError **err);
/* Removes a watched domain's RAM file and folder (/dev/shm/NAME/ram), if
 * any: for runs that ended without their cleanup. */
void dl_virt_remove_ram_file(const char *domain_name);

#endif
