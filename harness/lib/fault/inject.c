/* Test-only defect injection into a collected vmcore (inject.h). */
#include "dumplab/inject.h"
#include "dumplab/elfcore.h"
#include "dumplab/error.h"
#include "dumplab/proof.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define INJECT_PADDR (32ULL << 20)

/* File offset of the byte to change, chosen per kind. */
static gint64 target(const DlCore *c, const char *kind, GPtrArray *manifest, guint8 *newbyte,
                     GError **err)
{
    const guint8 *base = dl_core_data(c);
    if (!strcmp(kind, "marker") || !strcmp(kind, "page")) {
        guint64 pa = INJECT_PADDR;
        if (!strcmp(kind, "marker")) {
            g_autoptr(DlManifest) m = dl_manifest_parse(manifest, NULL, err);
            if (!m)
                return -1;
            if (!m->markers->len) {
                g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "no marker pages to alter");
                return -1;
            }
            pa = g_array_index(m->markers, DlRange, 0).start * 4096 + 100;
        }
        const guint8 *p = dl_core_phys(c, pa, 1);
        if (!p) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "paddr 0x%" G_GINT64_MODIFIER "x is not in the vmcore", pa);
            return -1;
        }
        *newbyte = (guint8) ~*p;
        return p - base;
    }
    if (!strcmp(kind, "note")) {
        guint seen = 0;
        for (guint i = 0; i < dl_core_nnotes(c); i++) {
            const DlNote *n = dl_core_note(c, i);
            if (n->type == 1 && !strcmp(n->name, "CORE") && seen++ == 1) {
                *newbyte = 'X';
                return (gint64)n->offset + 12; /* first byte of the name */
            }
        }
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "the vmcore has no second CPU note");
        return -1;
    }
    g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "unknown defect kind '%s' (marker, page, note)",
                kind);
    return -1;
}

bool dl_inject_defect(const char *vmcore, const char *kind, GPtrArray *manifest, GError **err)
{
    guint8 b = 0;
    gint64 off;
    {
        g_autoptr(DlCore) c = dl_core_open(vmcore, err);
        if (!c)
            return false;
        off = target(c, kind, manifest, &b, err);
    }
    if (off < 0) {
        g_prefix_error(err, "injecting a %s defect: ", kind);
        return false;
    }
    int fd = open(vmcore, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || pwrite(fd, &b, 1, off) != 1) {
        dl_set_error_errno(err, errno, "injecting a %s defect into %s", kind, vmcore);
        if (fd >= 0)
            close(fd);
        return false;
    }
    close(fd);
    return true;
}
