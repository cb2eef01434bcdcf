/* A decoded-bundle cache for an embedder (QEMU's translation step): the
 * bundles a CPU fetches are decoded once and kept, keyed by physical
 * address, with their 16 raw bytes. A hit needs the bytes in RAM to still be
 * those bytes, so code the guest rewrites is decoded again without any
 * invalidation protocol, and execution is exactly the uncached core's.
 * ia64sim runs without it: the plain interpreter stays the oracle. */
#ifndef IA64_BCACHE_H
#define IA64_BCACHE_H

#include <stdint.h>

#include "ia64/decode.h"

struct ia64_machine;

#define IA64_BCACHE_ENTRIES 4096 /* direct mapped: 64 KiB of hot code a CPU */

struct ia64_bcache_entry {
    uint64_t pa; /* IA64_BCACHE_EMPTY when unused */
    uint64_t raw[2];
    struct ia64_bundle b;
};

struct ia64_bcache {
    struct ia64_bcache_entry e[IA64_BCACHE_ENTRIES];
    uint64_t hits, misses;
};

#define IA64_BCACHE_EMPTY 1ULL /* no bundle lives at an odd address */

/* Gives every CPU of m a cache (one allocation, freed by
 * ia64_bcache_disable). Returns 0, or -1 when out of memory. */
int ia64_bcache_enable(struct ia64_machine *m);
void ia64_bcache_disable(struct ia64_machine *m);
/* Forgets every decoded bundle (for a reset; never needed for correctness). */
void ia64_bcache_flush(struct ia64_machine *m);

#endif
