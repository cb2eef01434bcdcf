/* Background-snapshot hypervisor dump (bgsnap.h). */
#define _GNU_SOURCE
#include "dumplab/bgsnap.h"
#include "dumplab/error.h"
#include "dumplab/ramsnap.h"
#include "dumplab/virt.h"

#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096ULL
#define QEMU_VM_FILE_MAGIC 0x5145564du
#define QEMU_VM_EOF 0x00
#define QEMU_VM_SECTION_START 0x01
#define QEMU_VM_SECTION_PART 0x02
#define QEMU_VM_SECTION_END 0x03
#define QEMU_VM_SECTION_FULL 0x04
#define QEMU_VM_SUBSECTION 0x05
#define QEMU_VM_CONFIGURATION 0x07
#define QEMU_VM_SECTION_FOOTER 0x7e
#define RAM_FLAG_ZERO 0x02
#define RAM_FLAG_MEM_SIZE 0x04
#define RAM_FLAG_PAGE 0x08
#define RAM_FLAG_EOS 0x10
#define RAM_FLAG_CONTINUE 0x20
#define RAM_FLAG_KNOWN 0x3e

/* ---- reading the stream ---- */

typedef struct {
    FILE *f;
    guint64 pos;
    GError **err;
    bool failed;
} Rd;

