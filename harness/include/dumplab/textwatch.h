/* The health check of a guest kernel's text: a baseline hash per text page
 * once boot has settled, re-checks at a period, and every change reported
 * with its address, symbol+offset and class, decoded from the bytes that
 * changed and the kernel's own patch sites (ksyms.h). */
#ifndef DUMPLAB_TEXTWATCH_H
#define DUMPLAB_TEXTWATCH_H

#include "dumplab/guestview.h"
#include "dumplab/ksyms.h"
#include "dumplab/ktext.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    DL_TC_STATIC_KEY,  /* a jump label's nop5 <-> jmp at a __jump_table site */
    DL_TC_KPROBE,      /* an int3 (0xcc) over an instruction's first byte */
    DL_TC_FTRACE,      /* an __fentry__ site: nop5 <-> call */
    DL_TC_LIVEPATCH,   /* an ftrace site redirected to a replacement function: its
                          bytes are an ftrace call like any other, so today such a
                          change is reported as ftrace (left: read the ftrace_ops) */
    DL_TC_UNEXPLAINED, /* anything else: nothing in the kernel explains it */
    DL_TC_COUNT
} DlTextClass;

const char *dl_text_class_name(DlTextClass c);
bool dl_text_class_from_name(const char *name, DlTextClass *out);

#define DL_TC_MAX_BYTES 16

typedef struct {
    uint64_t va;  /* first changed byte, guest-virtual */
    unsigned len; /* changed bytes (at most DL_TC_MAX_BYTES shown) */
    uint8_t old[DL_TC_MAX_BYTES], now[DL_TC_MAX_BYTES];
    DlTextClass cls;
    char *symbol;   /* "load_module", or NULL without symbols */
    uint64_t off;   /* offset in symbol */
    gint64 seen_us; /* monotonic time of the scan that saw it */
} DlTextChange;

void dl_text_change_free(DlTextChange *c);
/* "0xffffffff... load_module+0x2c static-key: 0f 1f 44 00 00 -> e9 .." */
char *dl_text_change_describe(const DlTextChange *c);

/* Classifies a change of len bytes at link-time address link, given the
 * bytes before and after (old/now, len bytes) and the 5 bytes now at the
 * patch site holding it (site_now, may be NULL). ks may be NULL. */
DlTextClass dl_text_classify(const DlKsyms *ks, uint64_t link, const uint8_t *old,
                             const uint8_t *now, unsigned len, const uint8_t *site_now,
                             uint64_t *site);

typedef struct DlTextWatch DlTextWatch;

/* A watch over kt's text in v. ks (may be NULL) names and classifies. */
DlTextWatch *dl_textwatch_new(const DlGuestView *v, const DlKernelText *kt, const DlKsyms *ks,
                              GError **err);
void dl_textwatch_free(DlTextWatch *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlTextWatch, dl_textwatch_free)

/* Takes the baseline: a hash and a copy of every text page. */
void dl_textwatch_baseline(DlTextWatch *w);
/* Hashes every text page again; each changed page is compared with its
 * copy, and each run of changed bytes is appended to changes
 * (DlTextChange *) and becomes the new baseline. Returns how many. */
unsigned dl_textwatch_scan(DlTextWatch *w, GPtrArray *changes);
/* Text pages and bytes watched. */
uint64_t dl_textwatch_pages(const DlTextWatch *w);

#endif
