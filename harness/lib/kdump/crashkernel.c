/* crashkernel= prediction and check (crashkernel.h). */
#include "dumplab/crashkernel.h"
#include "dumplab/check.h"
#include "dumplab/error.h"
#include "dumplab/iomem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MIB ((guint64)1 << 20)
#define GIB ((guint64)1 << 30)
#define CRASH_ALIGN (16 * MIB)
#define LOW_MAX (4 * GIB)
#define ROUND_RAM (128 * MIB)

char *dl_crashkernel_kernel_value(const char *value)
{
    return g_strdup(value && !strcmp(value, "auto") ? DL_CRASHKERNEL_AUTO : value);
}

/* The kernel's memparse: a number (0x.. allowed) and K/M/G/T/P/E. */
static bool memparse(const char **p, guint64 *out)
{
    char *end = NULL;
    errno = 0;
    if (!g_ascii_isdigit(**p))
        return false;
    guint64 n = g_ascii_strtoull(*p, &end, 0);
    if (errno || end == *p)
        return false;
    int shift = 0;
    switch (*end) {
    case 'E': case 'e': shift += 10; /* fall through */
    case 'P': case 'p': shift += 10; /* fall through */
    case 'T': case 't': shift += 10; /* fall through */
    case 'G': case 'g': shift += 10; /* fall through */
    case 'M': case 'm': shift += 10; /* fall through */
    case 'K': case 'k': shift += 10; end++; break;
    default: break;
    }
    if (shift && n > (G_MAXUINT64 >> shift))
        return false;
    *out = n << shift;
    *p = end;
    return true;
}

