/* A running guest as the harness sees it: its libvirt domain, its agent
 * channel and its console, watched together. */
#ifndef DUMPLAB_GUEST_H
#define DUMPLAB_GUEST_H

#include "dumplab/agentchan.h"
#include "dumplab/console.h"
#include "dumplab/virt.h"

typedef struct {
    virDomainPtr dom;
    DlAgent *agent;
    DlConsole *console;
    char *agent_log;
    GPtrArray *iomem;    /* IOMEM messages (DlMsg *) from the first kernel */
    GPtrArray *manifest; /* MANIFEST lines (char *, the text after the verb) */
    guint64 progress;    /* last PROGRESS bytes=... of the capture */
    char *bye;           /* the agent's BYE reason=...: why it powered off */
    bool crashed;        /* pvpanic reported a panic (domain state crashed) */
    bool expect_stop;    /* the domain may stop: do not treat that as an error */
    gint64 last_state_check;
    /* Called with each PROGRESS bytes=... as it arrives (live.h), or NULL. */
    void (*on_progress)(void *data, guint64 bytes);
    void *on_progress_data;
} DlGuest;

/* Starts the domain and connects to its agent socket. */
DlGuest *dl_guest_start(virConnectPtr conn, const DlGuestSpec *spec, const char *agent_log,
                        int connect_timeout_s, GError **err);

/* Destroys the domain (if still there) and frees everything. Safe on NULL. */
void dl_guest_free(DlGuest *g);

/* Idle check while waiting: signals, console, domain state. */
bool dl_guest_idle(void *guest, GError **err);

/* Waits up to timeout_s for a message whose verb is one of verbs (a
 * NULL-terminated list). FAIL from the agent becomes an error carrying its
 * phase and reason; IOMEM, MANIFEST and PROGRESS are collected on the way. */
DlMsg *dl_guest_expect(DlGuest *g, const char *const *verbs, int timeout_s, GError **err);

/* Waits until the domain has stopped on its own. */
bool dl_guest_wait_stopped(DlGuest *g, int timeout_s, GError **err);

#endif