static bool rd_fail(Rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool rd_fail(Rd *r, const char *fmt, ...)
{
    if (!r->failed) {
        va_list ap;
        va_start(ap, fmt);
        g_autofree char *m = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        g_set_error(r->err, DL_ERROR, DL_ERROR_PARSE, "migration stream at byte %" G_GUINT64_FORMAT
                    ": %s", r->pos, m);
    }
    r->failed = true;
    return false;
}

static bool rd_bytes(Rd *r, void *buf, size_t n)
{
    if (r->failed)
        return false;
    if (fread(buf, 1, n, r->f) != n)
        return rd_fail(r, "ends early (wanted %zu bytes)", n);
    r->pos += n;
    return true;
}

static guint8 rd_u8(Rd *r)
{
    guint8 v = 0;
    rd_bytes(r, &v, 1);
    return v;
}

static guint32 rd_be32(Rd *r)
{
    guint32 v = 0;
    rd_bytes(r, &v, 4);
    return GUINT32_FROM_BE(v);
}

static guint64 rd_be64(Rd *r)
{
    guint64 v = 0;
    rd_bytes(r, &v, 8);
    return GUINT64_FROM_BE(v);
}

/* A length-prefixed (u8) string: QEMU's section and block names. */
static bool rd_name(Rd *r, char out[256])
{
    guint8 n = rd_u8(r);
    if (!rd_bytes(r, out, n))
        return false;
    out[n] = 0;
    return true;
}

static int rd_peek(Rd *r)
{
    int c = getc(r->f);
    if (c != EOF)
        ungetc(c, r->f);
    return c;
}

/* The configuration section: the machine name and the subsections QEMU
 * 7.2 may add (their layouts are fixed). */
static bool skip_configuration(Rd *r)
{
    guint32 len = rd_be32(r);
    if (len > 256)
        return rd_fail(r, "configuration name of %u bytes", len);
    char name[257];
    if (!rd_bytes(r, name, len))
        return false;
    while (!r->failed && rd_peek(r) == QEMU_VM_SUBSECTION) {
        char sub[256];
        rd_u8(r);
        rd_name(r, sub);
        rd_be32(r); /* version */
        if (!strcmp(sub, "configuration/target-page-bits"))
            rd_be32(r);
        else if (!strcmp(sub, "configuration/uuid")) {
            guint8 uuid[16];
            rd_bytes(r, uuid, sizeof(uuid));
        } else if (!strcmp(sub, "configuration/capabilities")) {
            guint32 n = rd_be32(r);
            for (guint32 i = 0; i < n && i < 64 && !r->failed; i++) {
                char cap[256];
                rd_name(r, cap);
            }
        } else
            return rd_fail(r, "unknown configuration subsection '%s'", sub);
    }
    return !r->failed;
}

typedef struct {
    GArray *ranges; /* DlRamRange */
    int out;
    guint64 data_off;
    guint64 *range_off; /* file offset of each range's first byte */
    GArray *seen;       /* one bit per page of every range, in range order */
    guint64 *seen_base; /* first bit of each range */
    guint64 total_pages;
    DlBgSnapStats *st;
    guint8 zero[PAGE];
} Out;

/* Places one page of block at offset into every range that maps it. A
 * block page no range maps (ACPI tables, option ROMs off the map) is read
 * and dropped, as QEMU's own dump leaves it out. */
static bool put_page(Out *o, Rd *r, const char *block, guint64 offset, const guint8 *data)
{
    for (guint i = 0; i < o->ranges->len; i++) {
        const DlRamRange *rg = &g_array_index(o->ranges, DlRamRange, i);
        if (strcmp(rg->block, block) || offset < rg->offset || offset >= rg->offset + rg->size)
            continue;
        guint64 rel = offset - rg->offset;
        guint64 bit = o->seen_base[i] + rel / PAGE;
        guint8 *byte = &g_array_index(o->seen, guint8, bit / 8);
        if (*byte & (1u << (bit % 8)))
            return rd_fail(r, "page 0x%" G_GINT64_MODIFIER "x of %s comes twice", offset, block);
        *byte |= (guint8)(1u << (bit % 8));
        if (data && pwrite(o->out, data, PAGE, (off_t)(o->range_off[i] + rel)) != (ssize_t)PAGE) {
            g_set_error(r->err, DL_ERROR, DL_ERROR_IO, "writing the ELF core: %s",
                        g_strerror(errno));
            r->failed = true;
            return false;
        }
    }
    return true;
}

/* RAM records up to RAM_SAVE_FLAG_EOS. */
static bool read_ram(Out *o, Rd *r, char block[256])
{
    guint8 page[PAGE];
    for (guint64 n = 0; !r->failed; n++) {
        guint64 a = rd_be64(r);
        guint flags = (guint)(a & (PAGE - 1));
        guint64 offset = a & ~(PAGE - 1);
        if (r->failed)
            break;
        if (flags & ~RAM_FLAG_KNOWN)
            return rd_fail(r, "RAM record with flags 0x%x this reader does not take "
                              "(compression, xbzrle, rdma?)",
                           flags);
        if (flags & RAM_FLAG_EOS)
            return true;
        if (!(flags & (RAM_FLAG_ZERO | RAM_FLAG_PAGE)))
            return rd_fail(r, "RAM record with flags 0x%x", flags);
        if (!(flags & RAM_FLAG_CONTINUE))
            rd_name(r, block);
        else if (!block[0])
            return rd_fail(r, "RAM record continues no block");
        if (flags & RAM_FLAG_ZERO) {
            guint8 fill = rd_u8(r);
            if (fill) {
                memset(page, fill, PAGE);
                o->st->pages++;
                put_page(o, r, block, offset, page);
            } else {
                o->st->zero_pages++;
                put_page(o, r, block, offset, NULL); /* a hole reads as zeros */
            }
        } else {
            rd_bytes(r, page, PAGE);
            o->st->pages++;
            put_page(o, r, block, offset, page);
        }
    }
    return false;
}

static bool read_footer(Rd *r, guint32 id)
{
    if (rd_peek(r) != QEMU_VM_SECTION_FOOTER)
        return true;
    rd_u8(r);
    guint32 fid = rd_be32(r);
    if (!r->failed && fid != id)
        return rd_fail(r, "section footer for %u inside section %u", fid, id);
    return !r->failed;
}

static bool parse_stream(Out *o, Rd *r)
{
    if (rd_be32(r) != QEMU_VM_FILE_MAGIC || r->failed)
        return rd_fail(r, "not a QEMU migration stream (no QEVM magic)");
    guint32 version = rd_be32(r);
    if (version != 3)
        return rd_fail(r, "stream version %u, this reader takes 3", version);
    guint32 ram_id = G_MAXUINT32;
    char block[256] = "";
    for (;;) {
        int type = rd_u8(r);
        if (r->failed)
            return false;
        if (type == QEMU_VM_CONFIGURATION) {
            if (!skip_configuration(r))
                return false;
            continue;
        }
        if (type == QEMU_VM_SECTION_START) {
            guint32 id = rd_be32(r);
            char idstr[256];
            rd_name(r, idstr);
            rd_be32(r); /* instance */
            rd_be32(r); /* version */
            if (r->failed)
                return false;
            if (strcmp(idstr, "ram"))
                return rd_fail(r, "iterative section '%s' before RAM ends: not a plain RAM "
                                  "snapshot",
                               idstr);
            ram_id = id;
            guint64 a = rd_be64(r);
            if (!(a & RAM_FLAG_MEM_SIZE))
                return rd_fail(r, "RAM setup without its size record");
            guint64 total = a & ~(PAGE - 1), sum = 0;
            while (sum < total && !r->failed) {
                char name[256];
                rd_name(r, name);
                sum += rd_be64(r);
            }
            if (sum != total)
                return rd_fail(r, "RAM blocks add up to %" G_GUINT64_FORMAT
                                  " bytes, not %" G_GUINT64_FORMAT,
                               sum, total);
            if (!read_ram(o, r, block) || !read_footer(r, id))
                return false;
            continue;
        }
        if (type == QEMU_VM_SECTION_PART || type == QEMU_VM_SECTION_END) {
            guint32 id = rd_be32(r);
            if (id != ram_id)
                return rd_fail(r, "section %u is not RAM's (%u)", id, ram_id);
            if (!read_ram(o, r, block) || !read_footer(r, id))
                return false;
            if (type == QEMU_VM_SECTION_END)
                return true; /* device state follows; not ours to read */
            continue;
        }
        /* A background snapshot may end RAM with its last PART: the
         * device state saved at the instant (FULL sections, then EOF)
         * follows. Whether every page came is checked by the caller. */
        if ((type == QEMU_VM_SECTION_FULL || type == QEMU_VM_EOF) && ram_id != G_MAXUINT32)
            return true;
        return rd_fail(r, "section type 0x%02x before the end of RAM", type);
    }
}

bool dl_bgsnap_stream_to_elf(int stream_fd, GArray *ranges, int out_fd, DlBgSnapStats *st,
                             GError **err)
{
    int dupfd = dup(stream_fd);
    FILE *f = dupfd >= 0 ? fdopen(dupfd, "rb") : NULL;
    if (!f) {
        if (dupfd >= 0)
            close(dupfd);
        dl_set_error_errno(err, errno, "reading the migration stream");
        return false;
    }
    Out o = {.ranges = ranges, .out = out_fd, .st = st};
    gsize head;
    g_autofree guint8 *h = dl_ramsnap_elf_header(
        ranges, "QEMU background snapshot (userfaultfd write protection): RAM at one instant",
        &head, &o.data_off);
    o.range_off = g_new0(guint64, ranges->len);
    o.seen_base = g_new0(guint64, ranges->len);
    guint64 off = o.data_off;
    for (guint i = 0; i < ranges->len; i++) {
        const DlRamRange *rg = &g_array_index(ranges, DlRamRange, i);
        o.range_off[i] = off;
        o.seen_base[i] = o.total_pages;
        off += rg->size;
        o.total_pages += rg->size / PAGE;
    }
    o.seen = g_array_new(FALSE, TRUE, 1);
    g_array_set_size(o.seen, (guint)((o.total_pages + 7) / 8));
    Rd r = {.f = f, .err = err};
    bool ok = pwrite(out_fd, h, head, 0) == (ssize_t)head && ftruncate(out_fd, (off_t)off) == 0;
    if (!ok)
        dl_set_error_errno(err, errno, "writing the ELF core");
    ok = ok && parse_stream(&o, &r);
    /* Every page of the map must have come: a snapshot with a page missing
     * is not one of the guest. */
    for (guint64 b = 0; ok && b < o.total_pages; b++)
        if (!(g_array_index(o.seen, guint8, b / 8) & (1u << (b % 8)))) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "the migration stream lacks guest page %" G_GUINT64_FORMAT
                        " of the RAM map",
                        b);
            ok = false;
        }
    st->stream_bytes = r.pos;
    fclose(f);
    g_array_free(o.seen, TRUE);
    g_free(o.range_off);
    g_free(o.seen_base);
    return ok;
}

