/* Command-line arguments to scenario files: files, folders, globs. */
#include "dumplab/error.h"
#include "dumplab/scenario.h"

#include <glob.h>
#include <stdint.h>
#include <sys/stat.h>
#include <string.h>

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each folder is walked once, by device and inode: a symlink loop (a
 * folder linking to itself or a parent) ends the walk there instead of
 * recursing until the stack runs out. */
static void add_dir(GPtrArray *out, const char *dir, GHashTable *seen, GError **err)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return;
    char *key = g_strdup_printf("%ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
    /* the set owns key, whether it was new or not */
    if (!g_hash_table_add(seen, key))
        // cppcheck-suppress memleak ; the set owns key (g_hash_table_add)
        return;
    g_autoptr(GDir) d = g_dir_open(dir, 0, err);
    if (!d)
        // cppcheck-suppress memleak ; the set owns key (g_hash_table_add)
        return;
    g_autoptr(GPtrArray) here = g_ptr_array_new_with_free_func(g_free);
    const char *e;
    while ((e = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, e, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR))
            g_ptr_array_add(here, g_steal_pointer(&p));
        else if (g_str_has_suffix(e, ".scn"))
            g_ptr_array_add(here, g_steal_pointer(&p));
    }
    g_ptr_array_sort(here, cmp_str);
    for (guint i = 0; i < here->len && !(err && *err); i++) {
        const char *p = g_ptr_array_index(here, i);
        if (g_file_test(p, G_FILE_TEST_IS_DIR))
            add_dir(out, p, seen, err);
        else
            g_ptr_array_add(out, g_strdup(p));
    }
}

GPtrArray *dl_scenario_expand(const char *const *args, GError **err)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
    for (; *args; args++) {
        const char *a = *args;
        guint before = out->len;
        if (g_file_test(a, G_FILE_TEST_IS_DIR)) {
            GError *e = NULL;
            g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            add_dir(out, a, seen, &e);
            if (e) {
                g_propagate_prefixed_error(err, e, "scenario folder %s: ", a);
                return NULL;
            }
        } else if (g_file_test(a, G_FILE_TEST_EXISTS)) {
            g_ptr_array_add(out, g_strdup(a));
        } else if (strpbrk(a, "*?[")) {
            glob_t g;
            if (glob(a, 0, NULL, &g) == 0) {
                for (size_t i = 0; i < g.gl_pathc; i++)
                    if (!g_file_test(g.gl_pathv[i], G_FILE_TEST_IS_DIR))
                        g_ptr_array_add(out, g_strdup(g.gl_pathv[i]));
                globfree(&g);
            }
        }
        if (out->len == before) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: no such scenario file, folder or match",
                        a);
            return NULL;
        }
    }
    return g_steal_pointer(&out);
}
