// SPDX-License-Identifier: GPL-2.0
/* dumplab_crash: crash injection for dumplab's kdump tests. Everything is
 * driven through /proc/dumplab_crash; see guest-kernel/README.md. */
#include <linux/module.h>
#include <linux/mutex.h>

#include "dl_internal.h"

DEFINE_MUTEX(dl_lock);

static int __init dl_init(void)
{
    int err = dl_proc_init();

    if (err)
        return err;
    pr_info("dumplab_crash: loaded, /proc/dumplab_crash ready\n");
    return 0;
}

static void __exit dl_exit(void)
{
    dl_proc_exit();
    mutex_lock(&dl_lock);
    dl_markers_free();
    mutex_unlock(&dl_lock);
}

module_init(dl_init);
module_exit(dl_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("dumplab");
MODULE_DESCRIPTION("Crash injection and marker pages for kdump testing");
