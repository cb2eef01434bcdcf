/* Follows a guest's serial console log as QEMU writes it. */
#ifndef DUMPLAB_CONSOLE_H
#define DUMPLAB_CONSOLE_H

#include <glib.h>
#include <stdbool.h>

typedef struct DlConsole DlConsole;

/* The file may not exist yet; it is read as it appears and grows. */
DlConsole *dl_console_new(const char *path);
void dl_console_free(DlConsole *c);

/* Reads what was appended since the last call. */
void dl_console_poll(DlConsole *c);

/* Offset of everything read so far, to search only text that comes later. */
gsize dl_console_mark(const DlConsole *c);

/* Whether needle appears in the text read after mark. */
bool dl_console_seen_since(const DlConsole *c, gsize mark, const char *needle);

/* The last n lines read, joined with newlines (for failure verdicts). */
/* The whole line holding the first needle after mark (NULL if none); where
 * is set to the offset just after that line. */
char *dl_console_find_line(const DlConsole *c, gsize mark, const char *needle, gsize *where);
char *dl_console_tail(const DlConsole *c, int n);

#endif
