/* The checker on synthetic cores: clean cores of each layout pass; each
 * defect class is reported under its rule; damaged files never crash it or
 * make it read outside the file (this test also runs under ASan/UBSan); the
 * command's exit status says defect or unreadable. */
#include "dumplab/check.h"
#include "dumplab/coregen.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmpdir;

#define CPUS2                                                                                      \
    "cpu pid=0 rip=0xffffffff81001000 rsp=0xffffc90000010000\n"                                    \
    "cpu pid=9 rip=0xffffffff81002000 rsp=0xffffc90000020000\n"
#define RAM_LOW "ram 0x1000-0x9ffff\n"
#define RAM_HIGH "ram 0x100000-0xffffff\n"
#define RAM_HIGH2 "ram 0x1000000-0x13fffff\n"

static char *core_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

static char *make(const char *name, const char *desc)
{
    char *p = core_path(name);
    GError *err = NULL;
    if (!dl_coregen_write(desc, p, &err)) {
        tap_diag("coregen %s: %s", name, err->message);
        g_error_free(err);
    }
    return p;
}

static bool has_rule(const DlCheckResult *r, const char *rule, DlSeverity sev)
{
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        if (!strcmp(f->rule, rule) && f->sev == sev)
            return true;
    }
    return false;
}

static void diag_findings(const DlCheckResult *r)
{
    for (guint i = 0; r && i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        tap_diag("  %s %s: %s", dl_severity_name(f->sev), f->rule, f->message);
    }
}

static DlCheckResult *check(const char *path, int cpus, GArray *ram, GArray *ck)
{
    DlCheckInput in = {.expect_cpus = cpus, .ram = ram, .crashkernel = ck};
    GError *err = NULL;
    DlCheckResult *r = dl_check_vmcore(path, &in, &err);
    if (!r) {
        tap_diag("check %s: %s", path, err->message);
        g_error_free(err);
    }
    return r;
}

static GArray *ranges(guint64 a0, guint64 a1, guint64 b0, guint64 b1)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(DlRange));
    DlRange r1 = {a0, a1};
    g_array_append_val(a, r1);
    if (b1) {
        DlRange r2 = {b0, b1};
        g_array_append_val(a, r2);
    }
    return a;
}

static void clean_layouts(void)
{
    static const struct {
        const char *name, *desc;
        DlLayout layout;
    } good[] = {
        {"kexec_load", "layout kexec_load\n" CPUS2 RAM_LOW RAM_HIGH RAM_HIGH2,
         DL_LAYOUT_KEXEC_LOAD},
        {"kexec_file_load", "layout kexec_file_load\n" CPUS2 RAM_HIGH RAM_HIGH2,
         DL_LAYOUT_KEXEC_FILE_LOAD},
        {"qemu",
         "layout qemu\ncpu rip=0xffffffff81001000 rsp=0x1\ncpu rip=0xffffffff81002000 "
         "rsp=0x2\n" RAM_LOW RAM_HIGH RAM_HIGH2,
         DL_LAYOUT_QEMU},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autofree char *p = make(good[i].name, good[i].desc);
        g_autoptr(DlCheckResult) r = check(p, 2, NULL, NULL);
        if (!tap_ok(r && r->defects == 0 && r->layout == good[i].layout,
                    "a clean %s core: no defect, layout recognised", good[i].name))
            diag_findings(r);
        if (r && i == 2) {
            const DlCpuRegs *c1 = &g_array_index(r->cpus, DlCpuRegs, 1);
            tap_ok(c1->cpu == 1 && c1->rip == 0xffffffff81002000ULL,
                   "QEMU notes give the CPU from pr_pid and its rip");
        }
        if (r && i == 0) {
            const DlCpuRegs *c0 = &g_array_index(r->cpus, DlCpuRegs, 0);
            tap_ok(r->cpus->len == 2 && c0->rsp == 0xffffc90000010000ULL && c0->pid == 0,
                   "kdump notes: two CPUs, rsp and pid read");
            tap_ok(r->osrelease && !strcmp(r->osrelease, "6.1.0-coregen"),
                   "OSRELEASE read from VMCOREINFO");
        }
    }
}

