/* Host tools the kdump targets use (mkfs, debugfs, ssh-keygen,
 * makedumpfile -R), each through dl_subproc_run with a deadline. */
#include "dumplab/error.h"
#include "kdump_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

bool dl_kdump_tool(const char *const *argv, const char *stdin_path, const char *stdout_path,
                   char **out, GError **err)
{
    DlSubproc p = {
        .argv = argv,
        .stdin_path = stdin_path,
        .stdout_path = stdout_path,
        .timeout_s = 300,
    };
    g_auto(DlSubprocResult) res = {0};
    if (!dl_subproc_run(&p, &res, err))
        return false;
    if (out)
        *out = g_steal_pointer(&res.out);
    return true;
}

bool dl_kdump_unflatten(const char *flat, const char *vmcore, GError **err)
{
    /* makedumpfile -R DUMPFILE < stream: it stops at the stream's end
     * marker, so the zeros after it on a raw device do not matter. */
    const char *argv[] = {"makedumpfile", "-R", vmcore, NULL};
    unlink(vmcore);
    if (!dl_kdump_tool(argv, flat, NULL, NULL, err)) {
        g_prefix_error(err, "makedumpfile -R < %s: ", flat);
        return false;
    }
    chmod(vmcore, 0600);
    return true;
}

bool dl_kdump_host_dmesg(const char *vmcore, const char *dmesg, GError **err)
{
    const char *argv[] = {"makedumpfile", "--dump-dmesg", vmcore, dmesg, NULL};
    unlink(dmesg);
    return dl_kdump_tool(argv, NULL, NULL, NULL, err);
}

bool dl_kdump_folder_name_ok(const char *leaf)
{
    /* <address>-YYYY-MM-DD-HH:MM:SS */
    size_t n = strlen(leaf);
    if (n < 21)
        return false;
    const char *d = leaf + n - 19;
    if (d[-1] != '-')
        return false;
    for (int i = 0; i < 19; i++) {
        char want = (i == 4 || i == 7 || i == 10) ? '-' : (i == 13 || i == 16) ? ':' : '0';
        if (want == '0' ? !g_ascii_isdigit(d[i]) : d[i] != want)
            return false;
    }
    for (const char *p = leaf; p < d - 1; p++)
        if (!g_ascii_isdigit(*p) && *p != '.' && *p != ':')
            return false;
    return true;
}

int dl_kdump_free_port(GError **err)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) < 0) {
        dl_set_error_errno(err, errno, "finding a free loopback port");
        if (s >= 0)
            close(s);
        return -1;
    }
    close(s);
    return ntohs(a.sin_port);
}

bool dl_kdump_port_open(int port)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
    if (s >= 0)
        close(s);
    return ok;
}

