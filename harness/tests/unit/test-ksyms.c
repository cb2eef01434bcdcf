/* Symbols and patch sites from a real Debian -dbg vmlinux (skipped when none
 * is cached): every __mcount_loc and __jump_table site lies in the text,
 * the sysrq handlers the text faults use are ftrace sites at +0, and a
 * stripped or absent file is refused with a clear error. */
#include "dumplab/images.h"
#include "dumplab/ksyms.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *cached_vmlinux(void)
{
    g_autofree char *dir = g_build_filename(dl_repo_root(), "build", "cache", "dbg", NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *e;
    while (d && (e = g_dir_read_name(d)))
        if (g_str_has_prefix(e, "vmlinux-"))
            return g_build_filename(dir, e, NULL);
    return NULL;
}

/* In [lo, hi) or in the init text [ilo, ihi) (freed after boot). */
static bool all_in(const GArray *a, uint64_t lo, uint64_t hi, uint64_t ilo, uint64_t ihi)
{
    for (guint i = 0; i < a->len; i++) {
        uint64_t s = g_array_index(a, uint64_t, i);
        if ((s < lo || s + 5 > hi) && (s < ilo || s + 5 > ihi))
            return false;
    }
    return true;
}

int main(void)
{
    GError *err = NULL;
    tap_ok(!dl_ksyms_load("/nonexistent/vmlinux", &err) && err &&
               strstr(err->message, "/nonexistent"),
           "a missing file is refused, naming it");
    g_clear_error(&err);
    /* Debian's image package ships this stub as System.map. */
    g_autofree char *stub = NULL;
    int fd = g_file_open_tmp("dl-stub-XXXXXX", &stub, NULL);
    const char *text = "ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg "
                       "package\n";
    g_assert(write(fd, text, strlen(text)) > 0);
    close(fd);
    tap_ok(!dl_ksyms_load(stub, &err) && err && strstr(err->message, "-dbg"),
           "Debian's stub System.map is refused, pointing at the -dbg package");
    g_clear_error(&err);
    g_unlink(stub);

    g_autofree char *v = cached_vmlinux();
    if (!v) {
        tap_skip("no debug vmlinux cached (vm-images/fetch-dbg.sh KVER)", "real vmlinux");
        return tap_done();
    }
    g_autoptr(DlKsyms) k = dl_ksyms_load(v, &err);
    tap_ok(k != NULL, "%s loads%s%s", v, err ? ": " : "", err ? err->message : "");
    if (!k)
        return tap_done();
    uint64_t t = dl_ksyms_addr(k, "_text"), e = dl_ksyms_addr(k, "_etext");
    tap_ok(t && e > t, "_text 0x%" G_GINT64_MODIFIER "x, _etext 0x%" G_GINT64_MODIFIER "x", t, e);
    uint64_t it = dl_ksyms_addr(k, "_sinittext"), ie = dl_ksyms_addr(k, "_einittext");
    tap_ok(k->mcount->len > 10000 && all_in(k->mcount, t, e, it, ie),
           "%u ftrace sites, all in the text or the init text", k->mcount->len);
    /* .exit.text follows the init text in the same segment. */
    uint64_t xe = it + 0x1000000;
    tap_ok(k->jump->len > 1000 && all_in(k->jump, t, e, it, xe),
           "%u jump label sites, all in the text or the init/exit text", k->jump->len);
    static const char *const victims[] = {"sysrq_handle_crash", "sysrq_handle_term",
                                          "sysrq_handle_loglevel"};
    for (size_t i = 0; i < G_N_ELEMENTS(victims); i++) {
        uint64_t a = dl_ksyms_addr(k, victims[i]), site = 0, off = 1;
        const DlKsym *s = a ? dl_ksyms_lookup(k, a + 3, &off) : NULL;
        tap_ok(a && dl_ksyms_site(k->mcount, a, 1, &site) && site == a && s &&
                   !strcmp(s->name, victims[i]) && off == 3,
               "%s: an ftrace site at +0, and +3 names it", victims[i]);
    }
    uint64_t lm = dl_ksyms_addr(k, "load_module"), site = 0;
    bool in_lm = false;
    for (guint i = 0; lm && i < k->jump->len; i++) {
        site = g_array_index(k->jump, uint64_t, i);
        uint64_t off = 0;
        const DlKsym *s = dl_ksyms_lookup(k, site, &off);
        in_lm |= s && !strcmp(s->name, "load_module");
    }
    tap_ok(in_lm, "load_module holds jump label sites (the module_load tracepoint's)");
    bool sc_lm = false;
    for (guint i = 0; lm && i < k->scall->len; i++) {
        uint64_t off = 0;
        const DlKsym *s = dl_ksyms_lookup(k, g_array_index(k->scall, uint64_t, i), &off);
        sc_lm |= s && !strcmp(s->name, "load_module");
    }
    tap_ok(k->scall->len > 100 && all_in(k->scall, t, e, it, xe) && sc_lm,
           "%u static call sites, all in the text, some in load_module", k->scall->len);
    return tap_done();
}
