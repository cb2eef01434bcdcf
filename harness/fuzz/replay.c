/* The fuzz corpora as regression tests: feeds every file of CORPUS_DIR to
 * the target's LLVMFuzzerTestOneInput (built with ASan and UBSan, without
 * libFuzzer) and prints one TAP line per file. A crash, a sanitizer report
 * or a leak fails the test. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gint by_name(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    GDir *d = g_dir_open(CORPUS_DIR, 0, NULL);
    if (!d) {
        printf("ok 1 # SKIP no corpus at %s\n", CORPUS_DIR);
        return 0;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *e;
    while ((e = g_dir_read_name(d)))
        g_ptr_array_add(names, g_build_filename(CORPUS_DIR, e, NULL));
    g_dir_close(d);
    g_ptr_array_sort(names, by_name);
    int n = 0;
    for (guint i = 0; i < names->len; i++) {
        const char *p = g_ptr_array_index(names, i);
        gchar *buf = NULL;
        gsize len = 0;
        if (!g_file_get_contents(p, &buf, &len, NULL))
            continue;
        LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
        g_free(buf);
        printf("ok %d %s\n", ++n, p);
    }
    printf("1..%d\n", n);
    g_ptr_array_free(names, TRUE);
    return 0;
}
