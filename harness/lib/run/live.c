/* Live progress of a copy (live.h). */
#include "dumplab/live.h"

#include <stdio.h>
#include <unistd.h>

/* A pipe gets a line this often; a terminal is rewritten at most this often. */
#define PIPE_EVERY_US (2 * G_USEC_PER_SEC)
#define TTY_EVERY_US (G_USEC_PER_SEC / 5)

struct DlLive {
    char *name, *what;
    guint64 total, last_bytes;
    gint64 t0, last_print;
    bool quiet, tty, drawn;
};

DlLive *dl_live_new(const char *name, const char *what, guint64 total, bool quiet)
{
    DlLive *l = g_new0(DlLive, 1);
    l->name = g_strdup(name);
    l->what = g_strdup(what);
    l->total = total;
    l->quiet = quiet;
    l->tty = isatty(STDOUT_FILENO);
    l->t0 = g_get_monotonic_time();
    return l;
}

char *dl_live_text(guint64 bytes, guint64 total, double seconds)
{
    double mibs = seconds > 0 ? (bytes / 1048576.0) / seconds : 0;
    if (total)
        return g_strdup_printf(
            "%3.0f%% %6.1f MiB/s (%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " MiB)",
            100.0 * (double)MIN(bytes, total) / (double)total, mibs, bytes >> 20, total >> 20);
    return g_strdup_printf("%6.1f MiB/s (%" G_GUINT64_FORMAT " MiB)", mibs, bytes >> 20);
}

void dl_live_update(void *opaque, guint64 bytes)
{
    DlLive *l = opaque;
    if (!l || l->quiet)
        return;
    gint64 now = g_get_monotonic_time();
    l->last_bytes = bytes;
    if (now - l->last_print < (l->tty ? TTY_EVERY_US : PIPE_EVERY_US))
        return;
    l->last_print = now;
    g_autofree char *t = dl_live_text(bytes, l->total, (now - l->t0) / 1e6);
    if (l->tty) {
        printf("\r\033[K[%s] %-12s %s", l->name, l->what, t);
        l->drawn = true;
    } else
        printf("[%s] %-12s %s\n", l->name, l->what, t);
    fflush(stdout);
}

void dl_live_free(DlLive *l)
{
    if (!l)
        return;
    /* The phase's own "done" line follows on a clean line. */
    if (l->drawn) {
        printf("\r\033[K");
        fflush(stdout);
    }
    g_free(l->name);
    g_free(l->what);
    g_free(l);
}
