// SPDX-License-Identifier: GPL-2.0
/* The faults. Each runs in a kthread bound to the CPU it must hit, so the
 * vmcore shows it on that CPU with a recognisable stack; each CPU involved
 * first logs "dumplab_crash: cpu=N role=R fault=KIND" at KERN_EMERG so the
 * line is in the vmcore's dmesg for the checker to match against. */
#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dl_internal.h"

enum dl_role { DL_SPIN, DL_PANIC, DL_FAULT };
static const char *const dl_role_names[] = {"spin", "panic", "fault"};

/* How long the panicking CPU of "hardlockup" lets the other spin first: long
 * enough that the spinner is plainly stuck, short for test runs. */
#define DL_HARDLOCKUP_WAIT_MS 5000
/* Poll period and upper bound for the spinners of "stop-irqoff" to start. */
#define DL_POLL_MS 10
#define DL_SPINNERS_WAIT_MS 10000

static atomic_t dl_spinners = ATOMIC_INIT(0);
static int dl_spinners_wanted;
static int dl_polls;
/* One fault per boot may use it; dl_timer_taken refuses a second. */
static struct hrtimer dl_timer;
static bool dl_timer_taken;
static volatile unsigned long dl_sink;
/* Volatile limits keep the compiler from proving the loops below finite or
 * the recursion infinite, so neither is rewritten nor warned about. */
static volatile unsigned long dl_depth_limit = ULONG_MAX;
static volatile size_t dl_smash_len = 64;

/* What one kthread, bound to one CPU, does: call fn, or arm timer_fn as a
 * pinned hard-irq hrtimer on that CPU (then the callback logs its role). */
struct dl_job {
    void (*fn)(void);
    enum hrtimer_restart (*timer_fn)(struct hrtimer *t);
    unsigned int delay_ms;
    enum dl_role role;
    const char *kind;
};

static void dl_say(const char *kind, enum dl_role role)
{
    pr_emerg("dumplab_crash: cpu=%d role=%s fault=%s\n", raw_smp_processor_id(),
             dl_role_names[role], kind);
}

static noinline void dl_fault_panic(void)
{
    panic("dumplab_crash: fault=panic on cpu %d", raw_smp_processor_id());
}

static noinline void dl_fault_bug(void)
{
    BUG();
}

/* Oopses; panics only with panic_on_oops=1, which the scenario sets. */
static noinline void dl_fault_oops(void)
{
    unsigned long *p = NULL;

    OPTIMIZER_HIDE_VAR(p);
    WRITE_ONCE(*p, 0x646cUL);
}

/* A non-canonical address: a general protection fault rather than the page
 * fault of "oops", so the two take different exception paths. */
static noinline void dl_fault_exception(void)
{
    unsigned long *p = (unsigned long *)0xdead000000000000UL;

    OPTIMIZER_HIDE_VAR(p);
    dl_sink = READ_ONCE(*p);
}

/* hrtimer callback: runs in hard-irq context on the CPU that armed it. */
static noinline enum hrtimer_restart dl_fault_panic_in_hardirq(struct hrtimer *t)
{
    dl_say("panic-in-hardirq", DL_PANIC);
    panic("dumplab_crash: fault=panic-in-hardirq on cpu %d (in_hardirq=%d)", raw_smp_processor_id(),
          in_hardirq() ? 1 : 0);
    return HRTIMER_NORESTART;
}

/* The stuck CPU of "hardlockup". TCG guests usually have no perf NMI
 * watchdog, so another CPU (dl_hardlockup_watch) declares the lockup. */
static atomic_t dl_watch_armed = ATOMIC_INIT(0);

static noinline void dl_fault_hardlockup(void)
{
    int i;

    /* Spin only once the watcher's timer is armed: a CPU stuck behind this
     * one (waiting on an IPI with preemption off) would never run the
     * watcher's thread, and nobody would declare the lockup. */
    for (i = 0; i < 1000 && !atomic_read(&dl_watch_armed); i++)
        msleep(10);
    dl_spin_irqoff();
}

/* A hard-irq timer rather than a sleeping thread: once a CPU spins with
 * interrupts off, tasks elsewhere soon wait on it with preemption off (a TLB
 * shootdown IPI, say), and a thread on their CPU would never run again. */
static noinline enum hrtimer_restart dl_hardlockup_watch(struct hrtimer *t)
{
    dl_say("hardlockup", DL_PANIC);
    panic("dumplab_crash: fault=hardlockup: cpu spinning with interrupts off for %d ms",
          DL_HARDLOCKUP_WAIT_MS);
    return HRTIMER_NORESTART;
}

