/* Writers of kdump-compressed and flattened files from any dump the reader
 * opens, for tests and benchmarks: the formats makedumpfile cannot make on
 * this host (snappy, zstd), kdump-compressed IA-64 dumps, and damaged
 * copies. Pages are compressed with the real libraries (dl_compress). */
#ifndef DUMPLAB_DUMPGEN_H
#define DUMPLAB_DUMPGEN_H

#include "dumplab/dump.h"

#include <glib.h>
#include <stdbool.h>

/* Writes src as a kdump-compressed file (header version 6, mode 0600):
 * every PRESENT frame, compressed with comp (one DL_DUMP_* or 0); with
 * level & 1 all-zero pages are left out as makedumpfile's -d 1 does, else
 * they share one stored zero page. EXCLUDED frames of src stay excluded. */
bool dl_dumpgen_kdump(DlDump *src, const char *path, guint32 comp, int level, GError **err);
/* Rewrites the file in as the flattened stream out (mode 0600), records of
 * at most chunk bytes, the first record written last (makedumpfile rewrites
 * its header at the end too). */
bool dl_dumpgen_flatten(const char *in, const char *out, gsize chunk, GError **err);

/* Marks frame pfn of a kdump-compressed file excluded in place: clears its
 * 2nd-bitmap bit and removes its descriptor, as if the filter had dropped
 * it (to show `dumplab compare` catching a wrongly excluded page). */
bool dl_dumpgen_exclude(const char *path, guint64 pfn, GError **err);

#endif
