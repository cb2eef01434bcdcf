/* The reader's front door (dump.h): recognise the format, open it, and the
 * parts every format shares: notes, VMCOREINFO, CPUs, frames. */
#define _GNU_SOURCE
#include "dump_internal.h"
#include "dumplab/error.h"
#include "dumplab/prstatus.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Formats recognised by their first bytes but not read. */
static const struct {
    const char *magic;
    guint len;
    const char *name;
} unsupported[] = {
    {"DISKDUMP", 8, "diskdump (Red Hat's pre-kdump diskdump format)"},
    {"PAGEDU64", 8, "a Windows 64-bit crash dump"},
    {"PAGEDUMP", 8, "a Windows crash dump"},
    {"\xed\x23\x8f\x61\x73\x01\x19\xa8", 8, "an LKCD dump"},
    {"QEVM", 4, "a QEMU migration stream (savevm / virsh save), not a memory dump"},
    {"\xd2\xbe\xd2\xbe", 4, "a VMware suspend state (.vmss)"},
    {"\x1f\x8b", 2, "a gzip-compressed file: decompress it first"},
    {"\xfd"
     "7zXZ",
     6, "an xz-compressed file: decompress it first"},
    {"\x28\xb5\x2f\xfd", 4, "a zstd-compressed file: decompress it first"},
};

bool dl_dump_in_file(const DlDump *d, guint64 off, guint64 len)
{
    guint64 size = d->flat ? d->flat_end : d->size;
    return off <= size && len <= size - off;
}

guint64 dl_dump_have(const DlDump *d, guint64 off, guint64 len)
{
    if (!d->flat)
        return off < d->size ? MIN(len, d->size - off) : 0;
    /* The run that holds off: the last one starting at or before it. */
    GArray *r = d->flat_runs;
    guint lo = 0, hi = r->len / 2;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(r, guint64, 2 * mid) <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo || g_array_index(r, guint64, 2 * lo - 1) <= off)
        return 0;
    return MIN(len, g_array_index(r, guint64, 2 * lo - 1) - off);
}

static void (*test_hook)(guint64, void *);
static void *test_hook_data;
static guint64 test_reads;

void dl_dump_set_test_read_hook(void (*hook)(guint64 n, void *data), void *data)
{
    test_hook = hook;
    test_hook_data = data;
    test_reads = 0;
}

/* Keeps the first I/O failure for dl_dump_io_ok, whoever swallowed it. */
static bool io_failed(DlDump *d, GError **err)
{
    if (!d->ioerr && err && *err)
        d->ioerr = g_error_copy(*err);
    return false;
}

static bool pread_all(DlDump *d, guint64 off, void *buf, gsize len, GError **err)
{
    int fd = d->fd;
    guint64 size = d->size;
    guint8 *p = buf;
    GError *local = NULL;
    if (!err)
        err = &local;
    if (test_hook)
        test_hook(test_reads++, test_hook_data);
    /* [off, hole_end) is a hole of the file, zeros, not read; data runs
     * on to data_end. A sparse vmcore (the capture leaves zero pages unwritten) would
     * otherwise make the kernel allocate and zero a page-cache page for
     * each of its holes' pages: that doubled the cross-check's time. */
    guint64 data_end = off, hole_end = off;
    if (off >= d->data_lo && off < d->data_hi)
        data_end = d->data_hi;
    while (len) {
        if (off >= data_end) {
            /* Where the next data is; a file system or fd without
             * SEEK_DATA says "here" (or fails), and is simply read. */
            off_t ds = lseek(fd, (off_t)off, SEEK_DATA);
            off_t h = ds >= 0 ? lseek(fd, ds, SEEK_HOLE) : -1;
            struct stat st;
            /* No data after off: a hole, if the file still reaches past
             * the range; if it shrank, pread says so. */
            if (ds < 0 && errno == ENXIO && fstat(fd, &st) == 0 && (guint64)st.st_size >= off + len)
                ds = h = (off_t)(off + len);
            else if (ds < 0 || h < 0 || (guint64)ds < off || h <= ds)
                ds = (off_t)off, h = (off_t)(off + len);
            hole_end = (guint64)ds;
            data_end = (guint64)h;
            d->data_lo = hole_end;
            d->data_hi = data_end;
        }
        if (off < hole_end) {
            gsize z = (gsize)MIN((guint64)len, hole_end - off);
            memset(p, 0, z);
            p += z;
            off += z;
            len -= z;
            continue;
        }
        gsize want = (gsize)MIN((guint64)len, data_end - off);
        ssize_t n = pread(fd, p, want, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            dl_set_error_errno(err, errno, "read at offset 0x%" G_GINT64_MODIFIER "x", off);
            io_failed(d, err);
            g_clear_error(&local);
            return false;
        }
        if (n == 0) {
            g_set_error(err, DL_ERROR, DL_ERROR_IO,
                        "the file ends at offset 0x%" G_GINT64_MODIFIER
                        "x, before the %zu bytes it should hold there (it was 0x%" G_GINT64_MODIFIER
                        "x bytes when opened: it shrank while being read)",
                        off, len, size);
            io_failed(d, err);
            g_clear_error(&local);
            return false;
        }
        p += n;
        off += (guint64)n;
        len -= (gsize)n;
    }
    return true;
}