static noinline void dl_stop_spinner(void)
{
    atomic_inc(&dl_spinners);
    dl_spin_irqoff();
}

/* Panics once every other CPU spins with interrupts off: the normal stop IPI
 * cannot reach them, only the crash path's NMI shootdown can. Polls from a
 * hard-irq timer for the reason given at dl_hardlockup_watch. */
static noinline enum hrtimer_restart dl_fault_stop_irqoff(struct hrtimer *t)
{
    if (atomic_read(&dl_spinners) < dl_spinners_wanted &&
        ++dl_polls < DL_SPINNERS_WAIT_MS / DL_POLL_MS) {
        hrtimer_forward_now(t, ms_to_ktime(DL_POLL_MS));
        return HRTIMER_RESTART;
    }
    dl_say("stop-irqoff", DL_PANIC);
    panic("dumplab_crash: fault=stop-irqoff: %d of %d other cpus spinning with interrupts off",
          atomic_read(&dl_spinners), dl_spinners_wanted);
    return HRTIMER_NORESTART;
}

/* Needs softlockup_panic=1 and a short watchdog_thresh from the scenario. */
static noinline void dl_fault_softlockup(void)
{
    dl_spin_preemptoff();
}

/* Needs hung_task_panic=1 and a short hung_task_timeout_secs. Plain
 * TASK_UNINTERRUPTIBLE: TASK_IDLE would be ignored by the detector. */
static noinline void dl_fault_hung_task(void)
{
    for (;;) {
        set_current_state(TASK_UNINTERRUPTIBLE);
        schedule();
    }
}

static noinline unsigned long dl_recurse(unsigned long depth)
{
    volatile char pad[256];

    pad[0] = (char)depth;
    if (depth >= dl_depth_limit)
        return pad[0];
    return dl_recurse(depth + 1) + pad[0];
}

/* Recurses into the vmap stack's guard page: a double fault, which panics. */
static noinline void dl_fault_exhaust_stack(void)
{
    dl_sink = dl_recurse(0);
}

/* Overruns a local buffer across the stack canary, so the stack protector's
 * check at return panics with "stack-protector: Kernel stack is corrupted". */
static noinline void dl_fault_corrupt_stack(void)
{
    char buf[16];
    char *p = buf;
    size_t i;

    OPTIMIZER_HIDE_VAR(p);
    for (i = 0; i < dl_smash_len; i++)
        WRITE_ONCE(p[i], 0x5a);
}

static noinline void dl_fault_markers(void)
{
    panic("dumplab_crash: fault=markers: %lu marker pages, seed %llu", dl_markers_count(),
          (unsigned long long)dl_markers_seed());
}

/* Every CPU, no panic: the hypervisor's NMI is the only way out. */
static noinline void dl_fault_silent(void)
{
    dl_spin_irqoff();
}

enum dl_scope {
    DL_ONE,          /* the target CPU only */
    DL_PLUS_WATCHER, /* the target spins, another CPU panics */
    DL_OTHERS_SPIN,  /* every other CPU spins, the target panics */
    DL_ALL,          /* every online CPU */
};

struct dl_kind {
    const char *name;
    struct dl_job job; /* of the target CPU */
    enum dl_scope scope;
};

#define DL_CALL(n, f, r, sc)                                                                       \
    {                                                                                              \
        n, {.fn = f, .role = r, .kind = n}, sc                                                     \
    }
#define DL_TIMER(n, f, ms, r, sc)                                                                  \
    {                                                                                              \
        n, {.timer_fn = f, .delay_ms = ms, .role = r, .kind = n}, sc                               \
    }

