/* A flattened stream read once, from a pipe (dump.h: dl_dump_open_stream).
 *
 * The records go two ways. Metadata (kdump-compressed: the headers, both
 * bitmaps and the page descriptors, everything below the first page's data;
 * ELF: the headers, program headers and notes) is written at its logical
 * offset into a sparse memory file: the dump's metadata is kept, its page
 * data is not. Page data is checked as it arrives and dropped: each
 * kdump-compressed page must decompress to exactly one page; each byte of
 * an ELF segment must arrive. The DlDump handed back is the metadata file,
 * so every header, bitmap, descriptor and note rule of the checker runs on
 * it as on a file.
 *
 * Out of order: makedumpfile flushes its data cache and its descriptor
 * cache separately, so a page's data often arrives before its descriptor,
 * and a page's data may straddle two records. Data whose descriptor has not
 * arrived yet waits in memory, keyed by offset, up to PENDING_MAX bytes;
 * a stream that needs more is refused by name (check it from a file). A
 * descriptor whose data has not arrived waits likewise (24 bytes each).
 * Records that arrive before the header says where the metadata ends wait
 * the same way.
 *
 * Cycles: makedumpfile with little memory (a kdump kernel, a big guest)
 * works in cycles, writing the 2nd bitmap's part for a cycle just before
 * that cycle's descriptors and pages, so the bitmap is complete only at
 * the end. The frame of each descriptor is found as the bitmap arrives, and
 * until the whole bitmap says where the descriptors end, the first
 * descriptor's data offset bounds them (makedumpfile writes its zero page,
 * then the pages, from where the descriptors end). */
#define _GNU_SOURCE
#include "dump_internal.h"
#include "dumplab/error.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h> /* fallocate */
#include <string.h>
#include <sys/mman.h> /* memfd_create */
#include <unistd.h>

#define FLAT_HEADER 4096
#define PENDING_MAX ((guint64)64 << 20)
/* ELF: bytes kept while the program headers are not known (notes and
 * headers must lie below). */
#define ELF_KEEP PENDING_MAX
#define DESC_SIZE 24
#define SHOW 6
/* Records are read in slices of this size: a pipe hands over 64 KiB at a
 * time anyway, and a buffer this small comes from the allocator's pools
 * instead of a fresh mapping (under ASan a 1 MiB buffer cost two mmaps
 * and a shadow fill per stream: 180 fuzz inputs/s instead of thousands). */
#define SLICE ((gsize)64 << 10)

typedef struct {
    guint64 off, len; /* logical [off, off+len) */
    guint64 used;     /* bytes consumed by pages */
    guint8 *buf;
} Piece;

typedef struct {
    guint64 off; /* data offset */
    guint64 idx; /* descriptor index: several may share one offset */
    guint32 size, flags;
    guint64 pfn;
} Want;

