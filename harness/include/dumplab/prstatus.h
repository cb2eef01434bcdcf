/* The one definition of NT_PRSTATUS per machine (vmcore-facts.md A1,
 * ia64-facts.md §3): the note's size, where pr_pid and pr_reg are, how
 * wide a pr_reg word is, and which words are the instruction and stack
 * pointers. */
#ifndef DUMPLAB_PRSTATUS_H
#define DUMPLAB_PRSTATUS_H

#include "dumplab/dump.h"

#include <glib.h>
#include <stdbool.h>

typedef struct {
    guint16 machine;
    const char *name;    /* "x86_64", "ia64", "i386" */
    guint32 descsz;      /* sizeof(struct elf_prstatus) */
    guint32 pid_off;     /* pr_pid */
    guint32 reg_off;     /* pr_reg */
    guint32 nreg;        /* words of pr_reg */
    guint32 word;        /* bytes per pr_reg word: 8, or 4 on i386 */
    guint32 ip, sp;      /* pr_reg indexes */
    const char *ip_name; /* "rip", "ip", "eip" */
    const char *sp_name; /* "rsp", "r12", "esp" */
    guint32 page_size;   /* the machine's usual page size (VMCOREINFO may say otherwise) */
} DlPrstatusLayout;

/* The layout for e_machine, or NULL for a machine dumplab does not know. */
const DlPrstatusLayout *dl_prstatus_layout(guint16 machine);
/* Decodes one NT_PRSTATUS desc into r (index and offset left to the caller).
 * False when the machine is unknown or desc is too short for its registers;
 * r then holds pid only if that much was there. */
bool dl_prstatus_decode(guint16 machine, const guint8 *desc, guint32 descsz, DlCpuRegs *r);

#endif
