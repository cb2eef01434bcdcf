/* Mint's memory views (seed 001): each OS node's recognised memory as
 * Kexec-Mint's kexec/firmware_memmap.c computes it, the extensions an
 * operator makes to node 0's region 3, and every range where one node's
 * writable view overlaps another node's memory. Pure computation. */
#ifndef DUMPLAB_MINTPLAN_H
#define DUMPLAB_MINTPLAN_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define DL_MINT_MAX_NODES 64

/* Kexec-Mint's constants (kexec/mint.h, firmware_memmap.c lines 282-287). */
#define DL_MINT_REGION1_SIZE 0x200000ULL
#define DL_MINT_REGION2_BASE 0x8000000ULL
#define DL_MINT_REGION2_SIZE 0x8000000ULL
#define DL_MINT_MEMORY_START 0x20000000ULL
#define DL_MINT_MEMORY_STEP 0x18000000ULL
#define DL_MINT_MEMORY_SIZE 0x20000000ULL

typedef struct {
    unsigned node;
    unsigned region;     /* 1, 2, 3 */
    uint64_t start, end; /* [start, end) */
    bool writable;
    bool extension; /* the part of region 3 past Kexec-Mint's own size */
} DlMintRange;

/* An operator's change to one node's region 3: its size, and whether the
 * part past the default size is mapped read-only. */
typedef struct {
    unsigned node;
    uint64_t size;
    bool ro;
} DlMintExtend;

/* One node's writable range meeting another node's range. */
typedef struct {
    unsigned writer, owner;
    unsigned writer_region, owner_region;
    uint64_t start, end;
} DlMintOverlap;

typedef struct {
    unsigned nodes;
    GArray *ranges;   /* DlMintRange, by node then region */
    GArray *overlaps; /* DlMintOverlap: writable views over others' memory */
    GArray *shared;   /* DlMintOverlap with a read-only writer side: safe */
} DlMintPlan;

/* Parses "ID=SIZE[:ro]" or "ID=..END[:ro]" (region 3 ends at END); numbers
 * in C syntax (0x...). Errors name the problem. */
bool dl_mint_parse_extend(const char *arg, DlMintExtend *out, GError **err);

/* The plan for nodes 0..nodes-1 with the given extensions (may be empty). */
DlMintPlan *dl_mint_plan(unsigned nodes, const DlMintExtend *ext, unsigned n_ext, GError **err);
void dl_mint_plan_free(DlMintPlan *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlMintPlan, dl_mint_plan_free)

/* A watch under the plan: node 0 is the monitor, the watched guest is
 * `node`. Appends to `seen` (DlMintOverlap) the ranges of that node's
 * memory node 0's view reads. False with err, naming the range, when node
 * 0's view of the node is writable anywhere (a watch only maps read-only,
 * and a writable view is what reset and hung the seed's nodes), or when it
 * does not reach the node at all. */
bool dl_mint_monitor_view(const DlMintPlan *p, unsigned node, GArray *seen, GError **err);

/* The plan as text: a table of ranges, a drawn map (one row per node, one
 * column per `cols` slice of the address space: W writable, r read-only,
 * '.' nothing) and the overlaps. */
char *dl_mint_plan_text(const DlMintPlan *p, unsigned cols);

#endif
