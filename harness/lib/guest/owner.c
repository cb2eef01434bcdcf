/* Owner of a domain: host, boot, pid namespace, pid and process start time.
 * (pid, start time) names one process for the life of one boot; boot id and
 * pid namespace say whether that pid can be looked up here at all. */
#include "dumplab/owner.h"
#include "dumplab/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void dl_owner_clear(DlOwner *o)
{
    g_clear_pointer(&o->host, g_free);
    g_clear_pointer(&o->machine, g_free);
    g_clear_pointer(&o->boot_id, g_free);
    g_clear_pointer(&o->pidns, g_free);
    o->pid = 0;
    o->start = 0;
}

guint64 dl_owner_proc_start(int pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", pid);
    g_autofree char *stat = NULL;
    if (pid <= 0 || !g_file_get_contents(path, &stat, NULL, NULL))
        return 0;
    /* comm (field 2) may hold spaces and ')': fields restart after the last
     * ')'. There, state is field 3; starttime is field 22, 19 further on. */
    const char *p = strrchr(stat, ')');
    if (!p)
        return 0;
    p++;
    for (int field = 2; field < 21 && p; field++)
        p = strchr(p + 1, ' ');
    if (!p)
        return 0;
    return g_ascii_strtoull(p + 1, NULL, 10);
}

bool dl_owner_self(DlOwner *o, GError **err)
{
    memset(o, 0, sizeof(*o));
    char host[256] = "";
    if (gethostname(host, sizeof(host) - 1) < 0) {
        dl_set_error_errno(err, errno, "gethostname");
        return false;
    }
    g_autoptr(GError) e = NULL;
    if (!g_file_get_contents("/proc/sys/kernel/random/boot_id", &o->boot_id, NULL, &e)) {
        g_propagate_prefixed_error(err, g_steal_pointer(&e), "boot id: ");
        return false;
    }
    g_strstrip(o->boot_id);
    if (!g_file_get_contents("/etc/machine-id", &o->machine, NULL, NULL))
        o->machine = g_strdup("");
    g_strstrip(o->machine);
    o->pidns = g_file_read_link("/proc/self/ns/pid", NULL);
    if (!o->pidns)
        o->pidns = g_strdup("");
    o->host = g_strdup(host);
    o->pid = (int)getpid();
    o->start = dl_owner_proc_start(o->pid);
    if (!o->start) {
        g_set_error(err, DL_ERROR, DL_ERROR_IO, "no start time in /proc/%d/stat", o->pid);
        dl_owner_clear(o);
        return false;
    }
    return true;
}

char *dl_owner_xml(const DlOwner *o)
{
    return g_markup_printf_escaped("<" DL_OWNER_PREFIX ":owner xmlns:" DL_OWNER_PREFIX
                                   "='" DL_OWNER_NS "' host='%s' machine='%s' boot='%s' "
                                   "pidns='%s' pid='%d' start='%" G_GUINT64_FORMAT "'/>",
                                   o->host, o->machine, o->boot_id, o->pidns, o->pid, o->start);
}

static void owner_start(GMarkupParseContext *ctx, const char *element, const char **names,
                        const char **values, gpointer data, GError **err)
{
    DlOwner *o = data;
    /* libvirt hands the element back with a namespace prefix of its own. */
    const char *local = strchr(element, ':');
    local = local ? local + 1 : element;
    if (strcmp(local, "owner") != 0)
        return;
    for (int i = 0; names[i]; i++) {
        const char *n = names[i], *v = values[i];
        char *end = NULL;
        if (!strcmp(n, "host"))
            g_free(o->host), o->host = g_strdup(v);
        else if (!strcmp(n, "machine"))
            g_free(o->machine), o->machine = g_strdup(v);
        else if (!strcmp(n, "boot"))
            g_free(o->boot_id), o->boot_id = g_strdup(v);
        else if (!strcmp(n, "pidns"))
            g_free(o->pidns), o->pidns = g_strdup(v);
        else if (!strcmp(n, "pid")) {
            long pid = strtol(v, &end, 10);
            if (end == v || *end || pid <= 0 || pid > G_MAXINT) {
                g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "owner pid '%s' is not a pid", v);
                return;
            }
            o->pid = (int)pid;
        } else if (!strcmp(n, "start")) {
            o->start = g_ascii_strtoull(v, &end, 10);
            if (end == v || *end || !o->start) {
                g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "owner start '%s' is not a time", v);
                return;
            }
        }
    }
}

bool dl_owner_parse(const char *xml, DlOwner *o, GError **err)
{
    memset(o, 0, sizeof(*o));
    static const GMarkupParser parser = {.start_element = owner_start};
    g_autoptr(GMarkupParseContext) ctx = g_markup_parse_context_new(&parser, 0, o, NULL);
    if (!g_markup_parse_context_parse(ctx, xml, -1, err) ||
        !g_markup_parse_context_end_parse(ctx, err)) {
        g_prefix_error(err, "owner metadata: ");
        dl_owner_clear(o);
        return false;
    }
    if (!o->machine)
        o->machine = g_strdup("");
    if (!o->host || !o->boot_id || !o->pidns || !o->pid || !o->start) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "owner metadata: needs host, boot, pidns, pid and start");
        dl_owner_clear(o);
        return false;
    }
    return true;
}

DlOwnerState dl_owner_judge(const DlOwner *o, const DlOwner *self, const char **why)
{
    const char *dummy = NULL;
    why = why ? why : &dummy;
    if (strcmp(o->host, self->host) != 0) {
        *why = "owned by a run on another host";
        return DL_OWNER_UNKNOWN;
    }
    if (strcmp(o->boot_id, self->boot_id) != 0) {
        /* This machine before a reboot (no run survives one), or another
         * machine with the same host name: only the machine id tells. */
        if (*o->machine && strcmp(o->machine, self->machine) == 0) {
            *why = "owned by a run of an earlier boot of this host";
            return DL_OWNER_GONE;
        }
        *why = "owned by a run on another machine with the same host name";
        return DL_OWNER_UNKNOWN;
    }
    if (strcmp(o->pidns, self->pidns) != 0) {
        *why = "owned by a run in another pid namespace";
        return DL_OWNER_UNKNOWN;
    }
    guint64 start = dl_owner_proc_start(o->pid);
    if (!start) {
        *why = "its run's process is gone";
        return DL_OWNER_GONE;
    }
    if (start != o->start) {
        *why = "its run's pid now belongs to a later process";
        return DL_OWNER_GONE;
    }
    *why = "its run is alive";
    return DL_OWNER_ALIVE;
}
