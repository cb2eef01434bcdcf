/* The crash kernel's kdump as RHEL's kdump initramfs does it, driven by the
 * plan the harness derived from the scenario's kdump.conf
 * (/etc/dumplab/kdump.plan; the original is /etc/kdump.conf beside it):
 * bring the network up when the target needs it, mount or reach the
 * target, run the core collector into
 * <path>/<address>-<YYYY-MM-DD-HH:MM:SS>/vmcore-incomplete, rename it to
 * vmcore (vmcore.flat on ssh), save vmcore-dmesg.txt, then take
 * final_action; on any failure say why and take failure_action. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PLAN "/etc/dumplab/kdump.plan"
#define MNT "/kdumproot"
#define GUEST_IP "10.0.2.15"
#define BUSYBOX "/bin/busybox"
#define MDF "/usr/bin/makedumpfile"
#define ROOTFS_DISK "/dev/vda"
#define MIB ((uint64_t)1 << 20)

static char *plan;
static char reason[768];
static char crash_id[64] = "none";

bool kdump_planned(void)
{
    struct stat st;
    return stat(PLAN, &st) == 0;
}

/* The value of key= in the plan, or def. */
static const char *get(const char *key, const char *def)
{
    static char vals[16][512];
    static int next;
    size_t kl = strlen(key);
    for (const char *l = plan; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        if (len > kl && strncmp(l, key, kl) == 0 && l[kl] == '=') {
            char *v = vals[next++ % 16];
            size_t n = len - kl - 1 < 511 ? len - kl - 1 : 511;
            memcpy(v, l + kl + 1, n);
            v[n] = 0;
            return v;
        }
        l = nl ? nl + 1 : NULL;
    }
    return def;
}

static bool failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool failed(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    logmsg("kdump: %s", reason);
    return false;
}

/* Runs argv with stdout to out_fd (or a capture) and stderr captured into
 * err; returns the exit status, -1 when it could not run. */