static gint cmp_want(gconstpointer a, gconstpointer b, gpointer u)
{
    const Want *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

typedef struct {
    DlDump *d;
    DlStreamStats *st;
    int mfd;
    bool kdump, elf, meta_known;
    guint64 meta_end; /* logical bytes below are metadata */
    GArray *cover;    /* merged [start,end) of metadata written */
    GTree *pieces;    /* guint64 *off -> Piece *: page data waiting */
    GTree *wants;     /* Want * -> Want *: descriptors waiting, by offset */
    /* Data offsets already verified -> 1 ok, 2 bad: makedumpfile writes one
     * zero page and points every zero frame's descriptor at it. */
    GHashTable *done;
    guint64 pending;
    guint64 early; /* bytes taken before the metadata's end was known */
    /* kdump */
    guint32 bs;
    guint64 desc_off, ndesc, next_desc; /* descriptors handed on: [0, next_desc) */
    bool hdr_known, ndesc_known;
    guint64 bm2_off, max_mapnr, need; /* the 2nd bitmap: its bytes that carry frames */
    guint64 cnt_byte, cnt;            /* its bytes counted so far, and their set bits */
    guint64 rk_pfn;                   /* next frame to look at for descriptor next_desc */
    guint8 win[512];                  /* 2nd bitmap bytes [wa, wa + wn), read once */
    guint64 wa, wn;
    guint8 *page, *cbuf;
    /* ELF: the file ranges of PT_LOAD data and of the notes, and what of
     * the stream arrived; bytes below keep_end are kept in the memory file */
    GArray *loads; /* [start,end) pairs of guint64 */
    GArray *notes; /* [start,end) pairs of guint64 */
    GArray *got;   /* merged [start,end) of every byte that arrived */
    guint64 keep_end, hdr_end;
    GString *bad;
    guint shown;
} St;

static gint cmp_u64(gconstpointer a, gconstpointer b, gpointer u)
{
    guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
    return x < y ? -1 : x > y;
}

static void piece_free(gpointer p)
{
    Piece *x = p;
    g_free(x->buf);
    g_free(x);
}

/* Adds [a,b) to a merged, sorted list of [start,end) pairs. */
static void cover_add(GArray *c, guint64 a, guint64 b)
{
    if (a >= b)
        return;
    guint i = 0;
    while (i < c->len && g_array_index(c, guint64, i + 1) < a)
        i += 2;
    if (i == c->len || g_array_index(c, guint64, i) > b) {
        guint64 v[2] = {a, b};
        g_array_insert_vals(c, i, v, 2);
        return;
    }
    guint64 *s = &g_array_index(c, guint64, i);
    s[0] = MIN(s[0], a);
    s[1] = MAX(s[1], b);
    while (i + 2 < c->len && g_array_index(c, guint64, i + 2) <= g_array_index(c, guint64, i + 1)) {
        g_array_index(c, guint64, i + 1) =
            MAX(g_array_index(c, guint64, i + 1), g_array_index(c, guint64, i + 3));
        g_array_remove_range(c, i + 2, 2);
    }
}

static bool covered(GArray *c, guint64 a, guint64 b)
{
    for (guint i = 0; i < c->len; i += 2)
        if (g_array_index(c, guint64, i) <= a && b <= g_array_index(c, guint64, i + 1))
            return true;
    return a >= b;
}

static void bad_page(St *s, guint64 pfn, const char *why)
{
    s->st->pages_bad++;
    if (s->shown++ < SHOW)
        g_string_append_printf(s->bad, "%s0x%" G_GINT64_MODIFIER "x (%s)", s->bad->len ? "; " : "",
                               pfn, why);
}

static bool meta_write(St *s, guint64 off, const guint8 *buf, guint64 len, GError **err)
{
    for (guint64 done = 0; done < len;) {
        ssize_t n = pwrite(s->mfd, buf + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            dl_set_error_errno(err, errno, "keeping the stream's metadata");
            return false;
        }
        done += (guint64)n;
    }
    cover_add(s->cover, off, off + len);
    return true;
}

/* Gathers [off, off+len) from the waiting pieces into out; true when all
 * of it is there (then the pieces' bytes count as used). */
static bool gather(St *s, guint64 off, guint32 len, guint8 *out)
{
    guint64 at = off, end = off + len;
    GPtrArray *used = g_ptr_array_new();
    while (at < end) {
        GTreeNode *n = g_tree_upper_bound(s->pieces, &at); /* first key > at */
        n = n ? g_tree_node_previous(n) : g_tree_node_last(s->pieces);
        Piece *p = n ? g_tree_node_value(n) : NULL;
        if (!p || p->off > at || p->off + p->len <= at) {
            g_ptr_array_free(used, TRUE);
            return false;
        }
        guint64 take = MIN(end, p->off + p->len) - at;
        memcpy(out + (at - off), p->buf + (at - p->off), take);
        g_ptr_array_add(used, p);
        at += take;
    }
    /* Consumed: a piece whose every byte went to pages is freed. */
    at = off;
    for (guint i = 0; i < used->len; i++) {
        Piece *p = g_ptr_array_index(used, i);
        guint64 take = MIN(end, p->off + p->len) - MAX(at, p->off);
        p->used += take;
        at += take;
        if (p->used >= p->len) {
            s->pending -= p->len;
            g_tree_remove(s->pieces, &p->off);
        }
    }
    g_ptr_array_free(used, TRUE);
    return true;
}

/* One page whose descriptor and data are both here: verify it. */
static bool try_page(St *s, const Want *w)
{
    guint64 key = w->off ^ ((guint64)w->size << 48) ^ ((guint64)w->flags << 40);
    gpointer seen = g_hash_table_lookup(s->done, &key);
    if (seen) {
        /* The same bytes as a page already judged. */
        if (GPOINTER_TO_UINT(seen) == 1) {
            s->st->pages_verified++;
            s->st->bytes_verified += s->bs;
        } else {
            bad_page(s, w->pfn, "shares the data of a page that cannot be read");
        }
        return true;
    }
    if (w->size > s->bs)
        return false;
    /* Data below where the descriptors were first thought to end (the zero
     * page) went to the memory file with them. */
    bool inmeta = covered(s->cover, w->off, w->off + w->size);
    if (inmeta ? pread(s->mfd, s->cbuf, w->size, (off_t)w->off) != (ssize_t)w->size
               : !gather(s, w->off, w->size, s->cbuf))
        return false;
    GError *e = NULL;
    bool ok = dl_decompress(w->flags & (DL_DUMP_ZLIB | DL_DUMP_LZO | DL_DUMP_SNAPPY | DL_DUMP_ZSTD),
                            s->cbuf, w->size, s->page, s->bs, &e);
    if (!ok) {
        bad_page(s, w->pfn, e->message);
        g_error_free(e);
    } else {
        s->st->pages_verified++;
        s->st->bytes_verified += s->bs;
    }
    g_hash_table_insert(s->done, g_memdup2(&key, sizeof(key)), GUINT_TO_POINTER(ok ? 1 : 2));
    return true;
}

/* Where the arrived range that holds byte `at` ends (`at` if none does). */
static guint64 cover_end(GArray *c, guint64 at)
{
    for (guint i = 0; i < c->len; i += 2)
        if (g_array_index(c, guint64, i) <= at && at < g_array_index(c, guint64, i + 1))
            return g_array_index(c, guint64, i + 1);
    return at;
}

/* The frame of descriptor next_desc: the next set bit of the 2nd bitmap
 * from rk_pfn on, among the bytes counted (the caller knows it is there). */
static guint64 next_frame(St *s)
{
    for (;;) {
        guint64 b = s->rk_pfn / 8;
        if (b >= s->cnt_byte)
            return s->rk_pfn; /* cannot happen: the count says a bit is set */
        if (b < s->wa || b >= s->wa + s->wn) {
            s->wa = b;
            s->wn = MIN((guint64)sizeof(s->win), s->cnt_byte - b);
            if (pread(s->mfd, s->win, s->wn, (off_t)(s->bm2_off + b)) != (ssize_t)s->wn) {
                s->wn = 0;
                return s->rk_pfn;
            }
        }
        guint8 v = s->win[b - s->wa] >> (s->rk_pfn % 8);
        if (!v) {
            s->rk_pfn = (b + 1) * 8;
            continue;
        }
        s->rk_pfn += (guint64)__builtin_ctz(v);
        return s->rk_pfn++;
    }
}

/* Descriptors [next_desc, ...) whose 24 bytes are all in and whose frame
 * the bitmap has told: each waits for its data, or is verified at once.
 * Read a run at a time (one pread for up to 1024, not one per descriptor). */
static void take_descs(St *s)
{
    guint8 pd[DESC_SIZE * 1024];
    while (s->next_desc < s->cnt) {
        guint64 at = s->desc_off + s->next_desc * DESC_SIZE;
        guint64 n = MIN((cover_end(s->cover, at) - at) / DESC_SIZE, s->cnt - s->next_desc);
        n = MIN(n, (guint64)1024);
        if (!n || pread(s->mfd, pd, n * DESC_SIZE, (off_t)at) != (ssize_t)(n * DESC_SIZE))
            return;
        for (guint64 k = 0; k < n; k++) {
            const guint8 *p = pd + k * DESC_SIZE;
            Want w = {.pfn = next_frame(s), .idx = s->next_desc};
            gint64 o;
            memcpy(&o, p, 8);
            memcpy(&w.size, p + 8, 4);
            memcpy(&w.flags, p + 12, 4);
            w.off = (guint64)o;
            s->next_desc++;
            if (o < 0 || w.size == 0 || w.size > s->bs) {
                bad_page(s, w.pfn, "its descriptor gives an impossible size or offset");
                continue;
            }
            if (!try_page(s, &w)) {
                Want *q = g_memdup2(&w, sizeof(w));
                g_tree_insert(s->wants, q, q);
            }
        }
    }
}

/* After new data: descriptors that waited for bytes in [a, b). */
static void retry_wants(St *s, guint64 a, guint64 b)
{
    Want from = {.off = a > s->bs ? a - s->bs : 0};
    GPtrArray *done = g_ptr_array_new();
    for (GTreeNode *n = g_tree_lower_bound(s->wants, &from); n; n = g_tree_node_next(n)) {
        Want *w = g_tree_node_value(n);
        if (w->off >= b)
            break;
        if (try_page(s, w))
            g_ptr_array_add(done, w);
    }
    for (guint i = 0; i < done->len; i++)
        g_tree_remove(s->wants, g_ptr_array_index(done, i));
    g_ptr_array_free(done, TRUE);
}

static bool hold(St *s, guint64 off, const guint8 *buf, guint64 len, GError **err)
{
    if (s->pending + len > PENDING_MAX) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "more than %" G_GUINT64_FORMAT " MiB of page data arrived before the "
                    "descriptors or headers that place it: the stream is too far out of order "
                    "to check from a pipe (save it to a file and check that)",
                    PENDING_MAX >> 20);
        return false;
    }
    /* A record that overlaps one still waiting: the later one wins. */
    GTreeNode *n = g_tree_lookup_node(s->pieces, &off);
    if (n) {
        Piece *old = g_tree_node_value(n);
        s->pending -= old->len;
        g_tree_remove(s->pieces, &off);
    }
    Piece *p = g_new0(Piece, 1);
    p->off = off;
    p->len = len;
    p->buf = g_memdup2(buf, len);
    s->pending += len;
    s->st->max_pending = MAX(s->st->max_pending, s->pending);
    g_tree_insert(s->pieces, &p->off, p);
    // cppcheck-suppress memleak ; the tree owns p (g_tree_insert)
    return true;
}

