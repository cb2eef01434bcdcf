/* A vmcore that shrinks while dumplab reads it: at every read of every
 * phase (open, the full check, the CPU map, the marker proof, the
 * comparison), the file is cut short just before that read, in a child
 * process. Each child must end with the phase's error "it shrank while
 * being read" (the command's exit status 2), never a signal (the old
 * mapping reader died of SIGBUS) and never a result or defects drawn from
 * the missing bytes. ELF, kdump-compressed and flattened copies. */
#include "dumplab/check.h"
#include "dumplab/coregen.h"
#include "dumplab/dumpgen.h"
#include "dumplab/proof.h"
#include "tap.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmpdir;

#define CORE                                                                                       \
    "layout kexec_load\n"                                                                          \
    "cpu pid=77 rip=0xffffffff81100010 rsp=0xffffc90000010000 crash_notes=0x300000\n"              \
    "cpu pid=0 rip=0xffffffffc0001010 rsp=0xffffc90000020000 crash_notes=0x200000\n"               \
    "ram 0x1000-0x9ffff\n"                                                                         \
    "ram 0x100000-0x5fffff\n"                                                                      \
    "marker seed=42 pfn=0x400 count=8\n"
#define MANIFEST                                                                                   \
    "crash_notes cpu=0 paddr=0x200000\n"                                                           \
    "crash_notes cpu=1 paddr=0x300000\n"                                                           \
    "seed value=42\n"                                                                              \
    "marker pfn=0x400 count=8\n"

enum { PH_OPEN, PH_CHECK, PH_CPUMAP, PH_MARKERS, PH_COMPARE, PH_N };
static const char *phase_name[PH_N] = {"open", "check", "cpumap", "markers", "compare"};

typedef struct {
    const char *path;
    guint64 at; /* cut the file before this read */
} Cut;

static void cut_hook(guint64 n, void *data)
{
    const Cut *c = data;
    /* Down to one page: every later read of data past it meets the end. */
    if (n == c->at && truncate(c->path, 4096) != 0)
        _exit(99);
}

static guint64 reads_seen;
static void count_hook(guint64 n, void *data)
{
    reads_seen = n + 1;
}

static DlManifest *manifest(void)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) l = g_strsplit(MANIFEST, "\n", -1);
    for (int i = 0; l[i]; i++)
        if (*l[i])
            g_ptr_array_add(lines, g_strdup(l[i]));
    return dl_manifest_parse(lines, NULL, NULL);
}

/* Runs every phase on path; returns the phase that failed (PH_N: none) and
 * its error in *msg. reads[] gets the read count at the end of each phase. */
static int pipeline(const char *path, const char *ref, guint64 *reads, char **msg)
{
    GError *e = NULL;
    int ph = PH_OPEN;
    /* All declared before the first goto: cleanup must never see garbage. */
    g_autoptr(DlManifest) m = manifest();
    g_autoptr(DlDump) d = NULL, h = NULL;
    g_autoptr(DlCheckResult) r = NULL, cr = NULL;
    DlCompareStats st;
    d = dl_dump_open(path, &e);
    if (reads)
        reads[PH_OPEN] = reads_seen;
    if (!d)
        goto fail;
    ph = PH_CHECK;
    r = dl_check_dump(d, NULL, &e);
    if (reads)
        reads[PH_CHECK] = reads_seen;
    if (!r)
        goto fail;
    ph = PH_CPUMAP;
    dl_proof_map_cpus(d, m, 2, r);
    if (reads)
        reads[PH_CPUMAP] = reads_seen;
    if (!dl_dump_io_ok(d, &e))
        goto fail;
    ph = PH_MARKERS;
    dl_proof_markers(d, m, 8, 42, r);
    if (reads)
        reads[PH_MARKERS] = reads_seen;
    if (!dl_dump_io_ok(d, &e))
        goto fail;
    ph = PH_COMPARE;
    h = dl_dump_open(ref, &e);
    if (!h)
        goto fail;
    cr = dl_check_result_new();
    dl_proof_compare(d, h, NULL, NULL, cr, &st);
    if (st.differ)
        g_array_free(st.differ, TRUE);
    if (reads)
        reads[PH_COMPARE] = reads_seen;
    if (!dl_dump_io_ok(d, &e))
        goto fail;
    *msg = g_strdup_printf("all phases passed (%u defects)", r->defects + cr->defects);
    return PH_N;
fail:
    *msg = g_strdup(e ? e->message : "(no error)");
    g_clear_error(&e);
    return ph;
}

static bool sparse_copy(const char *from, const char *to);