static void none(DlCrashkernel *o, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void none(DlCrashkernel *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    o->reason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    o->size = 0;
    o->base = 0;
}

static void ranges(const char *v, guint64 ram, DlCrashkernel *o)
{
    guint64 total = (ram + ROUND_RAM - 1) / ROUND_RAM * ROUND_RAM;
    const char *p = v;
    guint64 size = 0;
    for (;;) {
        guint64 start, end = G_MAXUINT64, sz;
        if (!memparse(&p, &start))
            return none(o, "crashkernel=%s: memory value expected at '%s'", v, p);
        if (*p++ != '-')
            return none(o, "crashkernel=%s: '-' expected", v);
        if (*p != ':') {
            if (!memparse(&p, &end))
                return none(o, "crashkernel=%s: memory value expected at '%s'", v, p);
            if (end <= start)
                return none(o, "crashkernel=%s: end <= start", v);
        }
        if (*p++ != ':')
            return none(o, "crashkernel=%s: ':' expected", v);
        if (!memparse(&p, &sz))
            return none(o, "crashkernel=%s: memory value expected at '%s'", v, p);
        if (sz >= total)
            return none(o, "crashkernel=%s: invalid size (%" G_GUINT64_FORMAT
                           " MiB is not below RAM)", v, sz / MIB);
        if (!size && total >= start && total < end)
            size = sz;
        if (*p != ',')
            break;
        p++;
    }
    if (!size)
        return none(o,
                    "crashkernel=%s reserves nothing for %" G_GUINT64_FORMAT
                    " MiB of RAM (%" G_GUINT64_FORMAT " MiB rounded up to 128M): no range "
                    "holds it",
                    v, ram / MIB, total / MIB);
    o->size = size;
    if (*p == '@') {
        p++;
        if (!memparse(&p, &o->base))
            return none(o, "crashkernel=%s: memory value expected after '@'", v);
    }
    if (*p)
        return none(o, "crashkernel=%s: trailing '%s'", v, p);
}

void dl_crashkernel_predict(const char *value, guint64 ram, DlCrashkernel *o)
{
    memset(o, 0, sizeof(*o));
    o->value = dl_crashkernel_kernel_value(value ? value : "");
    const char *v = o->value;
    if (!*v)
        return none(o, "no crashkernel= on the command line");
    if (g_str_has_suffix(v, ",low"))
        return none(o, "crashkernel=%s only sizes the low part of a crashkernel=X,high "
                       "reservation; alone it reserves nothing", v);
    if (g_str_has_suffix(v, ",high")) {
        /* parse_crashkernel_high: a plain size, no ranges, no @. */
        g_autofree char *sz = g_strndup(v, strlen(v) - 5);
        const char *p = sz;
        if (!memparse(&p, &o->size) || *p)
            return none(o, "crashkernel=%s: ,high takes a plain size", v);
        o->high = true;
        if (!o->size)
            return none(o, "crashkernel=%s is zero", v);
        return;
    }
    if (strchr(v, ':'))
        return ranges(v, ram, o);
    const char *p = v;
    if (!memparse(&p, &o->size))
        return none(o, "crashkernel=%s: memory value expected", v);
    if (*p == '@') {
        p++;
        if (!memparse(&p, &o->base))
            return none(o, "crashkernel=%s: memory value expected after '@'", v);
    }
    if (*p)
        return none(o, "crashkernel=%s: unknown '%s'", v, p);
    if (!o->size)
        return none(o, "crashkernel=%s is zero", v);
}

void dl_crashkernel_clear(DlCrashkernel *o)
{
    g_free(o->value);
    g_free(o->reason);
    memset(o, 0, sizeof(*o));
}

bool dl_crashkernel_check(const char *value, GArray *ram, GArray *ck, char **summary,
                          GError **err)
{
    guint64 total = 0;
    for (guint i = 0; ram && i < ram->len; i++) {
        const DlRange *r = &g_array_index(ram, DlRange, i);
        total += r->end - r->start + 1;
    }
    DlCrashkernel p;
    dl_crashkernel_predict(value, total, &p);
    bool ok = false;
    g_autofree char *what = g_strcmp0(value, p.value)
                                ? g_strdup_printf("crashkernel=%s (%s)", value, p.value)
                                : g_strdup_printf("crashkernel=%s", p.value);
    /* The main reservation: the one of the predicted size (with ,high
     * above 4G there is a second, low one). */
    const DlRange *main = NULL, *low = NULL;
    for (guint i = 0; ck && i < ck->len; i++) {
        const DlRange *r = &g_array_index(ck, DlRange, i);
        if (!main && r->end - r->start + 1 == p.size)
            main = r;
        else
            low = r;
    }
    guint ck_len = ck ? ck->len : 0;
    if (!p.size) {
        if (ck_len == 0) {
            ok = true;
            *summary = g_strdup_printf("%s: nothing reserved, as the kernel's rules say: %s",
                                       what, p.reason);
        } else
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "%s should reserve nothing (%s), but /proc/iomem has a Crash kernel "
                        "range at 0x%" G_GINT64_MODIFIER "x",
                        what, p.reason, (guint64)g_array_index(ck, DlRange, 0).start);
    } else if (!main) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "%s means %" G_GUINT64_FORMAT " MiB for %" G_GUINT64_FORMAT
                    " MiB of RAM, but /proc/iomem %s",
                    what, p.size / MIB, total / MIB,
                    ck_len ? "has no Crash kernel range of that size"
                           : "has no Crash kernel range: nothing was reserved");
    } else if (p.base && main->start != p.base) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "%s asks for base 0x%" G_GINT64_MODIFIER "x, /proc/iomem has 0x%"
                    G_GINT64_MODIFIER "x", what, p.base, (guint64)main->start);
    } else if (!p.base && main->start % CRASH_ALIGN) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "%s: the reservation at 0x%" G_GINT64_MODIFIER "x is not 16 MiB aligned",
                    what, (guint64)main->start);
    } else if (!p.high && !p.base && main->end >= LOW_MAX) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "%s without ,high was placed above 4G (0x%" G_GINT64_MODIFIER "x)", what,
                    (guint64)main->start);
    } else if (low && !(p.high && main->start >= LOW_MAX)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "%s: an extra Crash kernel range at 0x%" G_GINT64_MODIFIER "x", what,
                    (guint64)low->start);
    } else {
        ok = true;
        *summary = g_strdup_printf(
            "%s: %" G_GUINT64_FORMAT " MiB at 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER
            "x for %" G_GUINT64_FORMAT " MiB of RAM, as predicted%s",
            what, p.size / MIB, (guint64)main->start, (guint64)main->end, total / MIB,
            low ? " (plus the low part of ,high)" : "");
    }
    dl_crashkernel_clear(&p);
    return ok;
}

bool dl_crashkernel_check_msgs(const char *value, GPtrArray *iomem_msgs, char **summary,
                               GError **err)
{
    g_autoptr(GArray) ram = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
    dl_iomem_from_msgs(iomem_msgs, ram, ck);
    if (ram->len == 0) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "the guest reported no System RAM");
        return false;
    }
    return dl_crashkernel_check(value, ram, ck, summary, err);
}