/* Counts the set bits of the 2nd bitmap's bytes that have arrived, in
 * order; when all are counted, the descriptors' end is known exactly. */
static void count_bitmap(St *s)
{
    guint8 b[4096];
    while (s->cnt_byte < s->need) {
        guint64 at = s->bm2_off + s->cnt_byte;
        guint64 n =
            MIN(MIN(cover_end(s->cover, at) - at, s->need - s->cnt_byte), (guint64)sizeof(b));
        if (!n || pread(s->mfd, b, n, (off_t)at) != (ssize_t)n)
            return;
        for (guint64 i = 0; i < n; i++) {
            guint8 v = b[i];
            if (s->cnt_byte + i == s->need - 1 && s->max_mapnr % 8) /* bits past max_mapnr */
                v &= (guint8)((1u << (s->max_mapnr % 8)) - 1);
            s->cnt += (guint64)__builtin_popcount(v);
        }
        s->cnt_byte += n;
    }
    if (s->ndesc_known)
        return;
    s->ndesc = s->cnt;
    s->ndesc_known = true;
    guint64 d = s->desc_off + s->ndesc * DESC_SIZE;
    if (s->meta_known && d > s->meta_end) {
        /* The first descriptor pointed inside the descriptors (a damaged
         * dump): what was held as data there is descriptors. */
        for (GTreeNode *n = g_tree_node_first(s->pieces); n; n = g_tree_node_next(n)) {
            Piece *p = g_tree_node_value(n);
            if (p->off >= d)
                break;
            meta_write(s, p->off, p->buf, MIN(p->len, d - p->off), NULL);
        }
    }
    s->meta_end = d;
    s->meta_known = true;
}

