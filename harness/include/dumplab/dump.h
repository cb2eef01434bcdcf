/* One reader for every vmcore format dumplab meets: ELF cores (kdump's
 * /proc/vmcore, QEMU's dump-guest-memory, makedumpfile -E; ELF64 and
 * ELF32, through libelf's gelf API), makedumpfile's kdump-compressed
 * format (and QEMU's kdump-* output, the same format) with zlib, lzo,
 * snappy and zstd pages, and the flattened stream (makedumpfile -F, QEMU
 * into a pipe), read from a file or from standard input without first
 * writing the rearranged file.
 *
 * Everything is read with pread(), never through a mapping, so a file that
 * shrinks under the reader gives an error, not SIGBUS. Every offset and
 * length taken from the file is checked against the file before use; every
 * loop is bounded by the file's size. */
#ifndef DUMPLAB_DUMP_H
#define DUMPLAB_DUMP_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct DlDump DlDump;

/* One ELF program header, widened to 64 bits for ELF32 cores. */
typedef struct {
    guint32 type, flags;
    guint64 offset, vaddr, paddr, filesz, memsz, align;
    guint64 phdr_offset; /* where this program header itself is in the file */
} DlPhdr;

/* The ELF header fields the layout rules judge (dl_dump_ehdr). */
typedef struct {
    guint8 elfclass;      /* ELFCLASS32 or ELFCLASS64 */
    guint8 ident_version; /* e_ident[EI_VERSION] */
    guint16 type, machine, ehsize, phentsize;
    guint32 version;
    guint64 phoff;
    guint32 phnum; /* the real count (PN_XNUM resolved through section 0) */
} DlEhdr;

typedef struct {
    const char *name;   /* NUL-terminated copy, e.g. "CORE", "VMCOREINFO", "QEMU" */
    guint32 type;       /* NT_PRSTATUS = 1, ... */
    const guint8 *desc; /* a copy owned by the dump; descsz bytes (+1 zero byte) */
    guint32 descsz;
    guint64 offset;  /* file offset of the note header */
    guint32 segment; /* index of the PT_NOTE it came from (0 for kdump-compressed) */
} DlNote;

/* The registers kept from one NT_PRSTATUS note, decoded with the layout of
 * the dump's machine (prstatus.h). */
typedef struct {
    guint32 index; /* position among the PRSTATUS notes */
    gint32 pid;    /* pr_pid: the task running on that CPU (0 = idle) */
    int cpu;       /* CPU number if it can be told (see vmcore-facts.md), else -1 */
    guint16 machine;
    bool regs_valid;                   /* the note was long enough for the machine's registers */
    guint64 ip, sp;                    /* any machine */
    guint64 rip, rsp, rbp, rflags, cs; /* x86_64 */
    guint64 cfm, psr, bsp;             /* ia64 */
    guint64 offset;                    /* file offset of the note */
} DlCpuRegs;

typedef enum {
    DL_FMT_ELF,       /* ELF core, possibly filtered (-E) */
    DL_FMT_KDUMP,     /* kdump-compressed ("KDUMP   ") */
    DL_FMT_FLAT_ELF,  /* flattened stream carrying an ELF core */
    DL_FMT_FLAT_KDUMP /* flattened stream carrying a kdump-compressed file */
} DlFormat;

typedef enum {
    DL_PAGE_PRESENT,  /* the dump holds the frame's bytes */
    DL_PAGE_EXCLUDED, /* RAM the dump's filter left out (dump level, -E hole) */
    DL_PAGE_ABSENT,   /* not in the dump at all (a hole, not RAM, beyond the end) */
} DlPageState;

/* Opens path (a regular file; "-" is refused: see dl_dump_open_stream).
 * DL_ERROR_PARSE when the format is not one dumplab reads; a format it
 * recognises but does not read (sadump, LKCD, s390 dump, ELF of another
 * byte order, ...) is named in the message. */
DlDump *dl_dump_open(const char *path, GError **err);
void dl_dump_close(DlDump *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlDump, dl_dump_close)

