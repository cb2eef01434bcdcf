/* System.map to ksym manifest lines (see ksyms.h). */
#include "dumplab/ksyms.h"
#include "dumplab/error.h"

#include <stdlib.h>
#include <string.h>

const char *const dl_ksyms_wanted[] = {
    "panic", "__crash_kexec", "crash_kexec", "nmi_panic", "crash_nmi_callback",
    "nmi_shootdown_cpus", "native_machine_crash_shutdown", "crash_save_cpu", "default_idle",
    "pv_native_safe_halt", "native_safe_halt", "sysrq_handle_crash", "unknown_nmi_error", "die",
    "oops_end", "do_machine_check", "mce_panic", "watchdog_timer_fn", "__stack_chk_fail",
    "handle_stack_overflow", "smp_stop_nmi_callback", "stop_this_cpu", "mwait_idle",
    "acpi_safe_halt", "cpu_idle_poll", NULL,
};

typedef struct {
    guint64 addr;
    const char *name;
} Sym;

static int by_addr(const void *a, const void *b)
{
    const Sym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

GPtrArray *dl_ksyms_manifest(const char *system_map, guint64 kaslr_offset, GError **err)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(system_map, &text, NULL, err)) {
        g_prefix_error(err, "reading the kernel's System.map: ");
        return NULL;
    }
    g_autoptr(GArray) syms = g_array_new(FALSE, FALSE, sizeof(Sym));
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char *sp1 = strchr(l, ' ');
        if (!sp1 || !sp1[1] || sp1[2] != ' ')
            continue;
        char type = sp1[1];
        if (type != 't' && type != 'T')
            continue;
        *sp1 = 0;
        Sym s = {g_ascii_strtoull(l, NULL, 16), sp1 + 3};
        g_array_append_val(syms, s);
    }
    if (!syms->len) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s holds no text symbols", system_map);
        return NULL;
    }
    g_array_sort(syms, by_addr);
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i + 1 < syms->len; i++) {
        const Sym *s = &g_array_index(syms, Sym, i);
        for (const char *const *w = dl_ksyms_wanted; *w; w++) {
            if (strcmp(s->name, *w) != 0)
                continue;
            guint j = i + 1;
            while (j < syms->len && g_array_index(syms, Sym, j).addr == s->addr)
                j++;
            if (j == syms->len)
                break;
            g_ptr_array_add(out, g_strdup_printf("ksym name=%s start=0x%" G_GINT64_MODIFIER
                                                 "x end=0x%" G_GINT64_MODIFIER "x",
                                                 s->name, s->addr + kaslr_offset,
                                                 g_array_index(syms, Sym, j).addr + kaslr_offset));
        }
    }
    return out;
}
