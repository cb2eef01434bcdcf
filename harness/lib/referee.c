/* The makedumpfile referee: an independent tool must read the vmcore's
 * printk log and find the panic text there. */
#include "dumplab/error.h"
#include "dumplab/runcheck.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool dl_referee_dmesg(const char *vmcore, const char *out, const char *needle, bool *found,
                      GError **err)
{
    unlink(out); /* makedumpfile refuses to overwrite */
    char *argv[] = {(char *)"makedumpfile", (char *)"--dump-dmesg", (char *)vmcore, (char *)out,
                    NULL};
    g_autofree char *sout = NULL, *serr = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &sout, &serr, &status,
                      err)) {
        g_prefix_error(err, "referee makedumpfile: ");
        return false;
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "referee makedumpfile --dump-dmesg failed: %s",
                    g_strstrip(serr ? serr : sout));
        return false;
    }
    chmod(out, 0600);
    g_autofree char *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(out, &text, &len, err)) {
        g_prefix_error(err, "referee output: ");
        return false;
    }
    *found = needle && *needle ? g_strstr_len(text, (gssize)len, needle) != NULL : true;
    return true;
}