static void defect_classes(void)
{
    static const struct {
        const char *defect, *rule;
    } cases[] = {
        {"note-overrun", "note.overrun"},
        {"load-overlap", "load.overlap"},
        {"load-outside-file", "load.outside-file"},
        {"absurd-size", "load.absurd"},
        {"unaligned-offset", "load.misaligned"},
        {"bad-ehsize", "ehdr.ehsize"},
        {"bad-version", "ehdr.version"},
        {"no-phdrs", "ehdr.phnum"},
        {"prstatus-size", "note.prstatus-size"},
        {"bad-machine", "ehdr.machine"},
        {"bad-kaslr", "text.kaslr"},
        {"bad-stext", "text.stext"},
        {"no-crashtime", "vmcoreinfo.crashtime"},
        {"filesz-gt-memsz", "load.filesz"},
        {"truncate", "file.truncated"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *desc = g_strdup_printf(
            "layout kexec_load\n" CPUS2 RAM_LOW RAM_HIGH RAM_HIGH2 "defect %s\n", cases[i].defect);
        g_autofree char *p = make(cases[i].defect, desc);
        g_autoptr(DlCheckResult) r = check(p, 2, NULL, NULL);
        if (!tap_ok(r && has_rule(r, cases[i].rule, DL_SEV_DEFECT), "defect %s is reported as %s",
                    cases[i].defect, cases[i].rule))
            diag_findings(r);
    }
    g_autofree char *p = make("novmci", "layout kexec_load\n" CPUS2 RAM_HIGH "vmcoreinfo none\n");
    g_autoptr(DlCheckResult) r = check(p, 2, NULL, NULL);
    tap_ok(r && has_rule(r, "vmcoreinfo.missing", DL_SEV_DEFECT),
           "a kdump core without VMCOREINFO is a defect");
    g_autofree char *q = make("qnovmci", "layout qemu\n" CPUS2 RAM_HIGH "vmcoreinfo none\n");
    g_autoptr(DlCheckResult) rq = check(q, 2, NULL, NULL);
    tap_ok(rq && rq->defects == 0 && has_rule(rq, "vmcoreinfo.missing", DL_SEV_WARNING),
           "a QEMU dump without VMCOREINFO is only a warning (no vmcoreinfo device)");
}

static void cpus_and_memmap(void)
{
    g_autofree char *p =
        make("one-cpu", "layout kexec_load\n"
                        "cpu pid=0 rip=0xffffffff81001000 rsp=0x1\n" RAM_LOW RAM_HIGH RAM_HIGH2);
    g_autoptr(DlCheckResult) r = check(p, 2, NULL, NULL);
    tap_ok(r && has_rule(r, "cpu.count", DL_SEV_DEFECT),
           "one NT_PRSTATUS note where two CPUs ran is a defect");
    g_autoptr(DlCheckResult) r1 = check(p, 1, NULL, NULL);
    tap_ok(r1 && r1->defects == 0, "the same core passes when one CPU is expected");

    g_autofree char *f = make("memmap", "layout kexec_load\n" CPUS2 RAM_LOW RAM_HIGH RAM_HIGH2);
    /* The first kernel had RAM up to 0x17fffff with 0x1400000-0x17fffff reserved for the crash
     * kernel: everything else is in the dump. */
    g_autoptr(GArray) ram = ranges(0x1000, 0x9ffff, 0x100000, 0x17fffff);
    g_autoptr(GArray) ck = ranges(0x1400000, 0x17fffff, 0, 0);
    g_autoptr(DlCheckResult) ok = check(f, 2, ram, ck);
    if (!tap_ok(ok && ok->defects == 0, "RAM covered except the crashkernel region: no defect"))
        diag_findings(ok);
    g_autoptr(GArray) more = ranges(0x1000, 0x9ffff, 0x100000, 0x1ffffff);
    g_autoptr(DlCheckResult) miss = check(f, 2, more, ck);
    tap_ok(miss && has_rule(miss, "ram.missing", DL_SEV_DEFECT),
           "RAM the first kernel had but the dump lacks is a defect");
    g_autoptr(GArray) ck_in = ranges(0x1000000, 0x13fffff, 0, 0);
    g_autoptr(DlCheckResult) dumped = check(f, 2, ram, ck_in);
    tap_ok(dumped && has_rule(dumped, "ram.crashkernel-dumped", DL_SEV_DEFECT),
           "crashkernel memory in the dump is a defect");
    g_autofree char *fl = make("filemap", "layout kexec_file_load\n" CPUS2 RAM_HIGH RAM_HIGH2);
    g_autoptr(GArray) fram = ranges(0x1000, 0x9ffff, 0x100000, 0x13fffff);
    g_autoptr(DlCheckResult) fr = check(fl, 2, fram, NULL);
    tap_ok(fr && fr->defects == 0, "kexec_file_load leaves out the low 1 MiB without a defect");
}

/* Every prefix of a core, and garbage: a result or an error, never a crash
 * (ASan and UBSan watch the reads). */
static void damaged(void)
{
    g_autofree char *p = make("small", "layout kexec_load\n" CPUS2 "ram 0x1000-0x8fff\n"
                                       "ram 0x100000-0x107fff\n");
    g_autofree char *data = NULL;
    gsize len = 0;
    g_file_get_contents(p, &data, &len, NULL);
    g_autofree char *cut = core_path("cut");
    guint crashes = 0, results = 0, errors = 0;
    for (gsize n = 0; n <= len; n += (n < 8192 ? 7 : 997)) {
        g_file_set_contents(cut, data, (gssize)n, NULL);
        GError *err = NULL;
        DlCheckResult *r = dl_check_vmcore(cut, NULL, &err);
        if (r) {
            results++;
            if (n < len && r->defects == 0)
                crashes++; /* a truncated file must not pass clean */
        } else {
            errors++;
            if (!err)
                crashes++;
        }
        dl_check_result_free(r);
        g_clear_error(&err);
    }
    tap_ok(crashes == 0, "every truncation gives defects or an error (%u results, %u errors)",
           results, errors);
    /* Every header and note byte set to values that break sizes and offsets. */
    guint bad_results = 0, runs = 0, critical = 0, unnoticed = 0;
    gsize hdr_end = MIN(len, (gsize)8192);
    for (gsize off = 0; off < hdr_end; off += (off < 64 + 4 * 56 ? 1 : 3)) {
        static const guint8 vals[] = {0x00, 0x7f, 0xff};
        for (size_t v = 0; v < G_N_ELEMENTS(vals); v++) {
            if ((guint8)data[off] == vals[v])
                continue;
            char saved = data[off];
            data[off] = (char)vals[v];
            g_file_set_contents(cut, data, (gssize)len, NULL);
            data[off] = saved;
            GError *err = NULL;
            DlCheckResult *r = dl_check_vmcore(cut, NULL, &err);
            /* The API gives a result or an error, never both, never neither. */
            bad_results += (r == NULL) == (err == NULL);
            runs++;
            /* Bytes no reader can do without: the ELF magic, class and data
             * encoding, e_type, e_machine, e_phoff, e_phentsize, and e_phnum
             * cut to zero (a larger e_phnum can be legal: the padding before
             * the notes reads as PT_NULL entries). Changing one must be
             * refused or reported as a defect. */
            bool is_critical = off < 6 || (off >= 16 && off < 20) || (off >= 32 && off < 40) ||
                               (off >= 54 && off < 56) || (off == 56 && vals[v] == 0);
            if (is_critical) {
                critical++;
                if (r && r->defects == 0) {
                    unnoticed++;
                    tap_diag("byte %zu set to 0x%02x passed clean", (size_t)off, vals[v]);
                }
            }
            dl_check_result_free(r);
            g_clear_error(&err);
        }
    }
    tap_ok(bad_results == 0,
           "%u single-byte changes in headers and notes: exactly one of a result or an error "
           "(%u broke that)",
           runs, bad_results);
    tap_ok(critical > 0 && unnoticed == 0,
           "each of %u changes to the ELF header's identity and program-header fields is "
           "refused or a defect (%u passed clean)",
           critical, unnoticed);
    g_autofree char *junk = core_path("junk");
    guint8 buf[4096];
    GRand *rand = g_rand_new_with_seed(7);
    bool all_refused = true;
    for (int k = 0; k < 50; k++) {
        for (size_t i = 0; i < sizeof(buf); i++)
            buf[i] = (guint8)g_rand_int(rand);
        if (k % 2) /* a valid ident, garbage after it */
            memcpy(buf, data, 24);
        g_file_set_contents(junk, (char *)buf, sizeof(buf), NULL);
        GError *err = NULL;
        DlCheckResult *r = dl_check_vmcore(junk, NULL, &err);
        all_refused &= r ? r->defects > 0 : err != NULL;
        dl_check_result_free(r);
        g_clear_error(&err);
    }
    g_rand_free(rand);
    tap_ok(all_refused, "random files are refused or found defective");
    GError *err = NULL;
    g_file_set_contents(junk, "", 0, NULL);
    DlCheckResult *r = dl_check_vmcore(junk, NULL, &err);
    tap_ok(!r && err && strstr(err->message, "too short"), "an empty file: %s",
           err ? err->message : "accepted");
    g_clear_error(&err);
    r = dl_check_vmcore("/nonexistent/vmcore", NULL, &err);
    tap_ok(!r && err && strstr(err->message, "/nonexistent/vmcore"), "a missing file is named");
    g_clear_error(&err);
}

static char *find_dumplab(void)
{
    const char *root = g_getenv("DUMPLAB_ROOT");
    if (root)
        return g_build_filename(root, "build", "dumplab", NULL);
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = exe ? g_path_get_dirname(exe) : g_strdup(".");
    for (int up = 1; up <= 2; up++) {
        g_autofree char *c = up == 1 ? g_build_filename(dir, "..", "dumplab", NULL)
                                     : g_build_filename(dir, "..", "..", "dumplab", NULL);
        if (g_file_test(c, G_FILE_TEST_IS_EXECUTABLE))
            return g_steal_pointer(&c);
    }
    return NULL;
}

static int run_check(const char *bin, const char *a1, const char *a2, const char *a3)
{
    const char *argv[] = {bin, "check", a1, a2, a3, NULL};
    int status = -1;
    if (!g_spawn_sync(NULL, (char **)argv, NULL,
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                      NULL, &status, NULL))
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void command(void)
{
    g_autofree char *bin = find_dumplab();
    if (!bin || !g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE)) {
        tap_skip("build/dumplab is not built", "dumplab check exit status");
        return;
    }
    g_autofree char *good = make("cli-good", "layout kexec_load\n" CPUS2 RAM_LOW RAM_HIGH);
    g_autofree char *bad =
        make("cli-bad", "layout kexec_load\n" CPUS2 RAM_LOW RAM_HIGH "defect note-overrun\n");
    g_autofree char *junk = core_path("cli-junk");
    g_file_set_contents(junk, "this is not a core\n", -1, NULL);
    tap_ok(run_check(bin, "--expect-cpus", "2", good) == 0, "exit 0 for a clean core");
    tap_ok(run_check(bin, "--expect-cpus", "3", good) == 1, "exit 1 when a CPU's note is missing");
    tap_ok(run_check(bin, "--json", bad, NULL) == 1, "exit 1 for a core with defects");
    tap_ok(run_check(bin, junk, NULL, NULL) == 2, "exit 2 for a file that is no ELF core");
    tap_ok(run_check(bin, "--bogus", good, NULL) == 2, "exit 2 for bad usage");
}

/* The repository root: $DUMPLAB_ROOT, or a parent of the test executable. */
static char *find_root(void)
{
    const char *root = g_getenv("DUMPLAB_ROOT");
    if (root)
        return g_strdup(root);
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    char *dir = exe ? g_path_get_dirname(exe) : g_get_current_dir();
    for (int up = 0; up < 4; up++) {
        g_autofree char *probe = g_build_filename(dir, "harness", "tests", "data", "cores", NULL);
        if (g_file_test(probe, G_FILE_TEST_IS_DIR))
            return dir;
        char *parent = g_path_get_dirname(dir);
        g_free(dir);
        dir = parent;
    }
    g_free(dir);
    return NULL;
}

/* harness/tests/data/cores/NAME.desc: each says "# expect: clean" or
 * "# expect: RULE" (a defect or warning with that rule). */
static void sample_descriptions(void)
{
    g_autofree char *root = find_root();
    g_autofree char *dir =
        root ? g_build_filename(root, "harness", "tests", "data", "cores", NULL) : NULL;
    g_autoptr(GDir) d = dir ? g_dir_open(dir, 0, NULL) : NULL;
    if (!d) {
        tap_skip("harness/tests/data/cores not found (set DUMPLAB_ROOT)", "sample descriptions");
        return;
    }
    const char *e;
    while ((e = g_dir_read_name(d))) {
        if (!g_str_has_suffix(e, ".desc"))
            continue;
        g_autofree char *path = g_build_filename(dir, e, NULL);
        g_autofree char *desc = NULL;
        g_file_get_contents(path, &desc, NULL, NULL);
        const char *ex = desc ? strstr(desc, "# expect: ") : NULL;
        g_autofree char *expect = ex ? g_strndup(ex + 10, strcspn(ex + 10, "\n")) : NULL;
        g_autofree char *core = make(e, desc ? desc : "");
        g_autoptr(DlCheckResult) r = check(core, -1, NULL, NULL);
        bool ok = r && expect &&
                  (!strcmp(expect, "clean")
                       ? r->defects == 0
                       : has_rule(r, expect, DL_SEV_DEFECT) || has_rule(r, expect, DL_SEV_WARNING));
        if (!tap_ok(ok, "sample %s: %s", e, expect ? expect : "no '# expect:' line"))
            diag_findings(r);
    }
}

int main(void)
{
    tmpdir = g_dir_make_tmp("check-XXXXXX", NULL);
    clean_layouts();
    defect_classes();
    cpus_and_memmap();
    damaged();
    command();
    sample_descriptions();
    g_autoptr(GDir) d = g_dir_open(tmpdir, 0, NULL);
    const char *e;
    while (d && (e = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(tmpdir, e, NULL);
        g_unlink(p);
    }
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return tap_done();
}
