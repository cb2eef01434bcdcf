/* Scenario files: every key read, defaults, each kind of mistake refused
 * with file, line and reason; expansion of folders and globs. The shipped
 * catalog is checked by test-catalog. */
#include "dumplab/scenario.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void good_file(void)
{
    const char *text = "# comment\n"
                       "name = reproduce-42\n"
                       "description = \"customer crash\"\n"
                       "kernel = linux-image-6.1.0-56-amd64\n"
                       "vcpus = 4\n"
                       "memory = 1536M\n"
                       "crashkernel = 384M\n"
                       "cmdline = quiet loglevel=7\n"
                       "crash_cmdline = nokaslr\n"
                       "accel = tcg\n"
                       "load = kexec_file_load\n"
                       "sysctl kernel.panic_on_oops = 1\n"
                       "sysctl kernel.softlockup_panic = 1\n"
                       "fault = stop-irqoff\n"
                       "fault_cpu = 3\n"
                       "markers = 64\n"
                       "seed = 0x2a\n"
                       "hv_dump = no\n"
                       "timeout_scale = 2.5\n"
                       "expect verdict = pass\n"
                       "expect cpus = 4\n"
                       "expect panic = \"dumplab: stop-irqoff\"\n"
                       "expect dump = kdump\n";
    GError *err = NULL;
    g_autoptr(DlScenario) s = dl_scenario_parse(text, "dir/x.scn", &err);
    if (!tap_ok(s != NULL, "a file with every key parses%s%s", err ? ": " : "",
                err ? err->message : "")) {
        g_clear_error(&err);
        return;
    }
    tap_ok(!strcmp(s->name, "reproduce-42") && !strcmp(s->description, "customer crash"),
           "name and unquoted description");
    tap_ok(!strcmp(s->kernel_package, "linux-image-6.1.0-56-amd64"), "a pinned kernel package");
    tap_ok(s->vcpus == 4 && s->memory_mib == 1536 && !strcmp(s->crashkernel, "384M"),
           "vcpus, memory in MiB, crashkernel");
    tap_ok(!strcmp(s->cmdline, "quiet loglevel=7") && !strcmp(s->crash_cmdline, "nokaslr"),
           "command lines keep their '=' signs");
    tap_ok(s->accel == DL_SCN_ACCEL_TCG && s->load == DL_LOAD_KEXEC_FILE, "accel and load");
    tap_ok(s->sysctls->len == 2 && !strcmp(((DlSysctl *)g_ptr_array_index(s->sysctls, 1))->key,
                                           "kernel.softlockup_panic"),
           "sysctls in file order");
    tap_ok(s->fault == DL_FAULT_STOP_IRQOFF && s->fault_cpu == 3 && s->marker_pages == 64 &&
               s->seed == 42,
           "fault, CPU, markers, hex seed");
    tap_ok(!s->hv_dump && s->timeout_scale == 2.5, "hv_dump and timeout_scale");
    tap_ok(s->expect_verdict == DL_EXPECT_PASS && s->expect_cpus == 4 &&
               !strcmp(s->expect_panic, "dumplab: stop-irqoff") && s->expect_dump == DL_DUMP_KDUMP,
           "expectations");
    tap_ok(dl_scenario_needs_module(s), "a module fault needs the module");
}

