/* Many runs at once on one or more hosts (sched.h): admission by the
 * guests' sizes, worker processes, and one progress line per run. */
#include "dumplab/sched.h"
#include "dumplab/error.h"
#include "dumplab/sigguard.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define REDRAW_US (250 * 1000)
#define MAX_LINE 4096

static guint64 need_mem(const DlSchedNeed *n)
{
    return (guint64)n->memory_mib + DL_SCHED_QEMU_OVERHEAD_MIB;
}

int dl_sched_pick(DlSchedHost *hosts, guint nhosts, const DlSchedNeed *need)
{
    int best = -1;
    double best_load = 0;
    for (guint i = 0; i < nhosts; i++) {
        const DlSchedHost *h = &hosts[i];
        if (h->run_count >= h->slots)
            continue;
        bool fits = h->run_vcpus + need->vcpus <= h->cores * DL_SCHED_VCPUS_PER_CORE &&
                    h->run_mem_mib + need_mem(need) <= h->mem_mib;
        /* Alone on an idle host, a run always starts: nothing would ever
         * make more room for it. */
        if (!fits && h->run_count > 0)
            continue;
        double load = (double)h->run_vcpus / (h->cores ? h->cores : 1);
        if (best < 0 || load < best_load) {
            best = (int)i;
            best_load = load;
        }
    }
    return best;
}

void dl_sched_book(DlSchedHost *h, const DlSchedNeed *need, int sign)
{
    if (sign > 0) {
        h->run_count++;
        h->run_vcpus += need->vcpus;
        h->run_mem_mib += need_mem(need);
    } else {
        h->run_count--;
        h->run_vcpus -= need->vcpus;
        h->run_mem_mib -= need_mem(need);
    }
}

bool dl_sched_local_host(DlSchedHost *h, unsigned slots, GError **err)
{
    memset(h, 0, sizeof(*h));
    g_autofree char *mi = NULL;
    if (!g_file_get_contents("/proc/meminfo", &mi, NULL, err)) {
        g_prefix_error(err, "reading the host's free memory: ");
        return false;
    }
    const char *p = strstr(mi, "MemAvailable:");
    if (!p) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "/proc/meminfo has no MemAvailable line");
        return false;
    }
    guint64 kib = g_ascii_strtoull(p + strlen("MemAvailable:"), NULL, 10);
    guint64 mib = kib >> 10;
    h->mem_mib = mib > DL_SCHED_HOST_RESERVE_MIB ? mib - DL_SCHED_HOST_RESERVE_MIB : 0;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    h->cores = n > 0 ? (unsigned)n : 1;
    h->slots = slots ? slots : 1;
    h->label = g_strdup("local");
    return true;
}

void dl_sched_host_clear(DlSchedHost *h)
{
    g_clear_pointer(&h->uri, g_free);
    g_clear_pointer(&h->label, g_free);
}

void dl_sched_job_free(DlSchedJob *j)
{
    if (!j)
        return;
    g_free(j->name);
    g_strfreev(j->argv);
    g_free(j->workdir);
    g_free(j->last);
    g_free(j);
}

/* A worker's output: its two pipes, each with a partial line. */
typedef struct {
    int fd[2];
    GString *buf[2];
} Pipes;

typedef struct {
    GPtrArray *jobs;
    DlSchedHost *hosts;
    guint nhosts;
    FILE *out;
    bool tty;
    int drawn; /* lines of the board on screen */
    gint64 last_draw;
    Pipes *pipes; /* one per job */
} Sched;

static const char *job_label(const Sched *s, const DlSchedJob *j)
{
    return j->host >= 0 && s->nhosts > 1 ? s->hosts[j->host].label : NULL;
}

static int term_width(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 120;
}

