/* The proof that the view is read-only (guestview.h): a child process
 * writes through it and must die of SIGSEGV, and the guest's bytes must be
 * what they were. A child, so that the fault ends nothing of ours. */
#include "dumplab/guestview.h"
#include "dumplab/error.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

bool dl_view_prove_readonly(const DlGuestView *v, uint64_t pa, char **how, GError **err)
{
    const uint8_t *p = dl_view_phys(v, pa, 1);
    if (!p) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "0x%" G_GINT64_MODIFIER "x is not in the view",
                    pa);
        return false;
    }
    uint8_t before = *p;
    pid_t pid = fork();
    if (pid < 0) {
        dl_set_error_errno(err, errno, "fork");
        return false;
    }
    if (pid == 0) {
        /* Default action, no core file: the fault is the expected outcome. */
        signal(SIGSEGV, SIG_DFL);
        struct sigaction sa = {.sa_handler = SIG_DFL};
        sigaction(SIGSEGV, &sa, NULL);
        *(volatile uint8_t *)p = (uint8_t)~before;
        _exit(0); /* the write went through */
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    bool segv = WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
    bool same = *p == before;
    if (!segv || !same) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "the view is not read-only: a write at 0x%" G_GINT64_MODIFIER
                    "x %s, and the guest's byte %s",
                    pa,
                    segv                ? "faulted"
                    : WIFEXITED(status) ? "went through"
                                        : "ended the writer otherwise",
                    same ? "is unchanged" : "changed");
        return false;
    }
    *how = g_strdup_printf("a write at guest-physical 0x%" G_GINT64_MODIFIER
                           "x through the view killed the writer with SIGSEGV; the byte "
                           "(0x%02x) is unchanged",
                           pa, before);
    return true;
}
