/* A kdump.conf run, host side (kdumprun.h): the target made for it, the
 * files and plan sent to the first kernel, the capture watched to its end
 * and the dump fetched from the target. */
#include "dumplab/dumpdisk.h"
#include "dumplab/error.h"
#include "kdump_internal.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KFILE_CHUNK 200

DlKdumpRun *dl_kdump_run_new(const DlScenario *s, const char *workdir, GError **err)
{
    DlKdumpRun *k = g_new0(DlKdumpRun, 1);
    k->scn = s;
    k->conf = s->kdump;
    k->workdir = g_strdup(workdir);
    k->fault = g_strdup(s->kdump_target_fault);
    k->xml = g_string_new(NULL);
    k->plan = g_string_new(NULL);
    k->hosts = g_string_new("127.0.0.1 localhost\n");
    /* A unique id per crash, as kdumpctl test puts on the command line. */
    k->crash_id = g_strdup_printf("%08x%08x", g_random_int(), g_random_int());
    const DlKdumpConf *c = k->conf;
    g_auto(GStrv) argv = dl_kdumpconf_collector_argv(c);
    g_autofree char *collector = argv ? g_strjoinv(" ", argv) : g_strdup("cp");
    g_string_append_printf(k->plan,
                           "target=%s\ncollector=%s\npath=%s\nfailure_action=%s\n"
                           "final_action=%s\nsshkey=%s\nid=%s\n",
                           dl_kdump_target_name(c->target), collector, c->path,
                           dl_kdump_action_name(c->failure_action),
                           dl_kdump_action_name(c->final_action), c->sshkey, k->crash_id);
    bool ok = true;
    switch (c->target) {
    case DL_KT_RAW:
    case DL_KT_EXT4:
    case DL_KT_XFS:
        ok = dl_kdump_disk_make(k, err);
        break;
    case DL_KT_SSH:
        ok = dl_kdump_ssh_start(k, err);
        /* QEMU user networking: the guest reaches the host's loopback as
         * 10.0.2.2; nothing else of the host. */
        g_string_append(k->xml, "    <interface type='user'>\n"
                                "      <model type='virtio'/>\n"
                                "    </interface>\n");
        break;
    case DL_KT_NFS:
        ok = dl_kdump_nfs_start(k, err);
        g_string_append(k->xml, "    <interface type='user'>\n"
                                "      <model type='virtio'/>\n"
                                "    </interface>\n");
        break;
    case DL_KT_ROOTFS:
        break;
    }
    if (!ok) {
        dl_kdump_run_free(k);
        return NULL;
    }
    return k;
}

void dl_kdump_run_free(DlKdumpRun *k)
{
    if (!k)
        return;
    dl_kdump_ssh_stop(k);
    dl_kdump_nfs_stop(k);
    /* The target image is as large as RAM; what mattered was fetched. */
    if (k->disk)
        unlink(k->disk);
    g_free(k->workdir);
    g_free(k->crash_id);
    g_free(k->fault);
    g_string_free(k->xml, TRUE);
    g_string_free(k->plan, TRUE);
    g_string_free(k->hosts, TRUE);
    g_free(k->disk);
    g_free(k->disk_dev);
    g_free(k->ssh_dir);
    g_free(k->sink_root);
    g_free(k->ssh_host);
    g_free(k->client_key);
    g_free(k->known_hosts);
    g_free(k->nfs_dir);
    g_free(k->nfs_export);
    g_free(k);
}

const char *dl_kdump_run_devices_xml(const DlKdumpRun *k)
{
    return k->xml->str;
}

const char *dl_kdump_run_crash_id(const DlKdumpRun *k)
{
    return k->crash_id;
}

char *dl_kdump_run_crash_append(const DlKdumpRun *k, const char *base)
{
    const DlScenario *s = k->scn;
    return g_strdup_printf("%s%s%s dumplab_crash_id=%s", base ? base : "",
                           s->kdump_cmdline_append ? " " : "",
                           s->kdump_cmdline_append ? s->kdump_cmdline_append : "", k->crash_id);
}

static bool send_file(DlAgent *a, const char *path, const char *mode, const char *text,
                      gsize len, GError **err)
{
    for (gsize off = 0; off < len; off += KFILE_CHUNK) {
        g_autofree char *chunk = g_strndup(text + off, MIN(KFILE_CHUNK, len - off));
        g_autofree char *enc = dl_pct_encode(chunk);
        if (!dl_agent_send(a, err, "KFILE path=%s mode=%s data=%s", path, mode, enc))
            return false;
    }
    return true;
}

