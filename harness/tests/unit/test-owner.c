/* Domain ownership: a live run is told from a dead one by (pid, start time)
 * on the same boot, whatever the program's name; runs of other hosts, pid
 * namespaces or unreadable metadata are left alone. */
#include "dumplab/owner.h"
#include "dumplab/virt.h"
#include "tap.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static DlOwner copy(const DlOwner *o)
{
    DlOwner c = *o;
    c.host = g_strdup(o->host);
    c.machine = g_strdup(o->machine);
    c.boot_id = g_strdup(o->boot_id);
    c.pidns = g_strdup(o->pidns);
    return c;
}

int main(void)
{
    DlOwner self;
    GError *err = NULL;
    if (!tap_ok(dl_owner_self(&self, &err), "the calling process can describe itself")) {
        tap_diag("%s", err->message);
        return tap_done();
    }
    tap_ok(self.pid == getpid() && self.start > 0 && *self.boot_id && *self.host,
           "with pid, start time, boot id and host");
    tap_ok(dl_owner_proc_start(getpid()) == self.start, "its start time is field 22 of stat");

    const char *why = NULL;
    DlOwnerState st;
    st = dl_owner_judge(&self, &self, &why);
    tap_ok(st == DL_OWNER_ALIVE, "a live run is alive (%s)", why);

    /* A process that has exited and been reaped: its pid is free. */
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    guint64 child_start = 0;
    for (int i = 0; i < 200 && !child_start; i++)
        child_start = dl_owner_proc_start(child);
    waitpid(child, NULL, 0);
    DlOwner dead = copy(&self);
    dead.pid = child;
    dead.start = child_start ? child_start : 1;
    st = dl_owner_judge(&dead, &self, &why);
    tap_ok(st == DL_OWNER_GONE, "an exited run is gone (%s)", why);

    DlOwner reused = copy(&self);
    reused.start = self.start + 1;
    st = dl_owner_judge(&reused, &self, &why);
    tap_ok(st == DL_OWNER_GONE, "a pid now held by a later process is gone (%s)", why);

    DlOwner other = copy(&self);
    g_free(other.host), other.host = g_strdup("some-other-host");
    other.pid = child;
    st = dl_owner_judge(&other, &self, &why);
    tap_ok(st == DL_OWNER_UNKNOWN,
           "a run on another host is not judged, even when its pid is free here (%s)", why);

    DlOwner ns = copy(&self);
    g_free(ns.pidns), ns.pidns = g_strdup("pid:[1]");
    ns.pid = child;
    st = dl_owner_judge(&ns, &self, &why);
    tap_ok(st == DL_OWNER_UNKNOWN, "a run in another pid namespace is not judged (%s)", why);

    DlOwner earlier = copy(&self);
    g_free(earlier.boot_id), earlier.boot_id = g_strdup("00000000-0000-0000-0000-000000000000");
    st = dl_owner_judge(&earlier, &self, &why);
    if (*self.machine)
        tap_ok(st == DL_OWNER_GONE, "a run of an earlier boot of this machine is gone (%s)", why);
    else
        tap_skip("this host has no /etc/machine-id", "a run of an earlier boot is gone");
    g_free(earlier.machine), earlier.machine = g_strdup("another-machine");
    st = dl_owner_judge(&earlier, &self, &why);
    tap_ok(st == DL_OWNER_UNKNOWN, "same host name, another machine and boot: not judged (%s)",
           why);

    /* Round trip through the XML libvirt stores; libvirt hands it back with
     * a prefix of its own choosing. */
    g_autofree char *xml = dl_owner_xml(&self);
    tap_ok(strstr(xml, DL_OWNER_NS) != NULL, "the metadata element carries its namespace");
    DlOwner back;
    tap_ok(dl_owner_parse(xml, &back, &err) && back.pid == self.pid && back.start == self.start &&
               !strcmp(back.boot_id, self.boot_id) && !strcmp(back.host, self.host) &&
               !strcmp(back.pidns, self.pidns),
           "and parses back to the same owner");
    dl_owner_clear(&back);
    g_clear_error(&err);
    tap_ok(dl_owner_parse("<x:owner xmlns:x='" DL_OWNER_NS "' host='h' boot='b' pidns='p' "
                          "pid='12' start='34'/>",
                          &back, &err) &&
               back.pid == 12 && back.start == 34,
           "another prefix parses too");
    dl_owner_clear(&back);
    g_clear_error(&err);

    static const char *bad[] = {
        "<owner host='h' boot='b' pidns='p' pid='12'/>",
        "<owner host='h' boot='b' pidns='p' pid='-3' start='5'/>",
        "<owner host='h' boot='b' pidns='p' pid='7x' start='5'/>",
        "<owner host='h' boot='b' pidns='p' pid='7' start='0'/>",
        "not xml <",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        bool ok = dl_owner_parse(bad[i], &back, &err);
        tap_ok(!ok && err, "refused: %s (%s)", bad[i], err ? err->message : "accepted");
        g_clear_error(&err);
    }

    /* The domain XML carries the owner. */
    DlGuestSpec spec = {.name = "dumplab-1-1-x",
                        .vcpus = 1,
                        .memory_mib = 64,
                        .kernel = "/k",
                        .initrd = "/i",
                        .cmdline = "c",
                        .console_log = "/c",
                        .agent_sock = "/s"};
    g_autofree char *dxml = dl_virt_domain_xml(&spec);
    g_autofree char *pidattr = g_strdup_printf("pid='%d'", getpid());
    tap_ok(strstr(dxml, "<metadata><dumplab:owner") && strstr(dxml, pidattr),
           "every domain's XML names its owner in <metadata>");

    dl_owner_clear(&dead);
    dl_owner_clear(&reused);
    dl_owner_clear(&other);
    dl_owner_clear(&ns);
    dl_owner_clear(&earlier);
    dl_owner_clear(&self);
    return tap_done();
}
