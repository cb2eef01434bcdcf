/* The dumplab subcommands. Each takes the arguments after its name
 * (argv[0] is the subcommand) and returns the process exit status. */
#ifndef DUMPLAB_COMMANDS_H
#define DUMPLAB_COMMANDS_H

#include <glib.h>
#include <libvirt/libvirt.h>
#include <stdbool.h>

int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_cleanup(int argc, char **argv);
int cmd_mint_plan(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_estimate(int argc, char **argv);

/* Connects to dl_virt_uri(); for the local qemu:///system (as root) starts
 * virtlogd and libvirtd first when no daemon answers, waiting up to 60 s. */
virConnectPtr cmd_connect(GError **err);

/* A saved /proc/iomem (--iomem FILE): System RAM and Crash kernel ranges
 * (DlRange) appended to ram and ck. */
bool cmd_read_iomem(const char *path, GArray *ram, GArray *ck, GError **err);

#endif
