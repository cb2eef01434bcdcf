/* Watching a running guest's kernel text from the hypervisor: attach to a
 * domain whose RAM is file-backed (its read-only view, its vCPU state, its
 * text found in its own page tables), check the bounds against referees,
 * settle a baseline, then scan at a period. Several guests are watched at
 * once, each through its own view. */
#ifndef DUMPLAB_WATCH_H
#define DUMPLAB_WATCH_H

#include "dumplab/guest.h"
#include "dumplab/guestview.h"
#include "dumplab/ksyms.h"
#include "dumplab/ktext.h"
#include "dumplab/report.h"
#include "dumplab/scenario.h"
#include "dumplab/textwatch.h"

#include <glib.h>
#include <libvirt/libvirt.h>

typedef struct {
    char *name;
    virDomainPtr dom; /* borrowed */
    DlGuestView *view;
    DlVcpuState cpu;
    DlKernelText kt;
    DlTextWatch *tw;
    GPtrArray *changes;      /* DlTextChange *, as found */
    unsigned settle_changes; /* changes absorbed while boot settled */
} DlWatchTarget;

/* Opens the domain's RAM file read-only, reads CPU 0's registers through
 * QEMU's monitor and finds the kernel text. ks names _text's link address
 * (may be NULL: the default __START_KERNEL). */
DlWatchTarget *dl_watch_attach(virDomainPtr dom, const DlKsyms *ks, GError **err);
void dl_watch_target_free(DlWatchTarget *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlWatchTarget, dl_watch_target_free)

/* "text 0x...-0x... (phys 0x...-0x...), KASLR +0x..." */
char *dl_watch_describe_text(const DlWatchTarget *t);

/* The referees: the guest's /proc/iomem "Kernel code" [kc_start, kc_end]
 * (inclusive, as iomem prints it; both 0 to skip) and the vmlinux's _text,
 * _etext and IDT handlers shifted by the KASLR offset found. Every
 * disagreement is named in the error. */
bool dl_watch_referee(const DlWatchTarget *t, const DlKsyms *ks, uint64_t kc_start, uint64_t kc_end,
                      GError **err);

/* Baseline, then scans every period_ms until quiet_ms pass with no change
 * (at most limit_ms): boot and module loading patch text on their own. */
void dl_watch_settle(DlWatchTarget *t, unsigned period_ms, unsigned quiet_ms, unsigned limit_ms);

/* The debug vmlinux of a kernel release in the cache, or an error naming
 * vm-images/fetch-dbg.sh. */
char *dl_watch_vmlinux_path(const char *release, GError **err);

/* The per-run RAM file of a watched domain, on tmpfs: /dev/shm/NAME/ram
 * (the folder made 0700). dl_watch_ram_remove deletes file and folder. */
char *dl_watch_ram_path(const char *domain_name, GError **err);
void dl_watch_ram_remove(const char *path);

/* The watch phase of a monitor = text run (watchrun.c). */
typedef struct {
    const DlScenario *scn;
    DlGuest *guest;             /* its agent delivers the fault */
    const char *kernel_version; /* names the debug vmlinux */
    const char *workdir;        /* watch.txt goes there */
    DlReport *rep;              /* the checks */
} DlWatchRunIn;

/* Attaches, checks the text bounds against the referees, settles the
 * baseline, delivers the scenario's text fault (if any) and watches for
 * monitor_for; then judges expect text_change. *detail summarises. */
bool dl_watch_run(const DlWatchRunIn *in, char **detail, GError **err);

#endif