static const struct dl_kind dl_kinds[] = {
    DL_CALL("panic", dl_fault_panic, DL_PANIC, DL_ONE),
    DL_CALL("bug", dl_fault_bug, DL_FAULT, DL_ONE),
    DL_CALL("oops", dl_fault_oops, DL_FAULT, DL_ONE),
    DL_CALL("exception", dl_fault_exception, DL_FAULT, DL_ONE),
    DL_TIMER("panic-in-hardirq", dl_fault_panic_in_hardirq, 10, DL_PANIC, DL_ONE),
    DL_CALL("hardlockup", dl_fault_hardlockup, DL_SPIN, DL_PLUS_WATCHER),
    DL_TIMER("stop-irqoff", dl_fault_stop_irqoff, DL_POLL_MS, DL_PANIC, DL_OTHERS_SPIN),
    DL_CALL("softlockup", dl_fault_softlockup, DL_SPIN, DL_ONE),
    DL_CALL("hung-task", dl_fault_hung_task, DL_FAULT, DL_ONE),
    DL_CALL("exhaust-stack", dl_fault_exhaust_stack, DL_FAULT, DL_ONE),
    DL_CALL("corrupt-stack", dl_fault_corrupt_stack, DL_FAULT, DL_ONE),
    DL_CALL("markers", dl_fault_markers, DL_PANIC, DL_ONE),
    DL_CALL("silent", dl_fault_silent, DL_SPIN, DL_ALL),
    /* Kernel text changes that do not crash (dl_text.c). */
    DL_CALL("text-patch", dl_text_patch, DL_FAULT, DL_ONE),
    DL_CALL("kprobe", dl_text_kprobe, DL_FAULT, DL_ONE),
    DL_CALL("static-key", dl_text_static_key, DL_FAULT, DL_ONE),
    DL_CALL("ftrace", dl_text_ftrace, DL_FAULT, DL_ONE),
};

static int dl_job_thread(void *data)
{
    struct dl_job job = *(struct dl_job *)data;

    kfree(data);
    if (job.timer_fn) {
        hrtimer_init(&dl_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
        dl_timer.function = job.timer_fn;
        hrtimer_start(&dl_timer, ms_to_ktime(job.delay_ms), HRTIMER_MODE_REL_PINNED_HARD);
        atomic_set(&dl_watch_armed, 1);
        return 0;
    }
    dl_say(job.kind, job.role);
    job.fn();
    return 0;
}

struct dl_plan {
    int cpu;
    struct dl_job *job;
    struct task_struct *task;
};

static int dl_plan_add(struct dl_plan *plan, int *n, int cpu, const struct dl_job *job)
{
    struct dl_job *copy = kmemdup(job, sizeof(*job), GFP_KERNEL);
    struct task_struct *t;

    if (!copy)
        return -ENOMEM;
    t = kthread_create_on_node(dl_job_thread, copy, cpu_to_node(cpu), "dl_crash/%d", cpu);
    if (IS_ERR(t)) {
        kfree(copy);
        return PTR_ERR(t);
    }
    kthread_bind(t, cpu);
    plan[(*n)++] = (struct dl_plan){.cpu = cpu, .job = copy, .task = t};
    return 0;
}

/* All threads exist before any runs, and the one for this CPU wakes last:
 * a spinner woken here first would preempt us for good, before the others
 * were started. */
static void dl_plan_run(struct dl_plan *plan, int n)
{
    int i, self, last = -1;

    preempt_disable();
    self = smp_processor_id();
    for (i = 0; i < n; i++) {
        if (plan[i].cpu == self && last < 0)
            last = i;
        else
            wake_up_process(plan[i].task);
    }
    if (last >= 0)
        wake_up_process(plan[last].task);
    preempt_enable();
}

static void dl_plan_cancel(struct dl_plan *plan, int n)
{
    int i;

    /* Never woken, so kthread() returns before calling dl_job_thread and the
     * job copy stays ours to free. */
    for (i = 0; i < n; i++) {
        kthread_stop(plan[i].task);
        kfree(plan[i].job);
    }
}

static int dl_plan_build(const struct dl_kind *k, int cpu, struct dl_plan *plan, int *n)
{
    static const struct dl_job spinner = {
        .fn = dl_stop_spinner, .role = DL_SPIN, .kind = "stop-irqoff"};
    static const struct dl_job watcher = {.timer_fn = dl_hardlockup_watch,
                                          .delay_ms = DL_HARDLOCKUP_WAIT_MS,
                                          .role = DL_PANIC,
                                          .kind = "hardlockup"};
    int other, err;

    switch (k->scope) {
    case DL_ONE:
        return dl_plan_add(plan, n, cpu, &k->job);
    case DL_PLUS_WATCHER:
        other = cpumask_any_but(cpu_online_mask, cpu);
        if (other >= nr_cpu_ids) {
            pr_warn("dumplab_crash: %s needs a second online cpu\n", k->name);
            return -EINVAL;
        }
        err = dl_plan_add(plan, n, cpu, &k->job);
        return err ? err : dl_plan_add(plan, n, other, &watcher);
    case DL_OTHERS_SPIN:
        atomic_set(&dl_spinners, 0);
        dl_spinners_wanted = 0;
        dl_polls = 0;
        for_each_online_cpu(other)
        {
            if (other == cpu)
                continue;
            err = dl_plan_add(plan, n, other, &spinner);
            if (err)
                return err;
            dl_spinners_wanted++;
        }
        return dl_plan_add(plan, n, cpu, &k->job);
    case DL_ALL:
        for_each_online_cpu(other)
        {
            err = dl_plan_add(plan, n, other, &k->job);
            if (err)
                return err;
        }
        return 0;
    }
    return -EINVAL;
}

static bool dl_uses_timer(const struct dl_kind *k)
{
    return k->job.timer_fn || k->scope == DL_PLUS_WATCHER;
}

int dl_fault_start(const char *kind, int cpu)
{
    const struct dl_kind *k = NULL;
    struct dl_plan *plan;
    size_t i;
    int n = 0, err;

    for (i = 0; i < ARRAY_SIZE(dl_kinds); i++)
        if (!strcmp(dl_kinds[i].name, kind))
            k = &dl_kinds[i];
    if (!k) {
        pr_warn("dumplab_crash: unknown fault kind '%s'\n", kind);
        return -EINVAL;
    }
    if (k->job.fn == dl_fault_markers && dl_markers_count() == 0) {
        pr_warn("dumplab_crash: fault markers: write 'markers SEED N' first\n");
        return -ENODATA;
    }
    plan = kcalloc(nr_cpu_ids + 1, sizeof(*plan), GFP_KERNEL);
    if (!plan)
        return -ENOMEM;
    mutex_lock(&dl_lock);
    cpus_read_lock();
    err = -EINVAL;
    if (cpu == -1)
        cpu = raw_smp_processor_id();
    if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu)) {
        pr_warn("dumplab_crash: cpu %d is not online\n", cpu);
        goto out;
    }
    err = -EBUSY;
    if (dl_uses_timer(k) && dl_timer_taken) {
        pr_warn("dumplab_crash: a timer-driven fault was already started\n");
        goto out;
    }
    err = dl_plan_build(k, cpu, plan, &n);
    if (err) {
        dl_plan_cancel(plan, n);
        goto out;
    }
    if (dl_uses_timer(k))
        dl_timer_taken = true;
    /* Threads of ours may run (or hang) forever from here on; unloading
     * the module under them would crash in a way nobody asked for. */
    __module_get(THIS_MODULE);
    /* Unlock first: a spinner may take this CPU for good once woken. */
    cpus_read_unlock();
    mutex_unlock(&dl_lock);
    dl_plan_run(plan, n);
    kfree(plan);
    return 0;
