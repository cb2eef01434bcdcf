/* Defects injected into a collected vmcore on purpose, so tests can show
 * that each check catches what it exists for on a real dump: "marker"
 * (one byte of the first marker page), "page" (one byte of RAM at 32 MiB,
 * which only the cross-check can see), "note" (the second CPU's
 * NT_PRSTATUS note renamed, as if that CPU never answered). The run takes
 * the kind from $DUMPLAB_INJECT_DEFECT. */
#ifndef DUMPLAB_INJECT_H
#define DUMPLAB_INJECT_H

#include <glib.h>
#include <stdbool.h>

bool dl_inject_defect(const char *vmcore, const char *kind, GPtrArray *manifest, GError **err);

#endif
