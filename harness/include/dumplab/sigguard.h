/* SIGINT, SIGTERM and SIGHUP end a run through its normal cleanup path (the
 * domain is destroyed) rather than killing the harness outright. */
#ifndef DUMPLAB_SIGGUARD_H
#define DUMPLAB_SIGGUARD_H

#include <stdbool.h>

void dl_sigguard_install(void);
/* The signal received, or 0. */
int dl_sigguard_caught(void);

#endif
