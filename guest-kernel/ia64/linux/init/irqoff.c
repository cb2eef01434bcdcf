/* CPUs spinning with interrupts off (dumplab.irqoff=MASK): Linux's own
 * crash-test code does the spinning, LKDTM's HARDLOCKUP
 * (local_irq_disable(); for (;;) cpu_relax();), reached through debugfs's
 * provoke-crash/DIRECT by a child pinned to each CPU of the mask. Such a
 * CPU answers no IPI: only INIT stops it (machine_crash_shutdown's
 * kdump_smp_send_init after sysrq-c, or the platform INIT). The init moves
 * to its fault CPU (dumplab.cpu, else the first CPU outside the mask)
 * before, since a task left on a spinning CPU would never run again. */
#include "init.h"

#define SIGCHLD 17

static long pin(unsigned cpu)
{
    unsigned long set = 1UL << cpu;
    return sys6(NR(207), 0, sizeof(set), (long)&set, 0, 0, 0); /* sched_setaffinity */
}

static void nap_ms(long ms)
{
    long ts[2] = {ms / 1000, (ms % 1000) * 1000000};
    sys6(NR(144), (long)ts, 0, 0, 0, 0, 0); /* nanosleep */
}

long irqoff_start(unsigned long mask, unsigned ncpus, int want)
{
    char num[24];
    unsigned home = 0;
    while (home < ncpus && ((mask >> home) & 1))
        home++;
    if (want >= 0)
        home = (unsigned)want;
    if (home >= ncpus || ncpus > 64 || ((mask >> home) & 1)) {
        say("irqoff: no CPU outside the mask for the init: ", utoa(home, num, sizeof(num)));
        return -22;
    }
    long rc = pin(home);
    if (rc < 0)
        return rc;
    sys_mkdir("/sys/kernel/debug", 0700);
    if ((rc = sys_mount("debugfs", "/sys/kernel/debug", "debugfs", 0, 0)) < 0) {
        say("irqoff: cannot mount debugfs", 0);
        return rc;
    }
    long started = 0;
    for (unsigned cpu = 0; cpu < ncpus; cpu++) {
        if (!((mask >> cpu) & 1))
            continue;
        long pid = sys6(NR(104), SIGCHLD, 0, 0, 0, 0, 0); /* clone: a fork */
        if (pid < 0)
            return pid;
        if (pid == 0) {
            if (pin(cpu) < 0) {
                say("irqoff: cannot pin to cpu ", utoa(cpu, num, sizeof(num)));
                sys6(NR(1), 1, 0, 0, 0, 0, 0); /* exit */
            }
            say("spinning with interrupts off on cpu ", utoa(cpu, num, sizeof(num)));
            write_str(IRQOFF_DIRECT, "HARDLOCKUP\n");
            say("irqoff: HARDLOCKUP returned on cpu ", utoa(cpu, num, sizeof(num)));
            sys6(NR(1), 1, 0, 0, 0, 0, 0);
        }
        started++;
    }
    /* The children reach their CPUs' loops within a few scheduler rounds. */
    nap_ms(500);
    return started;
}