/* The kdump header (and sub-header) placed the bitmaps and descriptors:
 * metadata ends where the whole 2nd bitmap says, or, until it is all in,
 * where the first descriptor's data starts. */
static bool learn_kdump(St *s, GError **err)
{
    if (!s->hdr_known) {
        /* ILP32's 452 bytes may be all of the header's record (QEMU);
         * an LP64 header waits for its 464. */
        guint8 h[DL_KDUMP_HDR_LP64] = {0};
        if (!covered(s->cover, 0, DL_KDUMP_HDR_ILP32) ||
            pread(s->mfd, h, DL_KDUMP_HDR_ILP32, 0) != DL_KDUMP_HDR_ILP32)
            return true;
        gsize hlen = DL_KDUMP_HDR_ILP32;
        if (covered(s->cover, 0, DL_KDUMP_HDR_LP64) &&
            pread(s->mfd, h, DL_KDUMP_HDR_LP64, 0) == DL_KDUMP_HDR_LP64)
            hlen = DL_KDUMP_HDR_LP64;
        DlKdumpInfo k = {0};
        dl_kdump_parse_header(h, hlen, &k);
        if (!k.ilp32 && hlen < DL_KDUMP_HDR_LP64)
            return true; /* an LP64 header not all here yet */
        guint32 bs = k.block_size, sub = k.sub_hdr_size, blocks = k.bitmap_blocks;
        if (bs < 1024 || bs > (1u << 20) || (bs & (bs - 1)) || sub == 0 || blocks == 0 ||
            sub > (1u << 20) || blocks > (1u << 24)) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "kdump-compressed: block_size %u, sub_hdr_size %u, bitmap_blocks %u "
                        "cannot be placed",
                        bs, sub, blocks);
            return false;
        }
        guint64 bm_off = (guint64)(1 + sub) * bs, bm_len = (guint64)blocks * bs / 2;
        if (k.header_version >= 6) {
            guint8 sh[DL_KDUMP_SUB_LEN] = {0};
            gsize shlen = k.ilp32 ? 80 : sizeof(sh);
            if (!covered(s->cover, bs, bs + shlen))
                return true; /* the sub-header is not here yet */
            if (pread(s->mfd, sh, shlen, bs) == (ssize_t)shlen)
                dl_kdump_parse_sub(sh, &k); /* max_mapnr_64 */
        }
        guint64 max_mapnr = k.max_mapnr;
        s->bs = bs;
        s->max_mapnr = MIN(max_mapnr, bm_len * 8);
        /* makedumpfile writes each bitmap's max_mapnr bits, not its padding. */
        s->need = (s->max_mapnr + 7) / 8;
        s->bm2_off = bm_off + bm_len;
        s->desc_off = bm_off + 2 * bm_len;
        s->page = g_malloc(bs);
        s->cbuf = g_malloc(bs);
        s->hdr_known = true;
    }
    count_bitmap(s);
    if (s->meta_known)
        return true;
    guint64 first;
    if (!covered(s->cover, s->desc_off, s->desc_off + 8) ||
        pread(s->mfd, &first, 8, (off_t)s->desc_off) != 8)
        return true;
    /* Descriptors end no later than the first one's data, nor than the
     * bits not yet counted allow. */
    guint64 most = s->desc_off + (s->cnt + (s->need - s->cnt_byte) * 8) * DESC_SIZE;
    s->meta_end = MIN(MAX(first, s->desc_off + DESC_SIZE), most);
    s->meta_known = true;
    return true;
}

