/* Minimal TAP output for unit tests: each check prints "ok N name" or
 * "not ok N name"; ci/tap-run.sh counts them. */
#ifndef DUMPLAB_TAP_H
#define DUMPLAB_TAP_H

#include <stdbool.h>
#include <stdio.h>

extern int tap_n;
extern int tap_failed;

/* Records one check; returns cond so callers can stop early. */
bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_skip(const char *reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Exit status for main: 0 when every check passed. */
int tap_done(void);

#endif
