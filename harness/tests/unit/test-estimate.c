/* kdumpctl estimate's arithmetic on a synthetic image: the bzImage's
 * init_size, the crash initramfs and module sizes read from the newc
 * archive, the arch default from auto's table. */
#include "dumplab/estimate.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define M ((guint64)1 << 20)

static void entry(GString *a, const char *name, gsize size)
{
    g_string_append_printf(a, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", 1u,
                           0100644u, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, strlen(name) + 1, 0u);
    g_string_append_len(a, name, strlen(name) + 1);
    while (a->len % 4)
        g_string_append_c(a, 0);
    for (gsize i = 0; i < size; i++)
        g_string_append_c(a, 'x');
    while (a->len % 4)
        g_string_append_c(a, 0);
}

int main(void)
{
    tap_ok(dl_kdumpctl_formula(30 * M, 1 * M, 10 * M, 0) == 97 * M,
           "kernel 30M + modules 1M + 3 x initrd 10M + 16M + 20M = 97M");
    tap_ok(dl_kdumpctl_formula(30 * M, 1 * M, 10 * M, 256 * M) == 256 * M,
           "the arch default wins when larger");

    g_autofree char *dir = g_dir_make_tmp("estimate-XXXXXX", NULL);
    g_autofree char *kernel = g_build_filename(dir, "vmlinuz", NULL);
    g_autofree char *initrd = g_build_filename(dir, "initrd.img", NULL);
    unsigned char bz[0x300] = {0};
    memcpy(bz + 0x202, "HdrS", 4);
    guint32 init_size = 0x2c00000; /* 44 MiB */
    memcpy(bz + 0x260, &init_size, 4);
    g_file_set_contents(kernel, (char *)bz, sizeof(bz), NULL);
    g_autoptr(GString) a = g_string_new(NULL);
    entry(a, "init", 100);
    entry(a, "lib/dumplab/modules/virtio_blk.ko", 3000);
    entry(a, "lib/dumplab/kdump-modules/ext4.ko", 5000);
    entry(a, "boot/crash.img", 7000);
    entry(a, "boot/kdump-extras.cpio", 2000);
    entry(a, "TRAILER!!!", 0);
    g_file_set_contents(initrd, a->str, a->len, NULL);

    DlKdumpctlEstimate e;
    GError *err = NULL;
    bool ok = dl_kdumpctl_estimate(kernel, initrd, 1024 * M, false, &e, &err);
    tap_ok(ok && e.kernel == 44 * M && e.modules == 3000 && e.initrd == 7000 &&
               e.arch_default == 0,
           "default image: kernel 44M, modules 3000, initrd 7000, no arch default below 2G%s%s",
           err ? ": " : "", err ? err->message : "");
    g_clear_error(&err);
    ok = dl_kdumpctl_estimate(kernel, initrd, 4096 * M, true, &e, &err);
    tap_ok(ok && e.modules == 8000 && e.initrd == 9000 && e.arch_default == 256 * M &&
               e.formula == 256 * M,
           "with kdump extras and 4G of RAM: extras counted, auto's 256M wins");
    g_clear_error(&err);

    /* A truncated archive and a non-bzImage are errors, not guesses. */
    g_file_set_contents(initrd, a->str, 200, NULL);
    ok = dl_kdumpctl_estimate(kernel, initrd, 1024 * M, false, &e, &err);
    tap_ok(!ok && err, "a truncated initramfs: %s", err ? err->message : "accepted");
    g_clear_error(&err);
    g_file_set_contents(kernel, "not a kernel", -1, NULL);
    ok = dl_kdumpctl_estimate(kernel, initrd, 1024 * M, false, &e, &err);
    tap_ok(!ok && err, "a file that is not a bzImage: %s", err ? err->message : "accepted");
    g_clear_error(&err);
    unlink(kernel);
    unlink(initrd);
    rmdir(dir);
    return tap_done();
}
