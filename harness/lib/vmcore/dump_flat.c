/* makedumpfile's flattened format (-F; QEMU's kdump-* into a pipe): a
 * 4096-byte header starting "makedumpfile", then records of a big-endian
 * {int64 offset, int64 size} and size bytes meant for that offset of the
 * real file, ended by a record of offset -1 and size -1. The records are
 * indexed where they lie; nothing is rearranged or copied. */
#include "dump_internal.h"
#include "dumplab/error.h"

#include <string.h>
#include <unistd.h>

#define FLAT_HEADER 4096
#define FLAT_END ((guint64)-1)

static int by_off(const void *a, const void *b)
{
    const DlFlatRec *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

bool dl_dump_index_flat(DlDump *d, GError **err)
{
    guint8 h[32];
    if (d->size < FLAT_HEADER) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%" G_GUINT64_FORMAT " bytes, shorter than "
                    "its %u-byte header", d->size, FLAT_HEADER);
        return false;
    }
    if (!dl_dump_pread(d, 0, h, sizeof(h), err))
        return false;
    guint64 type, version;
    memcpy(&type, h + 16, 8);
    memcpy(&version, h + 24, 8);
    type = GUINT64_FROM_BE(type);
    version = GUINT64_FROM_BE(version);
    if (type != 1) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "header type %" G_GUINT64_FORMAT
                    " (makedumpfile writes 1)", type);
        return false;
    }
    GArray *f = g_array_new(FALSE, FALSE, sizeof(DlFlatRec));
    guint64 pos = FLAT_HEADER, end = 0, maxlen = 0;
    guint32 seq = 0;
    bool ended = false;
    /* Each record takes at least 16 bytes of the stream: the walk is
     * bounded by the stream's size. */
    while (pos + 16 <= d->size) {
        guint64 rh[2];
        if (!dl_dump_pread_stream(d, pos, rh, 16, err)) {
            g_prefix_error(err, "record header at 0x%" G_GINT64_MODIFIER "x: ", pos);
            g_array_free(f, TRUE);
            return false;
        }
        guint64 off = GUINT64_FROM_BE(rh[0]), len = GUINT64_FROM_BE(rh[1]);
        if (off == FLAT_END && len == FLAT_END) {
            ended = true;
            break;
        }
        if ((gint64)off < 0 || (gint64)len < 0 || len > d->size - pos - 16 || off + len < off) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "record at stream offset 0x%" G_GINT64_MODIFIER "x claims %"
                        G_GINT64_FORMAT " bytes for offset %" G_GINT64_FORMAT
                        ", beyond the stream's %" G_GUINT64_FORMAT " bytes",
                        pos, (gint64)len, (gint64)off, d->size);
            g_array_free(f, TRUE);
            return false;
        }
        if (len) {
            DlFlatRec r = {off, len, pos + 16, seq++};
            g_array_append_val(f, r);
            end = MAX(end, off + len);
            maxlen = MAX(maxlen, len);
        }
        pos += 16 + len;
    }
    if (!ended) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "the stream ends at 0x%" G_GINT64_MODIFIER "x without its end record: it "
                    "was cut short", pos);
        g_array_free(f, TRUE);
        return false;
    }
    g_array_sort(f, by_off);
    /* What the records cover, merged (they are sorted by offset). */
    d->flat_runs = g_array_new(FALSE, FALSE, sizeof(guint64));
    for (guint i = 0; i < f->len; i++) {
        const DlFlatRec *r = &g_array_index(f, DlFlatRec, i);
        guint n = d->flat_runs->len;
        if (n && r->off <= g_array_index(d->flat_runs, guint64, n - 1)) {
            guint64 *e = &g_array_index(d->flat_runs, guint64, n - 1);
            *e = MAX(*e, r->off + r->len);
        } else {
            guint64 v[2] = {r->off, r->off + r->len};
            g_array_append_vals(d->flat_runs, v, 2);
        }
    }
    d->flat = f;
    d->flat_end = end;
    d->flat_maxlen = maxlen;
    return true;
}
