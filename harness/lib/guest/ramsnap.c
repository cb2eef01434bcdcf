/* The hypervisor's reference dump with a short pause (ramsnap.h).
 *
 * dump-guest-memory keeps the guest paused while QEMU writes the whole
 * dump (about 3 s per GiB on these machines). Here the pause covers only
 * a memory-to-memory copy of the guest's resident pages out of QEMU's
 * address space into a buffer populated beforehand; the ELF is written
 * from that buffer after the guest runs again. The copy is of one instant:
 * the vCPUs are stopped and QEMU has drained in-flight device I/O (vm_stop)
 * before the first byte is read, and they do not run until the last one. */
#define _GNU_SOURCE
#include "dumplab/ramsnap.h"
#include "dumplab/error.h"
#include "dumplab/virt.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE 4096ULL
#define PM_PRESENT (1ULL << 63)
#define PM_SWAPPED (1ULL << 62)
#define IOV_BATCH 512

struct DlRamSnap {
    virDomainPtr dom;
    pid_t pid;
    GArray *ranges;   /* DlRamRange */
    GArray *all;      /* per range: TRUE when every page must be copied */
    guint8 *buf;      /* the copy, ranges back to back */
    guint64 total;    /* bytes of buf */
    guint64 *pagemap; /* one entry per page of buf; PM_PRESENT when copied */
    bool captured;
};

static bool parse_line(const char *l, DlRamRange *r, guint64 *off)
{
    unsigned long long a, b;
    char type[32];
    int n = 0;
    while (*l == ' ')
        l++;
    if (sscanf(l, "%llx-%llx (prio %*d, %31[^)]): %n", &a, &b, type, &n) != 3 || !n || b < a)
        return false;
    if (strcmp(type, "ram") && strcmp(type, "rom"))
        return false;
    const char *name = l + n;
    const char *at = strstr(name, " @");
    size_t len = at ? (size_t)(at - name) : strcspn(name, "\r\n"); /* HMP ends lines CRLF */
    /* Accelerator tags ("KVM") follow the name on some QEMUs. */
    if (!at && len > 4 && !strncmp(name + len - 4, " KVM", 4))
        len -= 4;
    if (len == 0 || len >= sizeof(r->block))
        return false;
    memset(r, 0, sizeof(*r));
    memcpy(r->block, name, len);
    r->gpa = a;
    r->size = b - a + 1;
    *off = at ? g_ascii_strtoull(at + 2, NULL, 16) : 0;
    return true;
}

bool dl_ramsnap_parse_mtree(const char *text, GArray *ranges, GError **err)
{
    const char *p = strstr(text, " AS \"memory\",");
    if (!p) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "'info mtree -f' shows no flat view of the \"memory\" address space");
        return false;
    }
    p = strstr(p, "Root memory region:");
    if (!p) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "'info mtree -f': no root region after AS");
        return false;
    }
    p = strchr(p, '\n');
    guint64 last_off = 0;
    g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(DlRamRange));
    /* The view's lines run until the first line that is not indented by
     * two spaces (a blank line, the next FlatView). */
    while (p && p[1] == ' ' && p[2] == ' ') {
        p++;
        const char *nl = strchr(p, '\n');
        g_autofree char *line = nl ? g_strndup(p, nl - p) : g_strdup(p);
        DlRamRange r;
        guint64 off;
        if (parse_line(line, &r, &off)) {
            DlRamRange *prev = out->len ? &g_array_index(out, DlRamRange, out->len - 1) : NULL;
            if (prev && !strcmp(prev->block, r.block) && prev->gpa + prev->size == r.gpa &&
                last_off + prev->size == off)
                prev->size += r.size; /* last_off stays the merged range's start */
            else {
                r.offset = off;
                g_array_append_val(out, r);
                last_off = off;
            }
        }
        p = nl;
    }
    if (!out->len) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "'info mtree -f': the \"memory\" address space has no RAM");
        return false;
    }
    g_array_append_vals(ranges, out->data, out->len);
    return true;
}

static bool lookup_hva(virDomainPtr dom, DlRamRange *r, GError **err)
{
    g_autofree char *cmd = g_strdup_printf("gpa2hva 0x%" G_GINT64_MODIFIER "x", r->gpa);
    g_autofree char *reply = NULL;
    if (!dl_virt_hmp(dom, cmd, &reply, err))
        return false;
    const char *is = strstr(reply, " is 0x");
    if (!is || !(r->hva = g_ascii_strtoull(is + 4, NULL, 16))) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: unexpected reply '%s'", cmd,
                    g_strstrip(reply));
        return false;
    }
    return true;
}