bool dl_dump_pread_stream(DlDump *d, guint64 pos, void *buf, gsize len, GError **err)
{
    return pread_all(d, pos, buf, len, err);
}

/* A flattened stream: the bytes at logical [off, off+len) come from the
 * records that cover them, the latest record winning where they overlap. */
static bool flat_read(DlDump *d, guint64 off, guint8 *buf, gsize len, GError **err)
{
    GArray *f = d->flat;
    guint64 end = off + len;
    /* Last record starting at or before off. */
    guint lo = 0, hi = f->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(f, DlFlatRec, mid).off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    guint first = lo;
    while (first > 0 && g_array_index(f, DlFlatRec, first - 1).off + d->flat_maxlen > off)
        first--;
    g_autoptr(GArray) hits = g_array_new(FALSE, FALSE, sizeof(DlFlatRec));
    for (guint i = first; i < f->len && g_array_index(f, DlFlatRec, i).off < end; i++) {
        const DlFlatRec *r = &g_array_index(f, DlFlatRec, i);
        if (r->off + r->len > off)
            g_array_append_val(hits, *r);
    }
    /* Apply in stream order so a later record overwrites an earlier one. */
    for (guint i = 1; i < hits->len; i++)
        for (guint j = i; j > 0 && g_array_index(hits, DlFlatRec, j - 1).seq >
                                       g_array_index(hits, DlFlatRec, j).seq;
             j--) {
            DlFlatRec t = g_array_index(hits, DlFlatRec, j);
            g_array_index(hits, DlFlatRec, j) = g_array_index(hits, DlFlatRec, j - 1);
            g_array_index(hits, DlFlatRec, j - 1) = t;
        }
    guint64 covered_lo = end, covered_hi = off, covered = 0;
    for (guint i = 0; i < hits->len; i++) {
        const DlFlatRec *r = &g_array_index(hits, DlFlatRec, i);
        guint64 a = MAX(r->off, off), b = MIN(r->off + r->len, end);
        if (!pread_all(d, r->pos + (a - r->off), buf + (a - off), b - a, err))
            return false;
        covered += b - a;
        covered_lo = MIN(covered_lo, a);
        covered_hi = MAX(covered_hi, b);
    }
    /* Overlaps count twice, so this only catches the common gap cases;
     * an exact check would need a coverage map per read. */
    if (!hits->len || covered_lo > off || covered_hi < end || covered < len) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "no record of the flattened stream holds all of offset 0x%" G_GINT64_MODIFIER
                    "x (+%zu bytes)",
                    off, len);
        return false;
    }
    return true;
}

bool dl_dump_pread(DlDump *d, guint64 off, void *buf, gsize len, GError **err)
{
    if (!dl_dump_in_file(d, off, len)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%zu bytes at offset 0x%" G_GINT64_MODIFIER
                    "x lie outside the file (0x%" G_GINT64_MODIFIER "x bytes)",
                    len, off, d->flat ? d->flat_end : d->size);
        return false;
    }
    if (d->flat)
        return flat_read(d, off, buf, len, err);
    return pread_all(d, off, buf, len, err);
}

bool dl_dump_read(DlDump *d, guint64 off, void *buf, gsize len, GError **err)
{
    return dl_dump_pread(d, off, buf, len, err);
}

bool dl_dump_io_ok(const DlDump *d, GError **err)
{
    if (!d->ioerr)
        return true;
    g_propagate_error(err, g_error_copy(d->ioerr));
    return false;
}

