/* Disk targets: the image dumplab makes for raw, ext4 and xfs kdump.conf
 * lines (mkfs on a host file, with the label or UUID kdump.conf names),
 * and the dump read back without mounting: makedumpfile -R for raw,
 * debugfs for ext4, xfs_db for xfs (kdump_xfs.c). */
#include "dumplab/error.h"
#include "kdump_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The guest device kdump.conf names, as dumplab can attach it: /dev/vdb..
 * /dev/vdz, or a label or UUID on the disk attached as vdb. vda is the
 * lab's own disk. */
static bool device_name(const char *spec, char **dev, GError **err)
{
    if (g_str_has_prefix(spec, "LABEL=") || g_str_has_prefix(spec, "UUID=")) {
        *dev = g_strdup("vdb");
        return true;
    }
    const char *n = spec + strlen("/dev/");
    if (g_str_has_prefix(n, "vd") && strlen(n) == 3 && n[2] >= 'b' && n[2] <= 'z') {
        *dev = g_strdup(n);
        return true;
    }
    g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                "kdump.conf: device %s: dumplab attaches the target as a virtio disk "
                "/dev/vdb../dev/vdz (or name it by LABEL= or UUID=); /dev/vda is its own disk",
                spec);
    return false;
}

bool dl_kdump_disk_make(DlKdumpRun *k, GError **err)
{
    const DlKdumpConf *c = k->conf;
    if (!device_name(c->device, &k->disk_dev, err))
        return false;
    k->disk = g_build_filename(k->workdir, "kdump-target.img", NULL);
    /* Room for the whole of RAM (cp, -E) plus the file system; a "full"
     * target is one that cannot hold even a filtered dump. */
    guint64 size = g_strcmp0(k->fault, "full") == 0 ? (c->target == DL_KT_XFS ? 300 : 16)
                                                    : k->scn->memory_mib + 256;
    int fd = open(k->disk, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)size << 20) < 0) {
        dl_set_error_errno(err, errno, "making %s", k->disk);
        if (fd >= 0)
            close(fd);
        return false;
    }
    close(fd);
    if (c->target != DL_KT_RAW) {
        const char *label = g_str_has_prefix(c->device, "LABEL=") ? c->device + 6 : NULL;
        const char *uuid = g_str_has_prefix(c->device, "UUID=") ? c->device + 5 : NULL;
        GPtrArray *a = g_ptr_array_new();
        g_ptr_array_add(a, c->target == DL_KT_XFS ? "mkfs.xfs" : "mkfs.ext4");
        g_ptr_array_add(a, c->target == DL_KT_XFS ? "-f" : "-F");
        g_ptr_array_add(a, "-q");
        if (label) {
            g_ptr_array_add(a, "-L");
            g_ptr_array_add(a, (char *)label);
        }
        g_autofree char *m =
            uuid && c->target == DL_KT_XFS ? g_strdup_printf("uuid=%s", uuid) : NULL;
        if (uuid) {
            g_ptr_array_add(a, c->target == DL_KT_XFS ? "-m" : "-U");
            g_ptr_array_add(a, m ? m : (char *)uuid);
        }
        g_ptr_array_add(a, k->disk);
        g_ptr_array_add(a, NULL);
        bool ok = dl_kdump_tool((const char *const *)a->pdata, NULL, NULL, NULL, err);
        g_ptr_array_free(a, TRUE);
        if (!ok) {
            g_prefix_error(err, "making the %s target: ", dl_kdump_target_name(c->target));
            return false;
        }
    }
    g_autofree char *src = g_markup_escape_text(k->disk, -1);
    g_string_append_printf(k->xml,
                           "    <disk type='file' device='disk'>\n"
                           "      <driver name='qemu' type='raw' cache='writeback'/>\n"
                           "      <source file='%s'/>\n"
                           "      <target dev='%s' bus='virtio'/>\n"
                           "    </disk>\n",
                           src, k->disk_dev);
    g_string_append_printf(
        k->plan, "device=%s\nfstype=%s\naddr=127.0.0.1\n",
        c->target == DL_KT_RAW || !g_str_has_prefix(c->device, "/dev/") ? c->device : c->device,
        dl_kdump_target_name(c->target));
    return true;
}

