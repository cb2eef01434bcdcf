/* Which CPU each NT_PRSTATUS note belongs to. kdump writes notes only for
 * the CPUs that answered the shootdown, in CPU order, so a silent CPU
 * shifts every later one (vmcore-facts.md: drgn #404). Each CPU's note was
 * first written into its own crash_notes buffer, in memory the vmcore also
 * holds: the note that matches CPU N's buffer byte for byte is CPU N's. */
#include "dumplab/proof.h"
#include "dumplab/qemunote.h"

#include <elf.h>
#include <string.h>

#define NOTE_BYTES (12 + 8 + 336) /* header, "CORE\0" padded, prstatus */

guint dl_proof_map_cpus(DlDump *d, const DlManifest *m, guint ncpus, DlCheckResult *r)
{
    guint mapped = 0;
    guint8 note[NOTE_BYTES], buf[NOTE_BYTES];
    g_autofree gboolean *taken = g_new0(gboolean, MAX(ncpus, 1));
    for (guint i = 0; i < r->cpus->len; i++) {
        DlCpuRegs *c = &g_array_index(r->cpus, DlCpuRegs, i);
        if (r->layout == DL_LAYOUT_QEMU) {
            c->cpu = dl_qemu_note_cpu(c->pid);
            if (c->cpu >= 0 && (guint)c->cpu < ncpus && !taken[c->cpu]) {
                taken[c->cpu] = TRUE;
                mapped++;
            }
            continue;
        }
        c->cpu = -1;
        /* The note as the file holds it, header and all. */
        if (!dl_dump_read(d, c->offset, note, NOTE_BYTES, NULL))
            continue;
        for (guint cpu = 0; cpu < m->crash_notes->len && cpu < ncpus; cpu++) {
            guint64 pa = g_array_index(m->crash_notes, guint64, cpu);
            bool have = pa && !taken[cpu] && dl_dump_read_phys(d, pa, buf, NOTE_BYTES, NULL);
            if (have && memcmp(buf, note, NOTE_BYTES) == 0) {
                c->cpu = (int)cpu;
                taken[cpu] = TRUE;
                mapped++;
                break;
            }
        }
    }
    if (r->layout != DL_LAYOUT_QEMU && m->crash_notes->len == 0) {
        dl_check_add(r, DL_SEV_WARNING, -1, "cpu.unmapped",
                     "no crash_notes addresses in the manifest: notes assumed in CPU order");
        for (guint i = 0; i < r->cpus->len && i < ncpus; i++) {
            g_array_index(r->cpus, DlCpuRegs, i).cpu = (int)i;
            taken[i] = TRUE;
        }
        mapped = MIN(r->cpus->len, ncpus);
    } else {
        for (guint i = 0; i < r->cpus->len; i++) {
            const DlCpuRegs *c = &g_array_index(r->cpus, DlCpuRegs, i);
            if (c->cpu < 0)
                dl_check_add(r, DL_SEV_DEFECT, (gint64)c->offset, "cpu.unmatched-note",
                             "NT_PRSTATUS note %u matches no CPU's crash_notes buffer", c->index);
        }
    }
    for (guint cpu = 0; cpu < ncpus; cpu++)
        if (!taken[cpu])
            dl_check_add(r, DL_SEV_DEFECT, -1, "cpu.missing-note",
                         "CPU %u has no NT_PRSTATUS note: its registers were not saved (it did "
                         "not answer the shootdown NMI, or was offline)",
                         cpu);
    return mapped;
}
