// SPDX-License-Identifier: GPL-2.0
/* /proc/dumplab_crash: the manifest on read, commands on write. Root only:
 * one write can crash the machine. */
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dl_internal.h"

#define DL_PROC_NAME "dumplab_crash"

static struct proc_dir_entry *dl_entry;

static int dl_show(struct seq_file *m, void *unused)
{
    dl_faults_show(m);
    mutex_lock(&dl_lock);
    dl_markers_show(m);
    mutex_unlock(&dl_lock);
    seq_printf(m, "cpus online=%u\n", num_online_cpus());
    return 0;
}

static int dl_open(struct inode *inode, struct file *file)
{
    return single_open(file, dl_show, NULL);
}

static int dl_cmd_markers(char *args)
{
    char *seed_s = strsep(&args, " \t");
    char *count_s = args ? skip_spaces(args) : NULL;
    unsigned long long seed;
    unsigned long count;
    int err;

    if (!seed_s || !count_s || kstrtoull(seed_s, 0, &seed) || kstrtoul(count_s, 0, &count)) {
        pr_warn("dumplab_crash: usage: markers SEED N\n");
        return -EINVAL;
    }
    mutex_lock(&dl_lock);
    err = dl_markers_alloc(seed, count);
    mutex_unlock(&dl_lock);
    return err;
}

static int dl_cmd_fault(char *args)
{
    char *kind = strsep(&args, " \t");
    char *cpu_s = args ? skip_spaces(args) : NULL;
    int cpu = -1;

    if (!kind || !*kind || (cpu_s && *cpu_s && kstrtoint(cpu_s, 0, &cpu))) {
        pr_warn("dumplab_crash: usage: fault KIND CPU\n");
        return -EINVAL;
    }
    return dl_fault_start(kind, cpu);
}

static ssize_t dl_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
    char buf[128];
    char *line, *cmd;
    int err;

    if (!capable(CAP_SYS_ADMIN))
        return -EPERM;
    if (len >= sizeof(buf))
        return -EINVAL;
    if (copy_from_user(buf, ubuf, len))
        return -EFAULT;
    buf[len] = '\0';
    line = strim(buf);
    cmd = strsep(&line, " \t");
    if (line)
        line = skip_spaces(line);
    if (!strcmp(cmd, "markers"))
        err = dl_cmd_markers(line);
    else if (!strcmp(cmd, "fault"))
        err = dl_cmd_fault(line);
    else {
        pr_warn("dumplab_crash: unknown command '%s' (markers SEED N | fault KIND CPU)\n", cmd);
        err = -EINVAL;
    }
    return err ? err : (ssize_t)len;
}

static const struct proc_ops dl_proc_ops = {
    .proc_open = dl_open,
    .proc_read = seq_read,
    .proc_lseek = seq_lseek,
    .proc_release = single_release,
    .proc_write = dl_write,
};

int dl_proc_init(void)
{
    dl_entry = proc_create(DL_PROC_NAME, 0600, NULL, &dl_proc_ops);
    return dl_entry ? 0 : -ENOMEM;
}

void dl_proc_exit(void)
{
    proc_remove(dl_entry);
}
