/* Shared by the format readers behind dump.h (not a public header). */
#ifndef DUMPLAB_DUMP_INTERNAL_H
#define DUMPLAB_DUMP_INTERNAL_H

#include "dumplab/dump.h"

/* One ELF PT_LOAD as the page lookup needs it. */
typedef struct {
    guint64 paddr, vaddr, offset, filesz, memsz;
    guint64 avail; /* of filesz, the bytes the file really has */
    bool text;     /* a kernel-text segment that repeats RAM another segment holds */
} DlLoad;

/* One record of a flattened stream: len bytes at logical offset off are in
 * the stream at pos; seq orders records that overlap (the later wins). */
typedef struct {
    guint64 off, len, pos;
    guint32 seq;
} DlFlatRec;

struct DlDump {
    DlFormat fmt;
    char *fmt_name;
    int fd;
    guint64 size; /* bytes of the file or stream */
    /* Flattened streams: the logical file, record by record. */
    GArray *flat; /* DlFlatRec sorted by off */
    guint64 flat_maxlen, flat_end;
    GArray *flat_runs; /* merged [start,end) guint64 pairs the records cover */
    guint16 machine;
    guint32 page_size;
    int level;
    /* ELF layout for the checker's rules (ELF cores only). */
    bool is_elf;
    DlEhdr ehdr;
    GArray *phdrs; /* DlPhdr, every program header in table order */
    bool no_data;  /* opened from a stream: metadata only (dump_stream.c) */
    /* The first read that met a shrunk file or failed (dl_dump_io_ok). */
    GError *ioerr;
    /* Notes, owned copies. */
    GArray *notes;       /* DlNote */
    GPtrArray *bufs;     /* note names and descs */
    GPtrArray *problems; /* char * */
    char *vmcoreinfo;
    GHashTable *vmci;
    GArray *cpus; /* DlCpuRegs */
    /* ELF */
    GArray *loads; /* DlLoad, RAM ones sorted by paddr; text ones after */
    guint nram;    /* loads[0..nram) are the RAM ones */
    guint64 max_pfn;
    /* kdump-compressed */
    DlKdumpInfo ki;
    guint8 *bm1, *bm2; /* max_mapnr bits each, rounded up to whole bytes */
    guint64 bm_bytes;
    guint64 *rank; /* rank[w]: 2nd-bitmap bits set before 64-bit word w */
    guint8 *descs; /* a window of descriptors */
    guint64 desc_first, desc_count;
    guint8 *cbuf; /* one compressed page */
    /* A data extent of the file (SEEK_DATA/SEEK_HOLE), [data_lo, data_hi):
     * reads inside it need no lseek (dump.c, pread_all). */
    guint64 data_lo, data_hi;
    /* ELF read-ahead: file bytes [ra_off, ra_off + ra_len) in ra. */
    guint8 *ra;
    guint64 ra_off, ra_len;
};

/* Reads len bytes at logical offset off (through the flattened index when
 * there is one); a short read is an error that names the offset. */
bool dl_dump_pread(DlDump *d, guint64 off, void *buf, gsize len, GError **err);
bool dl_dump_in_file(const DlDump *d, guint64 off, guint64 len);
/* dl_dump_have (dump.h): a flattened file's size is what its records
 * claim (one record at 2^40 makes it a TiB), its bytes are the records'
 * only. Walks over a segment are bounded by it, never by a claimed size. */
/* len bytes at pos of the file or stream itself, not through the records. */
bool dl_dump_pread_stream(DlDump *d, guint64 pos, void *buf, gsize len, GError **err);

bool dl_dump_open_elf(DlDump *d, GError **err);
bool dl_dump_open_kdump(DlDump *d, GError **err);
/* disk_dump_header / kdump_sub_header decoding, shared by the file and the
 * stream reader (dump_kdump.c). */
#define DL_KDUMP_HDR_LP64 464  /* through nr_cpus, 64-bit longs */
#define DL_KDUMP_HDR_ILP32 452 /* through nr_cpus, 32-bit longs */
#define DL_KDUMP_SUB_LEN 104   /* through max_mapnr_64 (LP64; ILP32 needs 80) */
void dl_kdump_parse_header(const guint8 *h, gsize len, DlKdumpInfo *k);
void dl_kdump_parse_sub(const guint8 *sh, DlKdumpInfo *k);
bool dl_dump_index_flat(DlDump *d, GError **err);
/* Notes from a buffer holding whole ELF notes (kdump's offset_note copy). */
void dl_dump_add_notes(DlDump *d, const guint8 *buf, guint64 len, guint64 file_off);
void dl_dump_finish_notes(DlDump *d); /* VMCOREINFO and CPUs from the notes */
bool dl_dump_elf_page(DlDump *d, guint64 pfn, guint8 *buf, DlPageState *st, GError **err);
guint64 dl_dump_elf_next(const DlDump *d, guint64 pfn);
guint64 dl_dump_elf_excluded_end(const DlDump *d, guint64 pfn);
bool dl_dump_kdump_page(DlDump *d, guint64 pfn, guint8 *buf, DlPageState *st, GError **err);
guint64 dl_dump_kdump_next(const DlDump *d, guint64 pfn);

#endif
