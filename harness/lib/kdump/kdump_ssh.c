/* The ssh target: the host's OpenSSH server on a loopback port, with a
 * per-run host key and only a per-run client key allowed, which becomes
 * kdump.conf's sshkey in the crash initramfs. The key is bound (command=)
 * to kdump-ssh-sink, which runs the few commands kdump's dump_ssh sends
 * (mkdir -p, dd of=, mv) with every path re-rooted under the run's folder:
 * a guest cannot write anywhere else on the host. */
#include "dumplab/error.h"
#include "kdump_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* build/bin/kdump-ssh-sink, beside the running dumplab (build/dumplab). */
static char *sink_path(void)
{
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = self ? g_path_get_dirname(self) : g_strdup(".");
    char *p = g_build_filename(dir, "bin", "kdump-ssh-sink", NULL);
    if (!g_file_test(p, G_FILE_TEST_IS_EXECUTABLE)) {
        g_free(p);
        p = g_build_filename(dir, "kdump-ssh-sink", NULL);
    }
    return p;
}

static bool keygen(const char *path, GError **err)
{
    const char *argv[] = {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dumplab-kdump",
                          "-f", path, NULL};
    return dl_kdump_tool(argv, NULL, NULL, NULL, err);
}

bool dl_kdump_ssh_start(DlKdumpRun *k, GError **err)
{
    const DlKdumpConf *c = k->conf;
    k->ssh_host = g_strdup(strchr(c->ssh, '@') + 1);
    k->ssh_dir = g_build_filename(k->workdir, "kdump-ssh", NULL);
    k->sink_root = g_build_filename(k->workdir, "kdump-ssh-root", NULL);
    if (g_mkdir_with_parents(k->ssh_dir, 0700) < 0 || g_mkdir_with_parents(k->sink_root, 0700) < 0) {
        dl_set_error_errno(err, errno, "making %s", k->ssh_dir);
        return false;
    }
    g_autofree char *hostkey = g_build_filename(k->ssh_dir, "host_ed25519", NULL);
    k->client_key = g_build_filename(k->ssh_dir, "client_ed25519", NULL);
    if (!keygen(hostkey, err) || !keygen(k->client_key, err)) {
        g_prefix_error(err, "ssh target: ");
        return false;
    }
    k->ssh_port = dl_kdump_free_port(err);
    if (k->ssh_port < 0)
        return false;
    g_autofree char *sink = sink_path();
    if (!g_file_test(sink, G_FILE_TEST_IS_EXECUTABLE)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "ssh target: %s is not built (make)", sink);
        return false;
    }
    g_autofree char *hostpub_path = g_strdup_printf("%s.pub", hostkey);
    g_autofree char *clientpub_path = g_strdup_printf("%s.pub", k->client_key);
    g_autofree char *hostpub = NULL, *clientpub = NULL;
    if (!g_file_get_contents(hostpub_path, &hostpub, NULL, err) ||
        !g_file_get_contents(clientpub_path, &clientpub, NULL, err))
        return false;
    g_strstrip(hostpub);
    g_strstrip(clientpub);
    /* Only this run's client key, only through the sink. */
    g_autofree char *auth = g_build_filename(k->ssh_dir, "authorized_keys", NULL);
    g_autofree char *auth_text =
        g_strdup_printf("command=\"%s %s\",no-pty,no-port-forwarding,no-agent-forwarding,"
                        "no-X11-forwarding %s\n",
                        sink, k->sink_root, clientpub);
    k->known_hosts = g_strdup_printf("[%s]:%d %s\n", k->ssh_host, k->ssh_port, hostpub);
    g_autofree char *cfg = g_build_filename(k->ssh_dir, "sshd_config", NULL);
    g_autofree char *cfg_text = g_strdup_printf(
        "ListenAddress 127.0.0.1:%d\nHostKey %s\nAuthorizedKeysFile %s\nPidFile none\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
        "PermitRootLogin forced-commands-only\nAllowUsers root\nUsePAM no\nStrictModes no\n"
        "PrintMotd no\nLogLevel VERBOSE\nMaxStartups 4\n",
        k->ssh_port, hostkey, auth);
    if (!g_file_set_contents(auth, auth_text, -1, err) ||
        !g_file_set_contents(cfg, cfg_text, -1, err))
        return false;
    /* The per-run client key is kdump.conf's sshkey in the guest; the
     * guest resolves the name kdump.conf gives to the host's loopback. */
    g_string_append_printf(k->hosts, "10.0.2.2 %s\n", k->ssh_host);
    g_string_append_printf(k->plan, "net=1\nssh=root@%s\nssh_port=%d\n", k->ssh_host,
                           k->ssh_port);
    if (g_strcmp0(k->fault, "down") == 0)
        return true; /* nothing listens: the guest's connection is refused */
    mkdir("/run/sshd", 0755); /* sshd's privilege-separation folder */
    g_autofree char *log = g_build_filename(k->ssh_dir, "sshd.log", NULL);
    const char *sshd = g_file_test("/usr/sbin/sshd", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/sbin/sshd"
                                                                                 : "sshd";
    const char *argv[] = {sshd, "-D", "-e", "-f", cfg, "-E", log, NULL};
    if (!g_spawn_async(NULL, (char **)argv, NULL,
                       G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH |
                           G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, &k->sshd, err)) {
        g_prefix_error(err, "ssh target: starting sshd (package openssh-server): ");
        return false;
    }
    for (int i = 0; i < 100; i++) {
        if (dl_kdump_port_open(k->ssh_port))
            return true;
        int st;
        if (waitpid(k->sshd, &st, WNOHANG) == k->sshd) {
            k->sshd = 0;
            g_autofree char *why = NULL;
            g_file_get_contents(log, &why, NULL, NULL);
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "ssh target: sshd exited at once: %s",
                        why ? g_strstrip(why) : "(no log)");
            return false;
        }
        g_usleep(50 * 1000);
    }
    g_set_error(err, DL_ERROR, DL_ERROR_TIMEOUT, "ssh target: sshd does not listen on port %d",
                k->ssh_port);
    return false;
}

