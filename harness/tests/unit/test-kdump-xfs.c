/* The xfs target read back through xfs_db (lib/kdump/kdump_xfs.c), on an
 * image mkfs.xfs fills from a prototype file (no mount anywhere): the dated
 * folder is listed, a multi-megabyte vmcore and a small dmesg come out byte
 * for byte and 0600, a missing file and a path xfs_db cannot take are
 * errors that name them. Skipped without xfsprogs. */
#include "../../lib/kdump/kdump_internal.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static bool run(const char *const *argv)
{
    gint status = 0;
    return g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL) &&
           g_spawn_check_wait_status(status, NULL);
}

static bool same_file(const char *a, const char *b)
{
    g_autofree char *x = NULL, *y = NULL;
    gsize lx = 0, ly = 0;
    return g_file_get_contents(a, &x, &lx, NULL) && g_file_get_contents(b, &y, &ly, NULL) &&
           lx == ly && !memcmp(x, y, lx);
}

int main(void)
{
    g_autofree char *mkfs = g_find_program_in_path("mkfs.xfs");
    g_autofree char *db = g_find_program_in_path("xfs_db");
    if (!mkfs || !db) {
        printf("1..0 # SKIP xfsprogs is not installed (mkfs.xfs, xfs_db)\n");
        return 0;
    }
    g_autofree char *dir = g_dir_make_tmp("kdumpxfs-XXXXXX", NULL);
    g_autofree char *vmc = g_build_filename(dir, "vmc", NULL);
    g_autofree char *dm = g_build_filename(dir, "dm", NULL);
    g_autofree char *proto = g_build_filename(dir, "proto", NULL);
    g_autofree char *img = g_build_filename(dir, "img", NULL);
    /* 5 MiB of a pattern no two blocks share, and a short text. */
    gsize n = 5u << 20;
    g_autofree guint32 *data = g_malloc(n);
    for (gsize i = 0; i < n / 4; i++)
        data[i] = (guint32)(i * 2654435761u);
    g_file_set_contents(vmc, (const char *)data, (gssize)n, NULL);
    g_file_set_contents(dm, "[    6.1] sysrq: Trigger a crash\n", -1, NULL);
    g_autofree char *p = g_strdup_printf("/dummy\n0 0\nd--755 0 0\n"
                                         "var d--755 0 0\ncrash d--755 0 0\n"
                                         "127.0.0.1-2026-11-29-14:08:31 d--755 0 0\n"
                                         "vmcore ---600 0 0 %s\n"
                                         "vmcore-dmesg.txt ---600 0 0 %s\n$\n$\n$\n$\n",
                                         vmc, dm);
    g_file_set_contents(proto, p, -1, NULL);
    const char *trunc[] = {"truncate", "-s", "400M", img, NULL};
    const char *mk[] = {"mkfs.xfs", "-q", "-L", "kdumpxfs", "-p", proto, img, NULL};
    if (!tap_ok(run(trunc) && run(mk), "mkfs.xfs fills an image from a prototype"))
        return tap_done();

    GError *err = NULL;
    g_autoptr(GPtrArray) top = dl_kdump_xfs_ls(img, "/var/crash", &err);
    tap_ok(top && top->len == 1 && !strcmp(top->pdata[0], "127.0.0.1-2026-11-29-14:08:31"),
           "the dated folder under /var/crash, without . and ..");
    g_clear_error(&err);
    g_autoptr(GPtrArray) files =
        dl_kdump_xfs_ls(img, "/var/crash/127.0.0.1-2026-11-29-14:08:31", &err);
    tap_ok(files && files->len == 2, "the folder holds vmcore and vmcore-dmesg.txt");
    g_clear_error(&err);

    g_autofree char *out = g_build_filename(dir, "out", NULL);
    bool ok = dl_kdump_xfs_dump(img, "/var/crash/127.0.0.1-2026-11-29-14:08:31/vmcore", out, &err);
    struct stat st;
    tap_ok(ok && same_file(out, vmc) && stat(out, &st) == 0 && (st.st_mode & 0777) == 0600,
           "the 5 MiB vmcore comes out byte for byte, mode 0600 %s", err ? err->message : "");
    g_clear_error(&err);
    ok = dl_kdump_xfs_dump(img, "/var/crash/127.0.0.1-2026-11-29-14:08:31/vmcore-dmesg.txt", out,
                           &err);
    tap_ok(ok && same_file(out, dm), "the small dmesg too (inline or one extent)");
    g_clear_error(&err);

    g_autofree char *none = g_build_filename(dir, "none", NULL);
    ok = dl_kdump_xfs_dump(img, "/var/crash/none/vmcore", none, &err);
    tap_ok(!ok && err && strstr(err->message, "/var/crash/none/vmcore") &&
               !g_file_test(none, G_FILE_TEST_EXISTS),
           "a missing file is an error naming it, and leaves no partial copy (%s)",
           err ? err->message : "");
    g_clear_error(&err);
    tap_ok(!dl_kdump_xfs_ls(img, "/var/crash -c write", &err) && err &&
               strstr(err->message, "blanks"),
           "a path with blanks is refused before xfs_db sees it");
    g_clear_error(&err);

    g_unlink(out);
    g_unlink(img);
    g_unlink(proto);
    g_unlink(vmc);
    g_unlink(dm);
    g_rmdir(dir);
    return tap_done();
}