bool dl_kdump_run_send(DlKdumpRun *k, DlAgent *a, GError **err)
{
    g_autofree char *conf = NULL;
    gsize len = 0;
    if (!g_file_get_contents(k->scn->kdump_conf, &conf, &len, err))
        return false;
    if (!send_file(a, "/etc/kdump.conf", "0644", conf, len, err) ||
        !send_file(a, "/etc/dumplab/kdump.plan", "0644", k->plan->str, k->plan->len, err) ||
        !send_file(a, "/etc/hosts", "0644", k->hosts->str, k->hosts->len, err))
        return false;
    if (k->client_key) {
        g_autofree char *key = NULL;
        gsize klen = 0;
        if (!g_file_get_contents(k->client_key, &key, &klen, err) ||
            !send_file(a, k->conf->sshkey, "0600", key, klen, err) ||
            !send_file(a, "/root/.ssh/known_hosts", "0644", k->known_hosts,
                       strlen(k->known_hosts), err))
            return false;
    }
    if (k->scn->kdump_cmdline_remove) {
        g_autofree char *enc = dl_pct_encode(k->scn->kdump_cmdline_remove);
        if (!dl_agent_send(a, err, "SET key=crash_remove value=%s", enc))
            return false;
    }
    return true;
}

void dl_kdump_result_clear(DlKdumpResult *r)
{
    g_free(r->vmcore);
    g_free(r->dmesg);
    g_free(r->source);
    g_free(r->action);
    g_free(r->detail);
    memset(r, 0, sizeof(*r));
}

/* What the kernel prints when it takes each action (kernel/reboot.c), or
 * our agent for the shell. */
static const char *action_text(const char *action)
{
    if (!strcmp(action, "reboot"))
        return "reboot: Restarting system";
    if (!strcmp(action, "halt"))
        return "reboot: System halted";
    if (!strcmp(action, "poweroff"))
        return "reboot: Power down";
    if (!strcmp(action, "shell"))
        return "kdump: dropping to a shell";
    return NULL;
}

/* The guest says ACTION kind=K action=A; the console must then show the
 * kernel doing it. */
static bool verify_action(DlGuest *g, const char *kind, const char *want, GError **err)
{
    static const char *const verbs[] = {"ACTION", NULL};
    gsize mark = dl_console_mark(g->console);
    g_autoptr(DlMsg) m = dl_guest_expect(g, verbs, 60, err);
    if (!m)
        return false;
    if (g_strcmp0(dl_msg_get(m, "kind"), kind) || g_strcmp0(dl_msg_get(m, "action"), want)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "the crash kernel took %s %s, not %s %s",
                    dl_msg_get(m, "kind"), dl_msg_get(m, "action"), kind, want);
        return false;
    }
    const char *text = action_text(want);
    if (!text)
        return true; /* dump_to_rootfs: proven by the dump it leaves */
    g->expect_stop = true;
    gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    for (;;) {
        dl_console_poll(g->console);
        if (dl_console_seen_since(g->console, mark, text))
            return true;
        if (g_get_monotonic_time() > deadline || !dl_virt_is_active(g->dom)) {
            dl_console_poll(g->console);
            if (dl_console_seen_since(g->console, mark, text))
                return true;
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "the crash kernel announced %s %s but the console never showed '%s'",
                        kind, want, text);
            return false;
        }
        g_usleep(100 * 1000);
    }
}

static bool fetch_rootfs(const char *disk, const char *vmcore, DlKdumpResult *res, GError **err)
{
    DlDumpHeader h;
    g_autofree char *flat = g_strdup_printf("%s.flat", vmcore);
    g_autofree char *nodmesg = g_strdup_printf("%s.rootfs-dmesg", vmcore); /* empty: none there */
    bool ok = dl_dumpdisk_read_header(disk, &h, err) &&
              dl_dumpdisk_extract(disk, &h, flat, nodmesg, err) &&
              dl_kdump_unflatten(flat, vmcore, err);
    unlink(flat);
    unlink(nodmesg);
    if (!ok)
        return false;
    res->source = g_strdup_printf("rootfs (the lab's disk /dev/vda, %s)", disk);
    return true;
}

