/* kdumpctl estimate's arithmetic on dumplab's guest image (estimate.h). */
#include "dumplab/estimate.h"
#include "dumplab/crashkernel.h"
#include "dumplab/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIB ((guint64)1 << 20)

guint64 dl_kdumpctl_formula(guint64 kernel, guint64 modules, guint64 initrd, guint64 arch_default)
{
    guint64 est = kernel + modules + 3 * initrd + 16 * MIB + 20 * MIB;
    return est > arch_default ? est : arch_default;
}

static guint64 hex8(const char *p)
{
    char b[9];
    memcpy(b, p, 8);
    b[8] = 0;
    return g_ascii_strtoull(b, NULL, 16);
}

/* Walks the newc archive: sizes of the crash initramfs and of the modules
 * the crash kernel loads. Bounded by the file. */
static bool scan_initrd(const char *path, bool extras, DlKdumpctlEstimate *e, GError **err)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, err))
        return false;
    gsize off = 0;
    bool saw_crash = false;
    while (off + 110 <= len) {
        const char *h = data + off;
        if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6)) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: no newc cpio header at offset %" G_GSIZE_FORMAT, path, off);
            return false;
        }
        guint64 fsize = hex8(h + 54), nsize = hex8(h + 94);
        gsize name_off = off + 110;
        if (nsize == 0 || nsize > len - name_off) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: a cpio name runs past the end", path);
            return false;
        }
        g_autofree char *name = g_strndup(data + name_off, nsize);
        gsize data_off = (name_off + nsize + 3) & ~(gsize)3;
        if (data_off > len || fsize > len - data_off) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: %s runs past the end", path, name);
            return false;
        }
        if (!strcmp(name, "TRAILER!!!"))
            break;
        if (!strcmp(name, "boot/crash.img")) {
            e->initrd += fsize;
            saw_crash = true;
        } else if (extras && !strcmp(name, "boot/kdump-extras.cpio"))
            e->initrd += fsize;
        if (g_str_has_suffix(name, ".ko") &&
            (g_str_has_prefix(name, "lib/dumplab/modules/") ||
             (extras && g_str_has_prefix(name, "lib/dumplab/kdump-modules/"))))
            e->modules += fsize;
        off = (data_off + fsize + 3) & ~(gsize)3;
    }
    if (!saw_crash) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s holds no boot/crash.img", path);
        return false;
    }
    return true;
}

bool dl_kdumpctl_estimate(const char *kernel, const char *initrd, guint64 ram, bool extras,
                          DlKdumpctlEstimate *e, GError **err)
{
    memset(e, 0, sizeof(*e));
    /* The x86 boot header's init_size (offset 0x260): the memory the
     * kernel needs from its load address on, decompressed and running. */
    int fd = open(kernel, O_RDONLY | O_CLOEXEC);
    unsigned char hdr[0x264];
    if (fd < 0) {
        dl_set_error_errno(err, errno, "opening %s", kernel);
        return false;
    }
    ssize_t got = pread(fd, hdr, sizeof(hdr), 0);
    close(fd);
    if (got != (ssize_t)sizeof(hdr)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s is shorter than an x86 boot header",
                    kernel);
        return false;
    }
    if (memcmp(hdr + 0x202, "HdrS", 4)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s is not an x86 bzImage", kernel);
        return false;
    }
    e->kernel = (guint64)hdr[0x260] | (guint64)hdr[0x261] << 8 | (guint64)hdr[0x262] << 16 |
                (guint64)hdr[0x263] << 24;
    if (!scan_initrd(initrd, extras, e, err))
        return false;
    DlCrashkernel ck;
    dl_crashkernel_predict("auto", ram, &ck);
    e->arch_default = ck.size;
    dl_crashkernel_clear(&ck);
    e->formula = dl_kdumpctl_formula(e->kernel, e->modules, e->initrd, e->arch_default);
    return true;
}
