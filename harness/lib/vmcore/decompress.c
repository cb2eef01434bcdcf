/* Page (de)compression with the libraries makedumpfile and QEMU use: zlib
 * (compress2/uncompress), LZO1X-1, snappy, zstd. A page must come out at
 * exactly its size. */
#include "dumplab/dump.h"
#include "dumplab/error.h"

#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <string.h>

bool dl_decompress(guint32 flags, const guint8 *src, gsize src_len, guint8 *out, gsize out_len,
                   GError **err)
{
    gsize got = 0;
    const char *lib = "?";
    bool ok = false;
    switch (flags) {
    case 0:
        ok = src_len == out_len;
        if (ok)
            memcpy(out, src, out_len);
        got = src_len;
        lib = "stored";
        break;
    case DL_DUMP_ZLIB: {
        uLongf n = out_len;
        lib = "zlib";
        ok = uncompress(out, &n, src, src_len) == Z_OK;
        got = n;
        break;
    }
    case DL_DUMP_LZO: {
        static bool inited;
        if (!inited) {
            inited = lzo_init() == LZO_E_OK;
        }
        lzo_uint n = out_len;
        lib = "lzo";
        ok = inited && lzo1x_decompress_safe(src, src_len, out, &n, NULL) == LZO_E_OK;
        got = n;
        break;
    }
    case DL_DUMP_SNAPPY: {
        size_t n = 0;
        lib = "snappy";
        if (snappy_uncompressed_length((const char *)src, src_len, &n) == SNAPPY_OK &&
            n == out_len) {
            size_t m = out_len;
            ok = snappy_uncompress((const char *)src, src_len, (char *)out, &m) == SNAPPY_OK;
            n = m;
        }
        got = n;
        break;
    }
    case DL_DUMP_ZSTD: {
        lib = "zstd";
        /* One context per thread: ZSTD_decompress would set one up (and
         * tear it down) for every page. */
        static __thread ZSTD_DCtx *dctx;
        if (!dctx)
            dctx = ZSTD_createDCtx();
        size_t n = dctx ? ZSTD_decompressDCtx(dctx, out, out_len, src, src_len)
                        : ZSTD_decompress(out, out_len, src, src_len);
        ok = !ZSTD_isError(n);
        got = ok ? n : 0;
        break;
    }
    default:
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "unknown compression flags 0x%x", flags);
        return false;
    }
    if (!ok) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: %zu compressed bytes do not decompress",
                    lib, src_len);
        return false;
    }
    if (got != out_len) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: %zu compressed bytes decompress to %zu bytes, not one %zu-byte page", lib,
                    src_len, got, out_len);
        return false;
    }
    return true;
}

gsize dl_compress(guint32 flags, const guint8 *src, gsize len, guint8 *out, gsize out_cap)
{
    gsize n = 0;
    switch (flags) {
    case DL_DUMP_ZLIB: {
        uLongf m = out_cap;
        if (compress2(out, &m, src, len, 1) == Z_OK)
            n = m;
        break;
    }
    case DL_DUMP_LZO: {
        static guint8 wrk[LZO1X_1_MEM_COMPRESS];
        lzo_uint m = out_cap;
        if (out_cap >= len + len / 16 + 64 + 3 && lzo_init() == LZO_E_OK &&
            lzo1x_1_compress(src, len, out, &m, wrk) == LZO_E_OK)
            n = m;
        break;
    }
    case DL_DUMP_SNAPPY: {
        size_t m = out_cap;
        if (out_cap >= snappy_max_compressed_length(len) &&
            snappy_compress((const char *)src, len, (char *)out, &m) == SNAPPY_OK)
            n = m;
        break;
    }
    case DL_DUMP_ZSTD: {
        size_t m = ZSTD_compress(out, out_cap, src, len, 1);
        if (!ZSTD_isError(m))
            n = m;
        break;
    }
    }
    return n < len ? n : 0;
}
