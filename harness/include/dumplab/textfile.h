/* Reading a user's text file (a scenario, a kdump.conf) whole, refusing
 * binary input by name before any parser sees it. */
#ifndef DUMPLAB_TEXTFILE_H
#define DUMPLAB_TEXTFILE_H

#include <glib.h>

/* The file's text, NUL-terminated; NULL with *err naming WHAT and PATH when
 * it cannot be read or holds NUL bytes. */
char *dl_read_text_file(const char *path, const char *what, GError **err);

#endif
