/* --iomem FILE of `dumplab check` and `dumplab compare`: a saved
 * /proc/iomem through the one parser (lib/guest/iomem.c). */
#include "commands.h"
#include "dumplab/iomem.h"

bool cmd_read_iomem(const char *path, GArray *ram, GArray *ck, GError **err)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, err))
        return false;
    if (!dl_iomem_parse_text(text, ram, ck, err)) {
        g_prefix_error(err, "%s: ", path);
        return false;
    }
    return true;
}
