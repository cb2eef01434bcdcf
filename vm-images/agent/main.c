/* PID 1 of the guest. Which kernel we are in decides the job: the first
 * kernel arms kdump and faults on request; the crash kernel (it has
 * /proc/vmcore) saves the dump. The same binary and initramfs serve both, so
 * one image is tested in both roles. */
#include "agent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Loads the modules listed in /lib/dumplab/modules.order, in order. A line
 * "path first" is only for the first kernel: qemu_fw_cfg, for one, would
 * overwrite the first kernel's VMCOREINFO address that QEMU keeps for its
 * own dumps. */
static void load_modules(bool crash)
{
    char *list = read_file("/lib/dumplab/modules.order", NULL);
    if (!list)
        return;
    for (char *save = NULL, *line = strtok_r(list, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *sp = strchr(line, ' ');
        if (sp) {
            *sp = 0;
            if (crash && strcmp(sp + 1, "first") == 0)
                continue;
        }
        load_module(line, NULL);
    }
    free(list);
}

int main(void)
{
    if (getpid() == 1)
        mount_basics();
    struct stat st;
    bool crash = stat("/proc/vmcore", &st) == 0;
    load_modules(crash);
    if (chan_open("/dev/ttyS1") < 0) {
        logmsg("cannot open /dev/ttyS1: the harness cannot reach us");
        power_off("no agent channel (/dev/ttyS1)");
    }
    power_off(crash ? crash_kernel() : first_kernel());
}
