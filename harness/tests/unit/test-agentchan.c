/* The host end of the agent channel. The case that matters: the guest writes
 * its last lines (DONE) and powers off at once, so by the time the harness
 * looks, the domain is gone but the lines are in the socket. They must be
 * read, not lost to "the guest stopped" (the mce-4cpu capture flake). */
#include "dumplab/agentchan.h"
#include "dumplab/error.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static bool guest_gone;
static int idle_calls;

/* Like dl_guest_idle once the domain has shut off. */
static bool idle(void *opaque, GError **err)
{
    idle_calls++;
    if (!guest_gone)
        return true;
    g_set_error(err, DL_ERROR, DL_ERROR_STOPPED, "the guest stopped (domain shut off)");
    return false;
}

int main(void)
{
    g_autofree char *dir = g_dir_make_tmp("agentchan-XXXXXX", NULL);
    g_autofree char *sock = g_build_filename(dir, "agent.sock", NULL);
    g_autofree char *log = g_build_filename(dir, "agent.log", NULL);
    int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    g_strlcpy(sa.sun_path, sock, sizeof(sa.sun_path));
    if (!tap_ok(l >= 0 && bind(l, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(l, 1) == 0,
                "a listening socket stands in for QEMU's"))
        return tap_done();
    GError *err = NULL;
    gint64 soon = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    DlAgent *a = dl_agent_connect(sock, log, soon, idle, NULL, &err);
    int guest = accept(l, NULL, NULL);
    tap_ok(a && guest >= 0, "the harness connects");

    /* The guest's last words, then power off: socket closed, domain gone. */
    const char *last = "PROGRESS bytes=805306368\nDONE vmcore=859488256 dmesg=1 seconds=6\n";
    tap_ok(write(guest, last, strlen(last)) == (ssize_t)strlen(last), "the guest writes DONE");
    close(guest);
    guest_gone = true;

    soon = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    char *line = dl_agent_read_line(a, soon, idle, NULL, &err);
    tap_ok(line && g_str_has_prefix(line, "PROGRESS"), "its PROGRESS line is read (%s)",
           line ? line : err->message);
    g_free(line);
    g_clear_error(&err);
    line = dl_agent_read_line(a, soon, idle, NULL, &err);
    tap_ok(line && g_str_has_prefix(line, "DONE"),
           "and its DONE line, although the domain has stopped (%s)", line ? line : err->message);
    g_free(line);
    g_clear_error(&err);
    line = dl_agent_read_line(a, soon, idle, NULL, &err);
    tap_ok(!line && g_error_matches(err, DL_ERROR, DL_ERROR_STOPPED),
           "then the stop is reported (%s)", err ? err->message : line);
    g_free(line);
    g_clear_error(&err);

    g_autofree char *logged = NULL;
    dl_agent_close(a);
    tap_ok(g_file_get_contents(log, &logged, NULL, NULL) && strstr(logged, "DONE vmcore="),
           "agent.log has the DONE line");
    close(l);
    g_unlink(sock);
    g_unlink(log);
    g_rmdir(dir);
    return tap_done();
}