static bool copy(const char *from, const char *to)
{
    if (g_str_has_suffix(from, "sparse"))
        return sparse_copy(from, to);
    g_autofree char *data = NULL;
    gsize len;
    return g_file_get_contents(from, &data, &len, NULL) &&
           g_file_set_contents(to, data, (gssize)len, NULL);
}

/* A copy whose all-zero 4 KiB blocks are holes, as the capture leaves
 * kdump's zero pages: the reader answers holes without reading them
 * (SEEK_DATA), and a hole must not hide that the file shrank. */
static bool sparse_copy(const char *from, const char *to)
{
    g_autofree char *data = NULL;
    gsize len;
    if (!g_file_get_contents(from, &data, &len, NULL))
        return false;
    int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    bool ok = fd >= 0;
    static const char zero[4096];
    for (gsize off = 0; ok && off < len; off += sizeof(zero)) {
        gsize n = MIN(sizeof(zero), len - off);
        if (n == sizeof(zero) && !memcmp(data + off, zero, n))
            continue;
        ok = pwrite(fd, data + off, n, (off_t)off) == (ssize_t)n;
    }
    ok = ok && ftruncate(fd, (off_t)len) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* One case in a child: the status says which phase failed and how. */
static void one_case(const char *kind, const char *good, const char *ref, int phase, guint64 at,
                     int *bad)
{
    g_autofree char *work = g_build_filename(tmpdir, "work", NULL);
    g_autofree char *msgfile = g_build_filename(tmpdir, "msg", NULL);
    if (!copy(good, work)) {
        (*bad)++;
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        Cut c = {work, at};
        dl_dump_set_test_read_hook(cut_hook, &c);
        char *msg = NULL;
        int got = pipeline(work, ref, NULL, &msg);
        g_file_set_contents(msgfile, msg, -1, NULL);
        /* The command's mapping: a phase that could not read is status 2. */
        bool shrank = strstr(msg, "shrank while being read") != NULL;
        _exit(got == PH_N ? 0 : shrank ? 20 + got : 40 + got);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    g_autofree char *msg = NULL;
    if (WIFSIGNALED(status))
        g_unlink(msgfile); /* not the last case's words */
    g_file_get_contents(msgfile, &msg, NULL, NULL);
    if (WIFSIGNALED(status) || !WIFEXITED(status) || WEXITSTATUS(status) != 20 + phase) {
        if ((*bad)++ < 4)
            tap_diag("%s, cut before read %" G_GUINT64_FORMAT " (%s phase): %s %d: %s", kind, at,
                     phase_name[phase], WIFSIGNALED(status) ? "signal" : "status",
                     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), msg ? msg : "?");
    }
}

static void every_read(const char *kind, const char *good, const char *ref)
{
    guint64 reads[PH_N] = {0};
    char *msg = NULL;
    dl_dump_set_test_read_hook(count_hook, NULL);
    reads_seen = 0;
    int got = pipeline(good, ref, reads, &msg);
    dl_dump_set_test_read_hook(NULL, NULL);
    if (!tap_ok(got == PH_N, "%s: the untouched file passes every phase: %s", kind, msg)) {
        g_free(msg);
        return;
    }
    g_free(msg);
    for (int ph = PH_OPEN; ph <= PH_COMPARE; ph++) {
        guint64 first = ph == PH_OPEN ? 0 : reads[ph - 1], last = reads[ph];
        int bad = 0;
        guint64 cases = 0;
        /* Every read of the phase; a long phase by 6 evenly spread reads
         * and its last one. */
        guint64 step = MAX(1, (last - first) / 6);
        for (guint64 at = first; at < last; at += step, cases++)
            one_case(kind, good, ref, ph, at, &bad);
        if (last > first && (last - 1 - first) % step) {
            one_case(kind, good, ref, ph, last - 1, &bad);
            cases++;
        }
        /* The marker proof and the CPU map of a kdump-compressed file may
         * read nothing new: the pages were read by the check. */
        if (!cases) {
            tap_skip("%s: the %s phase reads nothing of the file", kind, phase_name[ph]);
            continue;
        }
        tap_ok(!bad,
               "%s: cut before each of %" G_GUINT64_FORMAT " reads of the %s phase: \"shrank "
               "while being read\", no signal (%d wrong)",
               kind, cases, phase_name[ph], bad);
    }
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

static guint64 rchar(pid_t pid)
{
    g_autofree char *p = g_strdup_printf("/proc/%d/io", (int)pid), *t = NULL;
    if (!g_file_get_contents(p, &t, NULL, NULL))
        return 0;
    const char *r = strstr(t, "rchar: ");
    return r ? g_ascii_strtoull(r + 7, NULL, 10) : 0;
}

/* The command itself, cut for real: `dumplab check` is stopped once it has
 * read 8 MiB of a 96 MiB core (in its page phase), the file is cut to
 * one page, and it goes on. */
static void command(void)
{
    g_autofree char *bin = find_dumplab();
    if (!bin) {
        tap_skip("build/dumplab is not built", "dumplab check on a file cut under it");
        return;
    }
    g_autofree char *big = g_build_filename(tmpdir, "big", NULL);
    g_autofree char *errf = g_build_filename(tmpdir, "stderr", NULL);
    if (!dl_coregen_write("layout kexec_load\ncpu rip=1\nram 0x100000-0x60fffff\n", big, NULL)) {
        tap_ok(false, "a 96 MiB core");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        FILE *f = freopen(errf, "w", stderr);
        if (!f || !freopen("/dev/null", "w", stdout))
            _exit(98);
        execl(bin, bin, "check", big, (char *)NULL);
        _exit(97);
    }
    bool cut = false;
    int status = 0;
    for (int i = 0; i < 200000 && waitpid(pid, &status, WNOHANG) == 0; i++) {
        if (rchar(pid) >= (8u << 20)) {
            kill(pid, SIGSTOP);
            cut = truncate(big, 4096) == 0;
            kill(pid, SIGCONT);
            break;
        }
        g_usleep(200);
    }
    if (!cut) {
        waitpid(pid, &status, 0);
        tap_skip("the checker finished before 8 MiB were read", "dumplab check on a file cut "
                                                                "under it");
        return;
    }
    waitpid(pid, &status, 0);
    g_autofree char *err = NULL;
    g_file_get_contents(errf, &err, NULL, NULL);
    tap_ok(
        WIFEXITED(status) && WEXITSTATUS(status) == 2 && err &&
            strstr(err, "shrank while being read"),
        "dumplab check on a file cut under it: %s %d, %s", WIFSIGNALED(status) ? "signal" : "exit",
        WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), err ? g_strstrip(err) : "");
}

int main(void)
{
    tmpdir = g_dir_make_tmp("shrink-XXXXXX", NULL);
    g_autofree char *elf = g_build_filename(tmpdir, "elf", NULL);
    g_autofree char *ref = g_build_filename(tmpdir, "ref", NULL);
    g_autofree char *kd = g_build_filename(tmpdir, "kdump", NULL);
    g_autofree char *flat = g_build_filename(tmpdir, "flat", NULL);
    GError *e = NULL;
    bool ok = dl_coregen_write(CORE, elf, &e) && copy(elf, ref);
    g_autoptr(DlDump) src = ok ? dl_dump_open(elf, &e) : NULL;
    /* The sparse case: RAM that is mostly zero pages, as a freshly booted
     * guest's is. */
    g_autofree char *zelf = g_build_filename(tmpdir, "zelf", NULL);
    g_autofree char *zref = g_build_filename(tmpdir, "zref", NULL);
    g_autofree char *sparse = g_build_filename(tmpdir, "elf-sparse", NULL);
    g_autofree char *zcore = NULL;
    {
        g_auto(GStrv) parts = g_strsplit(CORE, "ram 0x100000-0x5fffff\n", 2);
        zcore = g_strjoinv("ram 0x100000-0x5fffff fill=zero\n", parts);
    }
    ok = src && dl_dumpgen_kdump(src, kd, DL_DUMP_ZLIB, 0, &e) &&
         dl_dumpgen_flatten(kd, flat, 65536, &e) && dl_coregen_write(zcore, zelf, &e) &&
         copy(zelf, zref) && sparse_copy(zelf, sparse);
    if (!tap_ok(ok, "synthetic ELF, kdump-compressed and flattened copies: %s",
                e ? e->message : "made"))
        return tap_done();
    every_read("ELF", elf, ref);
    every_read("kdump-compressed", kd, ref);
    every_read("flattened", flat, ref);
    struct stat st = {0};
    bool stated = stat(sparse, &st) == 0;
    tap_ok(stated && (guint64)st.st_blocks * 512 < (guint64)st.st_size,
           "the sparse ELF copy has holes (%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
           " bytes allocated)",
           (guint64)st.st_blocks * 512, (guint64)st.st_size);
    every_read("sparse ELF", sparse, zref);
    command();
    g_autoptr(GDir) d = g_dir_open(tmpdir, 0, NULL);
    const char *n;
    while (d && (n = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(tmpdir, n, NULL);
        g_unlink(p);
    }
    g_rmdir(tmpdir);
    return tap_done();
}
