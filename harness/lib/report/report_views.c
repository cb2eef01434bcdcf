/* Records the data report.html draws (report_views.h). */
#include "dumplab/report_views.h"
#include "dumplab/agentchan.h"
#include "dumplab/iomem.h"

#include <elf.h>
#include <string.h>

/* The picture needs a few hundred rectangles at most; a guest that reports
 * more (it cannot, the agent sends top-level lines) is cut here. */
#define MAX_REGIONS 4096

void dl_report_note_iomem(DlReport *rep, GPtrArray *msgs)
{
    for (guint i = 0; msgs && i < msgs->len && i < MAX_REGIONS; i++) {
        const DlMsg *m = g_ptr_array_index(msgs, i);
        const char *name = dl_msg_get(m, "name");
        const char *s = dl_msg_get(m, "start"), *e = dl_msg_get(m, "end");
        if (!name || !s || !e)
            continue;
        guint64 start = g_ascii_strtoull(s, NULL, 0), end = g_ascii_strtoull(e, NULL, 0);
        /* The one /proc/iomem rule decides what is RAM and what the
         * crashkernel reservation; the rest is drawn as it is named. */
        g_autoptr(GArray) ram = g_array_new(FALSE, FALSE, sizeof(DlRange));
        g_autoptr(GArray) ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
        dl_iomem_classify(name, true, (DlRange){start, end}, ram, ck);
        dl_report_add_region(rep,
                             ck->len    ? "crashkernel"
                             : ram->len ? "ram"
                                        : "iomem",
                             start, end, name);
    }
}

void dl_report_note_segments(DlReport *rep, const DlDump *dump)
{
    for (guint i = 0; dump && i < dl_dump_phnum(dump) && i < MAX_REGIONS; i++) {
        const DlPhdr *p = dl_dump_phdr(dump, i);
        if (!p || p->type != PT_LOAD || !p->memsz)
            continue;
        g_autofree char *label =
            g_strdup_printf("PT_LOAD %u at file offset 0x%" G_GINT64_MODIFIER "x%s", i, p->offset,
                            p->vaddr >= 0xffffffff80000000ULL ? " (kernel text)" : "");
        dl_report_add_region(rep, "segment", p->paddr, p->paddr + p->memsz - 1, label);
    }
}

void dl_report_note_differ(DlReport *rep, GArray *differ)
{
    for (guint i = 0; differ && i < differ->len && i < MAX_REGIONS; i++) {
        const DlRange *d = &g_array_index(differ, DlRange, i);
        dl_report_add_region(rep, "differ", d->start, d->end, NULL);
    }
}

static const char *role_name(const DlManifest *m, int cpu)
{
    if (cpu < 0 || !m->roles || (guint)cpu >= m->roles->len)
        return cpu == m->panic_cpu ? "panic" : "-";
    switch (g_array_index(m->roles, DlCpuRole, cpu)) {
    case DL_ROLE_SPIN:
        return "spin (irqs off)";
    case DL_ROLE_PANIC:
        return "panic";
    case DL_ROLE_FAULT:
        return "fault";
    default:
        return cpu == m->panic_cpu ? "panic" : "-";
    }
}

void dl_report_note_cpus(DlReport *rep, GArray *cpus, const DlManifest *m)
{
    for (guint i = 0; cpus && i < cpus->len; i++) {
        const DlCpuRegs *c = &g_array_index(cpus, DlCpuRegs, i);
        const DlSymRange *s = m ? dl_sym_find(m->ksyms, c->ip) : NULL;
        if (!s && m)
            s = dl_sym_find(m->msyms, c->ip);
        g_autofree char *where =
            s ? g_strdup_printf("%s+0x%" G_GINT64_MODIFIER "x", s->name, c->ip - s->start)
              : g_strdup("?");
        dl_report_add_cpu(rep, (int)c->index, c->cpu, c->pid, c->ip, c->sp, where,
                          m ? role_name(m, c->cpu) : "-");
    }
}
