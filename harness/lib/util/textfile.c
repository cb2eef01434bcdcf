/* Reading a user's text file whole (textfile.h). */
#include "dumplab/textfile.h"
#include "dumplab/error.h"

#include <string.h>

char *dl_read_text_file(const char *path, const char *what, GError **err)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, err)) {
        g_prefix_error(err, "%s: ", what);
        return NULL;
    }
    /* A NUL would end the text early and hide the rest from the parser. */
    if (memchr(text, '\0', len)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: not a text file (holds NUL bytes)", path);
        return NULL;
    }
    return g_steal_pointer(&text);
}
