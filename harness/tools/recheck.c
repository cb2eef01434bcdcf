/* recheck: a test tool, not part of any run. It reruns the checks of a
 * finished run on its vmcore, or on a copy damaged on purpose, so the tests
 * can show that each check catches the defect it exists for on a real dump:
 *   recheck [--damage marker|page|note] WORKDIR
 * "marker": one byte of the first marker page; "page": one byte of RAM at
 * 32 MiB, which only the cross-check can see; "note": the second CPU's
 * NT_PRSTATUS note renamed, as if that CPU never answered.
 * The run's own vmcore is never touched: the copy and the new report live in
 * WORKDIR/recheck-KIND/ (report.json, report.txt). Exit 0 when the checks
 * pass, 1 when they fail, 2 on bad input. */
#include "dumplab/agentchan.h"
#include "dumplab/dump.h"
#include "dumplab/error.h"
#include "dumplab/proof.h"
#include "dumplab/report.h"
#include "dumplab/runcheck.h"
#include "dumplab/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INJECT_PADDR (32ULL << 20)

/* File offset of the byte to change, chosen per kind. */
/* File offset of paddr in the first PT_LOAD that holds it in the file. */
static gint64 phys_offset(DlDump *c, guint64 pa)
{
    for (guint i = 0; i < dl_dump_phnum(c); i++) {
        const DlPhdr *ph = dl_dump_phdr(c, i);
        if (ph->type != 1 /* PT_LOAD */ || pa < ph->paddr || pa - ph->paddr >= ph->filesz)
            continue;
        guint64 o = ph->offset + (pa - ph->paddr);
        if (o >= ph->offset && o < dl_dump_size(c))
            return (gint64)o;
    }
    return -1;
}

static gint64 target(DlDump *c, const char *kind, GPtrArray *manifest, guint8 *newbyte,
                     guint64 *paddr, GError **err)
{
    if (!strcmp(kind, "marker") || !strcmp(kind, "page")) {
        guint64 pa = INJECT_PADDR;
        if (!strcmp(kind, "marker")) {
            g_autoptr(DlManifest) m = dl_manifest_parse(manifest, NULL, err);
            if (!m)
                return -1;
            if (!m->markers->len) {
                g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "no marker pages to alter");
                return -1;
            }
            pa = g_array_index(m->markers, DlRange, 0).start * 4096 + 100;
        }
        gint64 off = phys_offset(c, pa);
        guint8 old;
        if (off < 0 || !dl_dump_read(c, (guint64)off, &old, 1, NULL)) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "paddr 0x%" G_GINT64_MODIFIER "x is not in the vmcore", pa);
            return -1;
        }
        *newbyte = (guint8)~old;
        *paddr = pa;
        return off;
    }
    if (!strcmp(kind, "note")) {
        guint seen = 0;
        for (guint i = 0; i < dl_dump_nnotes(c); i++) {
            const DlNote *n = dl_dump_note(c, i);
            if (n->type == 1 && !strcmp(n->name, "CORE") && seen++ == 1) {
                *newbyte = 'X';
                return (gint64)n->offset + 12; /* first byte of the name */
            }
        }
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "the vmcore has no second CPU note");
        return -1;
    }
    g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "unknown defect kind '%s' (marker, page, note)",
                kind);
    return -1;
}

static bool damage(const char *vmcore, const char *kind, GPtrArray *manifest, GError **err)
{
    guint8 b = 0;
    guint64 pa = G_MAXUINT64;
    g_autoptr(GArray) offs = g_array_new(FALSE, FALSE, sizeof(gint64));
    {
        g_autoptr(DlDump) c = dl_dump_open(vmcore, err);
        if (!c)
            return false;
        gint64 off = target(c, kind, manifest, &b, &pa, err);
        if (off < 0) {
            g_prefix_error(err, "injecting a %s defect: ", kind);
            return false;
        }
        g_array_append_val(offs, off);
        /* Memory that changed changes in every segment that holds it (the
         * kernel-text PT_LOAD repeats RAM frames): damaging one copy only
         * would be a different defect, which the checker names as such. */
        for (guint i = 0; pa != G_MAXUINT64 && i < dl_dump_phnum(c); i++) {
            const DlPhdr *ph = dl_dump_phdr(c, i);
            if (ph->type != 1 /* PT_LOAD */ || pa < ph->paddr || pa - ph->paddr >= ph->filesz)
                continue;
            gint64 o = (gint64)(ph->offset + (pa - ph->paddr));
            if (o != off && (guint64)o < dl_dump_size(c))
                g_array_append_val(offs, o);
        }
    }
    int fd = open(vmcore, O_WRONLY | O_CLOEXEC);
    for (guint i = 0; fd >= 0 && i < offs->len; i++)
        if (pwrite(fd, &b, 1, g_array_index(offs, gint64, i)) != 1) {
            close(fd);
            fd = -1;
        }
    if (fd < 0) {
        dl_set_error_errno(err, errno, "injecting a %s defect into %s", kind, vmcore);
        return false;
    }
    close(fd);
    return true;
}