out:
    cpus_read_unlock();
    mutex_unlock(&dl_lock);
    kfree(plan);
    return err;
}

/* The size comes from kallsyms ("name+0x0/0x1a0 [mod]"), which knows each
 * function's extent in this module's symbol table. */
static void dl_show_sym(struct seq_file *m, const char *name, unsigned long addr)
{
    char buf[KSYM_SYMBOL_LEN];
    unsigned long size = 0;
    size_t n = strlen(name);
    char *slash, *end;

    sprint_symbol(buf, addr);
    slash = strchr(buf, '/');
    if (slash && !strncmp(buf, name, n) && !strncmp(buf + n, "+0x0/", 5)) {
        end = strchr(slash, ' ');
        if (end)
            *end = '\0';
        if (kstrtoul(slash + 1, 0, &size))
            size = 0;
    }
    seq_printf(m, "msym name=%s start=0x%lx end=0x%lx\n", name, addr, addr + size);
}

#define DL_SYM(m, f) dl_show_sym(m, #f, (unsigned long)(f))

void dl_faults_show(struct seq_file *m)
{
    DL_SYM(m, dl_spin_irqoff);
    DL_SYM(m, dl_spin_preemptoff);
    DL_SYM(m, dl_fault_panic);
    DL_SYM(m, dl_fault_bug);
    DL_SYM(m, dl_fault_oops);
    DL_SYM(m, dl_fault_exception);
    DL_SYM(m, dl_fault_panic_in_hardirq);
    DL_SYM(m, dl_fault_hardlockup);
    DL_SYM(m, dl_hardlockup_watch);
    DL_SYM(m, dl_fault_stop_irqoff);
    DL_SYM(m, dl_stop_spinner);
    DL_SYM(m, dl_fault_softlockup);
    DL_SYM(m, dl_fault_hung_task);
    DL_SYM(m, dl_fault_exhaust_stack);
    DL_SYM(m, dl_recurse);
    DL_SYM(m, dl_fault_corrupt_stack);
    DL_SYM(m, dl_fault_markers);
    DL_SYM(m, dl_fault_silent);
}