void dl_kdump_ssh_stop(DlKdumpRun *k)
{
    dl_kdump_server_stop(&k->sshd, 1000);
}

void dl_kdump_server_stop(GPid *pid, int ms_grace)
{
    if (*pid <= 0)
        return;
    kill(*pid, SIGTERM);
    int st;
    for (int i = 0; i < ms_grace / 20 && waitpid(*pid, &st, WNOHANG) == 0; i++)
        g_usleep(20 * 1000);
    if (waitpid(*pid, &st, WNOHANG) == 0) {
        kill(*pid, SIGKILL);
        waitpid(*pid, &st, 0);
    }
    g_spawn_close_pid(*pid);
    *pid = 0;
}

bool dl_kdump_ssh_fetch(DlKdumpRun *k, const char *folder, const char *vmcore, const char *dmesg,
                        DlKdumpResult *res, GError **err)
{
    g_autofree char *leaf = g_path_get_basename(folder);
    if (!dl_kdump_folder_name_ok(leaf)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "the crash kernel named the folder %s, not <address>-<date>", folder);
        return false;
    }
    g_autofree char *dir = g_build_filename(k->sink_root, folder, NULL);
    g_autofree char *flat = g_build_filename(dir, "vmcore.flat", NULL);
    g_autofree char *inc = g_build_filename(dir, "vmcore-incomplete", NULL);
    if (g_file_test(inc, G_FILE_TEST_EXISTS)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "%s holds vmcore-incomplete: the stream did not finish", dir);
        return false;
    }
    if (!dl_kdump_unflatten(flat, vmcore, err))
        return false;
    g_autofree char *dm = g_build_filename(dir, "vmcore-dmesg.txt", NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    if (g_file_get_contents(dm, &text, &len, NULL) &&
        g_file_set_contents_full(dmesg, text, len, G_FILE_SET_CONTENTS_NONE, 0600, NULL))
        res->dmesg = g_strdup(dmesg);
    res->source = g_strdup_printf("ssh %s:%s/vmcore.flat (sshd on 127.0.0.1:%d, as root@%s)",
                                  k->conf->ssh, folder, k->ssh_port, k->ssh_host);
    return true;
}