const char *dl_machine_name(guint16 m)
{
    const DlPrstatusLayout *l = dl_prstatus_layout(m);
    if (l)
        return l->name;
    static const struct {
        guint16 m;
        const char *n;
    } more[] = {{EM_AARCH64, "aarch64"}, {EM_PPC64, "ppc64"},         {EM_S390, "s390"},
                {EM_ARM, "arm"},         {EM_RISCV, "riscv"},         {EM_MIPS, "mips"},
                {EM_SPARCV9, "sparc64"}, {EM_LOONGARCH, "loongarch"}, {EM_PPC, "ppc"}};
    for (guint i = 0; i < G_N_ELEMENTS(more); i++)
        if (more[i].m == m)
            return more[i].n;
    static char buf[16][24];
    static guint next;
    char *b = buf[next++ % 16];
    g_snprintf(b, 24, "EM_%u", m);
    return b;
}

static void note_free(gpointer p)
{
    g_free(p);
}

DlDump *dl_dump_open(const char *path, GError **err)
{
    if (!strcmp(path, "-")) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "standard input: only `dumplab check -` reads a stream (a flattened one, "
                    "in one pass); save it to a file for this");
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "%s", path);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        g_set_error(err, DL_ERROR, DL_ERROR_IO, "%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    g_autoptr(DlDump) d = g_new0(DlDump, 1);
    d->fd = fd;
    d->size = (guint64)st.st_size;
    d->level = -1;
    d->notes = g_array_new(FALSE, TRUE, sizeof(DlNote));
    d->bufs = g_ptr_array_new_with_free_func(note_free);
    d->problems = g_ptr_array_new_with_free_func(g_free);
    d->vmci = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    d->cpus = g_array_new(FALSE, TRUE, sizeof(DlCpuRegs));
    d->loads = g_array_new(FALSE, TRUE, sizeof(DlLoad));
    guint8 magic[16] = {0};
    gsize n = MIN(d->size, sizeof(magic));
    if (!dl_dump_pread(d, 0, magic, n, err)) {
        g_prefix_error(err, "%s: ", path);
        return NULL;
    }
    if (n < 8) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: %" G_GUINT64_FORMAT " bytes, too short for any dump format", path,
                    d->size);
        return NULL;
    }
    bool flat = n >= 13 && !memcmp(magic, "makedumpfile", 13);
    if (flat) {
        if (!dl_dump_index_flat(d, err)) {
            g_prefix_error(err, "%s: flattened format: ", path);
            return NULL;
        }
        memset(magic, 0, sizeof(magic));
        n = MIN(d->flat_end, sizeof(magic));
        if (!dl_dump_pread(d, 0, magic, n, err)) {
            g_prefix_error(err, "%s: flattened format: ", path);
            return NULL;
        }
    }
    bool ok;
    if (n >= 4 && !memcmp(magic, ELFMAG, SELFMAG)) {
        d->fmt = flat ? DL_FMT_FLAT_ELF : DL_FMT_ELF;
        ok = dl_dump_open_elf(d, err);
    } else if (n >= 8 && !memcmp(magic, "KDUMP   ", 8)) {
        d->fmt = flat ? DL_FMT_FLAT_KDUMP : DL_FMT_KDUMP;
        ok = dl_dump_open_kdump(d, err);
    } else {
        for (guint i = 0; i < G_N_ELEMENTS(unsupported); i++)
            if (n >= unsupported[i].len &&
                !memcmp(magic, unsupported[i].magic, unsupported[i].len)) {
                g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                            "%s: %s%s: a format dumplab recognises but does not read", path,
                            flat ? "flattened stream of " : "", unsupported[i].name);
                return NULL;
            }
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: %snot a vmcore dumplab knows (ELF core, kdump-compressed \"KDUMP   \", "
                    "flattened \"makedumpfile\"): first bytes %02x %02x %02x %02x",
                    path, flat ? "flattened stream, but its content is " : "", magic[0], magic[1],
                    magic[2], magic[3]);
        return NULL;
    }
    if (!ok) {
        g_prefix_error(err, "%s: ", path);
        return NULL;
    }
    if (flat) {
        char *name = g_strdup_printf("flattened %s", d->fmt_name);
        g_free(d->fmt_name);
        d->fmt_name = name;
    }
    return g_steal_pointer(&d);
}

void dl_dump_close(DlDump *d)
{
    if (!d)
        return;
    if (d->phdrs)
        g_array_free(d->phdrs, TRUE);
    g_clear_error(&d->ioerr);
    if (d->fd >= 0)
        close(d->fd);
    g_free(d->fmt_name);
    if (d->flat)
        g_array_free(d->flat, TRUE);
    if (d->flat_runs)
        g_array_free(d->flat_runs, TRUE);
    g_array_free(d->notes, TRUE);
    g_ptr_array_free(d->bufs, TRUE);
    g_ptr_array_free(d->problems, TRUE);
    g_free(d->vmcoreinfo);
    g_hash_table_destroy(d->vmci);
    g_array_free(d->cpus, TRUE);
    g_array_free(d->loads, TRUE);
    g_free(d->bm1);
    g_free(d->bm2);
    g_free(d->rank);
    g_free(d->descs);
    g_free(d->cbuf);
    g_free(d->ra);
    g_free(d);
}

