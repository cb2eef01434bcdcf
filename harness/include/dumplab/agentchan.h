/* The host end of the agent channel (vm-images/agent/PROTOCOL.md): a UNIX
 * socket that QEMU listens on for the guest's second serial port. */
#ifndef DUMPLAB_AGENTCHAN_H
#define DUMPLAB_AGENTCHAN_H

#include <glib.h>
#include <stdbool.h>

typedef struct DlAgent DlAgent;

/* Called about every 200 ms while waiting, so the caller can notice that the
 * guest stopped, read its console, or honour a signal. Returning false (with
 * err set) ends the wait with that error. */
typedef bool (*DlAgentIdle)(void *opaque, GError **err);

/* Connects to sock_path, retrying until deadline (monotonic µs). Every line
 * in either direction is appended to log_path with a timestamp. */
DlAgent *dl_agent_connect(const char *sock_path, const char *log_path, gint64 deadline,
                          DlAgentIdle idle, void *opaque, GError **err);
void dl_agent_close(DlAgent *agent);

bool dl_agent_send(DlAgent *agent, GError **err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The next line from the guest, without its newline, or NULL with err set
 * (DL_ERROR_TIMEOUT at the deadline, DL_ERROR_STOPPED when the channel
 * closed, or whatever idle reported). */
char *dl_agent_read_line(DlAgent *agent, gint64 deadline, DlAgentIdle idle, void *opaque,
                         GError **err);

/* One parsed message: a verb and key=value words (values percent-decoded). */
typedef struct {
    char *verb;
    GHashTable *kv;
    char *rest; /* everything after the verb, undecoded (MANIFEST lines) */
} DlMsg;

DlMsg *dl_msg_parse(const char *line);
const char *dl_msg_get(const DlMsg *msg, const char *key);
void dl_msg_free(DlMsg *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DlMsg, dl_msg_free)

/* Percent codec for values with spaces or '%'. */
char *dl_pct_encode(const char *s);
char *dl_pct_decode(const char *s);

#endif
