/* kdump-ssh-sink ROOT: the command the per-run sshd forces for kdump's
 * client key (lib/kdump/kdump_ssh.c). It runs only what kdump's dump_ssh
 * sends, read from SSH_ORIGINAL_COMMAND:
 *   mkdir -p DIR
 *   umask 0077 && dd bs=512 of=FILE     (the stream on stdin)
 *   mv FROM TO
 * with every absolute path taken under ROOT; ".." is refused. Anything
 * else exits 2 with a message, as a shell would for a command it lacks. */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *under(const char *root, const char *p)
{
    if (p[0] != '/' || strstr(p, "/..") || strlen(p) > 1024)
        return NULL;
    return g_build_filename(root, p, NULL);
}

static int refuse(const char *cmd)
{
    fprintf(stderr, "kdump-ssh-sink: refused: %s\n", cmd);
    return 2;
}

static int receive(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "dd: %s: %s\n", path, strerror(errno));
        return 1;
    }
    static char buf[1 << 20];
    for (;;) {
        ssize_t r = read(0, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, "dd: reading stdin: %s\n", strerror(errno));
            close(fd);
            return 1;
        }
        if (r == 0)
            break;
        for (ssize_t o = 0; o < r;) {
            ssize_t w = write(fd, buf + o, r - o);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                fprintf(stderr, "dd: writing %s: %s\n", path, strerror(errno));
                close(fd);
                return 1;
            }
            o += w;
        }
    }
    return close(fd) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *cmd = g_getenv("SSH_ORIGINAL_COMMAND");
    if (argc != 2 || !cmd) {
        fprintf(stderr, "usage: SSH_ORIGINAL_COMMAND=... kdump-ssh-sink ROOT\n");
        return 2;
    }
    g_auto(GStrv) w = NULL;
    if (!g_shell_parse_argv(cmd, NULL, &w, NULL))
        return refuse(cmd);
    int n = (int)g_strv_length(w);
    if (n == 3 && !strcmp(w[0], "mkdir") && !strcmp(w[1], "-p")) {
        g_autofree char *d = under(argv[1], w[2]);
        if (!d)
            return refuse(cmd);
        if (g_mkdir_with_parents(d, 0700) < 0) {
            fprintf(stderr, "mkdir: %s: %s\n", w[2], strerror(errno));
            return 1;
        }
        return 0;
    }
    if (n == 6 && !strcmp(w[0], "umask") && !strcmp(w[1], "0077") && !strcmp(w[2], "&&") &&
        !strcmp(w[3], "dd") && !strcmp(w[4], "bs=512") && g_str_has_prefix(w[5], "of=")) {
        g_autofree char *f = under(argv[1], w[5] + 3);
        return f ? receive(f) : refuse(cmd);
    }
    if (n == 3 && !strcmp(w[0], "mv")) {
        g_autofree char *a = under(argv[1], w[1]);
        g_autofree char *b = under(argv[1], w[2]);
        if (!a || !b)
            return refuse(cmd);
        if (rename(a, b) < 0) {
            fprintf(stderr, "mv: %s: %s\n", w[1], strerror(errno));
            return 1;
        }
        return 0;
    }
    return refuse(cmd);
}