/* The board: one line per run, rewritten in place. */
static void draw(Sched *s, bool force)
{
    if (!s->tty)
        return;
    gint64 now = g_get_monotonic_time();
    if (!force && now - s->last_draw < REDRAW_US)
        return;
    s->last_draw = now;
    int w = term_width(s->out);
    if (s->drawn)
        fprintf(s->out, "\033[%dA", s->drawn);
    int lines = 0;
    for (guint i = 0; i < s->jobs->len; i++) {
        const DlSchedJob *j = g_ptr_array_index(s->jobs, i);
        const char *label = job_label(s, j);
        g_autofree char *line = g_strdup_printf(
            "%-28s %-7s %5.0f s  %s", j->name,
            !j->started   ? "waiting"
            : j->finished ? "done"
            : label       ? label
                          : "running",
            j->started ? (j->finished ? j->ms : (now - j->t0_us) / 1000) / 1000.0 : 0.0,
            j->last ? j->last : "");
        if ((int)strlen(line) > w - 1)
            line[w - 1] = '\0';
        fprintf(s->out, "\033[2K%s\n", line);
        lines++;
    }
    s->drawn = lines;
    fflush(s->out);
}

static void on_line(Sched *s, DlSchedJob *j, const char *line)
{
    if (!j->first_line) {
        j->first_line = true;
        j->spawn_ms = (g_get_monotonic_time() - j->t0_us) / 1000;
    }
    if (g_str_has_prefix(line, DL_SCHED_WORKDIR_TAG)) {
        g_free(j->workdir);
        j->workdir = g_strdup(line + strlen(DL_SCHED_WORKDIR_TAG));
        return;
    }
    /* "[name] phase text": the board shows the text. */
    const char *text = line;
    g_autofree char *prefix = g_strdup_printf("[%s] ", j->name);
    if (g_str_has_prefix(line, prefix))
        text = line + strlen(prefix);
    g_free(j->last);
    j->last = g_strdup(text);
    if (!s->tty) {
        const char *label = job_label(s, j);
        fprintf(s->out, "[%s%s%s] %s\n", j->name, label ? "@" : "", label ? label : "", text);
        fflush(s->out);
    }
}

static void read_pipe(Sched *s, guint i, int k, bool drain)
{
    Pipes *p = &s->pipes[i];
    DlSchedJob *j = g_ptr_array_index(s->jobs, i);
    char buf[4096];
    for (;;) {
        ssize_t n = read(p->fd[k], buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0 || errno != EAGAIN) {
                close(p->fd[k]);
                p->fd[k] = -1;
            }
            break;
        }
        g_string_append_len(p->buf[k], buf, n);
        char *nl;
        while ((nl = memchr(p->buf[k]->str, '\n', p->buf[k]->len))) {
            *nl = '\0';
            on_line(s, j, p->buf[k]->str);
            g_string_erase(p->buf[k], 0, nl - p->buf[k]->str + 1);
        }
        /* A line longer than any the harness prints: cut it. */
        if (p->buf[k]->len > MAX_LINE) {
            on_line(s, j, p->buf[k]->str);
            g_string_truncate(p->buf[k], 0);
        }
        if (!drain)
            break;
    }
}

static bool start_job(Sched *s, guint i, int host, GError **err)
{
    DlSchedJob *j = g_ptr_array_index(s->jobs, i);
    DlSchedHost *h = &s->hosts[host];
    g_auto(GStrv) env = g_get_environ();
    if (h->uri)
        env = g_environ_setenv(env, "DUMPLAB_LIBVIRT_URI", h->uri, TRUE);
    if (h->remote)
        env = g_environ_setenv(env, "DUMPLAB_REMOTE", "1", TRUE);
    GPid pid;
    int out = -1, errfd = -1;
    j->t0_us = g_get_monotonic_time();
    if (!g_spawn_async_with_pipes(NULL, j->argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                  NULL, &out, &errfd, err)) {
        g_prefix_error(err, "starting the worker for %s: ", j->name);
        return false;
    }
    fcntl(out, F_SETFL, O_NONBLOCK);
    fcntl(errfd, F_SETFL, O_NONBLOCK);
    s->pipes[i].fd[0] = out;
    s->pipes[i].fd[1] = errfd;
    j->pid = pid;
    j->host = host;
    j->started = true;
    dl_sched_book(h, &j->need, +1);
    return true;
}

