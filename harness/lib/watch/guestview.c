/* The read-only view of guest RAM (guestview.h). */
#include "dumplab/guestview.h"
#include "dumplab/error.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* QEMU's i440fx "pc" machine puts RAM below 3.5 GiB whole; from 3.5 GiB of
 * RAM up it keeps 3 GiB low and the rest above 4 GiB (pc_piix.c,
 * gigabyte_align). */
#define PC_LOWMEM_LIMIT 0xe0000000ULL
#define PC_LOWMEM_SPLIT 0xc0000000ULL
#define FOUR_GIB 0x100000000ULL

static uint64_t low_part(uint64_t size)
{
    return size < PC_LOWMEM_LIMIT ? size : PC_LOWMEM_SPLIT;
}

DlGuestView *dl_view_open(const char *path, GError **err)
{
    /* O_RDONLY and PROT_READ: the kernel itself refuses every write. */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "opening guest RAM %s", path);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size <= 0) {
        dl_set_error_errno(err, errno ? errno : EINVAL, "guest RAM %s: no size", path);
        close(fd);
        return NULL;
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        dl_set_error_errno(err, errno, "mapping guest RAM %s", path);
        close(fd);
        return NULL;
    }
    DlGuestView *v = g_new0(DlGuestView, 1);
    v->fd = fd;
    v->base = m;
    v->size = (uint64_t)st.st_size;
    v->low = low_part(v->size);
    v->path = g_strdup(path);
    return v;
}

DlGuestView *dl_view_wrap(const void *buf, uint64_t size)
{
    DlGuestView *v = g_new0(DlGuestView, 1);
    v->fd = -1;
    v->base = buf;
    v->size = size;
    v->low = low_part(size);
    return v;
}

void dl_view_close(DlGuestView *v)
{
    if (!v)
        return;
    if (v->fd >= 0) {
        munmap((void *)v->base, v->size);
        close(v->fd);
    }
    g_free(v->path);
    g_free(v);
}

const uint8_t *dl_view_phys(const DlGuestView *v, uint64_t pa, uint64_t len)
{
    uint64_t off;
    if (pa < v->low) {
        if (len > v->low - pa)
            return NULL;
        off = pa;
    } else if (pa >= FOUR_GIB) {
        off = pa - FOUR_GIB + v->low;
        if (off < v->low || off >= v->size || len > v->size - off)
            return NULL;
    } else {
        return NULL;
    }
    return v->base + off;
}
