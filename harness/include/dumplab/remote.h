/* Runs on other hosts through libvirt alone (`dumplab run --connect`): no
 * daemon of dumplab's own. The guest's kernel and initramfs go to the host
 * as storage volumes (virStorageVolUpload) in a pool dumplab defines there;
 * the dump disk and the hypervisor's dump are volumes there too and come
 * back by virStorageVolDownload; the console and the agent channel are the
 * domain's serial ports, read through virDomainOpenConsole streams. */
#ifndef DUMPLAB_REMOTE_H
#define DUMPLAB_REMOTE_H

#include "dumplab/error.h"
#include "dumplab/sched.h"

#include <libvirt/libvirt.h>

/* Connects to uri and fills h: the host's CPUs (virNodeGetInfo), memory
 * for guests (virNodeGetMemoryStats: free + buffers + cached, less the
 * reserve), slots = jobs, remote = true. */
bool dl_remote_probe_host(const char *uri, unsigned jobs, DlSchedHost *h, GError **err);

/* The rest serves one run in a worker process (`dumplab run --worker` with
 * DUMPLAB_REMOTE=1 and DUMPLAB_LIBVIRT_URI naming the host): the state is
 * the process's, one run at a time (remote_run.c). */
#include "dumplab/virt.h"

/* Registers and runs libvirt's event loop (a thread), which carries the
 * serial ports' streams; before the connection is opened. */
bool dl_remote_init(GError **err);
/* True in a worker whose host is reached through --connect. */
bool dl_remote_enabled(void);

/* In place of dl_virt_start: uploads spec's kernel and initrd as volumes,
 * makes the dump disk a volume of the same size, starts the domain paused
 * with its serial ports as ptys, carries serial 0 into spec->console_log
 * and serial 1 to a UNIX socket listening at spec->agent_sock (so the
 * console and agent code read them as for a local guest), then resumes it. */
virDomainPtr dl_remote_start(virConnectPtr conn, const DlGuestSpec *spec, GError **err);
/* The guest is gone: stops the console and agent bridges. */
void dl_remote_guest_end(void);
/* In place of dl_virt_core_dump: QEMU writes the dump into a volume on the
 * host, which is then downloaded into path (0600) and deleted there. */
bool dl_remote_core_dump(virDomainPtr dom, const char *path, int timeout_s, GError **err);
/* Downloads the dump disk's header, vmcore and dmesg ranges into the local
 * file local_disk (same offsets; the rest stays a hole). */
bool dl_remote_fetch_dump_disk(const char *local_disk, GError **err);
/* The host's accelerator, asked there: KVM when its domain capabilities
 * offer the kvm domain type, else TCG. */
DlAccel dl_remote_probe_accel(virConnectPtr conn, char **why);
/* Deletes the run's volumes on the host. */
void dl_remote_finish(void);
/* Seconds spent uploading and downloading for this run, and bytes moved. */
void dl_remote_transfer_stats(double *up_s, guint64 *up_bytes, double *down_s, guint64 *down_bytes);

#endif /* DUMPLAB_REMOTE_H */