/* Whether QEMU's mapping holding hva is anonymous memory: only there is a
 * page QEMU never touched certainly zero. File or memfd backed RAM may hold
 * data in pages QEMU's page tables do not map, so it is copied whole. */
static bool mapping_is_anonymous(const char *maps, guint64 hva)
{
    for (const char *l = maps; l && *l;) {
        unsigned long long a, b, ino;
        int n = 0;
        if (sscanf(l, "%llx-%llx %*s %*s %*s %llu %n", &a, &b, &ino, &n) >= 3 && hva >= a &&
            hva < b) {
            const char *nl = strchr(l, '\n');
            const char *name = n ? l + n : "";
            bool named = n && nl ? name < nl && *name != '\n' : (n && *name);
            return ino == 0 && !named;
        }
        l = strchr(l, '\n');
        if (l)
            l++;
    }
    return false;
}

DlRamSnap *dl_ramsnap_prepare(virDomainPtr dom, GError **err)
{
    const char *name = virDomainGetName(dom);
    g_autofree char *pidfile = g_strdup_printf("/run/libvirt/qemu/%s.pid", name);
    g_autofree char *pidtext = NULL;
    if (!g_file_get_contents(pidfile, &pidtext, NULL, NULL)) {
        g_set_error(err, DL_ERROR, DL_ERROR_UNSUPPORTED,
                    "no QEMU pid file %s: the short-pause dump needs QEMU on this host "
                    "(a local qemu:///system)",
                    pidfile);
        return NULL;
    }
    DlRamSnap *s = g_new0(DlRamSnap, 1);
    s->pid = (pid_t)g_ascii_strtoll(pidtext, NULL, 10);
    s->ranges = g_array_new(FALSE, FALSE, sizeof(DlRamRange));
    s->all = g_array_new(FALSE, FALSE, sizeof(gboolean));
    virDomainRef(dom);
    s->dom = dom;
    g_autofree char *mtree = NULL;
    g_autofree char *maps = NULL;
    g_autofree char *maps_path = g_strdup_printf("/proc/%d/maps", (int)s->pid);
    if (s->pid <= 0 || !dl_virt_hmp(dom, "info mtree -f", &mtree, err) ||
        !dl_ramsnap_parse_mtree(mtree, s->ranges, err))
        goto fail;
    if (!g_file_get_contents(maps_path, &maps, NULL, NULL)) {
        g_set_error(err, DL_ERROR, DL_ERROR_IO, "cannot read %s", maps_path);
        goto fail;
    }
    for (guint i = 0; i < s->ranges->len; i++) {
        DlRamRange *r = &g_array_index(s->ranges, DlRamRange, i);
        if (r->gpa % PAGE || r->size % PAGE) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "RAM range 0x%" G_GINT64_MODIFIER "x+0x%" G_GINT64_MODIFIER
                        "x is not page aligned",
                        r->gpa, r->size);
            goto fail;
        }
        if (!lookup_hva(dom, r, err))
            goto fail;
        gboolean all = !mapping_is_anonymous(maps, r->hva);
        g_array_append_val(s->all, all);
        s->total += r->size;
    }
    /* Populated now, while the guest runs: page faults on the buffer
     * would otherwise be paid inside the pause. */
    s->buf = mmap(NULL, s->total, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE, -1, 0);
    if (s->buf == MAP_FAILED) {
        s->buf = NULL;
        dl_set_error_errno(err, errno, "reserving %" G_GUINT64_FORMAT " MiB for the RAM copy",
                           s->total >> 20);
        goto fail;
    }
    s->pagemap = g_new0(guint64, s->total / PAGE);
    return s;
fail:
    g_prefix_error(err, "preparing the short-pause dump: ");
    dl_ramsnap_free(s);
    return NULL;
}

typedef struct {
    struct iovec local[IOV_BATCH], remote[IOV_BATCH];
    int n;
    guint64 copied;
} Batch;

static bool flush(DlRamSnap *s, Batch *b, GError **err)
{
    size_t want = 0;
    for (int k = 0; k < b->n; k++)
        want += b->local[k].iov_len;
    if (!b->n)
        return true;
    ssize_t got = process_vm_readv(s->pid, b->local, b->n, b->remote, b->n, 0);
    if (got < 0 || (size_t)got != want) {
        dl_set_error_errno(err, got < 0 ? errno : EFAULT,
                           "copying guest RAM from QEMU (pid %d): %zd of %zu bytes", (int)s->pid,
                           got, want);
        return false;
    }
    b->copied += want;
    b->n = 0;
    return true;
}

/* Copies the pages marked in s->pagemap whose place in the copy lies in
 * [lo, hi), contiguous runs in batches. */