/* Walks whole ELF notes in buf (4-byte aligned records); a note that would
 * run past the buffer ends the walk and is recorded as a problem. */
void dl_dump_add_notes(DlDump *d, const guint8 *buf, guint64 len, guint64 file_off)
{
    guint64 off = 0;
    while (len >= 12 && off <= len - 12) {
        guint32 namesz, descsz, type;
        memcpy(&namesz, buf + off, 4);
        memcpy(&descsz, buf + off + 4, 4);
        memcpy(&type, buf + off + 8, 4);
        if (namesz == 0 && descsz == 0 && type == 0)
            break; /* the terminating empty note */
        guint64 name_pad = ((guint64)namesz + 3) & ~3ULL;
        guint64 desc_pad = ((guint64)descsz + 3) & ~3ULL;
        if (name_pad + desc_pad > len - off - 12) {
            g_ptr_array_add(d->problems,
                            g_strdup_printf("offset 0x%" G_GINT64_MODIFIER
                                            "x: note (namesz %u, descsz %u) runs past its "
                                            "PT_NOTE segment (%" G_GUINT64_FORMAT " bytes left)",
                                            file_off + off, namesz, descsz, len - off - 12));
            return;
        }
        char *name = g_strndup((const char *)buf + off + 12, namesz);
        /* One spare zero byte: an empty desc still gets a buffer. */
        guint8 *desc = g_malloc0((gsize)descsz + 1);
        memcpy(desc, buf + off + 12 + name_pad, descsz);
        g_ptr_array_add(d->bufs, name);
        g_ptr_array_add(d->bufs, desc);
        DlNote nt = {.name = name,
                     .type = type,
                     .desc = desc,
                     .descsz = descsz,
                     .offset = file_off + off,
                     .segment = 0};
        g_array_append_val(d->notes, nt);
        off += 12 + name_pad + desc_pad;
    }
}

void dl_dump_finish_notes(DlDump *d)
{
    guint idx = 0;
    for (guint i = 0; i < d->notes->len; i++) {
        const DlNote *n = &g_array_index(d->notes, DlNote, i);
        if (!d->vmcoreinfo && !strcmp(n->name, "VMCOREINFO")) {
            /* Length-delimited, not NUL-terminated: copy exactly descsz bytes. */
            d->vmcoreinfo = g_strndup((const char *)n->desc, n->descsz);
            g_auto(GStrv) lines = g_strsplit(d->vmcoreinfo, "\n", -1);
            for (int k = 0; lines[k]; k++) {
                char *eq = strchr(lines[k], '=');
                if (!eq || eq == lines[k])
                    continue;
                *eq = 0;
                if (!g_hash_table_contains(d->vmci, lines[k]))
                    g_hash_table_insert(d->vmci, g_strdup(lines[k]), g_strdup(eq + 1));
            }
        }
        if (n->type == NT_PRSTATUS && !strcmp(n->name, "CORE")) {
            DlCpuRegs r = {.index = idx++, .cpu = -1, .offset = n->offset};
            dl_prstatus_decode(d->machine, n->desc, n->descsz, &r);
            g_array_append_val(d->cpus, r);
        }
    }
    guint64 ps;
    if (!d->page_size && dl_dump_vmcoreinfo_u64(d, "PAGESIZE", &ps) && ps >= 4096 &&
        ps <= (1 << 20) && !(ps & (ps - 1)))
        d->page_size = (guint32)ps;
    if (!d->page_size) {
        const DlPrstatusLayout *l = dl_prstatus_layout(d->machine);
        d->page_size = l ? l->page_size : 4096;
    }
}