/* The lines the guest sent, from agent.log ("   12.345 < VERB ..."). */
static bool read_agent_log(const char *path, GPtrArray *iomem, GPtrArray *manifest, GError **err)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, err))
        return false;
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        const char *p = strstr(*l, " < ");
        if (!p)
            continue;
        p += 3;
        if (g_str_has_prefix(p, "IOMEM "))
            g_ptr_array_add(iomem, dl_msg_parse(p));
        else if (g_str_has_prefix(p, "MANIFEST "))
            g_ptr_array_add(manifest, g_strdup(p + strlen("MANIFEST ")));
    }
    return true;
}

static char *scenario_path(const char *report_json, GError **err)
{
    g_autoptr(JsonParser) jp = json_parser_new();
    if (!json_parser_load_from_file(jp, report_json, err))
        return NULL;
    JsonNode *root = json_parser_get_root(jp);
    JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
    const char *path = o ? json_object_get_string_member_with_default(o, "path", NULL) : NULL;
    if (!path) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s names no scenario path", report_json);
        return NULL;
    }
    return g_strdup(path);
}

static bool copy_file(const char *from, const char *to, GError **err)
{
    g_autoptr(GFile) src = g_file_new_for_path(from);
    g_autoptr(GFile) dst = g_file_new_for_path(to);
    int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600); /* 0600 from the start */
    if (fd < 0) {
        dl_set_error_errno(err, errno, "creating %s", to);
        return false;
    }
    close(fd);
    return g_file_copy(src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, err);
}

int main(int argc, char **argv)
{
    const char *kind = NULL, *workdir = NULL;
    if (argc == 4 && !strcmp(argv[1], "--damage")) {
        kind = argv[2];
        workdir = argv[3];
    } else if (argc == 2 && argv[1][0] != '-')
        workdir = argv[1];
    else {
        fprintf(stderr, "usage: recheck [--damage marker|page|note] WORKDIR\n");
        return 2;
    }
    g_autoptr(GError) err = NULL;
    g_autofree char *vmcore = g_build_filename(workdir, "vmcore", NULL);
    g_autofree char *report = g_build_filename(workdir, "report.json", NULL);
    g_autofree char *agent_log = g_build_filename(workdir, "agent.log", NULL);
    g_autofree char *hv = g_build_filename(workdir, "hv.vmcore", NULL);
    g_autofree char *dmesg = g_build_filename(workdir, "dmesg.txt", NULL);
    g_autofree char *out = g_strdup_printf("%s/recheck-%s", workdir, kind ? kind : "none");
    g_autofree char *copy = g_build_filename(out, "vmcore", NULL);
    g_autoptr(GPtrArray) iomem = g_ptr_array_new_with_free_func((GDestroyNotify)dl_msg_free);
    g_autoptr(GPtrArray) manifest = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *scn_path = scenario_path(report, &err);
    g_autoptr(DlScenario) scn = scn_path ? dl_scenario_load(scn_path, &err) : NULL;
    if (!scn || !read_agent_log(agent_log, iomem, manifest, &err)) {
        fprintf(stderr, "recheck: %s\n", err->message);
        return 2;
    }
    if (g_mkdir_with_parents(out, 0700) < 0) {
        fprintf(stderr, "recheck: %s: %s\n", out, g_strerror(errno));
        return 2;
    }
    const char *judged = vmcore;
    if (kind) {
        if (!copy_file(vmcore, copy, &err) || !damage(copy, kind, manifest, &err)) {
            fprintf(stderr, "recheck: %s\n", err->message);
            return 2;
        }
        judged = copy;
    }
    DlRunCheck in = {
        .scn = scn,
        .vmcore = judged,
        .dmesg = dmesg,
        .workdir = out,
        .hv_dump = g_file_test(hv, G_FILE_TEST_EXISTS) ? hv : NULL,
        .iomem = iomem,
        .manifest = manifest,
    };
    g_autoptr(DlReport) rep = dl_report_new(scn->name, scn_path);
    dl_report_set_workdir(rep, out);
    gint64 t0 = g_get_monotonic_time();
    GError *cerr = NULL;
    bool ok = dl_run_check(&in, rep, &cerr);
    if (!ok) {
        dl_report_fail(rep, "check", cerr->message);
        g_error_free(cerr);
    }
    dl_report_finish(rep, (g_get_monotonic_time() - t0) / 1000);
    g_autofree char *json = g_build_filename(out, "report.json", NULL);
    g_autofree char *txt = g_build_filename(out, "report.txt", NULL);
    if (!dl_report_write_json(rep, json, &err) || !dl_report_write_text(rep, txt, &err)) {
        fprintf(stderr, "recheck: %s\n", err->message);
        return 2;
    }
    printf("%s\n", json);
    return ok ? 0 : 1;
}