/* A flattened stream on fd (a pipe: standard input) read once, start to
 * end, in bounded memory: the metadata (headers, bitmaps, descriptors,
 * notes) is kept in a sparse memory file, each page's data is verified as
 * it arrives (kdump-compressed: decompressed to exactly one page; ELF: every
 * byte of every PT_LOAD arrives) and dropped. Page data that arrives before
 * its descriptor waits, up to 64 MiB; a stream further out of order is
 * refused by name. The dump returned holds no page data
 * (dl_dump_has_data): rules that need it cannot run on it. */
typedef struct {
    guint64 pages_verified, pages_bad, pages_missing, bytes_verified;
    guint64 stream_bytes;
    guint64 max_pending; /* most bytes of page data held at once */
    char *problems;      /* "0x12 (why); ..." for bad and missing pages; caller frees */
    double seconds;
} DlStreamStats;
DlDump *dl_dump_open_stream(int fd, const char *name, DlStreamStats *st, GError **err);
/* False for a dump read from a stream: its page data was not kept. */
bool dl_dump_has_data(const DlDump *d);

DlFormat dl_dump_format(const DlDump *d);
const char *dl_dump_format_name(const DlDump *d); /* "ELF64", "kdump-compressed", ... */
guint16 dl_dump_machine(const DlDump *d);           /* EM_X86_64, EM_IA_64, ... */
const char *dl_machine_name(guint16 machine);       /* "x86_64", "ia64", "EM_183" */
guint32 dl_dump_page_size(const DlDump *d);
/* Reads an ELF core in frames of ps bytes (a power of two, 4 KiB..1 MiB)
 * from now on: a dump without VMCOREINFO (QEMU's of an ia64 guest) takes
 * the page size of the kernel's own vmcore to be compared with it.
 * DL_ERROR_UNSUPPORTED for a kdump-compressed file, whose pages are fixed. */
bool dl_dump_set_page_size(DlDump *d, guint32 ps, GError **err);
/* Makes a and b read in frames of one size, for a frame-by-frame
 * comparison: an ELF core takes a kdump-compressed file's page size, two
 * ELF cores the smaller of theirs. False (with err) when neither can. */
bool dl_dump_match_page_size(DlDump *a, DlDump *b, GError **err);
guint64 dl_dump_file_size(const DlDump *d); /* bytes of the file (the stream, if flattened) */
/* Bytes of the dump file itself: for a flattened stream, of the file its
 * records describe; otherwise dl_dump_file_size. */
guint64 dl_dump_size(const DlDump *d);
/* Of [off, off+len), how many bytes from off on the file really has (a
 * flattened file: the bytes its records hold, holes aside). */
guint64 dl_dump_have(const DlDump *d, guint64 off, guint64 len);
/* len bytes at offset off of the dump file (through the records of a
 * flattened stream); false with err when they are not all in the file. */
bool dl_dump_read(DlDump *d, guint64 off, void *buf, gsize len, GError **err);
/* False, with the first such error, once any read met a file shorter than
 * when it was opened or a failing read() (DL_ERROR_IO). The error sticks:
 * a caller that went on after a failed page (a defect to it) asks here at
 * the end of its phase whether the file changed under it. */
bool dl_dump_io_ok(const DlDump *d, GError **err);

/* Tests only: hook(n, data) runs before the n-th read of file data (n
 * counts from 0 across every dump of the process), so a test can change
 * the file at a chosen read. NULL removes it. */
void dl_dump_set_test_read_hook(void (*hook)(guint64 n, void *data), void *data);

/* The ELF layout, for the rules about program headers: NULL and 0 unless
 * the dump is an ELF core (ELF64 or ELF32, flattened or not). */
const DlEhdr *dl_dump_ehdr(const DlDump *d);
guint dl_dump_phnum(const DlDump *d);
const DlPhdr *dl_dump_phdr(const DlDump *d, guint i); /* NULL past the last */

/* Notes (PRSTATUS, VMCOREINFO, QEMU, ...) in file order, and problems met
 * walking them ("offset 0x..: why"). */
guint dl_dump_nnotes(const DlDump *d);
const DlNote *dl_dump_note(const DlDump *d, guint i);
GPtrArray *dl_dump_note_problems(const DlDump *d);
const char *dl_dump_vmcoreinfo(const DlDump *d);
const char *dl_dump_vmcoreinfo_get(const DlDump *d, const char *key);
/* Parses a VMCOREINFO value: SYMBOL() and KERNELOFFSET are hex without
 * prefix, the rest decimal or 0x-hex. False when absent or malformed. */
