/* The first kernel's memory map, as /proc/iomem gives it: the one reading of
 * it on the host. Top-level "System RAM" lines are RAM; "Crash kernel" is the
 * crashkernel= reservation wherever it nests (inside a System RAM range).
 * Two sources, one rule: the text of /proc/iomem (dumplab check --iomem) and
 * the agent's IOMEM lines (a run; see vm-images/agent/PROTOCOL.md). */
#ifndef DUMPLAB_IOMEM_H
#define DUMPLAB_IOMEM_H

#include "dumplab/check.h"

#include <glib.h>
#include <stdbool.h>

/* Adds one /proc/iomem entry to ram or ck (DlRange arrays) by the rule above. */
void dl_iomem_classify(const char *name, bool top_level, DlRange range, GArray *ram, GArray *ck);

/* /proc/iomem text. Fails naming the problem when it has no top-level
 * System RAM line. */
bool dl_iomem_parse_text(const char *text, GArray *ram, GArray *ck, GError **err);

/* The agent's IOMEM messages (DlMsg *: start=, end=, name=). The agent sends
 * top-level lines and the crashkernel line only. */
void dl_iomem_from_msgs(GPtrArray *msgs, GArray *ram, GArray *ck);

#endif
