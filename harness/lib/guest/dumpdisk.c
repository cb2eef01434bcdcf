/* Reads the dump disk written by the crash-kernel agent. */
#define _GNU_SOURCE
#include "dumplab/dumpdisk.h"
#include "dumplab/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER_SIZE 4096
#define HEADER_MAGIC "DUMPLAB-DUMP 1\n"  /* layout 1: header at 0, vmcore at 1 MiB */
#define HEADER_MAGIC2 "DUMPLAB-DUMP 2\n" /* layout 2: vmcore at 0, header at the end */

bool dl_dumpdisk_create(const char *path, guint64 size, GError **err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "creating dump disk %s", path);
        return false;
    }
    if (ftruncate(fd, (off_t)size) < 0) {
        dl_set_error_errno(err, errno, "sizing dump disk %s", path);
        close(fd);
        return false;
    }
    close(fd);
    return true;
}

static bool header_u64(const char *text, const char *key, guint64 *out)
{
    g_autofree char *needle = g_strconcat("\n", key, "=", NULL);
    const char *p = strstr(text, needle);
    if (!p)
        return false;
    char *end = NULL;
    errno = 0;
    *out = g_ascii_strtoull(p + strlen(needle), &end, 0);
    return errno == 0 && end && *end == '\n';
}

bool dl_dumpdisk_read_header(const char *disk, DlDumpHeader *h, GError **err)
{
    int fd = open(disk, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "opening dump disk %s", disk);
        return false;
    }
    char text[HEADER_SIZE + 1];
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size < HEADER_SIZE) {
        close(fd);
        g_set_error(err, DL_ERROR, DL_ERROR_IO, "dump disk %s: cannot read its header", disk);
        return false;
    }
    guint64 size = (guint64)st.st_size;
    /* Layout 2 keeps the header in the disk's last whole 4 KiB block. */
    ssize_t n = pread(fd, text, HEADER_SIZE, (off_t)((size - HEADER_SIZE) / 4096 * 4096));
    bool v2 = n == HEADER_SIZE && memcmp(text, HEADER_MAGIC2, strlen(HEADER_MAGIC2)) == 0;
    if (!v2)
        n = pread(fd, text, HEADER_SIZE, 0);
    close(fd);
    if (n != HEADER_SIZE) {
        g_set_error(err, DL_ERROR, DL_ERROR_IO, "dump disk %s: cannot read its header", disk);
        return false;
    }
    text[HEADER_SIZE] = '\0';
    if (!v2 && memcmp(text, HEADER_MAGIC, strlen(HEADER_MAGIC)) != 0) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "dump disk %s has no dump header: the capture never finished", disk);
        return false;
    }
    if (!strstr(text, "\nstatus=complete\n")) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "dump disk %s: capture not complete", disk);
        return false;
    }
    if (!header_u64(text, "vmcore_offset", &h->vmcore_offset) ||
        !header_u64(text, "vmcore_size", &h->vmcore_size) ||
        !header_u64(text, "dmesg_offset", &h->dmesg_offset) ||
        !header_u64(text, "dmesg_size", &h->dmesg_size)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "dump disk %s: malformed header", disk);
        return false;
    }
    if (h->vmcore_offset > size || h->vmcore_size > size - h->vmcore_offset ||
        h->dmesg_offset > size || h->dmesg_size > size - h->dmesg_offset ||
        (v2 && (h->vmcore_offset != 0 || h->dmesg_offset < h->vmcore_size))) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "dump disk %s: header ranges lie outside the %" G_GUINT64_FORMAT
                    "-byte disk or overlap",
                    disk, size);
        return false;
    }
    return true;
}

bool dl_copy_range_to_file(int fd_in, guint64 offset, guint64 len, const char *path, int mode,
                           GError **err)
{
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (out < 0) {
        dl_set_error_errno(err, errno, "creating %s", path);
        return false;
    }
    /* O_CREAT's mode is filtered by the umask; make it exactly what was asked
     * also when the file already existed. */
    if (fchmod(out, (mode_t)mode) < 0)
        goto fail_errno;
    loff_t in_off = (loff_t)offset;
    guint64 left = len;
    while (left > 0) {
        ssize_t n = copy_file_range(fd_in, &in_off, out, NULL, MIN(left, (guint64)1 << 30), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto fail_errno;
        if (n == 0) {
            g_set_error(err, DL_ERROR, DL_ERROR_IO, "writing %s: source ended early", path);
            goto fail;
        }
        left -= (guint64)n;
    }
    if (fsync(out) < 0)
        goto fail_errno;
    if (close(out) < 0) {
        out = -1;
        goto fail_errno;
    }
    return true;
fail_errno:
    dl_set_error_errno(err, errno, "writing %s", path);
fail:
    if (out >= 0)
        close(out);
    unlink(path);
    return false;
}

bool dl_dumpdisk_extract(const char *disk, const DlDumpHeader *h, const char *vmcore_path,
                         const char *dmesg_path, GError **err)
{
    int fd = open(disk, h->vmcore_offset == 0 ? O_RDWR | O_CLOEXEC : O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "opening dump disk %s", disk);
        return false;
    }
    bool ok = dl_copy_range_to_file(fd, h->dmesg_offset, h->dmesg_size, dmesg_path, 0600, err);
    if (ok && h->vmcore_offset == 0) {
        /* Layout 2: the disk file becomes the vmcore (no copy). It was
         * made 0600 and stays so. */
        if (ftruncate(fd, (off_t)h->vmcore_size) < 0 || fchmod(fd, 0600) < 0 ||
            rename(disk, vmcore_path) < 0) {
            dl_set_error_errno(err, errno, "turning %s into %s", disk, vmcore_path);
            ok = false;
        }
    } else if (ok)
        ok = dl_copy_range_to_file(fd, h->vmcore_offset, h->vmcore_size, vmcore_path, 0600, err);
    close(fd);
    if (!ok)
        unlink(h->vmcore_offset == 0 ? dmesg_path : vmcore_path);
    return ok;
}