/* ---- driving QEMU through libvirt ---- */

static JsonNode *qmp(virDomainPtr dom, const char *cmd, int *fds, unsigned nfds, GError **err)
{
    char *out = NULL;
    int rc = nfds ? virDomainQemuMonitorCommandWithFiles(dom, cmd, nfds, fds, NULL, NULL, &out, 0)
                  : virDomainQemuMonitorCommand(dom, cmd, &out, 0);
    if (rc < 0) {
        const virError *e = virGetLastError();
        g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "QMP %s: %s", cmd,
                    e && e->message ? e->message : "libvirt error");
        return NULL;
    }
    JsonNode *n = json_from_string(out, err);
    if (n && JSON_NODE_HOLDS_OBJECT(n) &&
        json_object_has_member(json_node_get_object(n), "error")) {
        JsonObject *e = json_object_get_object_member(json_node_get_object(n), "error");
        g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "QMP %s: %s", cmd,
                    e && json_object_has_member(e, "desc")
                        ? json_object_get_string_member(e, "desc")
                        : out);
        json_node_unref(n);
        n = NULL;
    }
    free(out);
    return n;
}

static bool qmp_ok(virDomainPtr dom, const char *cmd, int *fds, unsigned nfds, GError **err)
{
    JsonNode *n = qmp(dom, cmd, fds, nfds, err);
    if (n)
        json_node_unref(n);
    return n != NULL;
}