/* "ls -p" of debugfs: /ino/mode/uid/gid/name/size/ lines. */
static GPtrArray *debugfs_ls(const char *img, const char *dir, GError **err)
{
    g_autofree char *req = g_strdup_printf("ls -p %s", dir);
    const char *argv[] = {"debugfs", "-R", req, img, NULL};
    g_autofree char *out = NULL;
    if (!dl_kdump_tool(argv, NULL, NULL, &out, err))
        return NULL;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], "/", -1);
        if (g_strv_length(f) >= 7 && strcmp(f[5], ".") && strcmp(f[5], ".."))
            g_ptr_array_add(names, g_strdup(f[5]));
    }
    return names;
}

static bool debugfs_dump(const char *img, const char *src, const char *dst, GError **err)
{
    g_autofree char *req = g_strdup_printf("dump %s %s", src, dst);
    const char *argv[] = {"debugfs", "-R", req, img, NULL};
    if (!dl_kdump_tool(argv, NULL, NULL, NULL, err))
        return false;
    struct stat st;
    if (stat(dst, &st) < 0 || st.st_size == 0) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "%s is missing or empty on the target", src);
        return false;
    }
    chmod(dst, 0600);
    return true;
}

bool dl_kdump_disk_fetch(DlKdumpRun *k, const char *folder, const char *vmcore, const char *dmesg,
                         DlKdumpResult *res, GError **err)
{
    const DlKdumpConf *c = k->conf;
    if (c->target == DL_KT_RAW) {
        if (!dl_kdump_unflatten(k->disk, vmcore, err))
            return false;
        res->source = g_strdup_printf("raw %s (flattened stream, makedumpfile -R)", c->device);
        if (dl_kdump_host_dmesg(vmcore, dmesg, NULL))
            res->dmesg = g_strdup(dmesg);
        return true;
    }
    /* ext4 through debugfs, xfs through xfs_db: the same walk. Find the
     * dated folder under path, as a user would look. */
    bool xfs = c->target == DL_KT_XFS;
    const char *fs = xfs ? "xfs" : "ext4";
    GPtrArray *(*ls)(const char *, const char *, GError **) = xfs ? dl_kdump_xfs_ls : debugfs_ls;
    bool (*dump)(const char *, const char *, const char *, GError **) =
        xfs ? dl_kdump_xfs_dump : debugfs_dump;
    g_autoptr(GPtrArray) names = ls(k->disk, c->path, err);
    if (!names) {
        if (!xfs) /* kdump_xfs.c names the path itself */
            g_prefix_error(err, "reading %s on the ext4 target: ", c->path);
        return false;
    }
    const char *leaf = NULL;
    for (guint i = 0; i < names->len; i++)
        if (dl_kdump_folder_name_ok(names->pdata[i]))
            leaf = names->pdata[i];
    g_autofree char *want = g_path_get_basename(folder);
    if (!leaf || strcmp(leaf, want)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "no folder %s under %s on the %s target (found %u entries%s%s)", want, c->path,
                    fs, names->len, leaf ? ", e.g. " : "", leaf ? leaf : "");
        return false;
    }
    g_autofree char *dir = g_build_filename(c->path, leaf, NULL);
    g_autoptr(GPtrArray) files = ls(k->disk, dir, err);
    if (!files)
        return false;
    for (guint i = 0; i < files->len; i++)
        if (!strcmp(files->pdata[i], "vmcore-incomplete")) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "%s holds vmcore-incomplete: the capture did not finish", dir);
            return false;
        }
    g_autofree char *src = g_build_filename(dir, "vmcore", NULL);
    if (!dump(k->disk, src, vmcore, err))
        return false;
    g_autofree char *dsrc = g_build_filename(dir, "vmcore-dmesg.txt", NULL);
    if (dump(k->disk, dsrc, dmesg, NULL))
        res->dmesg = g_strdup(dmesg);
    res->source = g_strdup_printf("%s %s:%s", fs, c->device, src);
    return true;
}