/* Drops what the memory file holds at or beyond `from` (page data kept
 * while the program headers were not known yet): its memory goes back and
 * it no longer counts as arrived metadata. */
static void meta_cut(St *s, guint64 from)
{
    for (guint i = 0; i < s->cover->len; i += 2) {
        guint64 *r = &g_array_index(s->cover, guint64, i);
        if (r[1] <= from)
            continue;
        guint64 a = MAX(r[0], from);
        fallocate(s->mfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)a, (off_t)(r[1] - a));
        if (r[0] < from) {
            r[1] = from;
            continue;
        }
        g_array_set_size(s->cover, i);
        break;
    }
}

/* The ELF headers and program headers, as far as they are in: metadata
 * ends after the notes; the PT_LOAD file ranges are the data to account
 * for. makedumpfile -E -F writes zeroed program headers first and the real
 * ones after the last page (it learns the sizes as it filters), so
 * headers without a PT_NOTE or PT_LOAD are not taken as the layout until
 * the stream ends (`final`); until then the first ELF_KEEP bytes are all
 * kept, notes among them. */
static bool learn_elf(St *s, bool final, GError **err)
{
    guint8 id[EI_NIDENT];
    if (!covered(s->cover, 0, sizeof(Elf64_Ehdr)) || pread(s->mfd, id, EI_NIDENT, 0) != EI_NIDENT)
        return true;
    bool is64 = id[EI_CLASS] == ELFCLASS64;
    guint64 phoff;
    guint32 phnum, phent;
    guint16 machine;
    if (is64) {
        Elf64_Ehdr e;
        if (pread(s->mfd, &e, sizeof(e), 0) != sizeof(e))
            return true;
        phoff = e.e_phoff, phnum = e.e_phnum, phent = e.e_phentsize, machine = e.e_machine;
    } else {
        Elf32_Ehdr e;
        if (pread(s->mfd, &e, sizeof(e), 0) != sizeof(e))
            return true;
        phoff = e.e_phoff, phnum = e.e_phnum, phent = e.e_phentsize, machine = e.e_machine;
    }
    if (phent != (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) || phnum == PN_XNUM ||
        phoff > ELF_KEEP) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "ELF program headers this reader cannot place from a pipe (e_phentsize %u, "
                    "e_phnum %u, e_phoff 0x%" G_GINT64_MODIFIER "x)",
                    phent, phnum, phoff);
        return false;
    }
    guint64 tab = (guint64)phnum * phent;
    s->hdr_end = phoff + tab;
    if (!covered(s->cover, phoff, phoff + tab))
        return true;
    /* One read for the whole table: it is in the memory file, so no
     * larger than what arrived. */
    g_autofree guint8 *ph = g_malloc(tab ? tab : 1);
    if (tab && pread(s->mfd, ph, tab, (off_t)phoff) != (ssize_t)tab)
        return true;
    guint64 meta = MAX(phoff + tab, is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr));
    bool placed = false;
    g_array_set_size(s->loads, 0);
    g_array_set_size(s->notes, 0);
    for (guint32 i = 0; i < phnum; i++) {
        guint64 t, o, fsz;
        bool text = false;
        if (is64) {
            Elf64_Phdr p;
            memcpy(&p, ph + (gsize)i * phent, sizeof(p));
            t = p.p_type, o = p.p_offset, fsz = p.p_filesz;
            text = (machine == EM_X86_64 && p.p_vaddr >= 0xffffffff80000000ULL) ||
                   (machine == EM_IA_64 && (p.p_vaddr >> 61) == 5);
        } else {
            Elf32_Phdr p;
            memcpy(&p, ph + (gsize)i * phent, sizeof(p));
            t = p.p_type, o = p.p_offset, fsz = p.p_filesz;
        }
        if (o + fsz < o || !fsz)
            continue;
        placed |= t == PT_NOTE || t == PT_LOAD;
        /* Notes are read from the first ELF_KEEP bytes (as dump_elf.c reads
         * them from the first 64 MiB): those must all have arrived, so what
         * the reader copies is bounded by the stream, not by p_filesz. */
        if (t == PT_NOTE && o < ELF_KEEP) {
            guint64 v[2] = {o, MIN(o + fsz, ELF_KEEP)};
            meta = MAX(meta, v[1]);
            g_array_append_vals(s->notes, v, 2);
        }
        /* The kernel-text segment repeats RAM: its bytes are not more pages. */
        if (t == PT_LOAD && !text) {
            guint64 v[2] = {o, o + fsz};
            g_array_append_vals(s->loads, v, 2);
        }
    }
    if (!placed && !final)
        return true; /* placeholders: the real headers come later */
    s->meta_end = meta;
    s->meta_known = true;
    /* What was kept beyond the notes while waiting is page data. */
    if (s->keep_end > meta) {
        meta_cut(s, meta);
        s->keep_end = meta;
    }
    return true;
}

