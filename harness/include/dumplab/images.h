/* Guest images (kernel + initramfs) built by vm-images/build-image.sh. */
#ifndef DUMPLAB_IMAGES_H
#define DUMPLAB_IMAGES_H

#include "dumplab/subproc.h"

#include <glib.h>

typedef struct {
    char *dir;
    char *kernel;         /* dir/vmlinuz */
    char *boot_kernel;    /* dir/vmlinux (boots through its PVH entry), else vmlinuz */
    char *initrd;         /* dir/initrd.img */
    char *kernel_version; /* uname -r of the guest kernel */
    char *kernel_package;
} DlImage;

/* The folder holding vm-images/, guest-kernel/, scenarios/: $DUMPLAB_ROOT,
 * else two levels above the running executable (build/dumplab), else ".". */
const char *dl_repo_root(void);

/* Builds the image for kernel_package (NULL or "" = Debian's default), or
 * reuses the cached one, within timeout_s (progress every 15 s). The
 * builder's output goes to log_path. */
DlImage *dl_image_get(const char *kernel_package, const char *log_path, int timeout_s,
                      DlProgressFn progress, void *progress_data, GError **err);
void dl_image_free(DlImage *img);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlImage, dl_image_free)

#endif