static void defaults(void)
{
    GError *err = NULL;
    g_autoptr(DlScenario) s = dl_scenario_parse("fault = sysrq-c\n", "/a/b/minimal.scn", &err);
    if (!tap_ok(s != NULL, "a file with only a fault parses")) {
        g_clear_error(&err);
        return;
    }
    tap_ok(!strcmp(s->name, "minimal"), "the name defaults to the file name");
    tap_ok(s->vcpus == 2 && s->memory_mib == 1024 && !strcmp(s->crashkernel, "256M") && s->armed &&
               s->load == DL_LOAD_KEXEC && s->fault_cpu == -1 && s->hv_dump,
           "defaults: 2 vCPUs, 1 GiB, 256M, armed, kexec_load, any CPU, hypervisor dump");
    tap_ok(s->expect_cpus == 2 && s->expect_dump == DL_DUMP_KDUMP &&
               s->expect_verdict == DL_EXPECT_PASS,
           "expectations default to every vCPU, a kdump vmcore, PASS");
    tap_ok(!dl_scenario_needs_module(s), "sysrq-c needs no module");
    g_autoptr(DlScenario) u =
        dl_scenario_parse("armed = no\ncrashkernel = none\nfault = panic\n", "u.scn", &err);
    tap_ok(u && !u->armed && !*u->crashkernel && u->expect_dump == DL_DUMP_ANY,
           "an unarmed scenario expects any dump");
    g_clear_error(&err);
}

static const struct {
    const char *text;
    int line; /* 0: the error names no line */
    const char *reason;
} bad[] = {
    {"fault = sysrq-c\nvcpus = 0\n", 2, "out of range"},
    {"fault = sysrq-c\nvcpus = 65\n", 2, "out of range"},
    {"fault = sysrq-c\nvcpus = two\n", 2, "not a number"},
    {"fault = sysrq-c\nvcpus = -1\n", 2, "not a number"},
    {"fault = sysrq-c\nmemory = 1T\n", 2, "unknown unit"},
    {"fault = sysrq-c\nmemory = 100M\n", 2, "out of range"},
    /* 18014398509481985 * 1024 wraps to 1024: range before unit. */
    {"fault = sysrq-c\nmemory = 18014398509481985G\n", 2, "out of range"},
    {"fault = frobnicate\n", 1, "unknown fault 'frobnicate'"},
    {"\n\nfault = panic\ncolour = blue\n", 4, "unknown key 'colour'"},
    {"fault = panic\nfault = oops\n", 2, "given twice"},
    {"fault = panic\njust some words\n", 2, "expected 'key = value'"},
    {"fault = panic\n= 3\n", 2, "missing key"},
    {"fault = panic\nload = kexec\n", 2, "kexec_load or kexec_file_load"},
    {"fault = panic\naccel = xen\n", 2, "auto, kvm or tcg"},
    {"fault = panic\nboot = grub\n", 2, "bzimage or pvh"},
    {"fault = panic\narmed = maybe\n", 2, "neither yes nor no"},
    {"fault = panic\nsysctl kernel/../x = 1\n", 2, "not a sysctl name"},
    {"fault = panic\nsysctl kernel.x =\n", 2, "missing value"},
    {"fault = panic\nexpect verdict = perhaps\n", 2, "neither pass nor fail"},
    {"fault = panic\nexpect phase = lunch\n", 2, "unknown phase"},
    {"fault = panic\nexpect colour = red\n", 2, "unknown expectation"},
    {"fault = panic\nexpect dump = floppy\n", 2, "expect dump"},
    {"fault = panic\nkernel = firefox\n", 2, "not a linux-image"},
    {"fault = panic\ntimeout_scale = 0\n", 2, "timeout_scale"},
    {"fault = panic\nname = a/b\n", 2, "may only hold"},
    {"vcpus = 2\n", 0, "no 'fault =' line"},
    {"fault = panic\nvcpus = 2\nfault_cpu = 2\n", 0, "fault_cpu 2 does not exist"},
    {"fault = panic\ncrashkernel = none\n", 0, "armed but crashkernel = none"},
    {"fault = markers\n", 0, "needs 'markers = N'"},
    {"fault = init\n", 0, "fault = init needs arch = ia64"},
    {"fault = panic\nstop = ipi-then-init\n", 0, "stop needs arch = ia64"},
    {"arch = ia64\nfault = oops\n", 0, "fault is panic or init"},
    {"arch = ia64\nfault = panic\nvcpus = 9\n", 0, "1..8 CPUs"},
    {"arch = ia64\nfault = panic\nvcpus = 2\nirqoff_cpus = 3\n", 0, "beyond vcpus"},
    {"arch = sparc\nfault = panic\n", 1, "not x86_64 or ia64"},
    {"kernel = linux-source-6.1\nfault = sysrq-c\n", 0,
     "kernel = linux-source-6.1 needs arch = ia64"},
    {"arch = ia64\nkernel = linux-source-6.1\nfault = oops\n", 0,
     "fault is sysrq-c, panic, stop-irqoff or init"},
    {"arch = ia64\nkernel = linux-source-6.1\nvcpus = 4\nfault = panic\nfault_cpu = 2\n"
     "irqoff_cpus = 1,2\n",
     0, "fault_cpu 2 is one of irqoff_cpus"},
    {"arch = ia64\nkernel = linux-source-6.1\nplatform = qemu\nfault = init\nstop = init-all\n", 0,
     "runs without stop"},
    {"arch = ia64\nkernel = linux-source-6.1\nvcpus = 2\nfault = init\nirqoff_cpus = 0,1\n", 0,
     "leave one CPU for the guest's init"},
    {"kernel = linux-source-6.2\nfault = panic\n", 1, "linux-image-* package or linux-source-6.1"},
    {"arch = ia64\nplatform = vmware\nfault = panic\n", 2, "not sim or qemu"},
    {"platform = qemu\nfault = panic\n", 0, "platform = qemu needs arch = ia64"},
    {"arch = ia64\nplatform = qemu\nfault = init\ninit_order = 1,0\n", 0,
     "init_order needs platform = sim"},
    {"arch = ia64\nfault = panic\nstop = politely\n", 3, "init-all or ipi-then-init"},
    {"arch = ia64\nfault = panic\ninit_order = 2,x\n", 3, "not a number"},
};

