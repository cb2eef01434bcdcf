/* Live progress of the vmcore copy: percent and MiB/s on one line that
 * rewrites itself when stdout is a terminal; a plain line at most every
 * few seconds otherwise (a worker's pipe, a log). */
#ifndef DUMPLAB_LIVE_H
#define DUMPLAB_LIVE_H

#include <glib.h>
#include <stdbool.h>

typedef struct DlLive DlLive;

/* name: the run's name for the "[name]" prefix; total: bytes expected (0
 * unknown: MiB only); quiet: print nothing. */
DlLive *dl_live_new(const char *name, const char *what, guint64 total, bool quiet);
/* bytes copied so far (a DlGuest progress callback). */
void dl_live_update(void *live, guint64 bytes);
/* "45% 97.3 MiB/s (370/820 MiB)": the text for bytes after seconds. */
char *dl_live_text(guint64 bytes, guint64 total, double seconds);
/* Ends the updating line; safe on NULL. */
void dl_live_free(DlLive *l);

#endif
