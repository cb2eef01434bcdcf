/* QEMU's "info registers" text (target/i386 x86_cpu_dump_state) to the
 * registers the text finder needs. */
#include "dumplab/ktext.h"
#include "dumplab/error.h"

#include <string.h>

#define CR4_LA57 (1ULL << 12)

/* The hex number after "NAME=" (and any padding blanks). */
static bool reg(const char *text, const char *name, uint64_t *out, const char **after)
{
    const char *p = text;
    size_t n = strlen(name);
    while ((p = strstr(p, name))) {
        /* Whole names only: "CR3=" must not match inside "XCR3=". */
        if ((p == text || !g_ascii_isalnum(p[-1])) && p[n] == '=') {
            const char *q = p + n + 1;
            while (*q == ' ')
                q++;
            char *end = NULL;
            guint64 v = g_ascii_strtoull(q, &end, 16);
            if (end == q)
                return false;
            *out = v;
            if (after)
                *after = end;
            return true;
        }
        p += n;
    }
    return false;
}

bool dl_vcpu_parse(const char *text, DlVcpuState *out, GError **err)
{
    memset(out, 0, sizeof(*out));
    /* With "-a" QEMU prints every CPU after a "CPU#N" line: keep the first. */
    g_autofree char *one = g_strdup(text);
    char *next = strstr(one, "CPU#");
    if (next && (next = strstr(next + 4, "CPU#")))
        *next = '\0';
    const char *after = NULL;
    uint64_t limit = 0;
    if (!reg(one, "CR3", &out->cr3, NULL) || !reg(one, "CR4", &out->cr4, NULL)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "no CR3/CR4 in QEMU's register dump");
        return false;
    }
    /* "IDT=     fffffe0000000000 00000fff": base, then limit. */
    if (!reg(one, "IDT", &out->idt_base, &after)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "no IDT in QEMU's register dump");
        return false;
    }
    char *end = NULL;
    limit = g_ascii_strtoull(after, &end, 16);
    if (end == after || limit > 0xffff) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "no IDT limit in QEMU's register dump");
        return false;
    }
    out->idt_limit = (uint32_t)limit;
    out->la57 = (out->cr4 & CR4_LA57) != 0;
    return true;
}
