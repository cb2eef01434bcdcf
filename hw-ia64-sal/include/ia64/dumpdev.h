/* A dump device: the capture kernel hands it (physical address, length,
 * file offset) and the device copies those bytes of RAM into its image, as
 * a disk controller would by DMA. The runner writes the image out as the
 * vmcore. Registers (8 bytes each) at IA64_DUMPDEV_BASE. */
#ifndef IA64_DUMPDEV_H
#define IA64_DUMPDEV_H

#define IA64_DUMPDEV_BASE 0xfff20000
#define IA64_DUMPDEV_SIZE 0x1000
#define DUMPDEV_SRC 0x00    /* physical source address */
#define DUMPDEV_LEN 0x08    /* bytes */
#define DUMPDEV_OFF 0x10    /* offset in the image */
#define DUMPDEV_CMD 0x18    /* write: 1 copy, 2 finish */
#define DUMPDEV_STATUS 0x20 /* read: 0 ok, 1 bad source, 2 too large, 3 after finish */
#define DUMPDEV_CMD_COPY 1
#define DUMPDEV_CMD_FINISH 2

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ia64/machine.h"

struct ia64_dumpdev {
    struct ia64_machine *m;
    uint64_t src, len, off, status;
    uint8_t *image;
    size_t size, cap, max; /* bytes written (highest end), allocated, limit */
    bool finished;
    bool fixed; /* the image is the caller's buffer: never grown or freed */
    uint64_t copies;
};

/* Maps the device on m; the image may grow to max bytes. 0, or -1. */
int ia64_dumpdev_init(struct ia64_dumpdev *d, struct ia64_machine *m, size_t max);
void ia64_dumpdev_destroy(struct ia64_dumpdev *d);
/* Writes into buf (cap bytes, owned by the caller) from now on, starting
 * empty; max becomes cap. Bytes between writes read as zeros. */
void ia64_dumpdev_use_buffer(struct ia64_dumpdev *d, uint8_t *buf, size_t cap);
#endif

#endif
