/* /proc/iomem text: the top-level "System RAM" ranges and the nested
 * "Crash kernel" ones. Every number is checked (hex, start <= end); a line
 * that is not a range is ignored, as iomem has other kinds. */
#include "dumplab/check.h"
#include "dumplab/error.h"

#include <string.h>

static bool hex(const char *s, gsize n, guint64 *out)
{
    char buf[20];
    if (n == 0 || n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    return g_ascii_string_to_unsigned(buf, 16, 0, G_MAXUINT64, out, NULL);
}

bool dl_iomem_parse(const char *text, gsize len, GArray *ram, GArray *ck, GError **err)
{
    const char *p = text, *end = text + len;
    guint lineno = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        bool top = p < le && *p != ' ';
        const char *l = p;
        while (l < le && *l == ' ')
            l++;
        const char *dash = memchr(l, '-', (gsize)(le - l));
        const char *colon = NULL;
        for (const char *q = l; q + 3 <= le; q++)
            if (!memcmp(q, " : ", 3)) {
                colon = q;
                break;
            }
        p = nl ? nl + 1 : end;
        if (!dash || !colon || dash > colon)
            continue;
        DlRange r;
        if (!hex(l, (gsize)(dash - l), &r.start) || !hex(dash + 1, (gsize)(colon - dash - 1), &r.end) ||
            r.end < r.start) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "line %u: not a range of hex addresses",
                        lineno);
            return false;
        }
        const char *name = colon + 3;
        gsize nlen = (gsize)(le - name);
        if (top && nlen == 10 && !memcmp(name, "System RAM", 10))
            g_array_append_val(ram, r);
        else if (nlen == 12 && !memcmp(name, "Crash kernel", 12))
            g_array_append_val(ck, r);
    }
    if (!ram->len) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "no top-level 'System RAM' line");
        return false;
    }
    return true;
}

bool dl_iomem_read(const char *path, GArray *ram, GArray *ck, GError **err)
{
    g_autofree char *text = NULL;
    gsize len;
    if (!g_file_get_contents(path, &text, &len, err))
        return false;
    if (!dl_iomem_parse(text, len, ram, ck, err)) {
        g_prefix_error(err, "%s: ", path);
        return false;
    }
    return true;
}
