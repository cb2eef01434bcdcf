// SPDX-License-Identifier: GPL-2.0
/* Faults that change the kernel's text without crashing it, one for each
 * way text changes at run time, for the hypervisor's text watch to catch
 * and name: an unexplained write into a function (text-patch), a kprobe's
 * int3 (kprobe), a jump-label flip (static-key) and an ftrace call site
 * (ftrace). Each victim is a sysrq handler: address-taken (so never
 * inlined), and never run by a watch scenario. */
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "dl_internal.h"

/* kallsyms_lookup_name is not exported since 5.7; a kprobe resolves a
 * name through kallsyms for us. */
static unsigned long dl_lookup(const char *name)
{
    struct kprobe kp = {.symbol_name = name};
    unsigned long addr;

    if (register_kprobe(&kp) < 0)
        return 0;
    addr = (unsigned long)kp.addr;
    unregister_kprobe(&kp);
    return addr;
}

typedef void *(*dl_text_poke_t)(void *addr, const void *opcode, size_t len);

/* Two ud2 over the entry of sysrq_handle_crash, written the way the kernel
 * writes its own text (text_poke), so nothing in the kernel explains it. */
void dl_text_patch(void)
{
    static const u8 ud2x2[4] = {0x0f, 0x0b, 0x0f, 0x0b};
    unsigned long (*lookup)(const char *) = (void *)dl_lookup("kallsyms_lookup_name");
    dl_text_poke_t poke = lookup ? (dl_text_poke_t)lookup("text_poke") : NULL;
    void *victim = lookup ? (void *)lookup("sysrq_handle_crash") : NULL;

    if (!poke || !victim) {
        pr_warn("dumplab_crash: text-patch: text_poke or sysrq_handle_crash not found\n");
        return;
    }
    poke(victim, ud2x2, sizeof(ud2x2));
    pr_info("dumplab_crash: text-patch: wrote ud2 ud2 at %pS\n", victim);
}

static int dl_kp_pre(struct kprobe *p, struct pt_regs *regs)
{
    return 0;
}

/* A post handler keeps the probe an int3: optimized kprobes (a jmp) are
 * only made for probes without one. */
static void dl_kp_post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
}

static struct kprobe dl_kp;

/* An int3 inside sysrq_handle_loglevel: past its ftrace site, where a probe
 * would ride on ftrace instead. The first instruction boundary kprobes
 * accepts there. */
void dl_text_kprobe(void)
{
    unsigned int off;

    for (off = 1; off < 64; off++) {
        memset(&dl_kp, 0, sizeof(dl_kp));
        dl_kp.symbol_name = "sysrq_handle_loglevel";
        dl_kp.offset = off;
        dl_kp.pre_handler = dl_kp_pre;
        dl_kp.post_handler = dl_kp_post;
        if (register_kprobe(&dl_kp) < 0)
            continue;
        if (!(dl_kp.flags & KPROBE_FLAG_FTRACE)) {
            pr_info("dumplab_crash: kprobe: int3 at %pS\n", dl_kp.addr);
            return;
        }
        unregister_kprobe(&dl_kp);
    }
    pr_warn("dumplab_crash: kprobe: no probe point in sysrq_handle_loglevel\n");
}

#define DL_TRACEPOINT "module_load"
static struct tracepoint *dl_tp;

static void dl_tp_find(struct tracepoint *tp, void *priv)
{
    if (!strcmp(tp->name, DL_TRACEPOINT))
        dl_tp = tp;
}

/* Never called with its real arguments' types in mind: it ignores them. */
static void dl_tp_probe(void *data)
{
}

/* A probe on the module_load tracepoint: its static key turns on, and the
 * jump label at its call site becomes a jmp. */
void dl_text_static_key(void)
{
    int err;

    for_each_kernel_tracepoint(dl_tp_find, NULL);
    if (!dl_tp) {
        pr_warn("dumplab_crash: static-key: no tracepoint %s\n", DL_TRACEPOINT);
        return;
    }
    err = tracepoint_probe_register(dl_tp, (void *)dl_tp_probe, NULL);
    if (err)
        pr_warn("dumplab_crash: static-key: tracepoint %s: %d\n", DL_TRACEPOINT, err);
    else
        pr_info("dumplab_crash: static-key: tracepoint %s on\n", DL_TRACEPOINT);
}

static void notrace dl_ftrace_fn(unsigned long ip, unsigned long parent_ip, struct ftrace_ops *op,
                                 struct ftrace_regs *fregs)
{
}

static struct ftrace_ops dl_ftrace_ops = {.func = dl_ftrace_fn};

/* An ftrace callback on sysrq_handle_term alone: its __fentry__ nop becomes
 * a call. */
void dl_text_ftrace(void)
{
    static char name[] = "sysrq_handle_term";
    int err = ftrace_set_filter(&dl_ftrace_ops, name, strlen(name), 1);

    if (!err)
        err = register_ftrace_function(&dl_ftrace_ops);
    if (err)
        pr_warn("dumplab_crash: ftrace: %s: %d\n", name, err);
    else
        pr_info("dumplab_crash: ftrace: tracing %s\n", name);
}
