/* Host end of the agent channel: line I/O with deadlines over a UNIX socket. */
#include "dumplab/agentchan.h"
#include "dumplab/error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_LINE 4096
#define IDLE_MS 200

struct DlAgent {
    int fd;
    FILE *log;
    GString *buf; /* bytes read but not yet returned as lines */
    bool eof;     /* the socket reached end of stream */
    gint64 t0;
};

static void log_line(DlAgent *a, const char *dir, const char *line)
{
    if (!a->log)
        return;
    gint64 ms = (g_get_monotonic_time() - a->t0) / 1000;
    fprintf(a->log, "%7" G_GINT64_FORMAT ".%03d %s %s\n", ms / 1000, (int)(ms % 1000), dir, line);
    fflush(a->log);
}

static bool call_idle(DlAgentIdle idle, void *opaque, GError **err)
{
    return !idle || idle(opaque, err);
}

DlAgent *dl_agent_connect(const char *sock_path, const char *log_path, gint64 deadline,
                          DlAgentIdle idle, void *opaque, GError **err)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(sock_path) >= sizeof(sa.sun_path)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "agent socket path too long: %s", sock_path);
        return NULL;
    }
    strcpy(sa.sun_path, sock_path);
    for (;;) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            dl_set_error_errno(err, errno, "socket");
            return NULL;
        }
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            DlAgent *a = g_new0(DlAgent, 1);
            a->fd = fd;
            a->buf = g_string_new(NULL);
            a->t0 = g_get_monotonic_time();
            a->log = log_path ? fopen(log_path, "ae") : NULL;
            return a;
        }
        int e = errno;
        close(fd);
        if (g_get_monotonic_time() >= deadline) {
            dl_set_error_errno(err, e, "connecting to agent socket %s", sock_path);
            return NULL;
        }
        if (!call_idle(idle, opaque, err))
            return NULL;
        g_usleep(100 * 1000);
    }
}

void dl_agent_close(DlAgent *a)
{
    if (!a)
        return;
    close(a->fd);
    if (a->log)
        fclose(a->log);
    g_string_free(a->buf, TRUE);
    g_free(a);
}

bool dl_agent_send(DlAgent *a, GError **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    log_line(a, ">", line);
    g_autofree char *wire = g_strconcat(line, "\n", NULL);
    size_t len = strlen(wire), off = 0;
    while (off < len) {
        ssize_t n = send(a->fd, wire + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            dl_set_error_errno(err, errno, "sending to agent");
            return false;
        }
        off += (size_t)n;
    }
    return true;
}

/* Takes one complete line out of the buffer, dropping CRs and NULs that a
 * serial line may carry. */
static char *take_line(DlAgent *a)
{
    char *nl = memchr(a->buf->str, '\n', a->buf->len);
    if (!nl)
        return NULL;
    size_t n = (size_t)(nl - a->buf->str);
    char *line = g_malloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++)
        if (a->buf->str[i] != '\r' && a->buf->str[i] != '\0')
            line[j++] = a->buf->str[i];
    line[j] = '\0';
    g_string_erase(a->buf, 0, (gssize)n + 1);
    return line;
}

/* Reads what the socket holds now, without waiting. Returns the bytes read,
 * 0 at end of stream or when nothing is there, -1 with err on an error. */
static gssize read_ready(DlAgent *a, int wait_ms, GError **err)
{
    struct pollfd p = {.fd = a->fd, .events = POLLIN};
    int r = poll(&p, 1, wait_ms);
    if (r < 0 && errno != EINTR) {
        dl_set_error_errno(err, errno, "poll on agent socket");
        return -1;
    }
    if (r <= 0)
        return 0;
    char chunk[1024];
    ssize_t n = read(a->fd, chunk, sizeof(chunk));
    if (n > 0)
        g_string_append_len(a->buf, chunk, n);
    else if (n < 0 && errno != EINTR && errno != EAGAIN) {
        dl_set_error_errno(err, errno, "reading agent socket");
        return -1;
    }
    if (n == 0)
        a->eof = true;
    return n > 0 ? n : 0;
}

char *dl_agent_read_line(DlAgent *a, gint64 deadline, DlAgentIdle idle, void *opaque, GError **err)
{
    for (;;) {
        char *line = take_line(a);
        if (line) {
            log_line(a, "<", line);
            return line;
        }
        if (a->buf->len > MAX_LINE) {
            /* A guest that never ends its line must not grow us without bound. */
            g_string_truncate(a->buf, 0);
            log_line(a, "!", "overlong line dropped");
        }
        if (a->eof) {
            g_set_error(err, DL_ERROR, DL_ERROR_STOPPED, "agent channel closed");
            return NULL;
        }
        gint64 now = g_get_monotonic_time();
        if (now >= deadline) {
            g_set_error(err, DL_ERROR, DL_ERROR_TIMEOUT, "no message from the agent in time");
            return NULL;
        }
        int wait_ms = (int)MIN((deadline - now) / 1000 + 1, IDLE_MS);
        gssize n = read_ready(a, wait_ms, err);
        if (n < 0)
            return NULL;
        if (n > 0)
            continue; /* lines first: they may be the guest's last words */
        GError *ierr = NULL;
        if (!call_idle(idle, opaque, &ierr)) {
            /* The guest may have said DONE and powered off at once: what it
             * wrote before it stopped is still in the socket. Read it all
             * before believing the idle check (this race made a capture that
             * had finished end as "the guest stopped"). */
            while (!a->eof && read_ready(a, 0, NULL) > 0)
                ;
            line = take_line(a);
            if (line) {
                g_error_free(ierr);
                log_line(a, "<", line);
                return line;
            }
            g_propagate_error(err, ierr);
            return NULL;
        }
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *dl_pct_decode(const char *s)
{
    GString *out = g_string_new(NULL);
    for (const char *p = s; *p; p++) {
        int hi, lo;
        if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
            g_string_append_c(out, (char)(hi << 4 | lo));
            p += 2;
        } else {
            g_string_append_c(out, *p);
        }
    }
    return g_string_free(out, FALSE);
}

char *dl_pct_encode(const char *s)
{
    GString *out = g_string_new(NULL);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= ' ' || *p == '%' || *p >= 0x7f)
            g_string_append_printf(out, "%%%02X", *p);
        else
            g_string_append_c(out, (char)*p);
    }
    return g_string_free(out, FALSE);
}

DlMsg *dl_msg_parse(const char *line)
{
    DlMsg *m = g_new0(DlMsg, 1);
    m->kv = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *sp = strchr(line, ' ');
    m->verb = sp ? g_strndup(line, (gsize)(sp - line)) : g_strdup(line);
    m->rest = g_strdup(sp ? sp + 1 : "");
    g_auto(GStrv) words = g_strsplit(m->rest, " ", -1);
    for (char **w = words; *w; w++) {
        char *eq = strchr(*w, '=');
        if (!eq || eq == *w)
            continue;
        g_hash_table_replace(m->kv, g_strndup(*w, (gsize)(eq - *w)), dl_pct_decode(eq + 1));
    }
    return m;
}

const char *dl_msg_get(const DlMsg *m, const char *key)
{
    return g_hash_table_lookup(m->kv, key);
}

void dl_msg_free(DlMsg *m)
{
    if (!m)
        return;
    g_free(m->verb);
    g_free(m->rest);
    g_hash_table_destroy(m->kv);
    g_free(m);
}
