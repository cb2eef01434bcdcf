/* The dumplab subcommands. Each takes the arguments after its name
 * (argv[0] is the subcommand) and returns the process exit status. */
#ifndef DUMPLAB_COMMANDS_H
#define DUMPLAB_COMMANDS_H

#include <glib.h>
#include <libvirt/libvirt.h>

int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_cleanup(int argc, char **argv);
int cmd_estimate(int argc, char **argv);

/* Connects to dl_virt_uri(); for the local qemu:///system (as root) starts
 * virtlogd and libvirtd first when no daemon answers, waiting up to 60 s. */
virConnectPtr cmd_connect(GError **err);

#endif
