/* Notes: every one inside its segment, the NT_PRSTATUS set, VMCOREINFO. */
#include "check_internal.h"

#include "dumplab/prstatus.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>


void dl_check_notes(DlCheckCtx *c)
{
    DlCheckResult *r = c->r;
    GPtrArray *problems = dl_ctx_note_problems(c);
    for (guint i = 0; i < problems->len; i++) {
        const char *p = g_ptr_array_index(problems, i);
        gint64 off = -1;
        if (g_str_has_prefix(p, "offset 0x"))
            off = (gint64)g_ascii_strtoull(p + 7, NULL, 16);
        const char *msg = strstr(p, ": ");
        dl_check_add(r, DL_SEV_DEFECT, off, "note.overrun", "%s", msg ? msg + 2 : p);
    }
    guint n = 0;
    const DlPrstatusLayout *l = dl_prstatus_layout(dl_ctx_machine(c));
    for (guint i = 0; i < dl_ctx_nnotes(c); i++) {
        const DlNote *note = dl_ctx_note(c, i);
        if (note->type != NT_PRSTATUS || strcmp(note->name, "CORE") != 0)
            continue;
        n++;
        if (l && note->descsz != l->descsz)
            dl_check_add(r, DL_SEV_DEFECT, (gint64)note->offset, "note.prstatus-size",
                         "NT_PRSTATUS note %u has %u bytes, %s writes %u%s", n - 1, note->descsz,
                         l->name, l->descsz,
                         note->descsz < l->reg_off + l->nreg * l->word ? ": its registers cannot be read"
                                                                 : "");
    }
    int want = c->in->expect_cpus;
    if (n == 0)
        dl_check_add(r, DL_SEV_DEFECT, -1, "cpu.none", "no NT_PRSTATUS note: no CPU's registers");
    else if (want >= 0 && n != (guint)want)
        dl_check_add(r, DL_SEV_DEFECT, -1, "cpu.count",
                     "%u NT_PRSTATUS note%s, expected %d (one per CPU): %s", n, n == 1 ? "" : "s",
                     want,
                     n < (guint)want ? "a CPU did not save its registers (did not answer the "
                                       "shootdown NMI, or was offline)"
                                     : "more notes than CPUs");
}

static bool parse_u64(const char *s, int base, guint64 *out)
{
    if (!s || !*s)
        return false;
    char *end = NULL;
    errno = 0;
    guint64 v = g_ascii_strtoull(s, &end, base);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static gint64 vmcoreinfo_offset(const DlCheckCtx *c)
{
    for (guint i = 0; i < dl_ctx_nnotes(c); i++)
        if (!strcmp(dl_ctx_note(c, i)->name, "VMCOREINFO"))
            return (gint64)dl_ctx_note(c, i)->offset;
    return -1;
}

void dl_check_vmcoreinfo(DlCheckCtx *c)
{
    DlCheckResult *r = c->r;
    if (!dl_ctx_vmcoreinfo(c)) {
        if (r->layout == DL_LAYOUT_QEMU)
            dl_check_add(r, DL_SEV_WARNING, -1, "vmcoreinfo.missing",
                         "QEMU dump without VMCOREINFO: the guest had no vmcoreinfo device "
                         "or never wrote to it (qemu_fw_cfg not loaded)");
        else
            dl_check_add(r, DL_SEV_DEFECT, -1, "vmcoreinfo.missing",
                         "no VMCOREINFO note: makedumpfile and crash cannot read this kernel");
        return;
    }
    gint64 off = vmcoreinfo_offset(c);
    const char *text = dl_ctx_vmcoreinfo(c);
    if (!strchr(text, '='))
        dl_check_add(r, DL_SEV_DEFECT, off, "vmcoreinfo.format",
                     "VMCOREINFO holds no KEY=VALUE lines");
    if (!dl_ctx_vmci(c, "OSRELEASE"))
        dl_check_add(r, DL_SEV_DEFECT, off, "vmcoreinfo.osrelease", "VMCOREINFO lacks OSRELEASE");
    guint64 v;
    const char *ps = dl_ctx_vmci(c, "PAGESIZE");
    if (!parse_u64(ps, 10, &v) || v < 4096 || (v & (v - 1)))
        dl_check_add(r, DL_SEV_DEFECT, off, "vmcoreinfo.pagesize",
                     "PAGESIZE '%s' is not a power of two >= 4096", ps ? ps : "(missing)");
    const char *ko = dl_ctx_vmci(c, "KERNELOFFSET");
    if (ko && !parse_u64(ko, 16, &v))
        dl_check_add(r, DL_SEV_DEFECT, off, "vmcoreinfo.kerneloffset",
                     "KERNELOFFSET '%s' is not hexadecimal", ko);
    else if (!ko && dl_ctx_machine(c) == EM_X86_64)
        dl_check_add(r, DL_SEV_WARNING, off, "vmcoreinfo.kerneloffset",
                     "VMCOREINFO lacks KERNELOFFSET: KASLR cannot be undone");
    const char *st = dl_ctx_vmci(c, "SYMBOL(_stext)");
    if (st && !parse_u64(st, 16, &v))
        dl_check_add(r, DL_SEV_DEFECT, off, "vmcoreinfo.symbol",
                     "SYMBOL(_stext) '%s' is not hexadecimal", st);
    if (!dl_ctx_vmci(c, "CRASHTIME")) {
        if (r->layout == DL_LAYOUT_QEMU)
            dl_check_add(r, DL_SEV_NOTE, off, "vmcoreinfo.crashtime",
                         "no CRASHTIME: the guest had not panicked when QEMU dumped it, or "
                         "the VMCOREINFO is the crash kernel's");
        else
            dl_check_add(r, DL_SEV_DEFECT, off, "vmcoreinfo.crashtime",
                         "no CRASHTIME: this VMCOREINFO was not written by a panicking kernel");
    }
}
