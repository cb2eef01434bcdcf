/* The few Linux/ia64 system calls the guest's init uses (numbers from
 * arch/ia64/kernel/syscalls/syscall.tbl plus __NR_Linux = 1024), over the
 * gate in start.S. */
#ifndef DUMPLAB_IA64_INIT_SYS_H
#define DUMPLAB_IA64_INIT_SYS_H

long sys6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

#define NR(n) (1024 + (n))
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define LINUX_REBOOT_CMD_RESTART 0x01234567
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc

static inline long sys_read(int fd, void *buf, unsigned long n)
{
    return sys6(NR(2), fd, (long)buf, (long)n, 0, 0, 0);
}
static inline long sys_write(int fd, const void *buf, unsigned long n)
{
    return sys6(NR(3), fd, (long)buf, (long)n, 0, 0, 0);
}
static inline long sys_open(const char *path, int flags, int mode)
{
    return sys6(NR(4), (long)path, flags, mode, 0, 0, 0);
}
static inline long sys_close(int fd)
{
    return sys6(NR(5), fd, 0, 0, 0, 0, 0);
}
static inline long sys_getpid(void)
{
    return sys6(NR(17), 0, 0, 0, 0, 0, 0);
}
static inline long sys_mount(const char *src, const char *dst, const char *type,
                             unsigned long flags, const void *data)
{
    return sys6(NR(19), (long)src, (long)dst, (long)type, (long)flags, (long)data, 0);
}
static inline long sys_sync(void)
{
    return sys6(NR(26), 0, 0, 0, 0, 0, 0);
}
static inline long sys_mkdir(const char *path, int mode)
{
    return sys6(NR(31), (long)path, mode, 0, 0, 0, 0);
}
static inline long sys_reboot(unsigned int cmd)
{
    return sys6(NR(72), 0xfee1dead, 672274793, cmd, 0, 0, 0);
}
static inline long sys_pause(void)
{
    /* ia64 has no pause(2): wait in nanosleep for a long time. */
    static const long ts[2] = {1L << 30, 0};
    return sys6(NR(144), (long)ts, 0, 0, 0, 0, 0);
}
static inline long sys_sleep(long seconds)
{
    const long ts[2] = {seconds, 0};
    return sys6(NR(144), (long)ts, 0, 0, 0, 0, 0); /* nanosleep */
}
static inline long sys_lseek(int fd, long off, int whence)
{
    return sys6(NR(16), fd, off, whence, 0, 0, 0);
}
static inline long sys_pread(int fd, void *buf, unsigned long n, long off)
{
    return sys6(NR(124), fd, (long)buf, (long)n, off, 0, 0);
}
static inline long sys_pwrite(int fd, const void *buf, unsigned long n, long off)
{
    return sys6(NR(125), fd, (long)buf, (long)n, off, 0, 0);
}
static inline long sys_kexec_load(unsigned long entry, unsigned long nr, const void *segs,
                                  unsigned long flags)
{
    return sys6(NR(244), (long)entry, (long)nr, (long)segs, (long)flags, 0, 0);
}

static inline long sys_mmap(unsigned long len)
{
    /* PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS */
    return sys6(NR(127), 0, (long)len, 3, 0x22, -1, 0);
}
static inline long sys_mmap_dev(int fd, unsigned long len, unsigned long off)
{
    /* PROT_READ|PROT_WRITE, MAP_SHARED */
    return sys6(NR(127), 0, (long)len, 3, 0x01, fd, (long)off);
}
static inline long sys_mlock(const void *p, unsigned long len)
{
    return sys6(NR(129), (long)p, (long)len, 0, 0, 0, 0);
}
#define KEXEC_ON_CRASH 1
#define KEXEC_ARCH_IA_64 (50 << 16)
struct kexec_segment {
    const void *buf;
    unsigned long bufsz;
    unsigned long mem;
    unsigned long memsz;
};

#endif