static double member_ms(JsonObject *o, const char *key)
{
    return o && json_object_has_member(o, key) ? (double)json_object_get_int_member(o, key) : -1;
}

struct DlBgSnap {
    virDomainPtr dom;
    char *path, *stream;
    int sfd;
    GArray *ranges;
    int timeout_s;
    gint64 t0;
    DlBgSnapStats st;
    GThread *thread;
    gint stream_done; /* QEMU has finished writing (or failed): it may go */
    bool ok;
    GError *error;
};

/* Polls query-migrate: returns 1 when QEMU completed, 0 while it runs, -1
 * on failure; *transferred gets the RAM bytes streamed so far. */
static int migrate_status(DlBgSnap *s, guint64 *transferred, GError **err)
{
    JsonNode *n = qmp(s->dom, "{\"execute\":\"query-migrate\"}", NULL, 0, err);
    if (!n)
        return -1;
    JsonObject *ret = json_object_get_object_member(json_node_get_object(n), "return");
    const char *status = ret && json_object_has_member(ret, "status")
                             ? json_object_get_string_member(ret, "status")
                             : "none";
    int rc = 0;
    if (transferred) {
        JsonObject *ram = ret && json_object_has_member(ret, "ram")
                              ? json_object_get_object_member(ret, "ram")
                              : NULL;
        *transferred = ram && json_object_has_member(ram, "transferred")
                           ? (guint64)json_object_get_int_member(ram, "transferred")
                           : 0;
    }
    if (!strcmp(status, "completed")) {
        s->st.total_ms = member_ms(ret, "total-time");
        s->st.downtime_ms = member_ms(ret, "downtime");
        rc = 1;
    } else if (!strcmp(status, "failed") || !strcmp(status, "cancelled") ||
               !strcmp(status, "none")) {
        g_set_error(err, DL_ERROR, DL_ERROR_LIBVIRT, "QEMU's background snapshot %s%s%s", status,
                    ret && json_object_has_member(ret, "error-desc") ? ": " : "",
                    ret && json_object_has_member(ret, "error-desc")
                        ? json_object_get_string_member(ret, "error-desc")
                        : "");
        rc = -1;
    }
    json_node_unref(n);
    return rc;
}

static bool past_deadline(DlBgSnap *s, GError **err)
{
    if (g_get_monotonic_time() < s->t0 + (gint64)s->timeout_s * G_USEC_PER_SEC)
        return false;
    qmp_ok(s->dom, "{\"execute\":\"migrate_cancel\"}", NULL, 0, NULL);
    g_set_error(err, DL_ERROR, DL_ERROR_TIMEOUT,
                "QEMU's background snapshot did not finish in %d s; cancelled it", s->timeout_s);
    return true;
}

void dl_bgsnap_free(DlBgSnap *s)
{
    if (!s)
        return;
    if (s->thread)
        g_thread_join(s->thread);
    if (s->sfd >= 0)
        close(s->sfd);
    if (s->stream && !g_getenv("DUMPLAB_KEEP_STREAM"))
        unlink(s->stream);
    if (s->ranges)
        g_array_free(s->ranges, TRUE);
    g_clear_error(&s->error);
    virDomainFree(s->dom);
    g_free(s->path);
    g_free(s->stream);
    g_free(s);
}