/* An IA-64 scenario: its keys, the defaults it gets. */
static void ia64_file(void)
{
    GError *err = NULL;
    DlScenario *s = dl_scenario_parse("arch = ia64\nplatform = sim\nvcpus = 4\nfault = init\n"
                                      "irqoff_cpus = 1, 3\ninit_order = 2,0,3,1\n",
                                      "ia.scn", &err);
    tap_ok(s && s->ia64 && s->ia64_init && s->irqoff_mask == 0xa &&
               !g_strcmp0(s->init_order, "2,0,3,1") && !g_strcmp0(s->stop, "init-all") &&
               s->fault_cpu == 0 && !s->hv_dump,
           "ia64: arch, fault init, irqoff_cpus, init_order, default stop %s",
           err ? err->message : "");
    dl_scenario_free(s);
    g_clear_error(&err);
    s = dl_scenario_parse("arch = ia64\nplatform = sim\nkernel = linux-source-6.1\nvcpus = 2\n"
                          "fault = sysrq-c\n",
                          "l.scn", &err);
    tap_ok(s && s->ia64 && s->ia64_linux && s->fault == DL_FAULT_SYSRQ_C && !s->ia64_qemu,
           "ia64: kernel = linux-source-6.1 with fault sysrq-c %s", err ? err->message : "");
    dl_scenario_free(s);
    g_clear_error(&err);
    s = dl_scenario_parse("arch = ia64\nplatform = sim\nkernel = linux-source-6.1\nvcpus = 4\n"
                          "fault = stop-irqoff\nfault_cpu = 2\n",
                          "l.scn", &err);
    tap_ok(s && s->fault == DL_FAULT_STOP_IRQOFF && s->fault_cpu == 2 && s->irqoff_mask == 0xb,
           "ia64: Linux stop-irqoff spins every CPU but fault_cpu %s", err ? err->message : "");
    dl_scenario_free(s);
    g_clear_error(&err);
    s = dl_scenario_parse("arch = ia64\nplatform = sim\nkernel = linux-source-6.1\nvcpus = 4\n"
                          "fault = panic\nirqoff_cpus = 0,1\n",
                          "l.scn", &err);
    tap_ok(s && s->fault == DL_FAULT_PANIC && !s->ia64_init && s->fault_cpu == 2,
           "ia64: Linux panic without fault_cpu runs on the first CPU outside irqoff_cpus %s",
           err ? err->message : "");
    dl_scenario_free(s);
    g_clear_error(&err);
    s = dl_scenario_parse("arch = ia64\nplatform = qemu\nvcpus = 2\nfault = init\n", "q.scn", &err);
    tap_ok(s && s->ia64 && s->ia64_qemu && s->ia64_init, "ia64: platform = qemu %s",
           err ? err->message : "");
    dl_scenario_free(s);
    g_clear_error(&err);
}

