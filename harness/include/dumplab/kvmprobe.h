/* Chooses KVM or TCG by booting a real guest under KVM: /dev/kvm can exist
 * and still hang ordinary guests (it does on these machines). */
#ifndef DUMPLAB_KVMPROBE_H
#define DUMPLAB_KVMPROBE_H

#include "dumplab/images.h"
#include "dumplab/virt.h"

/* Returns the accelerator to use and, in *why, the reason in words. The
 * answer is cached per host boot under cache_dir, since booting the probe
 * guest costs seconds. $DUMPLAB_ACCEL=kvm|tcg overrides the probe. */
DlAccel dl_kvm_probe(virConnectPtr conn, const DlImage *img, const char *cache_dir, char **why);

#endif