DlBgSnap *dl_bgsnap_start(virDomainPtr dom, const char *path, int timeout_s, bool *refused,
                          GError **err)
{
    *refused = false;
    DlBgSnap *s = g_new0(DlBgSnap, 1);
    virDomainRef(dom);
    s->dom = dom;
    s->sfd = -1;
    s->timeout_s = timeout_s;
    s->path = g_strdup(path);
    s->st.downtime_ms = -1;
    s->ranges = g_array_new(FALSE, FALSE, sizeof(DlRamRange));
    g_autofree char *mtree = NULL;
    if (!dl_virt_hmp(dom, "info mtree -f", &mtree, err) ||
        !dl_ramsnap_parse_mtree(mtree, s->ranges, err)) {
        dl_bgsnap_free(s);
        return NULL;
    }
    /* The stream is about as large as the guest's resident RAM; it lives
     * next to the dump (0600: it is the guest's memory) only until the
     * ELF is written. */
    s->stream = g_strconcat(path, ".stream", NULL);
    s->sfd = open(s->stream, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (s->sfd < 0) {
        dl_set_error_errno(err, errno, "creating %s", s->stream);
        dl_bgsnap_free(s);
        return NULL;
    }
    bool ok =
        qmp_ok(dom,
               "{\"execute\":\"migrate-set-capabilities\",\"arguments\":{\"capabilities\":"
               "[{\"capability\":\"background-snapshot\",\"state\":true}]}}",
               NULL, 0, err);
    *refused = !ok;
    ok = ok &&
         /* No rate limit: the stream goes to a local file. */
         qmp_ok(dom,
                "{\"execute\":\"migrate-set-parameters\",\"arguments\":"
                "{\"max-bandwidth\":1099511627776}}",
                NULL, 0, err) &&
         qmp_ok(dom, "{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"dumplab-snap\"}}",
                &s->sfd, 1, err) &&
         qmp_ok(dom, "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"fd:dumplab-snap\"}}",
                NULL, 0, err);
    s->t0 = g_get_monotonic_time();
    /* The instant is taken once QEMU streams pages: it sends none before it
     * has stopped the vCPUs, saved their state and write-protected RAM. */
    while (ok) {
        guint64 sent = 0;
        int rc = migrate_status(s, &sent, err);
        if (rc < 0 || (rc == 0 && past_deadline(s, err)))
            ok = false;
        else if (rc == 1 || sent > 0)
            break;
        else
            g_usleep(20 * 1000);
    }
    if (!ok) {
        dl_bgsnap_free(s);
        return NULL;
    }
    return s;
}

bool dl_bgsnap_wait_stream(DlBgSnap *s, DlProgressFn progress, void *progress_data, GError **err)
{
    gint64 next_note = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    for (;;) {
        int rc = migrate_status(s, NULL, err);
        if (rc == 1)
            return true;
        if (rc < 0 || past_deadline(s, err))
            return false;
        gint64 now = g_get_monotonic_time();
        if (progress && now >= next_note) {
            struct stat sb;
            g_autofree char *what = g_strdup_printf(
                "background snapshot (%" G_GUINT64_FORMAT " MiB streamed)",
                fstat(s->sfd, &sb) == 0 ? (guint64)sb.st_size >> 20 : 0);
            progress(progress_data, what, (int)((now - s->t0) / G_USEC_PER_SEC));
            next_note += 10 * G_USEC_PER_SEC;
        }
        g_usleep(50 * 1000);
    }
}

bool dl_bgsnap_write(DlBgSnap *s, DlBgSnapStats *st, GError **err)
{
    int out = open(s->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) {
        dl_set_error_errno(err, errno, "creating %s", s->path);
        return false;
    }
    bool ok = lseek(s->sfd, 0, SEEK_SET) == 0 && fchmod(out, 0600) == 0 &&
              dl_bgsnap_stream_to_elf(s->sfd, s->ranges, out, &s->st, err);
    if (close(out) < 0 && ok) {
        dl_set_error_errno(err, errno, "writing %s", s->path);
        ok = false;
    }
    if (!ok)
        unlink(s->path);
    *st = s->st;
    return ok;
}

static gpointer finish_thread(gpointer data)
{
    DlBgSnap *s = data;
    s->ok = dl_bgsnap_wait_stream(s, NULL, NULL, &s->error);
    g_atomic_int_set(&s->stream_done, 1);
    if (s->ok)
        s->ok = dl_bgsnap_write(s, &s->st, &s->error);
    return NULL;
}

void dl_bgsnap_finish_async(DlBgSnap *s)
{
    s->thread = g_thread_new("dl-bgsnap", finish_thread, s);
}

bool dl_bgsnap_stream_done(DlBgSnap *s)
{
    return g_atomic_int_get(&s->stream_done);
}

bool dl_bgsnap_join(DlBgSnap *s, DlBgSnapStats *st, GError **err)
{
    if (s->thread) {
        g_thread_join(s->thread);
        s->thread = NULL;
    }
    *st = s->st;
    if (!s->ok && s->error)
        g_propagate_error(err, g_steal_pointer(&s->error));
    return s->ok;
}

bool dl_bgsnap_take(virDomainPtr dom, const char *path, int timeout_s, DlProgressFn progress,
                    void *progress_data, DlBgSnapStats *st, GError **err)
{
    memset(st, 0, sizeof(*st));
    st->downtime_ms = -1;
    DlBgSnap *s = dl_bgsnap_start(dom, path, timeout_s, &st->refused_before_start, err);
    if (!s)
        return false;
    bool ok = dl_bgsnap_wait_stream(s, progress, progress_data, err) && dl_bgsnap_write(s, st, err);
    *st = s->st;
    dl_bgsnap_free(s);
    return ok;
}
