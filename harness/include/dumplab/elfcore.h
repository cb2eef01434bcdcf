/* The one ELF core reader of dumplab (over libelf). Every vmcore, kdump's or
 * the hypervisor's, is read through it; nothing it hands out points outside
 * the file. Opening checks only what is needed to walk the file safely;
 * judging the content is the checker's job (check.h). */
#ifndef DUMPLAB_ELFCORE_H
#define DUMPLAB_ELFCORE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct DlCore DlCore;

typedef struct {
    guint32 type, flags;
    guint64 offset, vaddr, paddr, filesz, memsz, align;
    guint64 phdr_offset; /* where this program header itself is in the file */
} DlPhdr;

typedef struct {
    const char *name;   /* NUL-terminated copy, e.g. "CORE", "VMCOREINFO", "QEMU" */
    guint32 type;       /* NT_PRSTATUS = 1, ... */
    const guint8 *desc; /* inside the mapping; descsz bytes are readable */
    guint32 descsz;
    guint64 offset;  /* file offset of the note header */
    guint32 segment; /* index of the PT_NOTE it came from */
} DlNote;

/* Maps the file read-only. Fails (DL_ERROR_PARSE) only when it is not an
 * ELF64 core it can walk at all: not ELF, not 64-bit, not ET_CORE, header or
 * program-header table outside the file. */
DlCore *dl_core_open(const char *path, GError **err);
void dl_core_close(DlCore *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlCore, dl_core_close)

guint64 dl_core_size(const DlCore *c);
guint16 dl_core_machine(const DlCore *c);    /* e_machine */
guint16 dl_core_type(const DlCore *c);       /* e_type */
const guint8 *dl_core_data(const DlCore *c); /* the whole mapping */
guint dl_core_phnum(const DlCore *c);
const DlPhdr *dl_core_phdr(const DlCore *c, guint i);

/* Every note of every PT_NOTE segment, in file order. A note whose header or
 * padded name/desc would run past its segment ends that segment's walk; the
 * problem is recorded (dl_core_note_problems) rather than read. */
guint dl_core_nnotes(const DlCore *c);
const DlNote *dl_core_note(const DlCore *c, guint i);
/* One line per note that could not be read: "offset 0x..: why". */
GPtrArray *dl_core_note_problems(const DlCore *c); /* char *, owned by c */

/* The bytes of guest-physical [paddr, paddr+len) if one PT_LOAD holds all of
 * them within its p_filesz and inside the file; NULL otherwise. */
const guint8 *dl_core_phys(const DlCore *c, guint64 paddr, guint64 len);

/* VMCOREINFO note text (not NUL-terminated in the file; this is a copy) and
 * one value from it: dl_core_vmcoreinfo_get(c, "OSRELEASE"),
 * dl_core_vmcoreinfo_get(c, "SYMBOL(_stext)"). NULL when absent. */
const char *dl_core_vmcoreinfo(const DlCore *c);
const char *dl_core_vmcoreinfo_get(const DlCore *c, const char *key);

/* The registers kept from one NT_PRSTATUS note, decoded with the layout of
 * the core's machine (prstatus.h). */
typedef struct {
    guint32 index; /* position among the PRSTATUS notes */
    gint32 pid;    /* pr_pid: the task running on that CPU (0 = idle) */
    int cpu;       /* CPU number if it can be told (see vmcore-facts.md), else -1 */
    guint16 machine;
    bool regs_valid;         /* the note was long enough for the machine's registers */
    guint64 ip, sp;          /* any machine */
    guint64 rip, rsp, rbp, rflags, cs; /* x86_64 */
    guint64 cfm, psr, bsp;   /* ia64 */
    guint64 offset; /* file offset of the note */
} DlCpuRegs;

/* Every NT_PRSTATUS note of a CORE (or EM_X86_64) core. */
GArray *dl_core_cpus(const DlCore *c); /* DlCpuRegs, owned by c */

#endif
