/* kdump's vmcore against the hypervisor's dump: identical memory is
 * clean, changed pages are reported as ranges, the crashkernel region and
 * low 1 MiB are ignored, RAM missing on either side is reported. */
#include "dumplab/coregen.h"
#include "dumplab/dumpgen.h"
#include "dumplab/proof.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmpdir;

static DlDump *core_from(const char *name, const char *desc)
{
    g_autofree char *p = g_build_filename(tmpdir, name, NULL);
    GError *err = NULL;
    if (!dl_coregen_write(desc, p, &err)) {
        tap_diag("coregen: %s", err->message);
        g_error_free(err);
        return NULL;
    }
    DlDump *c = dl_dump_open(p, &err);
    if (!c) {
        tap_diag("open: %s", err->message);
        g_error_free(err);
    }
    g_unlink(p);
    return c;
}

static const DlFinding *rule(const DlCheckResult *r, const char *name, DlSeverity sev)
{
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        if (!strcmp(f->rule, name) && f->sev == sev)
            return f;
    }
    return NULL;
}

static void diag(const DlCheckResult *r)
{
    for (guint i = 0; r && i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        tap_diag("  %s %s: %s", dl_severity_name(f->sev), f->rule, f->message);
    }
}

static DlCheckResult *fresh(DlDump *c)
{
    return dl_check_result_new();
}

static GArray *ranges1(guint64 a, guint64 b)
{
    GArray *g = g_array_new(FALSE, FALSE, sizeof(DlRange));
    DlRange r = {a, b};
    g_array_append_val(g, r);
    return g;
}

static void compare(void)
{
    const char *ram = "ram 0x1000-0x9ffff\nram 0x100000-0xbfffff\n";
    g_autofree char *kd =
        g_strdup_printf("layout kexec_load\ncpu rip=0x1 rsp=0x1\n%s", "ram 0x1000-0x9ffff\n"
                                                                      "ram 0x100000-0x7fffff\n");
    g_autofree char *hv = g_strdup_printf("layout qemu\ncpu rip=0x1 rsp=0x1\n%s", ram);
    g_autoptr(DlDump) k = core_from("cmp-k", kd);
    g_autoptr(DlDump) h = core_from("cmp-h", hv);
    /* The first kernel's RAM ends at 0xbfffff; 0x800000-0xbfffff is the
     * crashkernel reservation, which kdump leaves out. */
    g_autoptr(GArray) sysram = ranges1(0x1000, 0xbfffff);
    g_autoptr(GArray) ck = ranges1(0x800000, 0xbfffff);
    g_autoptr(DlCheckResult) r = fresh(k);
    DlCompareStats st;
    bool ok = dl_proof_compare(k, h, sysram, ck, r, &st);
    if (!tap_ok(ok && st.compared_pages == (0x800000 - 0x100000) / 4096 && st.differing_pages == 0,
                "identical memory compares clean (%" G_GUINT64_FORMAT " pages)", st.compared_pages))
        diag(r);
    if (st.differ)
        g_array_free(st.differ, TRUE);
    st.differ = NULL;

    g_autofree char *hv2 = g_strdup_printf("%spoke paddr=0x345678 byte=0xee\npoke "
                                           "paddr=0x346001 byte=0xee\npoke paddr=0x900000 "
                                           "byte=0xee\npoke paddr=0x2000 byte=0xee\n",
                                           hv);
    g_autoptr(DlDump) h2 = core_from("cmp-h2", hv2);
    g_autoptr(DlCheckResult) r2 = fresh(k);
    ok = dl_proof_compare(k, h2, sysram, ck, r2, &st);
    const DlFinding *f = rule(r2, "compare.differ", DL_SEV_DEFECT);
    tap_ok(!ok && st.differing_pages == 2 && f && strstr(f->message, "0x345000-0x346fff"),
           "changed pages are reported as one range; crashkernel and low 1 MiB ignored: %s",
           f ? f->message : "(not reported)");
    if (st.differ)
        // cppcheck-suppress doubleFree ; dl_proof_compare fills st.differ anew each call
        g_array_free(st.differ, TRUE);
    st.differ = NULL;

    g_autoptr(GArray) nock = ranges1(0xc00000, 0xc00fff);
    g_autoptr(DlCheckResult) r3 = fresh(k);
    ok = dl_proof_compare(k, h, sysram, nock, r3, &st);
    tap_ok(!ok && rule(r3, "compare.missing", DL_SEV_DEFECT) &&
               st.missing_pages == (0xc00000 - 0x800000) / 4096,
           "RAM the hypervisor saw but kdump lacks is reported");
    if (st.differ)
        g_array_free(st.differ, TRUE);
    st.differ = NULL;
}