/* kdump-compressed page data at [off, off+len): it waits for the
 * descriptors that say which page it is. */
static bool take_data(St *s, guint64 off, const guint8 *buf, guint64 len, GError **err)
{
    if (!hold(s, off, buf, len, err))
        return false;
    retry_wants(s, off, off + len);
    return true;
}

/* One record of an ELF stream: every byte is noted as arrived (PT_LOAD
 * data is accounted against the final program headers when the stream
 * ends); bytes below keep_end go to the memory file. A record over the
 * headers may be the real ones after placeholders: they are read again. */
static bool take_elf(St *s, guint64 off, const guint8 *buf, guint64 len, GError **err)
{
    cover_add(s->got, off, off + len);
    if (off < s->keep_end && !meta_write(s, off, buf, MIN(len, s->keep_end - off), err))
        return false;
    if (off < MAX(s->hdr_end, sizeof(Elf64_Ehdr)))
        return learn_elf(s, false, err);
    return true;
}

/* Until the headers say where metadata ends, every record goes into the
 * memory file (at most PENDING_MAX bytes of them); then the data among them
 * is taken out again and its memory given back. */
static bool take_early(St *s, guint64 off, const guint8 *buf, guint64 len, GError **err)
{
    s->early += len;
    if (s->early > PENDING_MAX) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "more than %" G_GUINT64_FORMAT " MiB arrived before the headers that place "
                    "them: the stream is too far out of order to check from a pipe (save it to "
                    "a file and check that)",
                    PENDING_MAX >> 20);
        return false;
    }
    if (!meta_write(s, off, buf, len, err))
        return false;
    if (!s->kdump && !s->elf) {
        /* The format, once the record for offset 0 is in (makedumpfile
         * writes it first; a writer may write it last). */
        guint8 m[8];
        if (!covered(s->cover, 0, sizeof(m)) || pread(s->mfd, m, sizeof(m), 0) != sizeof(m))
            return true;
        s->kdump = !memcmp(m, "KDUMP   ", 8);
        s->elf = !memcmp(m, ELFMAG, SELFMAG);
        if (!s->kdump && !s->elf) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "a flattened stream of neither an ELF core nor a kdump-compressed file "
                        "(first bytes %02x %02x %02x %02x)",
                        m[0], m[1], m[2], m[3]);
            return false;
        }
    }
    if (s->elf) {
        /* From here on every record is taken by take_elf; what came early
         * has arrived and is in the memory file. */
        for (guint i = 0; i < s->cover->len; i += 2)
            cover_add(s->got, g_array_index(s->cover, guint64, i),
                      g_array_index(s->cover, guint64, i + 1));
        s->keep_end = ELF_KEEP;
        return learn_elf(s, false, err);
    }
    if (!learn_kdump(s, err))
        return false;
    if (!s->meta_known)
        return true;
    g_autoptr(GArray) early = g_array_copy(s->cover);
    g_autofree guint8 *chunk = g_malloc(SLICE);
    for (guint i = 0; i < early->len; i += 2) {
        guint64 a = MAX(g_array_index(early, guint64, i), s->meta_end);
        guint64 b = g_array_index(early, guint64, i + 1);
        for (guint64 at = a; at < b;) {
            gsize n = (gsize)MIN(b - at, (guint64)SLICE);
            if (pread(s->mfd, chunk, n, (off_t)at) != (ssize_t)n) {
                dl_set_error_errno(err, errno, "re-reading the stream's early records");
                return false;
            }
            if (!take_data(s, at, chunk, n, err))
                return false;
            at += n;
        }
    }
    /* The data among them is held now: the memory file gives it back. */
    meta_cut(s, s->meta_end);
    take_descs(s);
    return true;
}

