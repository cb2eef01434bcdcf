/* The xfs target read back without mounting: xfs_db (xfsprogs) opens the
 * image read-only, walks the path, lists a directory and maps a file's
 * extents; the file's bytes are then copied from the image at each
 * extent's byte offset. A guest-written filesystem image never reaches the
 * host kernel. Every number xfs_db reports is checked against the image's
 * size before it is used: a guest can write any metadata. */
#include "dumplab/error.h"
#include "kdump_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* xfs_db splits each command at blanks (its own parser; no shell is
 * involved, argv is a vector): a path with blanks cannot be named. */
static bool plain(const char *path, GError **err)
{
    for (const char *c = path; *c; c++)
        if (g_ascii_isspace(*c) || !g_ascii_isprint(*c)) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: xfs_db cannot be given a path with blanks or control characters",
                        path);
            return false;
        }
    return true;
}

/* xfs_db's output for the commands given. */
static char *xfs_db(const char *img, const char *what, const char *const *cmds, unsigned n,
                    GError **err)
{
    g_autoptr(GPtrArray) a = g_ptr_array_new();
    g_ptr_array_add(a, "xfs_db");
    g_ptr_array_add(a, "-r");
    for (unsigned i = 0; i < n; i++) {
        g_ptr_array_add(a, "-c");
        g_ptr_array_add(a, (char *)cmds[i]);
    }
    g_ptr_array_add(a, (char *)img);
    g_ptr_array_add(a, NULL);
    char *out = NULL;
    if (!dl_kdump_tool((const char *const *)a->pdata, NULL, NULL, &out, err)) {
        g_prefix_error(err, "%s on the xfs target: ", what);
        return NULL;
    }
    return out;
}

/* xfs_db prints "no such ..." or a bare error instead of failing. */
static bool path_ok(const char *out, const char *path, GError **err)
{
    if (strstr(out, "No such file") || strstr(out, "not found") || strstr(out, "no such")) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "%s: not on the xfs target", path);
        return false;
    }
    return true;
}

GPtrArray *dl_kdump_xfs_ls(const char *img, const char *dir, GError **err)
{
    if (!plain(dir, err))
        return NULL;
    g_autofree char *p = g_strdup_printf("path %s", dir);
    const char *cmds[] = {p, "ls"};
    g_autofree char *out = xfs_db(img, dir, cmds, 2, err);
    if (!out || !path_ok(out, dir, err))
        return NULL;
    /* "12  786560  directory  0x35efaead  29 NAME (good)" */
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit_set(g_strstrip(lines[i]), " \t", -1);
        g_autoptr(GPtrArray) w = g_ptr_array_new();
        for (int j = 0; f[j]; j++)
            if (*f[j])
                g_ptr_array_add(w, f[j]);
        if (w->len == 7 && !strcmp(w->pdata[6], "(good)") && strcmp(w->pdata[5], ".") &&
            strcmp(w->pdata[5], ".."))
            g_ptr_array_add(names, g_strdup(w->pdata[5]));
    }
    return names;
}

typedef struct {
    guint64 off, block, count; /* in filesystem blocks */
    bool unwritten;
} Extent;

