/* A read-only view of a guest's RAM: the file behind its memory-backend-file
 * mapped PROT_READ (a write through it faults in the monitor, never reaches
 * the guest), addressed by guest-physical address with the PC machine's
 * layout (RAM below the PCI hole, the rest from 4 GiB). */
#ifndef DUMPLAB_GUESTVIEW_H
#define DUMPLAB_GUESTVIEW_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int fd;              /* -1 for a view over a caller's buffer (tests) */
    const uint8_t *base; /* PROT_READ, MAP_SHARED */
    uint64_t size;       /* bytes of RAM */
    uint64_t low;        /* RAM below 4 GiB: guest-physical [0, low) */
    char *path;
} DlGuestView;

/* Maps the file read-only; its size is the guest's RAM. */
DlGuestView *dl_view_open(const char *path, GError **err);
/* A view over memory the caller owns (synthetic guests in unit tests). */
DlGuestView *dl_view_wrap(const void *buf, uint64_t size);
void dl_view_close(DlGuestView *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlGuestView, dl_view_close)

/* The bytes at guest-physical pa..pa+len, or NULL when any is not RAM. */
const uint8_t *dl_view_phys(const DlGuestView *v, uint64_t pa, uint64_t len);

/* Proves the view read-only: a forked child writes the byte at pa through
 * it and must die of SIGSEGV, and the byte must be unchanged. *how says
 * what happened. */
bool dl_view_prove_readonly(const DlGuestView *v, uint64_t pa, char **how, GError **err);

#endif
