/* A running guest: domain + agent channel + console, watched together. */
#include "dumplab/guest.h"
#include "dumplab/error.h"
#include "dumplab/remote.h"
#include "dumplab/sigguard.h"

#include <string.h>

#define STATE_CHECK_US (1000 * 1000)

DlGuest *dl_guest_start(virConnectPtr conn, const DlGuestSpec *spec, const char *agent_log,
                        int connect_timeout_s, GError **err)
{
    DlGuest *g = g_new0(DlGuest, 1);
    g->console = dl_console_new(spec->console_log);
    g->agent_log = g_strdup(agent_log);
    g->iomem = g_ptr_array_new_with_free_func((GDestroyNotify)dl_msg_free);
    g->manifest = g_ptr_array_new_with_free_func(g_free);
    /* A host reached through --connect gets the files as volumes. */
    g->dom = dl_remote_enabled() ? dl_remote_start(conn, spec, err) : dl_virt_start(conn, spec, err);
    if (!g->dom) {
        dl_guest_free(g);
        return NULL;
    }
    gint64 deadline = g_get_monotonic_time() + (gint64)connect_timeout_s * G_USEC_PER_SEC;
    g->agent = dl_agent_connect(spec->agent_sock, agent_log, deadline, dl_guest_idle, g, err);
    if (!g->agent) {
        dl_guest_free(g);
        return NULL;
    }
    return g;
}

void dl_guest_free(DlGuest *g)
{
    if (!g)
        return;
    dl_agent_close(g->agent);
    dl_virt_destroy(g->dom);
    if (dl_remote_enabled())
        dl_remote_guest_end();
    dl_console_free(g->console);
    g_ptr_array_free(g->iomem, TRUE);
    g_ptr_array_free(g->manifest, TRUE);
    g_free(g->agent_log);
    g_free(g->bye);
    g_free(g);
}

bool dl_guest_idle(void *opaque, GError **err)
{
    DlGuest *g = opaque;
    int sig = dl_sigguard_caught();
    if (sig) {
        g_set_error(err, DL_ERROR, DL_ERROR_INTERRUPTED, "interrupted by signal %d", sig);
        return false;
    }
    dl_console_poll(g->console);
    gint64 now = g_get_monotonic_time();
    if (!g->expect_stop && g->dom && now - g->last_state_check >= STATE_CHECK_US) {
        g->last_state_check = now;
        if (dl_virt_is_crashed(g->dom)) {
            g->crashed = true;
            dl_console_poll(g->console);
            g_set_error(err, DL_ERROR, DL_ERROR_STOPPED,
                        "the guest's kernel panicked with no crash kernel to take over "
                        "(pvpanic; libvirt keeps the crashed domain)");
            return false;
        }
        if (!dl_virt_is_active(g->dom)) {
            dl_console_poll(g->console);
            g_set_error(err, DL_ERROR, DL_ERROR_STOPPED, "the guest stopped (domain shut off)");
            return false;
        }
    }
    return true;
}

static bool verb_in(const char *verb, const char *const *verbs)
{
    for (; *verbs; verbs++)
        if (!strcmp(verb, *verbs))
            return true;
    return false;
}

DlMsg *dl_guest_expect(DlGuest *g, const char *const *verbs, int timeout_s, GError **err)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
    for (;;) {
        g_autofree char *line = dl_agent_read_line(g->agent, deadline, dl_guest_idle, g, err);
        if (!line) {
            /* A guest that stops says why (BYE) or we say it did not. */
            if (err && g_error_matches(*err, DL_ERROR, DL_ERROR_STOPPED))
                g_prefix_error(err, "%s%s%s: ", g->bye ? "the agent powered off (" : "",
                               g->bye ? g->bye : "no word from the agent before it stopped",
                               g->bye ? ")" : "");
            return NULL;
        }
        DlMsg *m = dl_msg_parse(line);
        if (verb_in(m->verb, verbs))
            return m;
        if (!strcmp(m->verb, "FAIL")) {
            const char *phase = dl_msg_get(m, "phase");
            const char *reason = dl_msg_get(m, "reason");
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "agent reports failure in %s: %s",
                        phase ? phase : "?", reason ? reason : "no reason given");
            dl_msg_free(m);
            return NULL;
        }
        if (!strcmp(m->verb, "IOMEM")) {
            g_ptr_array_add(g->iomem, m);
            continue;
        }
        if (!strcmp(m->verb, "BYE")) {
            g_free(g->bye);
            g->bye = g_strdup(dl_msg_get(m, "reason") ? dl_msg_get(m, "reason") : "no reason");
        } else if (!strcmp(m->verb, "MANIFEST"))
            g_ptr_array_add(g->manifest, g_strdup(m->rest));
        else if (!strcmp(m->verb, "PROGRESS") && dl_msg_get(m, "bytes")) {
            g->progress = g_ascii_strtoull(dl_msg_get(m, "bytes"), NULL, 0);
            if (g->on_progress)
                g->on_progress(g->on_progress_data, g->progress);
        }
        /* Anything else is logged (agent.log) and otherwise ignored, so the
         * agent can grow new messages. */
        dl_msg_free(m);
    }
}

bool dl_guest_wait_stopped(DlGuest *g, int timeout_s, GError **err)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
    g->expect_stop = true;
    while (dl_virt_is_active(g->dom)) {
        if (g_get_monotonic_time() >= deadline) {
            g_set_error(err, DL_ERROR, DL_ERROR_TIMEOUT, "the guest did not power off in %d s",
                        timeout_s);
            return false;
        }
        if (!dl_guest_idle(g, err))
            return false;
        g_usleep(200 * 1000);
    }
    dl_console_poll(g->console);
    return true;
}
