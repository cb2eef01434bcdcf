#define _GNU_SOURCE
/* posix_spawn in a process group of its own, pipes read in a poll loop
 * bounded by the deadline; on timeout or SIGINT/SIGTERM of the harness the
 * group gets SIGTERM, then SIGKILL: a build script's apt-get or a hung
 * makedumpfile dies with it. */
#include "dumplab/subproc.h"
#include "dumplab/error.h"
#include "dumplab/sigguard.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define KILL_GRACE_US (2 * G_USEC_PER_SEC)

void dl_subproc_result_clear(DlSubprocResult *res)
{
    g_clear_pointer(&res->out, g_free);
    g_clear_pointer(&res->err, g_free);
    res->exit_status = 0;
}

static void kill_group(pid_t pid)
{
    kill(-pid, SIGTERM);
    gint64 until = g_get_monotonic_time() + KILL_GRACE_US;
    while (g_get_monotonic_time() < until) {
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            kill(-pid, SIGKILL); /* stragglers of the group */
            return;
        }
        g_usleep(50 * 1000);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* The last non-empty line of text, for error messages. */
static char *last_line(const char *text)
{
    g_autofree char *t = g_strstrip(g_strdup(text ? text : ""));
    const char *nl = strrchr(t, '\n');
    return g_strdup(nl ? nl + 1 : t);
}

bool dl_subproc_run(const DlSubproc *p, DlSubprocResult *res, GError **err)
{
    memset(res, 0, sizeof(*res));
    const char *what = p->what ? p->what : p->argv[0];
    if (p->timeout_s <= 0) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "%s: no deadline given", what);
        return false;
    }
    int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, in_fd = -1, out_fd = -1;
    bool ok = false;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    GString *out = g_string_new(NULL), *errs = g_string_new(NULL);

    in_fd = open(p->stdin_path ? p->stdin_path : "/dev/null", O_RDONLY | O_CLOEXEC);
    if (in_fd < 0) {
        dl_set_error_errno(err, errno, "%s: stdin %s", what, p->stdin_path);
        goto out;
    }
    if (p->stdout_path) {
        out_fd = open(p->stdout_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (out_fd < 0) {
            dl_set_error_errno(err, errno, "%s: output %s", what, p->stdout_path);
            goto out;
        }
    } else if (pipe2(out_pipe, O_CLOEXEC) < 0) {
        dl_set_error_errno(err, errno, "%s: pipe", what);
        goto out;
    }
    if (!p->merge_stderr && pipe2(err_pipe, O_CLOEXEC) < 0) {
        dl_set_error_errno(err, errno, "%s: pipe", what);
        goto out;
    }
    posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
    posix_spawn_file_actions_adddup2(&fa, out_fd >= 0 ? out_fd : out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, p->merge_stderr ? 1 : err_pipe[1], 2);
    if (p->cwd)
        posix_spawn_file_actions_addchdir_np(&fa, p->cwd);
    /* Its own process group, so a deadline kills its children too; signal
     * dispositions back to default (the harness ignores SIGPIPE). */
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGTERM);
    sigaddset(&dfl, SIGHUP);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &dfl);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int rc = posix_spawnp(&pid, p->argv[0], &fa, &attr, (char *const *)p->argv, environ);
    if (rc != 0) {
        dl_set_error_errno(err, rc, "running %s", what);
        goto out;
    }
    /* Close our copies of the child's ends, so EOF means the child (and
     * everything it started) closed them. */
    if (out_pipe[1] >= 0)
        close(out_pipe[1]), out_pipe[1] = -1;
    if (err_pipe[1] >= 0)
        close(err_pipe[1]), err_pipe[1] = -1;

    gint64 t0 = g_get_monotonic_time();
    gint64 deadline = t0 + (gint64)p->timeout_s * G_USEC_PER_SEC;
    int every = p->progress_every_s > 0 ? p->progress_every_s : 10;
    gint64 next_note = t0 + (gint64)every * G_USEC_PER_SEC;
    int status = 0;
    bool exited = false;
    for (;;) {
        struct pollfd fds[2];
        int nfds = 0;
        if (out_pipe[0] >= 0)
            fds[nfds++] = (struct pollfd){.fd = out_pipe[0], .events = POLLIN};
        if (err_pipe[0] >= 0)
            fds[nfds++] = (struct pollfd){.fd = err_pipe[0], .events = POLLIN};
        if (nfds == 0 && !exited) {
            if (waitpid(pid, &status, WNOHANG) == pid)
                exited = true;
        }
        if (nfds == 0 && exited)
            break;
        gint64 now = g_get_monotonic_time();
        if (now >= deadline) {
            kill_group(pid);
            g_set_error(err, DL_ERROR, DL_ERROR_TIMEOUT, "%s did not finish in %d s; killed it",
                        what, p->timeout_s);
            goto out;
        }
        if (dl_sigguard_caught()) {
            kill_group(pid);
            g_set_error(err, DL_ERROR, DL_ERROR_INTERRUPTED, "%s: interrupted", what);
            goto out;
        }
        if (now >= next_note) {
            if (p->progress)
                p->progress(p->progress_data, what, (int)((now - t0) / G_USEC_PER_SEC));
            next_note += (gint64)every * G_USEC_PER_SEC;
        }
        if (nfds == 0) {
            /* Its output is closed; it exits in a moment. */
            g_usleep(5 * 1000);
            continue;
        }
        int n = poll(fds, nfds, 200);
        if (n < 0 && errno != EINTR) {
            kill_group(pid);
            dl_set_error_errno(err, errno, "%s: poll", what);
            goto out;
        }
        for (int i = 0; i < nfds && n > 0; i++) {
            if (!fds[i].revents)
                continue;
            char buf[8192];
            ssize_t r = read(fds[i].fd, buf, sizeof(buf));
            if (r < 0 && errno == EINTR)
                continue;
            int *end = fds[i].fd == out_pipe[0] ? &out_pipe[0] : &err_pipe[0];
            if (r <= 0) {
                close(*end);
                *end = -1;
                continue;
            }
            g_string_append_len(*end == out_pipe[0] ? out : errs, buf, r);
        }
    }
    if (WIFEXITED(status))
        res->exit_status = WEXITSTATUS(status);
    else
        res->exit_status = 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    if (WIFSIGNALED(status)) {
        g_autofree char *l = last_line(errs->len ? errs->str : out->str);
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "%s was killed by signal %d%s%s", what,
                    WTERMSIG(status), *l ? ": " : "", l);
    } else if (res->exit_status != 0) {
        g_autofree char *l = last_line(errs->len ? errs->str : out->str);
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "%s exited %d%s%s", what, res->exit_status,
                    *l ? ": " : "", *l ? l : "");
    } else
        ok = true;
out:
    for (int i = 0; i < 2; i++) {
        if (out_pipe[i] >= 0)
            close(out_pipe[i]);
        if (err_pipe[i] >= 0)
            close(err_pipe[i]);
    }
    if (in_fd >= 0)
        close(in_fd);
    if (out_fd >= 0)
        close(out_fd);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    res->out = g_string_free(out, FALSE);
    res->err = g_string_free(errs, FALSE);
    return ok;
}
