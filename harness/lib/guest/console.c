/* Follows a serial console log file as it grows. A run's console is small
 * (well under a megabyte), so it is simply kept in memory whole. */
#include "dumplab/console.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define CONSOLE_MAX (16u << 20) /* a guest flooding its console is cut off here */

struct DlConsole {
    char *path;
    int fd;
    GString *text;
};

DlConsole *dl_console_new(const char *path)
{
    DlConsole *c = g_new0(DlConsole, 1);
    c->path = g_strdup(path);
    c->fd = -1;
    c->text = g_string_new(NULL);
    return c;
}

void dl_console_free(DlConsole *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    g_string_free(c->text, TRUE);
    g_free(c->path);
    g_free(c);
}

void dl_console_poll(DlConsole *c)
{
    if (c->fd < 0) {
        c->fd = open(c->path, O_RDONLY | O_CLOEXEC);
        if (c->fd < 0)
            return;
    }
    char buf[65536];
    ssize_t n;
    while (c->text->len < CONSOLE_MAX && (n = read(c->fd, buf, sizeof(buf))) > 0) {
        /* Serial output carries CRs and the odd NUL; drop them so searches
         * and tails read as text. */
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != '\r' && buf[i] != '\0')
                g_string_append_c(c->text, buf[i]);
    }
}

gsize dl_console_mark(const DlConsole *c)
{
    return c->text->len;
}

bool dl_console_seen_since(const DlConsole *c, gsize mark, const char *needle)
{
    if (mark > c->text->len)
        return false;
    return strstr(c->text->str + mark, needle) != NULL;
}

char *dl_console_tail(const DlConsole *c, int n)
{
    const char *s = c->text->str;
    gsize end = c->text->len;
    while (end > 0 && s[end - 1] == '\n')
        end--;
    gsize start = end;
    int lines = 0;
    while (start > 0) {
        if (s[start - 1] == '\n' && ++lines == n)
            break;
        start--;
    }
    return g_strndup(s + start, end - start);
}

char *dl_console_find_line(const DlConsole *c, gsize mark, const char *needle, gsize *where)
{
    if (mark > c->text->len)
        return NULL;
    const char *hit = strstr(c->text->str + mark, needle);
    if (!hit)
        return NULL;
    const char *bol = hit, *eol = strchr(hit, '\n');
    while (bol > c->text->str + mark && bol[-1] != '\n')
        bol--;
    if (!eol)
        eol = c->text->str + c->text->len;
    if (where)
        *where = (gsize)(eol - c->text->str);
    return g_strndup(bol, eol - bol);
}
