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

#endif
