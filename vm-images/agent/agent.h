/* dumplab guest agent: PID 1 of both the first kernel and the crash kernel.
 * It speaks the line protocol of PROTOCOL.md on /dev/ttyS1. Static, libc
 * only: the crash kernel's initramfs has nothing else it could rely on. */
#ifndef DUMPLAB_AGENT_H
#define DUMPLAB_AGENT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGENT_LINE_MAX 1024

/* channel.c: the serial line to the harness. */
int chan_open(const char *tty);
void chan_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reads one line into buf (without the newline); false when the port closed. */
bool chan_recv(char *buf, size_t size);
/* Whether chan_open succeeded. */
bool chan_is_open(void);
/* Percent-encodes s into out (at most size bytes, always terminated). */
void pct_encode(const char *s, char *out, size_t size);
void pct_decode(char *s);
/* The value of key=... in a received line, decoded, into out; false if absent. */
bool msg_get(const char *line, const char *key, char *out, size_t size);

/* util.c */
/* Copies src into dst, truncating, always terminated. */
void copy_str(char *dst, size_t size, const char *src);
void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* to the console */
char *read_file(const char *path, size_t *len); /* NUL-terminated, malloc'd, NULL on error */
bool write_file(const char *path, const char *data);
/* Runs argv, waits; returns the exit status (or -1), output captured into
 * out (may be NULL) up to size bytes. */
int run_cmd(char *const argv[], char *out, size_t size);
bool load_module(const char *path, const char *params);
void mount_basics(void);
/* Says why on the console and (when open) on the channel as BYE reason=...,
 * waits for the port to drain, then powers off. Every power-off goes here. */
void power_off(const char *reason) __attribute__((noreturn));

/* diskwriter.c: block-aligned O_DIRECT writes from DW_NBUF buffers, up
 * to DW_RUNS ranges of each in flight at once (Linux AIO), or one at a
 * time when the kernel has no AIO. */
#include <linux/aio_abi.h>
#define DW_NBUF 3
#define DW_RUNS 8
typedef struct {
    int fd;
    size_t chunk, align;
    char *buf[DW_NBUF];
    struct iocb cb[DW_NBUF][DW_RUNS];
    int pending[DW_NBUF]; /* writes of each buffer still in flight */
    int used[DW_NBUF];    /* its slots taken since dw_get returned it */
    int inflight;
    bool async;
    aio_context_t ctx;
    int err; /* the first failure's errno; every later call fails with it */
} DiskWriter;
/* Writes all n bytes at off (EINTR retried); false with errno, EIO for a
 * write of 0. */
bool pwrite_all(int fd, const void *buf, size_t n, uint64_t off);
bool dw_open(DiskWriter *w, int fd, size_t chunk, size_t align);
char *dw_get(DiskWriter *w); /* a buffer of chunk bytes none of whose writes is in flight */
/* Writes n bytes at buf + at (from dw_get; at block-aligned) to the disk
 * at off, padded with zeros to whole blocks. At most DW_RUNS per buffer
 * between two dw_get. */
bool dw_put(DiskWriter *w, char *buf, size_t at, size_t n, uint64_t off);
bool dw_finish(DiskWriter *w); /* waits for every write; false if one failed */
void dw_close(DiskWriter *w);

/* first.c / crash.c */
/* Each returns why it ended: the reason power_off gives. */
const char *first_kernel(void);
const char *crash_kernel(void);

/* kdumpfirst.c / kdump.c: kdump.conf targets (harness/lib/kdump/). */
bool kdump_first_msg(const char *line);  /* KFILE, SET crash_remove: handled? */
bool kdump_drop_token(const char *word); /* KDUMP_COMMANDLINE_REMOVE */
const char *kdump_initrd(void);          /* the crash initramfs to load; NULL on error */
bool kdump_planned(void);                /* the crash kernel has a kdump plan */
const char *kdump_capture(void);         /* saves the dump as kdump.conf says */

#endif