static void crashkernel_and_json(void)
{
    /* Both dumps hold the crashkernel region (as a hypervisor dump of a
     * kexec_file_load guest's RAM would); the crash kernel has written all
     * over it, which must not count. kdump also holds a page the
     * hypervisor's dump lacks. */
    g_autoptr(DlDump) k = core_from("ck-k", "layout kexec_load\ncpu rip=0x1 rsp=0x1\n"
                                            "ram 0x100000-0x3fffff\nram 0x500000-0x500fff\n");
    g_autoptr(DlDump) h = core_from("ck-h", "layout qemu\ncpu rip=0x1 rsp=0x1\n"
                                            "ram 0x100000-0x3fffff fill=zero\n");
    g_autoptr(GArray) ck = ranges1(0x200000, 0x3fffff);
    g_autoptr(DlCheckResult) r = fresh(k);
    DlCompareStats st;
    bool ok = dl_proof_compare(k, h, NULL, ck, r, &st);
    const DlFinding *f = rule(r, "compare.differ", DL_SEV_DEFECT);
    if (!tap_ok(!ok && f && strstr(f->message, "0x100000-0x1fffff") && st.differing_pages == 256 &&
                    st.compared_pages == 256,
                "only the differing RAM outside the crashkernel region is reported: %s",
                f ? f->message : "(not reported)"))
        diag(r);
    f = rule(r, "compare.hv-short", DL_SEV_WARNING);
    tap_ok(f && st.extra_pages == 1 && strstr(f->message, "0x500000-0x500fff"),
           "RAM only kdump's vmcore holds is reported as not compared");
    g_autoptr(JsonNode) j = dl_compare_stats_to_json(&st);
    g_autofree char *s = json_to_string(j, FALSE);
    tap_ok(strstr(s, "\"differing_pages\":256") &&
               strstr(s, "{\"start\":\"0x100000\",\"end\":\"0x1fffff\",\"bytes\":1048576}"),
           "JSON carries the counts and differing ranges: %s", s);
    if (st.differ)
        g_array_free(st.differ, TRUE);
    st.differ = NULL;

    g_autoptr(DlDump) far = core_from("ck-far", "layout qemu\ncpu rip=0x1 rsp=0x1\n"
                                                "ram 0x1000000-0x10fffff\n");
    g_autoptr(DlCheckResult) r2 = fresh(k);
    tap_ok(!dl_proof_compare(k, far, NULL, NULL, r2, NULL) &&
               rule(r2, "compare.nothing", DL_SEV_DEFECT),
           "dumps with no page in common do not pass as identical");
}

/* The same comparison over every format the reader opens: a vmcore
 * rewritten as kdump-compressed (each compression) or flattened compares
 * clean against the reference, and a changed page is still found. */
