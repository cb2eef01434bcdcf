/* The guest's manifest and its crash log, parsed for the proofs. */
#include "dumplab/agentchan.h"
#include "dumplab/error.h"
#include "dumplab/proof.h"

#include <string.h>

static void sym_clear(DlSymRange *s)
{
    g_free(s->name);
}

void dl_manifest_free(DlManifest *m)
{
    if (!m)
        return;
    g_array_free(m->ksyms, TRUE);
    g_array_free(m->msyms, TRUE);
    g_array_free(m->crash_notes, TRUE);
    g_array_free(m->markers, TRUE);
    g_array_free(m->roles, TRUE);
    g_free(m);
}

const DlSymRange *dl_sym_find(GArray *syms, guint64 addr)
{
    for (guint i = 0; syms && i < syms->len; i++) {
        const DlSymRange *s = &g_array_index(syms, DlSymRange, i);
        if (addr >= s->start && addr < s->end)
            return s;
    }
    return NULL;
}

/* key=value words of one line; values percent-decoded. */
static GHashTable *words(const char *line)
{
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_auto(GStrv) w = g_strsplit(line, " ", -1);
    for (int i = 0; w[i]; i++) {
        char *eq = strchr(w[i], '=');
        if (eq)
            g_hash_table_insert(h, g_strndup(w[i], eq - w[i]), dl_pct_decode(eq + 1));
    }
    return h;
}

static bool get_u64(GHashTable *h, const char *key, guint64 *out)
{
    const char *v = g_hash_table_lookup(h, key);
    if (!v || !*v)
        return false;
    char *end = NULL;
    *out = g_ascii_strtoull(v, &end, 0);
    return !*end;
}

static void set_role(DlManifest *m, guint cpu, DlCpuRole role)
{
    if (cpu > 4096)
        return;
    if (m->roles->len <= cpu)
        g_array_set_size(m->roles, cpu + 1);
    g_array_index(m->roles, DlCpuRole, cpu) = role;
}

/* The crash module's "dumplab_crash: cpu=N role=R fault=K" lines and the
 * kernel's "CPU: N PID: P" line of the panic report: the first after the
 * "Kernel panic" line (panic() dumps its stack), else the last before it
 * (an oops reports the CPU, then panics without a second report). */
static void parse_dmesg(DlManifest *m, const char *dmesg)
{
    g_auto(GStrv) lines = g_strsplit(dmesg, "\n", -1);
    int before_cpu = -1, before_pid = -1;
    bool after_panic = false;
    for (int i = 0; lines[i]; i++) {
        const char *l = lines[i];
        const char *d = strstr(l, "dumplab_crash: cpu=");
        if (d) {
            guint cpu = (guint)g_ascii_strtoull(d + 19, NULL, 10);
            const char *role = strstr(d, "role=");
            if (role)
                set_role(m, cpu,
                         g_str_has_prefix(role + 5, "spin")    ? DL_ROLE_SPIN
                         : g_str_has_prefix(role + 5, "panic") ? DL_ROLE_PANIC
                         : g_str_has_prefix(role + 5, "fault") ? DL_ROLE_FAULT
                                                               : DL_ROLE_NONE);
        }
        if (strstr(l, "Kernel panic - not syncing"))
            after_panic = true;
        const char *c = strstr(l, "CPU: ");
        const char *p = c ? strstr(c, " PID: ") : NULL;
        if (c && p) {
            int cpu = (int)g_ascii_strtoll(c + 5, NULL, 10);
            int pid = (int)g_ascii_strtoll(p + 6, NULL, 10);
            if (after_panic && m->panic_cpu < 0) {
                m->panic_cpu = cpu;
                m->panic_pid = pid;
            } else if (!after_panic) {
                before_cpu = cpu;
                before_pid = pid;
            }
        }
    }
    if (m->panic_cpu < 0) {
        m->panic_cpu = before_cpu;
        m->panic_pid = before_pid;
    }
}

DlManifest *dl_manifest_parse(GPtrArray *lines, const char *dmesg, GError **err)
{
    g_autoptr(DlManifest) m = g_new0(DlManifest, 1);
    m->ksyms = g_array_new(FALSE, TRUE, sizeof(DlSymRange));
    g_array_set_clear_func(m->ksyms, (GDestroyNotify)sym_clear);
    m->msyms = g_array_new(FALSE, TRUE, sizeof(DlSymRange));
    g_array_set_clear_func(m->msyms, (GDestroyNotify)sym_clear);
    m->crash_notes = g_array_new(FALSE, TRUE, sizeof(guint64));
    m->markers = g_array_new(FALSE, TRUE, sizeof(DlRange));
    m->roles = g_array_new(FALSE, TRUE, sizeof(DlCpuRole));
    m->panic_cpu = m->panic_pid = -1;
    for (guint i = 0; lines && i < lines->len; i++) {
        const char *line = g_ptr_array_index(lines, i);
        g_autoptr(GHashTable) h = words(line);
        guint64 a, b;
        bool ok = true;
        if (g_str_has_prefix(line, "ksym ") || g_str_has_prefix(line, "msym ")) {
            const char *name = g_hash_table_lookup(h, "name");
            ok = name && get_u64(h, "start", &a) && get_u64(h, "end", &b) && b > a;
            if (ok) {
                DlSymRange s = {g_strdup(name), a, b};
                g_array_append_val(line[0] == 'k' ? m->ksyms : m->msyms, s);
            }
        } else if (g_str_has_prefix(line, "crash_notes ")) {
            ok = get_u64(h, "cpu", &a) && get_u64(h, "paddr", &b) && a < 4096;
            if (ok) {
                if (m->crash_notes->len <= a)
                    g_array_set_size(m->crash_notes, (guint)a + 1);
                g_array_index(m->crash_notes, guint64, a) = b;
            }
        } else if (g_str_has_prefix(line, "marker ")) {
            /* A run that wraps past the last frame is not a run. */
            ok = get_u64(h, "pfn", &a) && get_u64(h, "count", &b) && b > 0 && a + (b - 1) >= a;
            if (ok) {
                DlRange r = {a, a + b - 1};
                g_array_append_val(m->markers, r);
            }
        } else if (g_str_has_prefix(line, "seed ")) {
            ok = get_u64(h, "value", &m->seed);
        }
        if (!ok) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "manifest line %u is malformed: %s", i + 1,
                        line);
            return NULL;
        }
    }
    if (dmesg)
        parse_dmesg(m, dmesg);
    return g_steal_pointer(&m);
}