static bool copy_marked(DlRamSnap *s, guint64 lo, guint64 hi, guint64 *copied, GError **err)
{
    Batch *b = g_new0(Batch, 1);
    guint64 base = 0;
    bool ok = true;
    for (guint i = 0; ok && i < s->ranges->len; i++) {
        const DlRamRange *r = &g_array_index(s->ranges, DlRamRange, i);
        const guint64 *pm = s->pagemap + base / PAGE;
        guint64 first = lo > base ? (lo - base) / PAGE : 0;
        guint64 pages = MIN(r->size, hi > base ? hi - base : 0) / PAGE;
        for (guint64 p = first; ok && p < pages;) {
            if (!(pm[p] & PM_PRESENT)) {
                p++;
                continue;
            }
            guint64 q = p;
            while (q < pages && (pm[q] & PM_PRESENT))
                q++;
            b->local[b->n] = (struct iovec){s->buf + base + p * PAGE, (q - p) * PAGE};
            b->remote[b->n] =
                (struct iovec){(void *)(uintptr_t)(r->hva + p * PAGE), (q - p) * PAGE};
            if (++b->n == IOV_BATCH)
                ok = flush(s, b, err);
            p = q;
        }
        base += r->size;
    }
    ok = ok && flush(s, b, err);
    *copied = b->copied;
    g_free(b);
    return ok;
}

/* The second half of the copy, on another core while the guest is paused:
 * process_vm_readv pins QEMU's pages one by one (about 470 MiB/s here), and
 * two readers nearly halve the pause. */
typedef struct {
    DlRamSnap *s;
    guint64 lo, hi, copied;
    GError *err;
} CopyPart;

static gpointer copy_part(gpointer data)
{
    CopyPart *c = data;
    return GINT_TO_POINTER(copy_marked(c->s, c->lo, c->hi, &c->copied, &c->err));
}

static bool copy_all(DlRamSnap *s, guint64 *copied, GError **err)
{
    guint64 half = s->total / 2 / PAGE * PAGE;
    CopyPart c = {s, half, s->total, 0, NULL};
    GThread *t = g_get_num_processors() > 1 ? g_thread_new("ram-copy", copy_part, &c) : NULL;
    guint64 mine = 0;
    bool ok = copy_marked(s, 0, t ? half : s->total, &mine, err);
    if (t) {
        bool ok2 = GPOINTER_TO_INT(g_thread_join(t));
        if (!ok2 && ok)
            g_propagate_error(err, c.err);
        else
            g_clear_error(&c.err);
        ok = ok && ok2;
    }
    *copied = mine + c.copied;
    return ok;
}

static bool read_pagemap(DlRamSnap *s, GError **err)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/pagemap", (int)s->pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "opening %s", path);
        return false;
    }
    guint64 base = 0;
    bool ok = true;
    for (guint i = 0; ok && i < s->ranges->len; i++) {
        const DlRamRange *r = &g_array_index(s->ranges, DlRamRange, i);
        guint64 *pm = s->pagemap + base / PAGE;
        gsize len = r->size / PAGE * sizeof(guint64);
        ssize_t got = pread(fd, pm, len, (off_t)(r->hva / PAGE * sizeof(guint64)));
        if (got != (ssize_t)len) {
            dl_set_error_errno(err, got < 0 ? errno : EIO, "reading %s", path);
            ok = false;
            break;
        }
        bool all = g_array_index(s->all, gboolean, i);
        /* Present or swapped out: QEMU holds data there. */
        for (guint64 p = 0; p < r->size / PAGE; p++)
            pm[p] = (all || (pm[p] & (PM_PRESENT | PM_SWAPPED))) ? PM_PRESENT : 0;
        base += r->size;
    }
    close(fd);
    return ok;
}

bool dl_ramsnap_capture(DlRamSnap *s, DlRamSnapStats *st, GError **err)
{
    memset(st, 0, sizeof(*st));
    st->ram_bytes = s->total;
    if (!dl_virt_pause(s->dom, err))
        return false;
    gint64 t0 = g_get_monotonic_time();
    guint64 copied = 0;
    bool ok = read_pagemap(s, err);
    gint64 t1 = g_get_monotonic_time();
    ok = ok && copy_all(s, &copied, err);
    gint64 t2 = g_get_monotonic_time();
    GError *rerr = NULL;
    bool resumed = dl_virt_resume(s->dom, &rerr);
    gint64 t3 = g_get_monotonic_time();
    st->pause_ms = (t3 - t0) / 1000.0;
    st->pagemap_ms = (t1 - t0) / 1000.0;
    st->copy_ms = (t2 - t1) / 1000.0;
    st->resume_ms = (t3 - t2) / 1000.0;
    st->resident_bytes = copied;
    if (!resumed) {
        if (ok)
            g_propagate_error(err, rerr);
        else
            g_clear_error(&rerr);
        return false;
    }
    s->captured = ok;
    return ok;
}

