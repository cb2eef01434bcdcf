/* Attaching the text watch to a running domain (watch.h). */
#include "dumplab/watch.h"
#include "dumplab/error.h"
#include "dumplab/images.h"
#include "dumplab/virt.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void dl_watch_target_free(DlWatchTarget *t)
{
    if (!t)
        return;
    dl_textwatch_free(t->tw);
    dl_view_close(t->view);
    if (t->changes)
        g_ptr_array_unref(t->changes);
    g_free(t->name);
    g_free(t);
}

DlWatchTarget *dl_watch_attach(virDomainPtr dom, const DlKsyms *ks, GError **err)
{
    g_autoptr(DlWatchTarget) t = g_new0(DlWatchTarget, 1);
    const char *name = virDomainGetName(dom);
    t->name = g_strdup(name ? name : "?");
    t->dom = dom;
    t->changes = g_ptr_array_new_with_free_func((GDestroyNotify)dl_text_change_free);
    g_autofree char *path = dl_virt_ram_file(dom, err);
    if (!path || !(t->view = dl_view_open(path, err))) {
        g_prefix_error(err, "%s: ", t->name);
        return NULL;
    }
    /* The vCPU state QEMU holds; the guest is not paused for it. */
    g_autofree char *regs = NULL;
    if (!dl_virt_hmp(dom, "info registers", &regs, err) || !dl_vcpu_parse(regs, &t->cpu, err)) {
        g_prefix_error(err, "%s: vCPU state: ", t->name);
        return NULL;
    }
    uint64_t link = ks ? dl_ksyms_addr(ks, "_text") : 0;
    if (!dl_ktext_find(t->view, &t->cpu, link ? link : DL_X86_START_KERNEL, &t->kt, err)) {
        g_prefix_error(err, "%s: ", t->name);
        return NULL;
    }
    t->tw = dl_textwatch_new(t->view, &t->kt, ks, err);
    if (!t->tw) {
        g_prefix_error(err, "%s: ", t->name);
        return NULL;
    }
    return g_steal_pointer(&t);
}

char *dl_watch_describe_text(const DlWatchTarget *t)
{
    const DlKernelText *k = &t->kt;
    return g_strdup_printf(
        "text 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x (phys 0x%" G_GINT64_MODIFIER
        "x-0x%" G_GINT64_MODIFIER "x, %" G_GUINT64_FORMAT " pages), KASLR virt %+" G_GINT64_FORMAT
        " MiB phys %+" G_GINT64_FORMAT " MiB, %d-level paging, %u IDT gates",
        k->vstart, k->vend, k->pstart, k->pend, dl_textwatch_pages(t->tw), k->kaslr_virt >> 20,
        k->kaslr_phys >> 20, t->cpu.la57 ? 5 : 4, k->handlers);
}

static void disagree(GString *s, const char *what, uint64_t want, uint64_t got)
{
    if (want != got)
        g_string_append_printf(
            s, "%s%s: referee 0x%" G_GINT64_MODIFIER "x, found 0x%" G_GINT64_MODIFIER "x",
            s->len ? "; " : "", what, want, got);
}

/* IDT vector -> the vmlinux's handler for it (arch/x86/kernel/idt.c). */
static const struct {
    unsigned vector;
    const char *sym;
} idt_refs[] = {{0, "asm_exc_divide_error"}, {3, "asm_exc_int3"}, {14, "asm_exc_page_fault"}};

bool dl_watch_referee(const DlWatchTarget *t, const DlKsyms *ks, uint64_t kc_start, uint64_t kc_end,
                      GError **err)
{
    const DlKernelText *k = &t->kt;
    g_autoptr(GString) s = g_string_new(NULL);
    if (kc_start || kc_end) {
        disagree(s, "iomem Kernel code start", kc_start, k->pstart);
        disagree(s, "iomem Kernel code end", kc_end + 1, k->pend);
    }
    if (ks) {
        uint64_t text = dl_ksyms_addr(ks, "_text"), etext = dl_ksyms_addr(ks, "_etext");
        if (!text || !etext) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "the vmlinux has no _text/_etext");
            return false;
        }
        disagree(s, "_text + KASLR", text + k->kaslr_virt, k->vstart);
        disagree(s, "_etext + KASLR", etext + k->kaslr_virt, k->vend);
        /* _text pins only the offset the finder derived from it; the IDT's
         * handlers check that offset independently. */
        for (size_t i = 0; i < G_N_ELEMENTS(idt_refs); i++) {
            uint64_t link = dl_ksyms_addr(ks, idt_refs[i].sym);
            DlXlate x;
            const uint8_t *g;
            uint64_t gva = t->cpu.idt_base + 16ULL * idt_refs[i].vector;
            if (!link || !dl_x86_translate(t->view, k->cr3, t->cpu.la57, gva, &x) ||
                !(g = dl_view_phys(t->view, x.pa, 16))) {
                g_string_append_printf(s, "%sIDT vector %u unreadable", s->len ? "; " : "",
                                       idt_refs[i].vector);
                continue;
            }
            uint32_t high;
            memcpy(&high, g + 8, 4);
            uint64_t h = (uint64_t)g[0] | (uint64_t)g[1] << 8 | (uint64_t)g[6] << 16 |
                         (uint64_t)g[7] << 24 | (uint64_t)high << 32;
            g_autofree char *what =
                g_strdup_printf("IDT vector %u = %s + KASLR", idt_refs[i].vector, idt_refs[i].sym);
            disagree(s, what, link + k->kaslr_virt, h);
        }
    }
    if (s->len) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "%s: text bounds disagree: %s", t->name,
                    s->str);
        return false;
    }
    return true;
}

void dl_watch_settle(DlWatchTarget *t, unsigned period_ms, unsigned quiet_ms, unsigned limit_ms)
{
    dl_textwatch_baseline(t->tw);
    g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func((GDestroyNotify)dl_text_change_free);
    gint64 start = g_get_monotonic_time(), quiet_since = start;
    while ((g_get_monotonic_time() - quiet_since) / 1000 < quiet_ms &&
           (g_get_monotonic_time() - start) / 1000 < limit_ms) {
        g_usleep(period_ms * 1000ULL);
        if (dl_textwatch_scan(t->tw, seen))
            quiet_since = g_get_monotonic_time();
    }
    t->settle_changes += seen->len;
}

char *dl_watch_vmlinux_path(const char *release, GError **err)
{
    if (!release || !*release || strchr(release, '/')) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "no kernel release to find a vmlinux for");
        return NULL;
    }
    g_autofree char *leaf = g_strdup_printf("vmlinux-%s", release);
    char *p = g_build_filename(dl_repo_root(), "build", "cache", "dbg", leaf, NULL);
    if (!g_file_test(p, G_FILE_TEST_EXISTS)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "no debug vmlinux for %s cached (run vm-images/fetch-dbg.sh %s)", release,
                    release);
        g_free(p);
        return NULL;
    }
    return p;
}

char *dl_watch_ram_path(const char *domain_name, GError **err)
{
    g_autofree char *dir = g_build_filename("/dev/shm", domain_name, NULL);
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        dl_set_error_errno(err, errno, "making %s", dir);
        return NULL;
    }
    return g_build_filename(dir, "ram", NULL);
}

void dl_watch_ram_remove(const char *path)
{
    if (!path)
        return;
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *name = g_path_get_basename(dir);
    dl_virt_remove_ram_file(name);
}
