/* Shared declarations of the dumplab_crash module's parts. */
#ifndef DL_INTERNAL_H
#define DL_INTERNAL_H

#include <linux/seq_file.h>
#include <linux/types.h>

/* Spin loops: never return. Distinct names so a backtrace or the NMI'd
 * register state in the vmcore says which kind of spin the CPU was in. */
void dl_spin_irqoff(void);
void dl_spin_preemptoff(void);

/* Marker pages (dl_markers.c). Callers hold dl_lock. */
int dl_markers_alloc(u64 seed, unsigned long count);
void dl_markers_free(void);
void dl_markers_show(struct seq_file *m);
unsigned long dl_markers_count(void);
u64 dl_markers_seed(void);

/* Faults (dl_faults.c). */
int dl_fault_start(const char *kind, int cpu);
void dl_faults_show(struct seq_file *m);

/* Text changes that do not crash (dl_text.c), for the text watch. */
void dl_text_patch(void);
void dl_text_kprobe(void);
void dl_text_static_key(void);
void dl_text_ftrace(void);

/* /proc/dumplab_crash (dl_proc.c). */
int dl_proc_init(void);
void dl_proc_exit(void);

extern struct mutex dl_lock;

#endif