static bool pwrite_all(int fd, const void *buf, size_t n, off_t off)
{
    const guint8 *p = buf;
    while (n) {
        ssize_t w = pwrite(fd, p, MIN(n, (size_t)1 << 30), off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
        off += w;
    }
    return true;
}

#define NOTE_NAME "DUMPLAB"

guint8 *dl_ramsnap_elf_header(GArray *ranges, const char *note_text, gsize *len, guint64 *data_off)
{
    guint nph = ranges->len + 1;
    gsize namesz = sizeof(NOTE_NAME), descsz = strlen(note_text) + 1;
    gsize notesz = sizeof(Elf64_Nhdr) + ((namesz + 3) & ~3UL) + ((descsz + 3) & ~3UL);
    gsize head = sizeof(Elf64_Ehdr) + nph * sizeof(Elf64_Phdr) + notesz;
    /* Page-aligned data: runs of pages are written where they belong and
     * untouched pages stay holes. */
    *data_off = (head + PAGE - 1) & ~(PAGE - 1);
    *len = head;
    guint8 *h = g_malloc0(head);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)h;
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_CORE;
    eh->e_machine = EM_X86_64; /* the only machine the x86_64 runner drives */
    eh->e_version = EV_CURRENT;
    eh->e_phoff = sizeof(Elf64_Ehdr);
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = (Elf64_Half)nph;
    Elf64_Phdr *ph = (Elf64_Phdr *)(h + eh->e_phoff);
    guint64 note_off = eh->e_phoff + nph * sizeof(Elf64_Phdr);
    ph[0] = (Elf64_Phdr){.p_type = PT_NOTE, .p_offset = note_off, .p_filesz = notesz};
    Elf64_Nhdr *nh = (Elf64_Nhdr *)(h + note_off);
    nh->n_namesz = (Elf64_Word)namesz;
    nh->n_descsz = (Elf64_Word)descsz;
    nh->n_type = 1;
    memcpy((guint8 *)(nh + 1), NOTE_NAME, namesz);
    memcpy((guint8 *)(nh + 1) + ((namesz + 3) & ~3UL), note_text, descsz);
    guint64 off = *data_off;
    for (guint i = 0; i < ranges->len; i++) {
        const DlRamRange *r = &g_array_index(ranges, DlRamRange, i);
        ph[i + 1] = (Elf64_Phdr){.p_type = PT_LOAD,
                                 .p_offset = off,
                                 .p_paddr = r->gpa,
                                 .p_filesz = r->size,
                                 .p_memsz = r->size};
        off += r->size;
    }
    return h;
}

bool dl_ramsnap_write_elf(DlRamSnap *s, const char *path, GError **err)
{
    if (!s->captured) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "no RAM snapshot was taken");
        return false;
    }
    gsize head;
    guint64 data_off;
    g_autofree guint8 *h = dl_ramsnap_elf_header(
        s->ranges, "short-pause RAM copy (vCPUs stopped, resident pages copied)", &head, &data_off);
    /* 0600 from the start: the guest's memory is never readable by others. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "creating %s", path);
        return false;
    }
    bool ok = fchmod(fd, 0600) == 0 && pwrite_all(fd, h, head, 0);
    /* Runs of copied pages are written; the rest are holes. */
    guint64 npages = s->total / PAGE;
    for (guint64 p = 0; ok && p < npages;) {
        if (!(s->pagemap[p] & PM_PRESENT)) {
            p++;
            continue;
        }
        guint64 q = p;
        while (q < npages && (s->pagemap[q] & PM_PRESENT))
            q++;
        ok = pwrite_all(fd, s->buf + p * PAGE, (q - p) * PAGE, (off_t)(data_off + p * PAGE));
        p = q;
    }
    ok = ok && ftruncate(fd, (off_t)(data_off + s->total)) == 0;
    if (!ok)
        dl_set_error_errno(err, errno, "writing %s", path);
    if (close(fd) < 0 && ok) {
        dl_set_error_errno(err, errno, "writing %s", path);
        ok = false;
    }
    if (!ok)
        unlink(path);
    return ok;
}

void dl_ramsnap_free(DlRamSnap *s)
{
    if (!s)
        return;
    if (s->buf)
        munmap(s->buf, s->total);
    g_free(s->pagemap);
    g_array_free(s->ranges, TRUE);
    g_array_free(s->all, TRUE);
    if (s->dom)
        virDomainFree(s->dom);
    g_free(s);
}