bool dl_dump_vmcoreinfo_u64(const DlDump *d, const char *key, guint64 *out);
/* NT_PRSTATUS registers, decoded with the machine's layout (prstatus.h). */
GArray *dl_dump_cpus(const DlDump *d); /* DlCpuRegs */

/* Frames: [0, dl_dump_max_pfn) may hold pages. */
guint64 dl_dump_max_pfn(const DlDump *d);
/* The state of frame pfn; when PRESENT and buf is not NULL, its bytes
 * (page_size of them) in buf. NULL-free failure (false) when the dump says
 * the page is there but it cannot be read: outside the file, a
 * decompression error, a short read; err says which. */
bool dl_dump_page(DlDump *d, guint64 pfn, guint8 *buf, DlPageState *state, GError **err);
/* The next frame >= pfn whose state is not ABSENT, or G_MAXUINT64; lets a
 * walk skip holes without visiting every frame. */
guint64 dl_dump_next_pfn(const DlDump *d, guint64 pfn);

/* For an EXCLUDED frame: the first frame after its run of excluded frames,
 * so a walk counts a hole a filtered ELF segment declares without visiting
 * each of its frames (p_memsz is a claim, not bytes in the file). */
guint64 dl_dump_excluded_end(const DlDump *d, guint64 pfn);

/* Bytes of guest-physical memory across frames; false (with err) when any
 * of it is not PRESENT (DL_ERROR_FAILED) or cannot be read. */
bool dl_dump_read_phys(DlDump *d, guint64 paddr, void *buf, gsize len, GError **err);

/* ELF: compares every page of each kernel-text segment with the RAM
 * segment holding the same frame (they must agree); counts both. False
 * with err only when a read fails. */
bool dl_dump_text_agrees(DlDump *d, guint64 *compared, guint64 *differ, guint64 *first_pfn,
                         GError **err);

/* makedumpfile's dump level (-d), or -1 when the format does not record it. */
int dl_dump_level(const DlDump *d);

/* kdump-compressed internals for the checker (NULL for other formats). */
typedef struct {
    guint32 header_version, block_size, sub_hdr_size, bitmap_blocks;
    guint32 status, nr_cpus;
    guint64 max_mapnr, phys_base;
    gint32 dump_level, split;
    guint64 start_pfn, end_pfn;
    guint64 offset_vmcoreinfo, size_vmcoreinfo, offset_note, size_note;
    guint64 bitmap_offset, desc_offset, data_offset; /* data: first byte after the descriptors */
    guint64 dumpable;                                /* bits set in the 2nd bitmap */
    char release[66], machine[66];                   /* utsname, NUL-terminated */
    bool ilp32;                                      /* 32-bit longs in the headers */
} DlKdumpInfo;
const DlKdumpInfo *dl_dump_kdump_info(const DlDump *d);

/* The descriptor of frame pfn (kdump-compressed): file offset of its data,
 * compressed size and flags. False when the frame is not dumped. */
typedef struct {
    guint64 offset;
    guint32 size, flags;
    guint64 page_flags;
} DlPageDesc;
bool dl_dump_kdump_desc(DlDump *d, guint64 pfn, DlPageDesc *out, GError **err);
/* Bit pfn of the 1st (RAM, not a hole) or 2nd (dumped) bitmap. */
bool dl_dump_kdump_bit(const DlDump *d, int which, guint64 pfn);

#define DL_DUMP_ZLIB 0x1
#define DL_DUMP_LZO 0x2
#define DL_DUMP_SNAPPY 0x4
#define DL_DUMP_INCOMPLETE 0x8
#define DL_DUMP_ZSTD 0x20

/* Decompresses src (flags one of DL_DUMP_*, 0 = stored) into exactly out_len
 * bytes; anything else (error, shorter or longer output) is an error. */
bool dl_decompress(guint32 flags, const guint8 *src, gsize src_len, guint8 *out, gsize out_len,
                   GError **err);
/* Compresses one page for the writers of synthetic dumps (coregen, tests);
 * returns the compressed length or 0 when compression would not shrink it. */
gsize dl_compress(guint32 flags, const guint8 *src, gsize len, guint8 *out, gsize out_cap);

#endif
