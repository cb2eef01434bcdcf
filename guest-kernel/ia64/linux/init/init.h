/* What init.c offers the other parts of the guest's init. */
#ifndef DUMPLAB_IA64_INIT_H
#define DUMPLAB_IA64_INIT_H

#include "sys.h"

void *memcpy(void *d, const void *s, unsigned long n);
void *memset(void *d, int c, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);
unsigned long slen(const char *s);
/* One console line "dumplab-init: a b" (through /dev/kmsg). */
void say(const char *a, const char *b);
/* Decimal and hex text of v in buf (len bytes); returns the start. */
char *utoa(unsigned long v, char *buf, unsigned long len);
char *xtoa(unsigned long v, char *buf, unsigned long len);
/* Parses hex digits at *p (advancing it); 0 when there are none. */
unsigned long parse_hex(const char **p);
long read_small(const char *path, char *buf, unsigned long len);
int write_str(const char *path, const char *s);
void cmdline_value(const char *cmdline, const char *key, char *out, unsigned long len);
void power_off(void);
/* The kernel's page size, from the auxiliary vector (AT_PAGESZ); 0 if absent. */
unsigned long page_size(void);

/* kdump.c: loads the capture kernel (0 or -errno, with a line saying why),
 * and the capture kernel's side: /proc/vmcore out through the dump device. */
long kdump_load(const char *cmdline);
long kdump_capture(void);

/* irqoff.c: CPUs of mask spin with interrupts off (LKDTM HARDLOCKUP); the
 * init moves to home (-1: the first CPU outside mask) and mounts debugfs,
 * where LKDTM's DIRECT file is. The number started or -errno. */
#define IRQOFF_DIRECT "/sys/kernel/debug/provoke-crash/DIRECT"
long irqoff_start(unsigned long mask, unsigned ncpus, int home);

/* markers.c: frames of locked pages filled with dumplab/marker.h's pattern
 * for (seed, frame), named on the console; 0 or -errno. */
long markers_fill(unsigned long seed, unsigned long frames);

#endif