bool dl_kdump_run_capture(DlKdumpRun *k, DlGuest *g, int timeout_s, const char *rootfs_disk,
                          const char *vmcore_path, const char *dmesg_path, DlReport *rep,
                          DlKdumpResult *res, GError **err)
{
    const DlKdumpConf *c = k->conf;
    const char *expect = k->scn->expect_failure_action;
    static const char *const verbs[] = {"DONE", "KDUMP_FAILED", NULL};
    g_autoptr(DlMsg) m = dl_guest_expect(g, verbs, timeout_s, err);
    if (!m)
        return false;
    const char *target = dl_kdump_target_name(c->target);
    if (!strcmp(m->verb, "KDUMP_FAILED")) {
        const char *action = dl_msg_get(m, "action") ? dl_msg_get(m, "action") : "?";
        const char *why = dl_msg_get(m, "reason") ? dl_msg_get(m, "reason") : "no reason given";
        res->action = g_strdup(action);
        g_autofree char *line =
            g_strdup_printf("target unreachable: failure_action %s taken", action);
        g_autofree char *failure = g_strdup_printf("%s: %s", target, why);
        dl_report_add_check(rep, "kdump-target", false, failure);
        if (!strcmp(action, "dump_to_rootfs")) {
            static const char *const done[] = {"DONE", NULL};
            g_autoptr(DlMsg) d = dl_guest_expect(g, done, timeout_s, err);
            if (!d || !verify_action(g, "final_action", dl_kdump_action_name(c->final_action), err) ||
                !dl_guest_wait_stopped(g, 30, err) || !fetch_rootfs(rootfs_disk, vmcore_path, res, err)) {
                g_prefix_error(err, "%s; dump_to_rootfs: ", line);
                return false;
            }
            res->vmcore = g_strdup(vmcore_path);
            if (dl_kdump_host_dmesg(vmcore_path, dmesg_path, NULL))
                res->dmesg = g_strdup(dmesg_path);
        } else if (!verify_action(g, "failure_action", action, err)) {
            g_prefix_error(err, "%s (%s): ", line, why);
            return false;
        }
        dl_report_add_check(rep, "failure_action", expect && !strcmp(expect, action), line);
        if (!expect || strcmp(expect, action)) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "kdump to %s failed (%s); %s", target,
                        why, line);
            return false;
        }
        res->detail = g_strdup_printf("%s (%s: %s)", line, target, why);
        return true;
    }
    const char *folder = dl_msg_get(m, "folder") ? dl_msg_get(m, "folder") : "";
    if (g_strcmp0(dl_msg_get(m, "id"), k->crash_id)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "the capture reports crash id %s, this crash is %s: not our crash kernel",
                    dl_msg_get(m, "id"), k->crash_id);
        return false;
    }
    if (expect) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "expected failure_action %s, but the dump was saved (%s %s)", expect,
                    target, folder);
        return false;
    }
    if (!verify_action(g, "final_action", dl_kdump_action_name(c->final_action), err))
        return false;
    bool ok;
    if (c->target == DL_KT_SSH)
        ok = dl_kdump_ssh_fetch(k, folder, vmcore_path, dmesg_path, res, err);
    else if (c->target == DL_KT_NFS)
        ok = dl_kdump_nfs_fetch(k, folder, vmcore_path, dmesg_path, res, err);
    else if (c->target == DL_KT_ROOTFS)
        ok = dl_guest_wait_stopped(g, 30, err) && fetch_rootfs(rootfs_disk, vmcore_path, res, err);
    else
        ok = dl_kdump_disk_fetch(k, folder, vmcore_path, dmesg_path, res, err);
    if (!ok) {
        g_prefix_error(err, "fetching the dump from the %s target: ", target);
        return false;
    }
    res->vmcore = g_strdup(vmcore_path);
    if (!res->dmesg && dl_kdump_host_dmesg(vmcore_path, dmesg_path, NULL))
        res->dmesg = g_strdup(dmesg_path);
    struct stat st;
    g_autofree char *summary = g_strdup_printf(
        "%s, folder %s, crash id %s, core_collector %s", res->source, *folder ? folder : "-",
        k->crash_id, c->collector);
    dl_report_add_check(rep, "kdump-target", true, summary);
    res->detail = g_strdup_printf("%s: %s (%" G_GUINT64_FORMAT " MiB)", target, folder,
                                  stat(vmcore_path, &st) == 0 ? (guint64)st.st_size >> 20 : 0);
    return true;
}
