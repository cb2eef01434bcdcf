/* ksym extents from a System.map: KASLR shift, end at the next text
 * symbol, aliases skipped, data symbols ignored, bad input refused. */
#include "dumplab/ksyms.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>

static const char *find(GPtrArray *lines, const char *name)
{
    g_autofree char *key = g_strdup_printf("name=%s ", name);
    for (guint i = 0; i < lines->len; i++)
        if (strstr(g_ptr_array_index(lines, i), key))
            return g_ptr_array_index(lines, i);
    return NULL;
}

int main(void)
{
    g_autofree char *dir = g_dir_make_tmp("ksyms-XXXXXX", NULL);
    g_autofree char *map = g_build_filename(dir, "System.map", NULL);
    /* Out of order on purpose; panic has an alias at the same address and
     * a data symbol between it and the next function. */
    const char *text = "ffffffff81001000 T die\n"
                       "ffffffff81000000 T _text\n"
                       "ffffffff81002000 T panic\n"
                       "ffffffff81002000 t panic_alias\n"
                       "ffffffff81002100 D some_data\n"
                       "ffffffff81002300 t after_panic\n"
                       "ffffffff81003000 T __crash_kexec\n";
    g_file_set_contents(map, text, -1, NULL);
    GError *err = NULL;
    g_autoptr(GPtrArray) l = dl_ksyms_manifest(map, 0x2a000000, &err);
    tap_ok(l != NULL, "a System.map is read");
    if (l) {
        tap_ok(g_strcmp0(find(l, "panic"),
                         "ksym name=panic start=0xffffffffab002000 end=0xffffffffab002300") == 0,
               "panic moves by the KASLR offset and ends at the next text symbol: %s",
               find(l, "panic"));
        tap_ok(g_strcmp0(find(l, "die"),
                         "ksym name=die start=0xffffffffab001000 end=0xffffffffab002000") == 0,
               "die ends where panic starts");
        tap_ok(find(l, "__crash_kexec") == NULL,
               "the last symbol has no known end and is left out");
        tap_ok(find(l, "nmi_panic") == NULL, "a function absent from the map is not invented");
    }
    g_autofree char *empty = g_build_filename(dir, "empty.map", NULL);
    g_file_set_contents(empty, "garbage\n\n", -1, NULL);
    GPtrArray *none = dl_ksyms_manifest(empty, 0, &err);
    tap_ok(none == NULL && err && strstr(err->message, "no text symbols"),
           "a map without text symbols is refused: %s", err ? err->message : "");
    g_clear_error(&err);
    GPtrArray *missing = dl_ksyms_manifest("/nonexistent/System.map", 0, &err);
    tap_ok(missing == NULL && err && strstr(err->message, "System.map"),
           "a missing map names itself: %s", err ? err->message : "");
    g_clear_error(&err);
    g_unlink(map);
    g_unlink(empty);
    g_rmdir(dir);
    return tap_done();
}