/* One record's bytes, [off, off+len): metadata to the memory file, data
 * checked (or held until it can be). */
static bool take(St *s, guint64 off, const guint8 *buf, guint64 len, GError **err)
{
    if (s->elf)
        return take_elf(s, off, buf, len, err);
    if (!s->meta_known)
        return take_early(s, off, buf, len, err);
    if (off < s->meta_end) {
        guint64 m = MIN(len, s->meta_end - off);
        if (!meta_write(s, off, buf, m, err))
            return false;
        off += m, buf += m, len -= m;
        count_bitmap(s);
        take_descs(s);
    }
    return !len || take_data(s, off, buf, len, err);
}

DlDump *dl_dump_open_stream(int fd, const char *name, DlStreamStats *st, GError **err)
{
    memset(st, 0, sizeof(*st));
    gint64 t0 = g_get_monotonic_time();
    St s = {.st = st, .mfd = -1};
    s.cover = g_array_new(FALSE, FALSE, sizeof(guint64));
    s.got = g_array_new(FALSE, FALSE, sizeof(guint64));
    s.loads = g_array_new(FALSE, FALSE, sizeof(guint64));
    s.notes = g_array_new(FALSE, FALSE, sizeof(guint64));
    s.pieces = g_tree_new_full(cmp_u64, NULL, NULL, piece_free);
    s.wants = g_tree_new_full(cmp_want, NULL, NULL, g_free);
    s.done = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    s.bad = g_string_new(NULL);
    guint8 *buf = g_malloc(SLICE);
    guint64 pos = 0, end = 0;
    bool ok = false, ended = false;
    g_autofree char *path = NULL; /* before the first goto */
    s.mfd = memfd_create("dumplab-stream-metadata", MFD_CLOEXEC);
    if (s.mfd < 0) {
        dl_set_error_errno(err, errno, "memfd_create");
        goto out;
    }
#define READ(p, n)                                                                                 \
    do {                                                                                           \
        gsize got_ = 0;                                                                            \
        while (got_ < (n)) {                                                                       \
            ssize_t r_ = read(fd, (guint8 *)(p) + got_, (n)-got_);                                 \
            if (r_ < 0 && errno == EINTR)                                                          \
                continue;                                                                          \
            if (r_ < 0) {                                                                          \
                dl_set_error_errno(err, errno, "reading %s", name);                                \
                goto out;                                                                          \
            }                                                                                      \
            if (r_ == 0)                                                                           \
                break;                                                                             \
            got_ += (gsize)r_;                                                                     \
        }                                                                                          \
        pos += got_;                                                                               \
        if (got_ < (n))                                                                            \
            goto short_read;                                                                       \
    } while (0)
    READ(buf, FLAT_HEADER);
    if (memcmp(buf, "makedumpfile", 13)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: only the flattened format (makedumpfile -F) can be read from a pipe; "
                    "this stream does not start with \"makedumpfile\"",
                    name);
        goto out;
    }
    for (;;) {
        guint64 rh[2];
        READ(rh, 16);
        guint64 off = GUINT64_FROM_BE(rh[0]), len = GUINT64_FROM_BE(rh[1]);
        if (off == G_MAXUINT64 && len == G_MAXUINT64) {
            ended = true;
            break;
        }
        if ((gint64)off < 0 || (gint64)len < 0 || off + len < off) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: record at stream offset 0x%" G_GINT64_MODIFIER
                        "x claims %" G_GINT64_FORMAT " bytes at offset %" G_GINT64_FORMAT,
                        name, pos - 16, (gint64)len, (gint64)off);
            goto out;
        }
        end = MAX(end, off + len);
        /* Each record in slices: memory stays bounded whatever length a
         * record claims; the stream's end cuts it short. */
        for (guint64 done = 0; done < len;) {
            gsize n = (gsize)MIN(len - done, (guint64)SLICE);
            READ(buf, n);
            if (!take(&s, off + done, buf, n, err)) {
                g_prefix_error(err, "%s: ", name);
                goto out;
            }
            done += n;
        }
    }
