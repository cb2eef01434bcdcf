/* The dump device (dumpdev.h): a DMA engine from RAM into an image that
 * grows up to a limit. Every bad request sets a status the guest can read;
 * nothing a guest writes can make the host allocate more than the limit. */
#include "ia64/dumpdev.h"

#include <stdlib.h>
#include <string.h>

#include "ia64/mem.h"

static int dd_read(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    struct ia64_dumpdev *d = opaque;
    switch (off) {
    case DUMPDEV_SRC:
        *val = d->src;
        break;
    case DUMPDEV_LEN:
        *val = d->len;
        break;
    case DUMPDEV_OFF:
        *val = d->off;
        break;
    case DUMPDEV_STATUS:
        *val = d->status;
        break;
    default:
        *val = 0;
    }
    return 0;
}

static void copy(struct ia64_dumpdev *d)
{
    if (d->finished) {
        d->status = 3;
        return;
    }
    const uint8_t *p = ia64_ram_ptr(d->m, d->src, d->len);
    if (!p) {
        d->status = 1;
        return;
    }
    if (d->off > d->max || d->len > d->max - d->off) {
        d->status = 2;
        return;
    }
    size_t end = (size_t)(d->off + d->len);
    if (end > d->cap && d->fixed) {
        d->status = 2;
        return;
    }
    if (end > d->cap) {
        size_t cap = d->cap ? d->cap : 1 << 20;
        while (cap < end)
            cap *= 2;
        uint8_t *n = realloc(d->image, cap);
        if (!n) {
            d->status = 2;
            return;
        }
        memset(n + d->cap, 0, cap - d->cap); /* holes read as zeros */
        d->image = n;
        d->cap = cap;
    }
    if (d->off > d->size) /* a hole: zeros, whatever the buffer held */
        memset(d->image + d->size, 0, (size_t)d->off - d->size);
    memcpy(d->image + d->off, p, d->len);
    if (end > d->size)
        d->size = end;
    d->copies++;
    d->status = 0;
}

static int dd_write(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t val)
{
    struct ia64_dumpdev *d = opaque;
    switch (off) {
    case DUMPDEV_SRC:
        d->src = val;
        break;
    case DUMPDEV_LEN:
        d->len = val;
        break;
    case DUMPDEV_OFF:
        d->off = val;
        break;
    case DUMPDEV_CMD:
        if (val == DUMPDEV_CMD_COPY)
            copy(d);
        else if (val == DUMPDEV_CMD_FINISH)
            d->finished = true;
        break;
    default:
        break;
    }
    return 0;
}

static const struct ia64_mmio_ops dd_ops = {.read = dd_read, .write = dd_write};

int ia64_dumpdev_init(struct ia64_dumpdev *d, struct ia64_machine *m, size_t max)
{
    memset(d, 0, sizeof(*d));
    d->m = m;
    d->max = max;
    return ia64_machine_add_mmio(m, IA64_DUMPDEV_BASE, IA64_DUMPDEV_SIZE, &dd_ops, d);
}

void ia64_dumpdev_use_buffer(struct ia64_dumpdev *d, uint8_t *buf, size_t cap)
{
    if (!d->fixed)
        free(d->image);
    d->image = buf;
    d->cap = d->max = cap;
    d->size = 0;
    d->fixed = true;
}

void ia64_dumpdev_destroy(struct ia64_dumpdev *d)
{
    if (!d->fixed)
        free(d->image);
    d->image = NULL;
    d->size = d->cap = 0;
}
