/* What the command-line tools (tools/ia64sim.c, tools/ia64kdump.c) share:
 * reading a file whole, numbers and CPU lists from options, and the
 * permutations of an INIT arrival order. */
#ifndef IA64_CLI_H
#define IA64_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The whole file in a malloc'ed buffer (*len bytes), or NULL with errno. */
void *ia64_cli_read_file(const char *path, size_t *len);
/* A number in any base strtoull takes; with size_suffix, K/M/G multiply.
 * 0, or -1 when s is not entirely such a number. */
int ia64_cli_parse_u64(const char *s, uint64_t *v, bool size_suffix);
/* "2,0,3" into out (each < limit, at most max of them): the count, or -1. */
int ia64_cli_parse_list(const char *s, unsigned *out, unsigned max, unsigned limit);
/* Next permutation in lexicographic order; false after the last. */
bool ia64_cli_next_perm(unsigned *a, unsigned n);

#endif
