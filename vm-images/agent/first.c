/* The first kernel: apply sysctls, arm kdump, report the memory map and
 * what the register proof needs, then fault when told. */
#include "agent.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define MODULE_PATH "/lib/dumplab/dumplab_crash.ko"
#define MODULE_PROC "/proc/dumplab_crash"

static struct {
    char load[32];
    char crash_append[AGENT_LINE_MAX];
    bool armed;
    bool module;
    unsigned markers;
    char seed[32];
} cfg = {.load = "kexec_load", .armed = true, .seed = "1"};

static void fail(const char *phase, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(const char *phase, const char *fmt, ...)
{
    char why[512], enc[AGENT_LINE_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    logmsg("%s failed: %s", phase, why);
    pct_encode(why, enc, sizeof(enc));
    chan_send("FAIL phase=%s reason=%s", phase, enc);
}

static void do_sysctl(const char *line)
{
    char key[128], value[256], path[192];
    if (!msg_get(line, "key", key, sizeof(key)) || !msg_get(line, "value", value, sizeof(value)) ||
        strstr(key, "..") || strchr(key, '/')) {
        fail("arm", "malformed SYSCTL line");
        return;
    }
    snprintf(path, sizeof(path), "/proc/sys/%s", key);
    for (char *p = path + strlen("/proc/sys/"); *p; p++)
        if (*p == '.')
            *p = '/';
    if (!write_file(path, value))
        fail("arm", "sysctl %s=%s: %s", key, value, strerror(errno));
}

/* Top-level /proc/iomem lines, and the crashkernel reservation wherever it
 * nests (it sits inside a System RAM range). Returns whether one was found. */
static bool report_iomem(char *range, size_t size)
{
    char *iomem = read_file("/proc/iomem", NULL);
    bool found = false;
    if (!iomem)
        return false;
    for (char *save = NULL, *l = strtok_r(iomem, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        bool top = l[0] != ' ';
        char *p = l;
        while (*p == ' ')
            p++;
        unsigned long long start, end;
        int off = 0;
        if (sscanf(p, "%llx-%llx : %n", &start, &end, &off) != 2 || !off)
            continue;
        const char *name = p + off;
        bool ck = strcmp(name, "Crash kernel") == 0;
        /* The text watch's referee for the text bounds it finds itself. */
        bool kc = strcmp(name, "Kernel code") == 0;
        if (!top && !ck && !kc)
            continue;
        char enc[256];
        pct_encode(name, enc, sizeof(enc));
        chan_send("IOMEM start=0x%llx end=0x%llx name=%s", start, end, enc);
        if (ck && !found) {
            snprintf(range, size, "0x%llx-0x%llx", start, end);
            found = true;
        }
    }
    free(iomem);
    return found;
}

/* The crash kernel's command line: the first kernel's, without
 * crashkernel=, plus what a capture kernel wants, plus the scenario's
 * additions. The capture kernel's part is RHEL 9's KDUMP_COMMANDLINE_APPEND
 * for x86_64 (one CPU, devices reset, no memory cgroup, MCE, NUMA, KASLR,
 * HEST, CMA, THP or device dumps: 0.5 s less of its boot under TCG), with
 * panic=0 for its panic=10: a capture kernel that panics stays on screen
 * for the harness instead of rebooting. */
static void crash_cmdline(char *out, size_t size)
{
    char *cmd = read_file("/proc/cmdline", NULL);
    size_t o = 0;
    out[0] = 0;
    if (cmd) {
        for (char *save = NULL, *t = strtok_r(cmd, " \n", &save); t;
             t = strtok_r(NULL, " \n", &save)) {
            if (strncmp(t, "crashkernel=", 12) == 0 || kdump_drop_token(t))
                continue;
            o += snprintf(out + o, o < size ? size - o : 0, "%s ", t);
        }
        free(cmd);
    }
    snprintf(out + (o < size ? o : size - 1), o < size ? size - o : 1,
             "irqpoll nr_cpus=1 reset_devices cgroup_disable=memory mce=off numa=off panic=0 "
             "acpi_no_memhotplug transparent_hugepage=never nokaslr hest_disable novmcoredd "
             "cma=0 hugetlb_cma=0 %s",
             cfg.crash_append);
}

static bool arm_kexec(void)
{
    char append[2048], opt[2100], out[2048];
    crash_cmdline(append, sizeof(append));
    const char *initrd = kdump_initrd();
    if (!initrd) {
        fail("arm", "building the kdump initramfs failed (see the console)");
        return false;
    }
    char initrd_opt[64];
    snprintf(initrd_opt, sizeof(initrd_opt), "--initrd=%s", initrd);
    snprintf(opt, sizeof(opt), "--append=%s", append);
    const char *load = strcmp(cfg.load, "kexec_file_load") == 0 ? "-s" : "-c";
    char *argv[] = {"/sbin/kexec", "-p", (char *)load, initrd_opt, opt, "/boot/vmlinuz", NULL};
    int rc = run_cmd(argv, out, sizeof(out));
    if (rc != 0) {
        for (char *p = out; *p; p++)
            if (*p == '\n')
                *p = ' ';
        fail("arm", "kexec -p (%s) exited %d: %s", cfg.load, rc, out);
        return false;
    }
    char *loaded = read_file("/sys/kernel/kexec_crash_loaded", NULL);
    bool ok = loaded && loaded[0] == '1';
    free(loaded);
    if (!ok)
        fail("arm", "kexec -p succeeded but /sys/kernel/kexec_crash_loaded is not 1");
    return ok;
}

/* Where each CPU's crash notes live: the register proof matches the notes
 * of the vmcore to CPUs through these buffers. */
static void report_crash_notes(void)
{
    long n = sysconf(_SC_NPROCESSORS_CONF);
    for (long cpu = 0; cpu < n; cpu++) {
        char path[96];
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%ld/crash_notes", cpu);
        char *v = read_file(path, NULL);
        if (!v)
            continue;
        v[strcspn(v, "\n")] = 0;
        chan_send("MANIFEST crash_notes cpu=%ld paddr=0x%s", cpu, v);
        free(v);
    }
}

/* Kernel functions the register proof needs, with their extent. Debian
 * ships System.map only in the -dbg package, so the running kernel's
 * /proc/kallsyms is the source. It is long (150k lines) and TCG is slow, so
 * one pass with no scanf: the kernel's symbols come sorted by address, so a
 * function ends where the next different address begins. */
static char *find_ksyms(void)
{
    static const char *const names[] = {
        "panic",
        "__crash_kexec",
        "crash_kexec",
        "nmi_panic",
        "crash_nmi_callback",
        "nmi_shootdown_cpus",
        "native_machine_crash_shutdown",
        "crash_save_cpu",
        "default_idle",
        "pv_native_safe_halt",
        "native_safe_halt",
        "sysrq_handle_crash",
        "unknown_nmi_error",
        "die",
        "oops_end",
        "do_machine_check",
        "mce_panic",
        "watchdog_timer_fn",
        "__stack_chk_fail",
        "handle_stack_overflow",
        "smp_stop_nmi_callback",
        "stop_this_cpu",
        "mwait_idle",
        "acpi_safe_halt",
        "cpu_idle_poll",
        NULL,
    };
    write_file("/proc/sys/kernel/kptr_restrict", "0");
    char *ks = read_file("/proc/kallsyms", NULL);
    if (!ks)
        return NULL;
    size_t cap = 4096, used = 0;
    char *out = malloc(cap);
    if (!out) {
        free(ks);
        return NULL;
    }
    out[0] = 0;
    int pending = -1; /* index of a name whose end we look for */
    unsigned long long pending_start = 0;
    for (char *l = ks; *l;) {
        char *nl = strchr(l, '\n');
        if (!nl)
            break;
        /* "ffffffff81000000 T name[\t[module]]" */
        if (nl - l > 19 && l[16] == ' ' && l[18] == ' ') {
            unsigned long long a = strtoull(l, NULL, 16);
            if (pending >= 0 && a > pending_start) {
                char line[160];
                int n = snprintf(line, sizeof(line), "ksym name=%s start=0x%llx end=0x%llx\n",
                                 names[pending], pending_start, a);
                if (n > 0 && used + (size_t)n + 1 > cap) {
                    char *grown = realloc(out, cap * 2);
                    if (grown) {
                        out = grown;
                        cap *= 2;
                    }
                }
                if (n > 0 && used + (size_t)n + 1 <= cap) {
                    memcpy(out + used, line, (size_t)n + 1);
                    used += (size_t)n;
                }
                pending = -1;
            }
            char type = l[17];
            if (pending < 0 && (type == 't' || type == 'T')) {
                const char *name = l + 19;
                size_t len = nl - name;
                for (int i = 0; names[i]; i++)
                    if (name[0] == names[i][0] && strlen(names[i]) == len &&
                        memcmp(name, names[i], len) == 0) {
                        pending = i;
                        pending_start = a;
                        break;
                    }
            }
        }
        l = nl + 1;
    }
    free(ks);
    return out;
}

/* The kallsyms pass (0.2 s under TCG) runs on the first kernel's other
 * vCPU while kexec hashes and loads the crash kernel on this one. */
static void *ksyms_thread(void *arg)
{
    (void)arg;
    return find_ksyms();
}

static void send_ksyms(char *lines)
{
    if (!lines)
        return;
    for (char *save = NULL, *l = strtok_r(lines, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        chan_send("MANIFEST %s", l);
    free(lines);
}

static bool prepare_module(void)
{
    if (!load_module(MODULE_PATH, NULL)) {
        fail("arm", "cannot load the crash module %s: %s", MODULE_PATH, strerror(errno));
        return false;
    }
    if (cfg.markers) {
        char cmd[96];
        snprintf(cmd, sizeof(cmd), "markers %s %u", cfg.seed, cfg.markers);
        if (!write_file(MODULE_PROC, cmd)) {
            fail("arm", "writing '%s' to %s: %s", cmd, MODULE_PROC, strerror(errno));
            return false;
        }
    }
    char *man = read_file(MODULE_PROC, NULL);
    if (!man) {
        fail("arm", "reading %s: %s", MODULE_PROC, strerror(errno));
        return false;
    }
    for (char *save = NULL, *l = strtok_r(man, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        chan_send("MANIFEST %s", l);
    free(man);
    return true;
}

/* The kernel says why a reservation failed ("crashkernel reservation failed -
 * memory is in use." when the decompressed kernel sits in a fixed range): the
 * last log line naming crashkernel, copied into out ("" when there is none). */
static void crashkernel_log_reason(char *out, size_t size)
{
    static char log[1 << 17];
    out[0] = '\0';
    int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
    if (n <= 0)
        return;
    log[n] = '\0';
    for (char *save = NULL, *l = strtok_r(log, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        if ((strstr(l, "crashkernel") || strstr(l, "Crash kernel")) && !strstr(l, "ommand line"))
            snprintf(out, size, "; the kernel said: %s",
                     l[0] == '<' && strchr(l, '>') ? strchr(l, '>') + 1 : l);
}

static void do_arm(void)
{
    char range[64] = "";
    bool reserved = report_iomem(range, sizeof(range));
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, ksyms_thread, NULL) == 0;
    void *ksyms = NULL;
    if (cfg.armed) {
        bool ok = reserved;
        if (!reserved) {
            char why[256];
            crashkernel_log_reason(why, sizeof(why));
            fail("arm", "crashkernel= was not reserved: no 'Crash kernel' in /proc/iomem%s", why);
        } else
            ok = arm_kexec();
        if (!ok) {
            if (threaded && pthread_join(t, &ksyms) == 0)
                free(ksyms);
            return;
        }
    }
    chan_send("ARMED crashkernel=%s method=%s", reserved ? range : "none",
              cfg.armed ? cfg.load : "none");
    report_crash_notes();
    if (!threaded)
        ksyms = find_ksyms();
    else if (pthread_join(t, &ksyms) != 0)
        ksyms = NULL;
    send_ksyms(ksyms);
    if (cfg.module && !prepare_module())
        return;
    chan_send("READY");
}

static void do_fault(const char *line)
{
    char kind[32], cpu[16] = "-1";
    if (!msg_get(line, "kind", kind, sizeof(kind))) {
        fail("crash", "FAULT without kind=");
        return;
    }
    msg_get(line, "cpu", cpu, sizeof(cpu));
    chan_send("FAULTING kind=%s cpu=%s", kind, cpu);
    if (strcmp(kind, "sysrq-c") == 0) {
        /* The trigger file ignores kernel.sysrq, as a customer's echo
         * would. */
        if (!write_file("/proc/sysrq-trigger", "c"))
            fail("crash", "writing c to /proc/sysrq-trigger: %s", strerror(errno));
        return;
    }
    char cmd[96];
    snprintf(cmd, sizeof(cmd), "fault %s %s", kind, cpu);
    if (!write_file(MODULE_PROC, cmd))
        fail("crash", "writing '%s' to %s: %s", cmd, MODULE_PROC, strerror(errno));
}

/* A busy loop for ms milliseconds: its rate, with and without the text
 * watch, is the guest's slowdown while watched. */
static void do_loop(const char *line)
{
    char ms_s[16] = "1000";
    msg_get(line, "ms", ms_s, sizeof(ms_s));
    long ms = strtol(ms_s, NULL, 10);
    if (ms < 1 || ms > 60000)
        ms = 1000;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned long long count = 0;
    volatile unsigned long long sink = 0;
    long elapsed = 0;
    while (elapsed < ms) {
        for (int i = 0; i < 100000; i++)
            sink += (unsigned long long)i * 2654435761ULL;
        count += 100000;
        clock_gettime(CLOCK_MONOTONIC, &t);
        elapsed = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
    }
    chan_send("LOOPED count=%llu ms=%ld", count, elapsed);
}

static void do_set(const char *line)
{
    char key[32], value[AGENT_LINE_MAX];
    if (!msg_get(line, "key", key, sizeof(key)) || !msg_get(line, "value", value, sizeof(value)))
        return;
    if (strcmp(key, "load") == 0)
        copy_str(cfg.load, sizeof(cfg.load), value);
    else if (strcmp(key, "crash_append") == 0)
        copy_str(cfg.crash_append, sizeof(cfg.crash_append), value);
    else if (strcmp(key, "armed") == 0)
        cfg.armed = strcmp(value, "0") != 0;
    else if (strcmp(key, "module") == 0)
        cfg.module = strcmp(value, "0") != 0;
    else if (strcmp(key, "markers") == 0)
        cfg.markers = (unsigned)strtoul(value, NULL, 10);
    else if (strcmp(key, "seed") == 0)
        copy_str(cfg.seed, sizeof(cfg.seed), value);
}

const char *first_kernel(void)
{
    struct utsname u;
    uname(&u);
    chan_send("HELLO stage=first osrelease=%s cpus=%ld version=1", u.release,
              sysconf(_SC_NPROCESSORS_ONLN));
    char line[AGENT_LINE_MAX];
    while (chan_recv(line, sizeof(line))) {
        if (kdump_first_msg(line))
            continue;
        if (strncmp(line, "SYSCTL ", 7) == 0)
            do_sysctl(line);
        else if (strncmp(line, "SET ", 4) == 0)
            do_set(line);
        else if (strcmp(line, "ARM") == 0)
            do_arm();
        else if (strncmp(line, "FAULT ", 6) == 0)
            do_fault(line);
        else if (strncmp(line, "LOOP", 4) == 0)
            do_loop(line);
        else if (strcmp(line, "POWEROFF") == 0)
            return "the harness asked (POWEROFF)";
    }
    return "the agent channel failed";
}
