/* ELF loader for programs linked by ia64-linux-gnu-ld: copies each PT_LOAD
 * to its physical address (p_paddr) in RAM and zero-fills the bss part. */
#ifndef IA64_LOADER_H
#define IA64_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "ia64/machine.h"

/* Returns 0 and the entry point, or -1 with a message in err. */
int ia64_load_elf(struct ia64_machine *m, const void *image, size_t len, uint64_t *entry,
                  char *err, size_t errlen);

/* Looks up a symbol's value in the image's symbol table (for tests that
 * read results from memory). Returns 0 when found. */
int ia64_elf_symbol(const void *image, size_t len, const char *name, uint64_t *value);

#endif
