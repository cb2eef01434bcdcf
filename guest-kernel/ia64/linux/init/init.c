/* PID 1 of the Linux/ia64 guest, with no libc (Debian ships none for
 * ia64): system calls through sys6 (start.S). It mounts devtmpfs and proc,
 * reports on /dev/kmsg (the kernel log reaches the console through
 * earlycon even when no tty driver has a port), and then does what the
 * command line's dumplab.mode says:
 *   boot (default)  report and power off: proves the boot reached user space.
 * Every step prints one line "dumplab-init: ..." so the host can follow. */
#include "init.h"

static int kmsg = -1;
static long *init_sp; /* argc, argv..., 0, envp..., 0, auxv pairs */

unsigned long page_size(void)
{
    long *p = init_sp + 1 + init_sp[0] + 1;
    while (*p)
        p++;
    for (p++; p[0]; p += 2)
        if (p[0] == 6) /* AT_PAGESZ */
            return (unsigned long)p[1];
    return 0;
}

/* gcc may emit calls to these even for freestanding code. */
void *memcpy(void *d, const void *s, unsigned long n)
{
    char *dp = d;
    const char *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}
void *memset(void *d, int c, unsigned long n)
{
    char *dp = d;
    while (n--)
        *dp++ = (char)c;
    return d;
}
int memcmp(const void *a, const void *b, unsigned long n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

unsigned long slen(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

void say(const char *a, const char *b)
{
    char line[512];
    unsigned long n = 0;
    for (const char *p = "dumplab-init: "; *p && n < sizeof(line) - 2; p++)
        line[n++] = *p;
    for (const char *p = a; p && *p && n < sizeof(line) - 2; p++)
        line[n++] = *p;
    for (const char *p = b; p && *p && n < sizeof(line) - 2; p++)
        line[n++] = *p;
    line[n++] = '\n';
    if (kmsg >= 0)
        sys_write(kmsg, line, n);
}

char *utoa(unsigned long v, char *buf, unsigned long len)
{
    char *p = buf + len - 1;
    *p = 0;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v && p > buf);
    return p;
}

char *xtoa(unsigned long v, char *buf, unsigned long len)
{
    char *p = buf + len - 1;
    *p = 0;
    do {
        *--p = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v && p > buf + 2);
    *--p = 'x';
    *--p = '0';
    return p;
}

unsigned long parse_hex(const char **pp)
{
    const char *p = *pp;
    unsigned long v = 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2; /* sysfs prints some addresses with %pa */
    for (;; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (*p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (*p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            break;
        v = v << 4 | d;
    }
    *pp = p;
    return v;
}

int write_str(const char *path, const char *s)
{
    long fd = sys_open(path, O_WRONLY, 0);
    if (fd < 0)
        return (int)fd;
    long r = sys_write((int)fd, s, slen(s));
    sys_close((int)fd);
    return r < 0 ? (int)r : 0;
}

/* Reads a small file whole (NUL-terminated); returns its length or -errno. */
long read_small(const char *path, char *buf, unsigned long len)
{
    long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0)
        return fd;
    unsigned long n = 0;
    while (n + 1 < len) {
        long r = sys_read((int)fd, buf + n, len - 1 - n);
        if (r <= 0)
            break;
        n += (unsigned long)r;
    }
    sys_close((int)fd);
    buf[n] = 0;
    return (long)n;
}

/* The value of "key=" on the command line, copied into out ("" if absent). */
void cmdline_value(const char *cmdline, const char *key, char *out, unsigned long len)
{
    unsigned long kl = slen(key);
    out[0] = 0;
    for (const char *p = cmdline; *p; p++) {
        if ((p == cmdline || p[-1] == ' ') && !memcmp(p, key, kl) && p[kl] == '=') {
            unsigned long n = 0;
            for (p += kl + 1; *p && *p != ' ' && *p != '\n' && n + 1 < len; p++)
                out[n++] = *p;
            out[n] = 0;
            return;
        }
    }
}

/* Decimal digits at the start of s (0 when there are none). */
static unsigned long dec(const char *s)
{
    unsigned long v = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (unsigned long)(*s - '0');
    return v;
}

void power_off(void)
{
    sys_sync();
    say("powering off", 0);
    sys_reboot(LINUX_REBOOT_CMD_POWER_OFF);
    /* Only reached when the kernel cannot power off: restart ends the
     * machine through EFI ResetSystem instead. */
    say("power off returned; restarting", 0);
    sys_reboot(LINUX_REBOOT_CMD_RESTART);
    for (;;)
        sys_pause();
}

void init_main(long *sp);
void init_main(long *sp)
{
    init_sp = sp;
    sys_mkdir("/dev", 0755);
    sys_mkdir("/proc", 0555);
    sys_mkdir("/sys", 0555);
    long rc = sys_mount("devtmpfs", "/dev", "devtmpfs", 0, 0);
    kmsg = (int)sys_open("/dev/kmsg", O_WRONLY, 0);
    if (rc < 0)
        say("mount devtmpfs failed", 0);
    if (sys_mount("proc", "/proc", "proc", 0, 0) < 0)
        say("mount proc failed", 0);
    if (sys_mount("sysfs", "/sys", "sysfs", 0, 0) < 0)
        say("mount sysfs failed", 0);

    static char cmdline[2048], mode[32], fault[32], uptime[64], num[24];
    read_small("/proc/cmdline", cmdline, sizeof(cmdline));
    cmdline_value(cmdline, "dumplab.mode", mode, sizeof(mode));
    cmdline_value(cmdline, "dumplab.fault", fault, sizeof(fault));
    if (!mode[0])
        memcpy(mode, "boot", 5);
    read_small("/proc/uptime", uptime, sizeof(uptime));
    for (char *p = uptime; *p; p++)
        if (*p == ' ' || *p == '\n')
            *p = 0;
    say("running as pid ", utoa((unsigned long)sys_getpid(), num, sizeof(num)));
    say("uptime ", uptime);
    say("mode ", mode);
    if (!memcmp(mode, "kdump", 6)) {
        if (kdump_load(cmdline) != 0)
            power_off();
        if (write_str("/proc/sys/kernel/kdump_on_init", "1\n") != 0)
            say("cannot set kdump_on_init", 0);
        static char markers[16], seed[24];
        cmdline_value(cmdline, "dumplab.markers", markers, sizeof(markers));
        cmdline_value(cmdline, "dumplab.seed", seed, sizeof(seed));
        if (markers[0] && markers_fill(dec(seed), dec(markers)) < 0)
            power_off();
        static char irqoff[24], cpu[8], online[64];
        cmdline_value(cmdline, "dumplab.irqoff", irqoff, sizeof(irqoff));
        cmdline_value(cmdline, "dumplab.cpu", cpu, sizeof(cpu));
        int panic = !memcmp(fault, "panic", 6);
        if (irqoff[0] || cpu[0] || panic) {
            const char *p = irqoff;
            if (p[0] == '0' && p[1] == 'x')
                p += 2;
            unsigned long mask = parse_hex(&p);
            /* "0-N" in /sys/devices/system/cpu/online: N + 1 CPUs */
            read_small("/sys/devices/system/cpu/online", online, sizeof(online));
            unsigned ncpus = 1;
            for (const char *q = online; *q && *q != '\n'; q++)
                if (*q == '-') {
                    ncpus = 0;
                    for (q++; *q >= '0' && *q <= '9'; q++)
                        ncpus = ncpus * 10 + (unsigned)(*q - '0');
                    ncpus++;
                    break;
                }
            if (irqoff_start(mask, ncpus, cpu[0] ? (int)dec(cpu) : -1) < 0)
                power_off();
        }
        say("armed, fault ", fault[0] ? fault : "init");
        if (!memcmp(fault, "sysrq-c", 8)) {
            write_str("/proc/sys/kernel/sysrq", "1\n");
            write_str("/proc/sysrq-trigger", "c");
            say("sysrq-c returned", 0);
        } else if (panic) {
            /* LKDTM's PANIC: panic("dumptest") on this CPU, as a driver's
             * panic would; crash_kexec then runs as after sysrq-c. */
            write_str(IRQOFF_DIRECT, "PANIC\n");
            say("PANIC returned", 0);
        }
        /* fault=init: the platform's INIT comes from outside; wait. */
        for (;;)
            sys_pause();
    }
    if (!memcmp(mode, "capture", 8) && kdump_capture() == 0) {
        /* dumplab.hvdump=1: the hypervisor dumps the machine now (the first
         * kernel's memory as the vmcore has it) and ends the domain; the
         * wait is bounded in case it never does. */
        static char hold[8];
        cmdline_value(cmdline, "dumplab.hvdump", hold, sizeof(hold));
        if (hold[0] == '1') {
            say("holding for the hypervisor's dump", 0);
            for (int i = 0; i < 120; i++)
                sys_sleep(1);
        }
    }
    power_off();
}
