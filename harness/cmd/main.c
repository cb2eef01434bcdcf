/* dumplab: the command-line entry point; dispatches to a subcommand. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"run", cmd_run, "run a scenario (or a folder or glob of them) and report the verdict"},
    {"check", cmd_check, "check a vmcore file (any format) and report its defects"},
    {"compare", cmd_compare, "compare a vmcore with a reference dump of the same guest"},
    {"list", cmd_list, "list the scenarios in a folder"},
    {"cleanup", cmd_cleanup, "remove leftover domains of killed runs"},
    {"watch", cmd_watch, "watch running domains' kernel text from the hypervisor"},
    {"mint-plan", cmd_mint_plan, "Mint's memory views per OS node and their writable overlaps"},
    {"estimate", cmd_estimate, "find the smallest crashkernel= that captures, by real crashes"},
};

static int usage(FILE *f)
{
    fprintf(f, "usage: dumplab COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n'dumplab COMMAND --help' describes each.\n");
    return f == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        return usage(stdout);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "dumplab: unknown command '%s'\n", argv[1]);
    return usage(stderr);
}