static void reap(Sched *s, guint i)
{
    DlSchedJob *j = g_ptr_array_index(s->jobs, i);
    int st = 0;
    pid_t r = waitpid(j->pid, &st, WNOHANG);
    if (r != j->pid)
        return;
    for (int k = 0; k < 2; k++)
        if (s->pipes[i].fd[k] >= 0) {
            read_pipe(s, i, k, true);
            if (s->pipes[i].fd[k] >= 0)
                close(s->pipes[i].fd[k]);
            s->pipes[i].fd[k] = -1;
            if (s->pipes[i].buf[k]->len)
                on_line(s, j, s->pipes[i].buf[k]->str);
        }
    j->status = st;
    j->finished = true;
    j->ms = (g_get_monotonic_time() - j->t0_us) / 1000;
    DlSchedHost *h = &s->hosts[j->host];
    dl_sched_book(h, &j->need, -1);
    h->done++;
    h->busy_ms += j->ms;
}

bool dl_sched_run(GPtrArray *jobs, DlSchedHost *hosts, guint nhosts, FILE *out, GError **err)
{
    Sched s = {
        .jobs = jobs, .hosts = hosts, .nhosts = nhosts, .out = out, .tty = isatty(fileno(out))};
    s.pipes = g_new0(Pipes, jobs->len);
    for (guint i = 0; i < jobs->len; i++) {
        s.pipes[i].fd[0] = s.pipes[i].fd[1] = -1;
        s.pipes[i].buf[0] = g_string_new(NULL);
        s.pipes[i].buf[1] = g_string_new(NULL);
        ((DlSchedJob *)g_ptr_array_index(jobs, i))->host = -1;
    }
    guint next = 0, running = 0;
    bool ok = true, forwarded = false;
    while (next < jobs->len || running > 0) {
        int sig = dl_sigguard_caught();
        /* In order: a large run is not overtaken forever by small ones. */
        while (!sig && ok && next < jobs->len) {
            DlSchedJob *j = g_ptr_array_index(jobs, next);
            int h = dl_sched_pick(hosts, nhosts, &j->need);
            if (h < 0)
                break;
            if (!start_job(&s, next, h, err)) {
                ok = false;
                break;
            }
            next++;
            running++;
            draw(&s, true);
        }
        if (sig && !forwarded) {
            forwarded = true;
            for (guint i = 0; i < jobs->len; i++) {
                DlSchedJob *j = g_ptr_array_index(jobs, i);
                if (j->started && !j->finished)
                    kill(j->pid, sig);
            }
        }
        if ((sig || !ok) && running == 0)
            break;
        struct pollfd pfd[2 * jobs->len + 1];
        guint owner[2 * jobs->len + 1];
        int kind[2 * jobs->len + 1];
        nfds_t n = 0;
        for (guint i = 0; i < jobs->len; i++)
            for (int k = 0; k < 2; k++)
                if (s.pipes[i].fd[k] >= 0) {
                    pfd[n] = (struct pollfd){.fd = s.pipes[i].fd[k], .events = POLLIN};
                    owner[n] = i;
                    kind[n++] = k;
                }
        if (poll(pfd, n, 200) > 0)
            for (nfds_t f = 0; f < n; f++)
                if (pfd[f].revents)
                    read_pipe(&s, owner[f], kind[f], false);
        for (guint i = 0; i < jobs->len; i++) {
            DlSchedJob *j = g_ptr_array_index(jobs, i);
            if (j->started && !j->finished) {
                reap(&s, i);
                if (j->finished)
                    running--;
            }
        }
        draw(&s, false);
    }
    draw(&s, true);
    for (guint i = 0; i < jobs->len; i++) {
        for (int k = 0; k < 2; k++) {
            if (s.pipes[i].fd[k] >= 0)
                close(s.pipes[i].fd[k]);
            g_string_free(s.pipes[i].buf[k], TRUE);
        }
    }
    g_free(s.pipes);
    return ok;
}