static int run_io(char *const argv[], int in_fd, int out_fd, char *err, size_t errsize)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (in_fd >= 0)
            dup2(in_fd, 0);
        dup2(out_fd >= 0 ? out_fd : p[1], 1);
        dup2(p[1], 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    /* The end of the output is what says why (makedumpfile's progress
     * lines come first): keep the last errsize - 1 bytes. */
    size_t n = 0;
    char chunk[512];
    for (;;) {
        ssize_t r = read(p[0], chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size_t keep = errsize - 1;
        size_t add = (size_t)r > keep ? keep : (size_t)r;
        const char *src = chunk + r - add;
        if (n + add > keep) {
            size_t drop = n + add - keep;
            memmove(err, err + drop, n - drop);
            n -= drop;
        }
        memcpy(err + n, src, add);
        n += add;
    }
    close(p[0]);
    err[n] = 0;
    /* One line: progress redraws (\r) and newlines become spaces. */
    for (char *c = err; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool sh_ok(char *const argv[])
{
    char err[512];
    int rc = run_io(argv, -1, -1, err, sizeof(err));
    if (rc != 0)
        return failed("%s %s exited %d: %s", argv[0], argv[1] ? argv[1] : "", rc, err);
    return true;
}

static void load_kdump_modules(void)
{
    char *list = read_file("/lib/dumplab/kdump-modules.order", NULL);
    for (char *save = NULL, *l = list ? strtok_r(list, "\n", &save) : NULL; l;
         l = strtok_r(NULL, "\n", &save))
        load_module(l, NULL);
    free(list);
}

/* As kdump's network setup: the first virtio NIC, QEMU user networking's
 * guest address, the host's loopback reached as 10.0.2.2. */
static bool net_up(void)
{
    struct stat st;
    for (int i = 0; i < 100 && stat("/sys/class/net/eth0", &st) < 0; i++)
        usleep(100 * 1000);
    if (stat("/sys/class/net/eth0", &st) < 0)
        return failed("no network interface eth0 appeared (virtio_net)");
    char *a[] = {BUSYBOX, "ip", "link", "set", "eth0", "up", NULL};
    char *b[] = {BUSYBOX, "ip", "addr", "add", GUEST_IP "/24", "dev", "eth0", NULL};
    char *c[] = {BUSYBOX, "ip", "route", "add", "default", "via", "10.0.2.2", NULL};
    return sh_ok(a) && sh_ok(b) && sh_ok(c);
}

/* The dated folder name kdump uses: <address>-<YYYY-MM-DD-HH:MM:SS>. */
static void folder_name(const char *addr, char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof(stamp), "%Y-%m-%d-%H:%M:%S", &tm);
    snprintf(out, size, "%s-%s", addr, stamp);
}

static bool mkdir_p(const char *path)
{
    char tmp[700];
    copy_str(tmp, sizeof(tmp), path);
    for (char *p = tmp + 1;; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
                return failed("mkdir %s: %s", tmp, strerror(errno));
            if (!c)
                return true;
            *p = c;
        }
    }
}

/* The collector's argv from the plan ("makedumpfile -l -d 31"), with the
 * input and output appended (output NULL: stdout, for -F). */
static int collector_argv(char **argv, int max, char *words, const char *out)
{
    int n = 0;
    argv[n++] = MDF;
    char *save = NULL;
    char *t = strtok_r(words, " ", &save); /* "makedumpfile" */
    for (t = strtok_r(NULL, " ", &save); t && n < max - 4; t = strtok_r(NULL, " ", &save))
        argv[n++] = t;
    argv[n++] = "/proc/vmcore";
    if (out)
        argv[n++] = (char *)out;
    argv[n] = NULL;
    return n;
}

static bool copy_vmcore_to(const char *path) /* core_collector cp */
{
    int in = open("/proc/vmcore", O_RDONLY | O_CLOEXEC);
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (in < 0 || out < 0) {
        failed("cp /proc/vmcore %s: %s", path, strerror(errno));
        goto out;
    }
    static char buf[1 << 20];
    for (;;) {
        ssize_t r = read(in, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            failed("cp: reading /proc/vmcore: %s", strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        for (ssize_t o = 0; o < r;) {
            ssize_t w = write(out, buf + o, r - o);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                failed("cp: writing %s: %s", path, w < 0 ? strerror(errno) : "short write");
                goto out;
            }
            o += w;
        }
    }
    if (fsync(out) < 0) {
        failed("cp: fsync %s: %s", path, strerror(errno));
        goto out;
    }
    close(in);
    close(out);
    return true;
out:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return false;
}

static bool save_dmesg(const char *dir)
{
    char inc[700], fin[700], err[512];
    snprintf(inc, sizeof(inc), "%s/vmcore-dmesg-incomplete.txt", dir);
    snprintf(fin, sizeof(fin), "%s/vmcore-dmesg.txt", dir);
    char *argv[] = {MDF, "--dump-dmesg", "/proc/vmcore", inc, NULL};
    int rc = run_io(argv, -1, -1, err, sizeof(err));
    if (rc != 0)
        return failed("makedumpfile --dump-dmesg exited %d: %s", rc, err);
    return rename(inc, fin) == 0 || failed("rename %s: %s", inc, strerror(errno));
}

static uint64_t file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static bool write_status(const char *base, const char *dir, const char *status)
{
    char path[560], text[1300];
    snprintf(path, sizeof(path), "%s/vmcore-creation.status", base);
    snprintf(text, sizeof(text), "%s %s dumplab_crash_id=%s\n", status, dir, crash_id);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    if (fd >= 0)
        close(fd);
    return ok;
}

/* ext4, xfs, nfs: a mounted file system. */
static bool dump_to_mount(char *folder_out, size_t fsize, uint64_t *bytes)
{
    const char *base_path = get("path", "/var/crash");
    char base[520], dir[640], inc[700], fin[700];
    snprintf(base, sizeof(base), MNT "%s", base_path);
    char leaf[96];
    folder_name(get("addr", "127.0.0.1"), leaf, sizeof(leaf));
    snprintf(dir, sizeof(dir), "%s/%s", base, leaf);
    snprintf(folder_out, fsize, "%s/%s", base_path, leaf);
    if (!mkdir_p(dir))
        return false;
    snprintf(inc, sizeof(inc), "%s/vmcore-incomplete", dir);
    snprintf(fin, sizeof(fin), "%s/vmcore", dir);
    char words[512];
    copy_str(words, sizeof(words), get("collector", "makedumpfile -l -d 31"));
    if (strcmp(words, "cp") == 0) {
        if (!copy_vmcore_to(inc))
            return false;
    } else {
        char *argv[32], err[512];
        collector_argv(argv, 32, words, inc);
        int rc = run_io(argv, -1, -1, err, sizeof(err));
        if (rc != 0)
            return failed("core_collector %s exited %d: %s", get("collector", ""), rc, err);
    }
    sync();
    if (rename(inc, fin) < 0)
        return failed("rename vmcore-incomplete: %s", strerror(errno));
    *bytes = file_size(fin);
    bool ok = save_dmesg(dir);
    write_status(base, folder_out, ok ? "success" : "fail");
    sync();
    return ok;
}

static bool mount_target(void)
{
    const char *t = get("target", "");
    mkdir(MNT, 0755);
    if (strcmp(t, "nfs") == 0) {
        char opts[256];
        snprintf(opts, sizeof(opts), "vers=4.1,proto=tcp,timeo=100,retrans=2,addr=%s,clientaddr=" GUEST_IP ",port=%s",
                 get("nfs_addr", "10.0.2.2"), get("nfs_port", "2049"));
        if (mount(get("nfs", ""), MNT, "nfs4", 0, opts) < 0)
            return failed("mount -t nfs4 %s (%s): %s", get("nfs", ""), opts, strerror(errno));
        return true;
    }
    char dev[256];
    copy_str(dev, sizeof(dev), get("device", ""));
    if (strncmp(dev, "LABEL=", 6) == 0 || strncmp(dev, "UUID=", 5) == 0) {
        /* As kdump's initramfs resolves them: by the file system's own
         * label or UUID; the disk may take a moment to appear. */
        char out[256] = "";
        char *argv[] = {BUSYBOX, "findfs", dev, NULL};
        for (int i = 0; i < 50; i++) {
            if (run_io(argv, -1, -1, out, sizeof(out)) == 0)
                break;
            out[0] = 0;
            usleep(100 * 1000);
        }
        out[strcspn(out, " \n")] = 0;
        if (!out[0])
            return failed("no disk has %s", dev);
        copy_str(dev, sizeof(dev), out);
    }
    struct stat st;
    for (int i = 0; i < 50 && stat(dev, &st) < 0; i++)
        usleep(100 * 1000);
    if (mount(dev, MNT, get("fstype", t), 0, NULL) < 0)
        return failed("mount -t %s %s: %s", get("fstype", t), dev, strerror(errno));
    return true;
}

/* raw: the flattened stream written to the device itself. */
static bool dump_to_raw(uint64_t *bytes)
{
    const char *dev = get("device", "");
    struct stat st;
    for (int i = 0; i < 50 && stat(dev, &st) < 0; i++)
        usleep(100 * 1000);
    int fd = open(dev, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return failed("open %s: %s", dev, strerror(errno));
    char words[512], *argv[32], err[512];
    copy_str(words, sizeof(words), get("collector", "makedumpfile -F -l -d 31"));
    collector_argv(argv, 32, words, NULL);
    int rc = run_io(argv, -1, fd, err, sizeof(err));
    off_t end = lseek(fd, 0, SEEK_CUR);
    fsync(fd);
    close(fd);
    if (rc != 0)
        return failed("core_collector %s > %s exited %d: %s", get("collector", ""), dev, rc, err);
    *bytes = end > 0 ? (uint64_t)end : 0;
    return true;
}

/* ssh: as kdump's dump_ssh: mkdir, the flattened stream through dd,
 * renamed to vmcore.flat; the dmesg likewise. */
static int ssh_argv(char **argv, const char *cmd)
{
    int n = 0;
    static char key[300], port[16];
    snprintf(key, sizeof(key), "%s", get("sshkey", "/root/.ssh/kdump_id_rsa"));
    snprintf(port, sizeof(port), "%s", get("ssh_port", "22"));
    argv[n++] = "/usr/bin/ssh";
    argv[n++] = "-i";
    argv[n++] = key;
    argv[n++] = "-p";
    argv[n++] = port;
    argv[n++] = "-o";
    argv[n++] = "BatchMode=yes";
    argv[n++] = "-o";
    argv[n++] = "StrictHostKeyChecking=yes";
    argv[n++] = "-o";
    argv[n++] = "UserKnownHostsFile=/root/.ssh/known_hosts";
    argv[n++] = "-o";
    argv[n++] = "ConnectTimeout=20";
    argv[n++] = "-o";
    argv[n++] = "ServerAliveInterval=15";
    argv[n++] = (char *)get("ssh", "");
    argv[n++] = (char *)cmd;
    argv[n] = NULL;
    return n;
}

static bool ssh_run(const char *cmd, int in_fd)
{
    char *argv[24], err[512];
    ssh_argv(argv, cmd);
    int rc = run_io(argv, in_fd, -1, err, sizeof(err));
    if (rc != 0)
        return failed("ssh %s '%s' exited %d: %s", get("ssh", ""), cmd, rc, err);
    return true;
}

static bool dump_to_ssh(char *folder_out, size_t fsize, uint64_t *bytes)
{
    char leaf[96], dir[640], cmd[1400];
    folder_name(GUEST_IP, leaf, sizeof(leaf));
    snprintf(dir, sizeof(dir), "%s/%s", get("path", "/var/crash"), leaf);
    copy_str(folder_out, fsize, dir);
    snprintf(cmd, sizeof(cmd), "mkdir -p %s", dir);
    if (!ssh_run(cmd, -1))
        return false;
    /* makedumpfile -F ... | ssh "umask 0077 && dd bs=512 of=.../vmcore-incomplete" */
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return failed("pipe: %s", strerror(errno));
    char words[512], *argv[32];
    copy_str(words, sizeof(words), get("collector", "makedumpfile -F -l -d 31"));
    collector_argv(argv, 32, words, NULL);
    pid_t mdf = fork();
    if (mdf == 0) {
        dup2(p[1], 1);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    snprintf(cmd, sizeof(cmd), "umask 0077 && dd bs=512 of=%s/vmcore-incomplete", dir);
    bool sent = ssh_run(cmd, p[0]);
    close(p[0]);
    int st = 0;
    if (mdf > 0)
        waitpid(mdf, &st, 0);
    if (mdf < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (sent)
            failed("core_collector %s exited %d", get("collector", ""),
                   WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return false;
    }
    if (!sent)
        return false;
    snprintf(cmd, sizeof(cmd), "mv %s/vmcore-incomplete %s/vmcore.flat", dir, dir);
    if (!ssh_run(cmd, -1))
        return false;
    /* vmcore-dmesg.txt, through the same channel. */
    char err[512];
    char *dm[] = {MDF, "--dump-dmesg", "/proc/vmcore", "/tmp/vmcore-dmesg.txt", NULL};
    if (run_io(dm, -1, -1, err, sizeof(err)) != 0)
        return failed("makedumpfile --dump-dmesg: %s", err);
    int dfd = open("/tmp/vmcore-dmesg.txt", O_RDONLY | O_CLOEXEC);
    snprintf(cmd, sizeof(cmd), "umask 0077 && dd bs=512 of=%s/vmcore-dmesg-incomplete.txt", dir);
    bool ok = dfd >= 0 && ssh_run(cmd, dfd);
    if (dfd >= 0)
        close(dfd);
    snprintf(cmd, sizeof(cmd), "mv %s/vmcore-dmesg-incomplete.txt %s/vmcore-dmesg.txt", dir,
             dir);
    ok = ok && ssh_run(cmd, -1);
    *bytes = 0;
    return ok;
}

/* dump_to_rootfs (and no target at all): the lab's own dump disk is this
 * guest's root file system; the collector's stream goes there in the
 * layout of PROTOCOL.md (header last). */
static bool dump_to_rootfs(uint64_t *bytes)
{
    int fd = -1;
    for (int i = 0; i < 50 && (fd = open(ROOTFS_DISK, O_RDWR | O_CLOEXEC)) < 0; i++)
        usleep(100 * 1000);
    if (fd < 0)
        return failed("open %s: %s", ROOTFS_DISK, strerror(errno));
    if (lseek(fd, MIB, SEEK_SET) < 0)
        return failed("seek %s: %s", ROOTFS_DISK, strerror(errno));
    char words[512], *argv[32], err[512];
    /* -F: the stream needs no seekable output. */
    const char *col = get("collector", "makedumpfile -l -d 31");
    if (strcmp(col, "cp") == 0 || strstr(col, " -E"))
        col = "makedumpfile -E -d 31";
    snprintf(words, sizeof(words), "%s%s", col, strstr(col, " -F") ? "" : " -F");
    if (strstr(words, " -E")) /* -E and -F do not mix: ELF dumps as -d 31 stream */
        copy_str(words, sizeof(words), "makedumpfile -F -d 31");
    collector_argv(argv, 32, words, NULL);
    int rc = run_io(argv, -1, fd, err, sizeof(err));
    off_t end = lseek(fd, 0, SEEK_CUR);
    if (rc != 0) {
        close(fd);
        return failed("dump_to_rootfs: %s exited %d: %s", words, rc, err);
    }
    uint64_t size = (uint64_t)end - MIB;
    char hdr[4096];
    memset(hdr, 0, sizeof(hdr));
    snprintf(hdr, sizeof(hdr),
             "DUMPLAB-DUMP 1\nvmcore_offset=%" PRIu64 "\nvmcore_size=%" PRIu64
             "\ndmesg_offset=0\ndmesg_size=0\nstatus=complete\n",
             MIB, size);
    bool ok = fdatasync(fd) == 0 && pwrite(fd, hdr, sizeof(hdr), 0) == sizeof(hdr) &&
              fdatasync(fd) == 0;
    close(fd);
    *bytes = size;
    return ok || failed("dump_to_rootfs: writing the header: %s", strerror(errno));
}

/* Takes a kdump action; returns only for "shell" when the shell exits. */
static void take_action(const char *kind, const char *action)
{
    chan_send("ACTION kind=%s action=%s", kind, action);
    logmsg("kdump: %s %s", kind, action);
    sync();
    if (strcmp(action, "shell") == 0) {
        /* kdump's emergency shell on the console; the harness reads the
         * ACTION line and this banner, then ends the guest. */
        logmsg("kdump: dropping to a shell");
        char *argv[] = {BUSYBOX, "sh", NULL};
        run_io(argv, open("/dev/console", O_RDONLY), 2, reason, 1);
        return;
    }
    reboot(strcmp(action, "reboot") == 0  ? RB_AUTOBOOT
           : strcmp(action, "halt") == 0 ? RB_HALT_SYSTEM
                                          : RB_POWER_OFF);
    for (;;)
        pause();
}

const char *kdump_capture(void)
{
    plan = read_file(PLAN, NULL);
    char *cmd = read_file("/proc/cmdline", NULL);
    char *id = cmd ? strstr(cmd, "dumplab_crash_id=") : NULL;
    if (id) {
        copy_str(crash_id, sizeof(crash_id), id + strlen("dumplab_crash_id="));
        crash_id[strcspn(crash_id, " \n")] = 0;
    }
    free(cmd);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char *target = get("target", "rootfs");
    chan_send("KDUMP target=%s id=%s", target, crash_id);
    load_kdump_modules();
    char folder[512] = "", enc[700];
    uint64_t bytes = 0;
    bool ok = true;
    if (strcmp(get("net", "0"), "1") == 0)
        ok = net_up();
    if (ok) {
        if (!strcmp(target, "raw"))
            ok = dump_to_raw(&bytes);
        else if (!strcmp(target, "ssh"))
            ok = dump_to_ssh(folder, sizeof(folder), &bytes);
        else if (!strcmp(target, "rootfs"))
            ok = dump_to_rootfs(&bytes);
        else {
            ok = mount_target() && dump_to_mount(folder, sizeof(folder), &bytes);
            umount(MNT);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!ok) {
        const char *action = get("failure_action", "reboot");
        pct_encode(reason, enc, sizeof(enc));
        chan_send("KDUMP_FAILED target=%s action=%s reason=%s", target, action, enc);
        if (!strcmp(action, "dump_to_rootfs")) {
            chan_send("ACTION kind=failure_action action=dump_to_rootfs");
            if (dump_to_rootfs(&bytes)) {
                chan_send("DONE vmcore=%" PRIu64 " dmesg=0 seconds=%ld target=rootfs folder=%s",
                          bytes, (long)(t1.tv_sec - t0.tv_sec), ROOTFS_DISK);
                take_action("final_action", get("final_action", "reboot"));
            }
            pct_encode(reason, enc, sizeof(enc));
            chan_send("FAIL phase=capture reason=%s", enc);
            return "dump_to_rootfs failed";
        }
        take_action("failure_action", action);
        return "kdump failed; the shell ended";
    }
    pct_encode(folder, enc, sizeof(enc));
    chan_send("DONE vmcore=%" PRIu64 " dmesg=0 seconds=%ld target=%s folder=%s id=%s", bytes,
              (long)(t1.tv_sec - t0.tv_sec), target, enc, crash_id);
    take_action("final_action", get("final_action", "reboot"));
    return "kdump done; the shell ended";
}