short_read:
    if (!ended) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: the stream ends at 0x%" G_GINT64_MODIFIER "x without its end record: "
                    "it was cut short",
                    name, pos);
        goto out;
    }
    if (s.elf && !learn_elf(&s, true, err)) {
        g_prefix_error(err, "%s: ", name);
        goto out;
    }
    if (!s.meta_known) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: the stream ended before its headers were complete", name);
        goto out;
    }
    /* Notes that arrived before the headers that place them, beyond what
     * was kept while waiting, are lost: say so rather than check without. */
    for (guint i = 0; s.elf && i < s.notes->len; i += 2) {
        guint64 a = g_array_index(s.notes, guint64, i), b = g_array_index(s.notes, guint64, i + 1);
        if (!covered(s.cover, a, b)) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: the ELF notes at file bytes 0x%" G_GINT64_MODIFIER
                        "x-0x%" G_GINT64_MODIFIER "x did not all arrive, or arrived before "
                        "the program headers that place them and were not kept: check the "
                        "file instead",
                        name, a, b);
            goto out;
        }
    }
    st->stream_bytes = pos;
    /* What never arrived. */
    if (s.kdump) {
        if (!s.ndesc_known) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: the stream ended before its 2nd bitmap was complete", name);
            goto out;
        }
        st->pages_missing = (s.ndesc - s.next_desc) + (guint64)g_tree_nnodes(s.wants);
        for (GTreeNode *n = g_tree_node_first(s.wants); n; n = g_tree_node_next(n))
            bad_page(&s, ((Want *)g_tree_node_value(n))->pfn,
                     "its data never arrived, or not all of it");
        st->pages_bad -= (guint64)g_tree_nnodes(s.wants);
    }
    guint64 load_bytes = 0;
    for (guint i = 0; s.elf && i < s.loads->len; i += 2) {
        guint64 a = g_array_index(s.loads, guint64, i), b = g_array_index(s.loads, guint64, i + 1);
        /* The bytes of the segment that arrived, and a defect per gap. */
        for (guint k = 0; k < s.got->len; k += 2) {
            guint64 x = MAX(a, g_array_index(s.got, guint64, k));
            guint64 y = MIN(b, g_array_index(s.got, guint64, k + 1));
            load_bytes += y > x ? y - x : 0;
        }
        if (!covered(s.got, a, b)) {
            st->pages_missing++;
            if (s.shown++ < SHOW)
                g_string_append_printf(s.bad,
                                       "%sfile bytes 0x%" G_GINT64_MODIFIER
                                       "x-0x%" G_GINT64_MODIFIER "x of a PT_LOAD (not all arrived)",
                                       s.bad->len ? "; " : "", a, b);
        }
    }
    st->problems = g_string_free(s.bad, FALSE);
    s.bad = NULL;
    /* The metadata file, as large as the file the stream describes. */
    if (ftruncate(s.mfd, (off_t)end) != 0) {
        dl_set_error_errno(err, errno, "sizing the stream's metadata file");
        goto out;
    }
    path = g_strdup_printf("/proc/self/fd/%d", s.mfd);
    DlDump *d = dl_dump_open(path, err);
    if (!d) {
        g_prefix_error(err, "%s: ", name);
        goto out;
    }
    /* A later record may rewrite offset 0: the headers the stream was
     * read by must be the ones the file ends with. */
    if ((dl_dump_format(d) == DL_FMT_KDUMP) != s.kdump) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: the stream was read as %s by its first record at offset 0, but a later "
                    "record rewrote the header into %s",
                    name, s.kdump ? "kdump-compressed" : "ELF", d->fmt_name);
        dl_dump_close(d);
        goto out;
    }
    g_free(d->fmt_name);
    d->fmt_name = g_strdup_printf("flattened %s (stream)", s.kdump ? "kdump-compressed" : "ELF");
    d->no_data = true;
    /* The metadata file is as large as the records claim (one at 2^40
     * makes it a TiB of holes): a segment has the bytes that arrived, from
     * its start on, and no walk goes past them. */
    for (guint i = 0; s.elf && i < d->loads->len; i++) {
        DlLoad *l = &g_array_index(d->loads, DlLoad, i);
        l->avail = MIN(l->avail, cover_end(s.got, l->offset) - l->offset);
    }
    if (s.elf) {
        st->pages_verified = load_bytes / d->page_size;
        st->bytes_verified = load_bytes;
    }
    st->seconds = (g_get_monotonic_time() - t0) / 1e6;
    s.d = d;
    ok = true;
out:
    g_free(buf);
    if (s.mfd >= 0)
        close(s.mfd);
    g_array_free(s.cover, TRUE);
    g_array_free(s.got, TRUE);
    g_array_free(s.loads, TRUE);
    g_array_free(s.notes, TRUE);
    g_tree_destroy(s.pieces);
    g_tree_destroy(s.wants);
    g_hash_table_destroy(s.done);
    if (s.bad)
        g_string_free(s.bad, TRUE);
    g_free(s.page);
    g_free(s.cbuf);
    if (!ok) { /* an error hands back nothing to free */
        g_free(st->problems);
        st->problems = NULL;
    }
    return ok ? s.d : NULL;
#undef READ
}