static void formats(void)
{
    const char *kd = "layout kexec_load\ncpu rip=0x1 rsp=0x1\nram 0x100000-0x4fffff\n"
                     "ram 0x500000-0x5fffff fill=zero\n";
    g_autofree char *kp = g_build_filename(tmpdir, "fmt-k", NULL);
    GError *err = NULL;
    if (!dl_coregen_write(kd, kp, &err)) {
        tap_diag("coregen: %s", err->message);
        g_clear_error(&err);
    }
    g_autoptr(DlDump) h = core_from("fmt-h", "layout qemu\ncpu rip=0x1 rsp=0x1\n"
                                             "ram 0x100000-0x4fffff\nram 0x500000-0x5fffff "
                                             "fill=zero\npoke paddr=0x5ff000 byte=0x1\n");
    g_autoptr(DlDump) k = dl_dump_open(kp, &err);
    static const struct {
        guint32 comp;
        const char *name;
    } comps[] = {{0, "stored"},
                 {DL_DUMP_ZLIB, "zlib"},
                 {DL_DUMP_LZO, "lzo"},
                 {DL_DUMP_SNAPPY, "snappy"},
                 {DL_DUMP_ZSTD, "zstd"}};
    for (guint i = 0; k && i < G_N_ELEMENTS(comps); i++) {
        g_autofree char *out = g_strdup_printf("%s.%s", kp, comps[i].name);
        g_autofree char *flat = g_strdup_printf("%s.flat", out);
        bool made = dl_dumpgen_kdump(k, out, comps[i].comp, 0, &err) &&
                    dl_dumpgen_flatten(out, flat, 65536, &err);
        if (!made) {
            tap_diag("dumpgen: %s", err->message);
            g_clear_error(&err);
        }
        const char *files[] = {out, flat};
        for (guint j = 0; j < 2; j++) {
            g_autoptr(DlDump) d = dl_dump_open(files[j], &err);
            g_autoptr(DlCheckResult) r = dl_check_result_new();
            DlCompareStats st = {0};
            bool ok = d && dl_proof_compare(d, h, NULL, NULL, r, &st);
            const DlFinding *f = rule(r, "compare.differ", DL_SEV_DEFECT);
            if (!tap_ok(d && !ok && st.differing_pages == 1 && st.compared_pages == 1280 && f &&
                            strstr(f->message, "0x5ff000-0x5fffff"),
                        "%s %s: 1280 pages compared, the one changed page found",
                        comps[i].name, j ? "flattened" : "kdump-compressed"))
                diag(r);
            g_clear_error(&err);
            if (st.differ)
                g_array_free(st.differ, TRUE);
        }
        g_unlink(out);
        g_unlink(flat);
    }
    /* Level 1 leaves the zero pages out: zero in the reference is right,
     * the page the reference has non-zero had to be kept. */
    g_autofree char *lv1 = g_strdup_printf("%s.d1", kp);
    if (k && !dl_dumpgen_kdump(k, lv1, DL_DUMP_ZLIB, 1, &err)) {
        tap_diag("dumpgen: %s", err->message);
        g_clear_error(&err);
    }
    g_autoptr(DlDump) d1 = dl_dump_open(lv1, &err);
    g_autoptr(DlCheckResult) r = dl_check_result_new();
    DlCompareStats st = {0};
    bool ok = d1 && dl_proof_compare(d1, h, NULL, NULL, r, &st);
    const DlFinding *f = rule(r, "compare.excluded-kept", DL_SEV_DEFECT);
    if (!tap_ok(d1 && !ok && st.excluded_ok == 255 && st.excluded_bad == 1 && f &&
                    strstr(f->message, "frame 0x5ff"),
                "dump level 1: 255 zero pages rightly excluded, the non-zero one named: %s",
                f ? f->message : "(not reported)"))
        diag(r);
    if (st.differ)
        g_array_free(st.differ, TRUE);
    st.differ = NULL;
    g_unlink(lv1);
    g_unlink(kp);
}

int main(void)
{
    tmpdir = g_dir_make_tmp("proof-XXXXXX", NULL);
    compare();
    crashkernel_and_json();
    formats();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return tap_done();
}