DlFormat dl_dump_format(const DlDump *d)
{
    return d->fmt;
}
const char *dl_dump_format_name(const DlDump *d)
{
    return d->fmt_name;
}
guint16 dl_dump_machine(const DlDump *d)
{
    return d->machine;
}
guint32 dl_dump_page_size(const DlDump *d)
{
    return d->page_size;
}
guint64 dl_dump_file_size(const DlDump *d)
{
    return d->size;
}
guint64 dl_dump_size(const DlDump *d)
{
    return d->flat ? d->flat_end : d->size;
}
const DlEhdr *dl_dump_ehdr(const DlDump *d)
{
    return d->is_elf ? &d->ehdr : NULL;
}
guint dl_dump_phnum(const DlDump *d)
{
    return d->phdrs ? d->phdrs->len : 0;
}
const DlPhdr *dl_dump_phdr(const DlDump *d, guint i)
{
    return i < dl_dump_phnum(d) ? &g_array_index(d->phdrs, DlPhdr, i) : NULL;
}
guint dl_dump_nnotes(const DlDump *d)
{
    return d->notes->len;
}
const DlNote *dl_dump_note(const DlDump *d, guint i)
{
    return i < d->notes->len ? &g_array_index(d->notes, DlNote, i) : NULL;
}
GPtrArray *dl_dump_note_problems(const DlDump *d)
{
    return d->problems;
}
const char *dl_dump_vmcoreinfo(const DlDump *d)
{
    return d->vmcoreinfo;
}
const char *dl_dump_vmcoreinfo_get(const DlDump *d, const char *key)
{
    return g_hash_table_lookup(d->vmci, key);
}
GArray *dl_dump_cpus(const DlDump *d)
{
    return d->cpus;
}
guint64 dl_dump_max_pfn(const DlDump *d)
{
    return d->max_pfn;
}
int dl_dump_level(const DlDump *d)
{
    return d->level;
}
const DlKdumpInfo *dl_dump_kdump_info(const DlDump *d)
{
    return d->bm2 ? &d->ki : NULL;
}

bool dl_dump_vmcoreinfo_u64(const DlDump *d, const char *key, guint64 *out)
{
    const char *s = dl_dump_vmcoreinfo_get(d, key);
    if (!s || !*s)
        return false;
    bool hex = g_str_has_prefix(key, "SYMBOL(") || !strcmp(key, "KERNELOFFSET");
    const char *p = s;
    int base = 10;
    if (hex)
        base = 16;
    else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        base = 16;
    gboolean neg = *p == '-';
    guint64 v;
    if (neg) {
        gint64 sv;
        if (!g_ascii_string_to_signed(p, 10, G_MININT64, G_MAXINT64, &sv, NULL))
            return false;
        v = (guint64)sv;
    } else {
        if (base == 16 && (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')))
            p += 2;
        if (!g_ascii_string_to_unsigned(p, base, 0, G_MAXUINT64, &v, NULL))
            return false;
    }
    *out = v;
    return true;
}

bool dl_dump_has_data(const DlDump *d)
{
    return !d->no_data;
}

bool dl_dump_page(DlDump *d, guint64 pfn, guint8 *buf, DlPageState *state, GError **err)
{
    *state = DL_PAGE_ABSENT;
    if (pfn >= d->max_pfn)
        return true;
    if (buf && d->no_data) {
        /* Its state is known; its bytes went by in the stream. */
        bool ok = d->bm2 ? dl_dump_kdump_page(d, pfn, NULL, state, err)
                         : dl_dump_elf_page(d, pfn, NULL, state, err);
        if (ok && *state == DL_PAGE_PRESENT) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "frame 0x%" G_GINT64_MODIFIER "x: page data is not kept when the dump "
                        "is read from a stream",
                        pfn);
            return false;
        }
        return ok;
    }
    if (d->bm2)
        return dl_dump_kdump_page(d, pfn, buf, state, err);
    return dl_dump_elf_page(d, pfn, buf, state, err);
}

guint64 dl_dump_next_pfn(const DlDump *d, guint64 pfn)
{
    if (pfn >= d->max_pfn)
        return G_MAXUINT64;
    return d->bm2 ? dl_dump_kdump_next(d, pfn) : dl_dump_elf_next(d, pfn);
}

guint64 dl_dump_excluded_end(const DlDump *d, guint64 pfn)
{
    return d->bm2 ? pfn + 1 : dl_dump_elf_excluded_end(d, pfn);
}

bool dl_dump_read_phys(DlDump *d, guint64 paddr, void *buf, gsize len, GError **err)
{
    guint32 ps = d->page_size;
    g_autofree guint8 *page = g_malloc(ps);
    guint8 *out = buf;
    while (len) {
        guint64 pfn = paddr / ps, in = paddr % ps;
        gsize take = MIN(len, ps - in);
        DlPageState st;
        if (!dl_dump_page(d, pfn, page, &st, err))
            return false;
        if (st != DL_PAGE_PRESENT) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "physical address 0x%" G_GINT64_MODIFIER "x is %s in the dump", paddr,
                        st == DL_PAGE_EXCLUDED ? "excluded by the filter" : "not");
            return false;
        }
        memcpy(out, page + in, take);
        out += take;
        paddr += take;
        len -= take;
    }
    return true;
}