static void bad_files(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *err = NULL;
        DlScenario *s = dl_scenario_parse(bad[i].text, "bad.scn", &err);
        g_autofree char *where =
            bad[i].line ? g_strdup_printf("bad.scn:%d: ", bad[i].line) : g_strdup("bad.scn: ");
        bool ok = !s && err && g_str_has_prefix(err->message, where) &&
                  strstr(err->message, bad[i].reason);
        tap_ok(ok, "refused with line and reason: %s", err ? err->message : "(accepted!)");
        dl_scenario_free(s);
        g_clear_error(&err);
    }
    GError *err = NULL;
    DlScenario *s = dl_scenario_load("/nonexistent/x.scn", &err);
    tap_ok(!s && err && strstr(err->message, "/nonexistent/x.scn"), "a missing file is named: %s",
           err ? err->message : "");
    g_clear_error(&err);
}

static void expand(void)
{
    g_autofree char *dir = g_dir_make_tmp("scn-XXXXXX", NULL);
    g_autofree char *sub = g_build_filename(dir, "sub", NULL);
    g_mkdir(sub, 0700);
    const char *names[] = {"b.scn", "a.scn", "notes.txt", "sub/c.scn"};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *p = g_build_filename(dir, names[i], NULL);
        g_file_set_contents(p, "fault = panic\n", -1, NULL);
    }
    GError *err = NULL;
    const char *args[] = {dir, NULL};
    g_autoptr(GPtrArray) all = dl_scenario_expand(args, &err);
    tap_ok(all && all->len == 3 && g_str_has_suffix(g_ptr_array_index(all, 0), "/a.scn") &&
               g_str_has_suffix(g_ptr_array_index(all, 2), "/sub/c.scn"),
           "a folder gives its *.scn files, sorted, subfolders included");
    g_autofree char *pat = g_build_filename(dir, "[ab].scn", NULL);
    const char *gargs[] = {pat, NULL};
    g_autoptr(GPtrArray) some = dl_scenario_expand(gargs, &err);
    tap_ok(some && some->len == 2, "a glob gives its matches");
    g_autofree char *none = g_build_filename(dir, "zz*.scn", NULL);
    const char *nargs[] = {none, NULL};
    GPtrArray *nothing = dl_scenario_expand(nargs, &err);
    tap_ok(!nothing && err && strstr(err->message, "zz*.scn"),
           "a pattern that matches nothing is an error naming it");
    g_clear_error(&err);
    /* A symlink back to the folder itself: walked once, no recursion. */
    g_autofree char *loop = g_build_filename(sub, "loop", NULL);
    if (symlink("..", loop) == 0) {
        g_autoptr(GPtrArray) again = dl_scenario_expand(args, &err);
        tap_ok(again && again->len == 3, "a symlink loop in a folder is walked once (%u files)",
               again ? again->len : 0);
        g_unlink(loop);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *p = g_build_filename(dir, names[i], NULL);
        g_unlink(p);
    }
    g_rmdir(sub);
    g_rmdir(dir);
}

int main(void)
{
    good_file();
    defaults();
    bad_files();
    ia64_file();
    expand();
    return tap_done();
}
