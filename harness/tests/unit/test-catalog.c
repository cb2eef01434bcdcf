/* The shipped scenarios: every file parses, each fault that only panics
 * under a sysctl sets it, the catalog covers every fault with 1, 2 and 4
 * vCPUs and both load methods, file names say what the files hold, and the
 * CI set is complete. */
#include "dumplab/scenario.h"
#include "tap.h"

#include <string.h>

static const char *const ci_names[] = {"panic", "oops",  "stop-irqoff-4cpu", "softlockup", "nmi",
                                       "mce",   "silent"};

static bool has_sysctl(const DlScenario *s, const char *key)
{
    for (guint j = 0; j < s->sysctls->len; j++)
        if (!strcmp(((DlSysctl *)g_ptr_array_index(s->sysctls, j))->key, key))
            return true;
    return false;
}

static const char *load_word(DlLoad l)
{
    return l == DL_LOAD_KEXEC ? "kexec-load" : "kexec-file-load";
}

static unsigned min_cpus(DlFault f)
{
    return dl_fault_info(f)->min_vcpus;
}

static GPtrArray *load_all(const char *dir, GHashTable *names)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)dl_scenario_free);
    const char *args[] = {dir, NULL};
    GError *err = NULL;
    g_autoptr(GPtrArray) paths = dl_scenario_expand(args, &err);
    if (!tap_ok(paths != NULL, "%s expands%s%s", dir, err ? ": " : "", err ? err->message : "")) {
        g_clear_error(&err);
        return out;
    }
    for (guint i = 0; i < paths->len; i++) {
        const char *p = g_ptr_array_index(paths, i);
        DlScenario *s = dl_scenario_load(p, &err);
        if (!tap_ok(s != NULL, "%s parses%s%s", p, err ? ": " : "", err ? err->message : "")) {
            g_clear_error(&err);
            continue;
        }
        /* Work folders and reports are named after the scenario. */
        if (names) {
            const char *other = g_hash_table_lookup(names, s->name);
            if (other)
                tap_ok(false, "%s: name %s also used by %s", p, s->name, other);
            else
                g_hash_table_insert(names, g_strdup(s->name), g_strdup(p));
        }
        /* A text watch without a fault (fault left out) has no row. */
        const DlFaultInfo *fi = dl_fault_info(s->fault);
        const char *const *need = fi ? fi->sysctls : NULL;
        for (; s->armed && need && *need; need++)
            tap_ok(has_sysctl(s, *need), "%s: fault %s sets %s", p, dl_fault_name(s->fault), *need);
        g_ptr_array_add(out, s);
    }
    return out;
}

static void names_match_contents(GPtrArray *cat)
{
    int wrong = 0;
    for (guint i = 0; i < cat->len; i++) {
        const DlScenario *s = g_ptr_array_index(cat, i);
        g_autofree char *base = g_path_get_basename(s->path);
        g_autofree char *want = g_strdup_printf("%s-%ucpu-%s.scn", dl_fault_name(s->fault),
                                                s->vcpus, load_word(s->load));
        if (strcmp(base, want)) {
            tap_diag("%s holds %s", s->path, want);
            wrong++;
        }
        if (s->vcpus < min_cpus(s->fault)) {
            tap_diag("%s: %s needs %u vCPUs", s->path, dl_fault_name(s->fault), min_cpus(s->fault));
            wrong++;
        }
        if (s->expect_verdict != DL_EXPECT_PASS || s->expect_dump != DL_DUMP_KDUMP) {
            tap_diag("%s: catalog runs must expect a kdump PASS", s->path);
            wrong++;
        }
    }
    tap_ok(wrong == 0, "catalog file names are <fault>-<N>cpu-<method>.scn and match contents");
}

static void coverage(GPtrArray *cat)
{
    static const unsigned cpus[] = {1, 2, 4};
    for (int f = 0; f < DL_FAULT_COUNT; f++) {
        /* Text changes never panic: scenarios/watch/ holds them. */
        if (dl_fault_changes_text((DlFault)f))
            continue;
        bool load_seen[2] = {false, false};
        GString *missing = g_string_new(NULL);
        for (size_t c = 0; c < G_N_ELEMENTS(cpus); c++) {
            bool seen = false;
            for (guint i = 0; i < cat->len; i++) {
                const DlScenario *s = g_ptr_array_index(cat, i);
                if ((int)s->fault != f)
                    continue;
                load_seen[s->load == DL_LOAD_KEXEC_FILE] = true;
                seen |= s->vcpus == cpus[c];
            }
            if (!seen && cpus[c] >= min_cpus((DlFault)f))
                g_string_append_printf(missing, " %ucpu", cpus[c]);
        }
        if (!load_seen[0])
            g_string_append(missing, " kexec_load");
        if (!load_seen[1])
            g_string_append(missing, " kexec_file_load");
        tap_ok(missing->len == 0, "catalog covers %s with 1/2/4 vCPUs and both loads%s%s",
               dl_fault_name((DlFault)f), missing->len ? "; missing:" : "", missing->str);
        g_string_free(missing, TRUE);
    }
}

static void ci_set(GPtrArray *ci)
{
    for (size_t k = 0; k < G_N_ELEMENTS(ci_names); k++) {
        bool found = false;
        for (guint i = 0; i < ci->len; i++) {
            const DlScenario *s = g_ptr_array_index(ci, i);
            g_autofree char *base = g_path_get_basename(s->path);
            g_autofree char *want = g_strconcat(ci_names[k], ".scn", NULL);
            if (!strcmp(base, want)) {
                found = true;
                tap_ok(s->memory_mib == 1024, "ci/%s runs with 1 GiB", want);
            }
        }
        tap_ok(found, "ci set has %s.scn", ci_names[k]);
    }
}

/* The fault table itself: each row at its enum index, names unique and
 * found again by name, delivery present exactly for hypervisor faults. */
static void fault_table(void)
{
    bool rows = true, names = true, delivery = true;
    for (int f = 0; f < DL_FAULT_COUNT; f++) {
        const DlFaultInfo *i = dl_fault_info((DlFault)f);
        DlFault back;
        rows &= i && i->id == (DlFault)f && i->name && i->min_vcpus >= 1;
        names &= i && dl_fault_from_name(i->name, &back) && back == (DlFault)f;
        delivery &= i && (i->origin == DL_ORIGIN_HYPERVISOR) == (i->deliver != NULL);
    }
    tap_ok(rows, "every fault table row sits at its enum index");
    tap_ok(names, "every fault name is unique and maps back to its fault");
    tap_ok(delivery, "hypervisor faults, and only they, have a delivery function");
    tap_ok(dl_fault_info(DL_FAULT_COUNT) == NULL, "no row past the end");
}

int main(void)
{
    fault_table();
    const char *root = g_getenv("DUMPLAB_ROOT");
    g_autofree char *dir = g_build_filename(root ? root : ".", "scenarios", NULL);
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        tap_skip("run from the repository root or set DUMPLAB_ROOT", "shipped scenarios");
        return 77;
    }
    g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GPtrArray) all = load_all(dir, names);
    tap_ok(all->len >= 40, "scenarios/ holds the catalog (%u files parse)", all->len);

    g_autofree char *catdir = g_build_filename(dir, "catalog", NULL);
    g_autoptr(GPtrArray) cat = load_all(catdir, NULL);
    names_match_contents(cat);
    coverage(cat);

    g_autofree char *cidir = g_build_filename(dir, "ci", NULL);
    g_autoptr(GPtrArray) ci = load_all(cidir, NULL);
    ci_set(ci);
    return tap_done();
}