bool dl_kdump_xfs_dump(const char *img, const char *src, const char *dst, GError **err)
{
    if (!plain(src, err))
        return false;
    struct stat ist;
    if (stat(img, &ist) < 0) {
        dl_set_error_errno(err, errno, "%s", img);
        return false;
    }
    g_autofree char *p = g_strdup_printf("path %s", src);
    const char *cmds[] = {p, "bmap", "print core.size", "sb 0", "print blocksize"};
    g_autofree char *out = xfs_db(img, src, cmds, G_N_ELEMENTS(cmds), err);
    if (!out || !path_ok(out, src, err))
        return false;
    guint64 size = G_MAXUINT64, bs = 0;
    g_autoptr(GArray) ext = g_array_new(FALSE, FALSE, sizeof(Extent));
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        guint64 o, b, c, flag;
        unsigned ag, agb;
        if (sscanf(lines[i],
                   "data offset %" SCNu64 " startblock %" SCNu64 " (%u/%u) count %" SCNu64
                   " flag %" SCNu64,
                   &o, &b, &ag, &agb, &c, &flag) == 6) {
            Extent e = {o, b, c, flag != 0};
            g_array_append_val(ext, e);
        } else if (sscanf(lines[i], "core.size = %" SCNu64, &o) == 1) {
            size = o;
        } else if (sscanf(lines[i], "blocksize = %" SCNu64, &o) == 1) {
            bs = o;
        }
    }
    if (size == G_MAXUINT64 || bs < 512 || bs > 65536 || (bs & (bs - 1)) ||
        size > (guint64)ist.st_size) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "%s on the xfs target: xfs_db gave no usable size (%" G_GUINT64_FORMAT
                    ") or block size (%" G_GUINT64_FORMAT ")",
                    src, size, bs);
        return false;
    }
    if (size == 0) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "%s is empty on the xfs target", src);
        return false;
    }
    /* One xfs_db run converts every extent's start block to a byte offset
     * (the AG geometry lives in the superblock; xfs_db knows it). */
    g_autoptr(GPtrArray) conv = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < ext->len; i++)
        g_ptr_array_add(conv, g_strdup_printf("convert fsblock %" G_GUINT64_FORMAT " byte",
                                              g_array_index(ext, Extent, i).block));
    g_autofree char *cout = ext->len
                                ? xfs_db(img, src, (const char *const *)conv->pdata, conv->len, err)
                                : g_strdup("");
    if (!cout)
        return false;
    g_auto(GStrv) bytes = g_strsplit(cout, "\n", -1);
    if (g_strv_length(bytes) < ext->len) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "%s on the xfs target: xfs_db converted %u of %u extents", src,
                    g_strv_length(bytes), ext->len);
        return false;
    }
    int in = open(img, O_RDONLY | O_CLOEXEC);
    int fd = in < 0 ? -1 : open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (in < 0 || fd < 0) {
        dl_set_error_errno(err, errno, "%s", in < 0 ? img : dst);
        if (in >= 0)
            close(in);
        return false;
    }
    fchmod(fd, 0600);
    g_autofree guint8 *buf = g_malloc(1 << 20);
    bool ok = true;
    for (guint i = 0; ok && i < ext->len; i++) {
        const Extent *e = &g_array_index(ext, Extent, i);
        if (!g_str_has_prefix(bytes[i], "0x")) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "%s on the xfs target: xfs_db cannot place extent %u: %s", src, i,
                        bytes[i]);
            ok = false;
            break;
        }
        guint64 at = g_ascii_strtoull(bytes[i], NULL, 16);
        /* Bounded by the image and by the file's size, never by the claim. */
        if (e->count > G_MAXUINT64 / bs || e->off > G_MAXUINT64 / bs ||
            at + e->count * bs > (guint64)ist.st_size || at + e->count * bs < at ||
            e->off * bs >= size) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "%s on the xfs target: extent %u (block %" G_GUINT64_FORMAT
                        ", %" G_GUINT64_FORMAT " blocks) lies outside the image or the file",
                        src, i, e->block, e->count);
            ok = false;
            break;
        }
        if (e->unwritten)
            continue; /* reads as zeros: the file's hole */
        guint64 want = MIN(e->count * bs, size - e->off * bs);
        for (guint64 done = 0; done < want;) {
            size_t n = (size_t)MIN(want - done, (guint64)(1 << 20));
            ssize_t r = pread(in, buf, n, (off_t)(at + done));
            if (r <= 0 || pwrite(fd, buf, (size_t)r, (off_t)(e->off * bs + done)) != r) {
                dl_set_error_errno(err, r < 0 ? errno : EIO, "copying %s out of the xfs image",
                                   src);
                ok = false;
                break;
            }
            done += (guint64)r;
        }
    }
    if (ok && ftruncate(fd, (off_t)size) < 0) {
        dl_set_error_errno(err, errno, "%s", dst);
        ok = false;
    }
    close(in);
    if (close(fd) < 0 && ok) {
        dl_set_error_errno(err, errno, "%s", dst);
        ok = false;
    }
    if (!ok)
        unlink(dst);
    return ok;
}
