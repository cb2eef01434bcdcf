/* The first kernel's /proc/iomem, read once, one way (iomem.h). */
#include "dumplab/iomem.h"
#include "dumplab/agentchan.h"
#include "dumplab/error.h"

#include <string.h>

void dl_iomem_classify(const char *name, bool top_level, DlRange range, GArray *ram, GArray *ck)
{
    if (top_level && !strcmp(name, "System RAM"))
        g_array_append_val(ram, range);
    else if (!strcmp(name, "Crash kernel"))
        g_array_append_val(ck, range);
}

bool dl_iomem_parse_text(const char *text, GArray *ram, GArray *ck, GError **err)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        bool top = lines[i][0] != ' ';
        char *l = g_strstrip(lines[i]);
        char *colon = strstr(l, " : ");
        char *dash = strchr(l, '-');
        if (!colon || !dash || dash > colon)
            continue;
        DlRange r = {g_ascii_strtoull(l, NULL, 16), g_ascii_strtoull(dash + 1, NULL, 16)};
        dl_iomem_classify(colon + 3, top, r, ram, ck);
    }
    if (!ram->len) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "no top-level 'System RAM' line");
        return false;
    }
    return true;
}

void dl_iomem_from_msgs(GPtrArray *msgs, GArray *ram, GArray *ck)
{
    for (guint i = 0; msgs && i < msgs->len; i++) {
        const DlMsg *m = g_ptr_array_index(msgs, i);
        const char *name = dl_msg_get(m, "name");
        const char *s = dl_msg_get(m, "start"), *e = dl_msg_get(m, "end");
        if (!name || !s || !e)
            continue;
        DlRange r = {g_ascii_strtoull(s, NULL, 0), g_ascii_strtoull(e, NULL, 0)};
        dl_iomem_classify(name, true, r, ram, ck);
    }
}
