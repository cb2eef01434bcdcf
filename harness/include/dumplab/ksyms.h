/* A kernel's link-time symbols and patch sites, from its vmlinux (Debian's
 * linux-image-*-dbg; ELF via libelf) or a System.map: names for addresses,
 * and the places the kernel itself patches its text at run time
 * (__jump_table entries, __mcount_loc ftrace sites). */
#ifndef DUMPLAB_KSYMS_H
#define DUMPLAB_KSYMS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint64_t addr, size;
    char *name;
} DlKsym;

typedef struct {
    GArray *syms;        /* DlKsym, text symbols by address */
    GHashTable *by_name; /* name -> DlKsym * */
    GArray *jump;        /* uint64_t, sorted: static-key (jump label) sites */
    GArray *mcount;      /* uint64_t, sorted: ftrace call sites (__fentry__) */
    GArray *scall;       /* uint64_t, sorted: inline static call sites
                            (.static_call_sites; tracepoints use them) */
} DlKsyms;

/* Reads a vmlinux (ELF) or a System.map (text). A System.map has no patch
 * sites: changes are then classified by their bytes alone. */
DlKsyms *dl_ksyms_load(const char *path, GError **err);
void dl_ksyms_free(DlKsyms *k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlKsyms, dl_ksyms_free)

/* Link-time address of a symbol; 0 when unknown. */
uint64_t dl_ksyms_addr(const DlKsyms *k, const char *name);
/* The text symbol holding link-time addr (the last one at or below it), or
 * NULL; *off its offset. */
const DlKsym *dl_ksyms_lookup(const DlKsyms *k, uint64_t addr, uint64_t *off);
/* Whether a sorted site list holds a site s with s <= addr < s + len. */
bool dl_ksyms_site(const GArray *sites, uint64_t addr, unsigned len, uint64_t *site);

#endif
