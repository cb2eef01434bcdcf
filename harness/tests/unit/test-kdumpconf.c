/* kdump.conf as kdumpctl reads it: every directive, and every refusal
 * naming FILE:LINE. */
#include "dumplab/kdumpconf.h"
#include "dumplab/scenario.h"
#include "tap.h"

#include <string.h>
#include <unistd.h>

static DlKdumpConf *ok(const char *text, const char *what)
{
    GError *err = NULL;
    DlKdumpConf *k = dl_kdumpconf_parse(text, "kdump.conf", &err);
    tap_ok(k != NULL, "accepted: %s%s%s", what, err ? ": " : "", err ? err->message : "");
    g_clear_error(&err);
    return k;
}

/* The error must name the line and hold want. */
static void refused(const char *text, const char *want, const char *what)
{
    GError *err = NULL;
    g_autoptr(DlKdumpConf) k = dl_kdumpconf_parse(text, "kdump.conf", &err);
    bool good = !k && err && strstr(err->message, want) &&
                g_str_has_prefix(err->message, "kdump.conf:");
    tap_ok(good, "refused: %s (%s)", what, err ? err->message : "accepted");
    g_clear_error(&err);
}

int main(void)
{
    g_autoptr(DlKdumpConf) d = ok("# nothing but comments\n\n", "an empty file");
    tap_ok(d && d->target == DL_KT_ROOTFS && !strcmp(d->path, "/var/crash") &&
               d->compress == 'l' && d->dump_level == 31 && d->message_level == 7 &&
               d->failure_action == DL_KA_REBOOT && d->final_action == DL_KA_REBOOT,
           "RHEL's defaults: rootfs, /var/crash, makedumpfile -l --message-level 7 -d 31, reboot");

    g_autoptr(DlKdumpConf) r = ok("raw /dev/vdb\ncore_collector makedumpfile -c -d 31\n", "raw");
    tap_ok(r && r->target == DL_KT_RAW && !strcmp(r->device, "/dev/vdb") && r->flat &&
               r->compress == 'c',
           "raw: device, -c, and -F added as mkdumprd adds it");

    g_autoptr(DlKdumpConf) e =
        ok("ext4 LABEL=kdump   # the dump disk\npath /crash\ncore_collector cp\n"
           "failure_action dump_to_rootfs\nfinal_action poweroff\n",
           "ext4 with a label, cp, actions");
    tap_ok(e && e->target == DL_KT_EXT4 && !strcmp(e->device, "LABEL=kdump") && e->cp &&
               !strcmp(e->path, "/crash") && e->failure_action == DL_KA_DUMP_TO_ROOTFS &&
               e->final_action == DL_KA_POWEROFF && e->target_line == 1,
           "ext4: inline comment dropped, cp, dump_to_rootfs, poweroff");
    tap_ok(e && dl_kdumpconf_collector_argv(e) == NULL, "cp has no makedumpfile argv");

    g_autoptr(DlKdumpConf) x = ok("xfs UUID=0b1c2d3e-aaaa-bbbb-cccc-1234567890ab\n"
                                  "core_collector makedumpfile -E -d 1\n",
                                  "xfs by UUID, ELF");
    tap_ok(x && x->target == DL_KT_XFS && x->elf && x->dump_level == 1 && !x->flat,
           "xfs: -E, -d 1");

    g_autoptr(DlKdumpConf) n = ok("nfs nfs.example.com:/export/crash\ndefault halt\n", "nfs");
    tap_ok(n && n->target == DL_KT_NFS && !strcmp(n->nfs, "nfs.example.com:/export/crash") &&
               n->failure_action == DL_KA_HALT,
           "nfs: host:/export; 'default' is failure_action");

    g_autoptr(DlKdumpConf) s = ok("ssh kdump@dumpserver.example.com\nsshkey /root/.ssh/id_k\n"
                                  "core_collector makedumpfile -l --message-level 1 -d31\n"
                                  "kdump_pre /bin/pre.sh\nkdump_post /bin/post.sh\n"
                                  "extra_modules e1000e  virtio_net\nextra_bins /bin/true\n",
                                  "ssh with everything");
    tap_ok(s && s->target == DL_KT_SSH && s->flat && s->dump_level == 31 &&
               s->message_level == 1 && !strcmp(s->sshkey, "/root/.ssh/id_k") &&
               !strcmp(s->kdump_pre, "/bin/pre.sh") && !strcmp(s->kdump_post, "/bin/post.sh") &&
               s->extra_modules->len == 2,
           "ssh: -F added, sshkey, -d31 glued, pre/post, two extra modules");
    if (s) {
        g_auto(GStrv) argv = dl_kdumpconf_collector_argv(s);
        g_autofree char *j = g_strjoinv(" ", argv);
        tap_ok(!strcmp(j, "makedumpfile -l -F --message-level 1 -d 31"), "argv: %s", j);
    }
    g_autoptr(DlKdumpConf) z = ok("ext4 /dev/vdb\ncore_collector makedumpfile -z -d 31\n", "-z");
    tap_ok(z && z->compress == 'z', "zstd is a compression kdump.conf may name");

    refused("raw /dev/vdb\nbogus 1\n", "kdump.conf:2: Invalid kdump config option bogus",
            "an unknown directive");
    refused("\n\nnet user@host\n", "kdump.conf:3: Deprecated kdump config option: net",
            "a deprecated directive");
    refused("path\n", "kdump.conf:1: Invalid kdump config value for option 'path'",
            "a directive without a value");
    refused("raw /dev/vdb\nssh a@b\n", "kdump.conf:2: More than one dump targets specified",
            "two targets");
    refused("ext4 vdb\n", "kdump.conf:1: ext4: 'vdb' is not a device", "a device without /dev");
    refused("ssh dumpserver\n", "is not user@host", "ssh without a user");
    refused("nfs server/export\n", "is not host:/export", "nfs without a colon");
    refused("failure_action explode\n", "kdump.conf:1: Invalid failure_action", "a bad action");
    refused("final_action dump_to_rootfs\n", "Invalid final_action",
            "dump_to_rootfs as final_action");
    refused("path var/crash\n", "is not an absolute path", "a relative path");
    refused("core_collector makedumpfile -x\n", "option '-x'", "an unknown makedumpfile option");
    refused("core_collector makedumpfile -d 32\n", "-d needs a number 0..31", "-d 32");
    refused("core_collector makedumpfile -d\n", "-d needs a number", "-d without a number");
    refused("core_collector makedumpfile -E -c\n", "cannot be combined", "-E with -c");
    refused("core_collector makedumpfile -c -l\n", "both name a compression", "-c with -l");
    refused("core_collector gzip\n", "'gzip' is not makedumpfile or cp", "another program");
    refused("ssh a@b\ncore_collector cp\n", "kdump.conf:1: an ssh target needs makedumpfile",
            "cp to ssh");
    refused("ext4 /dev/vdb\ncore_collector makedumpfile -F -d 31\n",
            "kdump.conf:2: core_collector -F", "-F to a file system");
    refused("path /a\npath /b\n", "kdump.conf:2: path given twice (first at line 1)",
            "path twice");
    refused("failure_action halt\ndefault reboot\n", "failure_action given twice",
            "failure_action and default");
    refused("btrfs /dev/vdb\n", "btrfs is a kdump.conf directive dumplab does not support",
            "a target dumplab does not make");
    refused("extra_modules Bad/Mod\n", "is not a module name", "a module path");

    GError *err = NULL;
    DlKdumpConf *missing = dl_kdumpconf_load("/nonexistent/kdump.conf", &err);
    tap_ok(!missing && err && strstr(err->message, "kdump.conf: "), "a missing file: %s",
           err ? err->message : "");
    g_clear_error(&err);

    /* The scenario keys: kdump_conf relative to the scenario's folder. */
    g_autofree char *dir = g_dir_make_tmp("kdumpconf-XXXXXX", NULL);
    g_autofree char *conf = g_build_filename(dir, "site.conf", NULL);
    g_autofree char *badconf = g_build_filename(dir, "bad.conf", NULL);
    g_autofree char *scn = g_build_filename(dir, "x.scn", NULL);
    g_file_set_contents(conf, "ssh kdump@dumps.example.com\n", -1, NULL);
    g_file_set_contents(badconf, "raw /dev/vdb\nnfs a:/b\n", -1, NULL);
    g_autoptr(DlScenario) sc =
        dl_scenario_parse("fault = sysrq-c\nkdump_conf = site.conf\n"
                          "kdump_cmdline_append = \"reset_devices irqpoll acpi=noirq\"\n"
                          "kdump_cmdline_remove = quiet\nexpect failure_action = halt\n",
                          scn, &err);
    tap_ok(sc && sc->kdump && sc->kdump->target == DL_KT_SSH &&
               !strcmp(sc->kdump_cmdline_append, "reset_devices irqpoll acpi=noirq") &&
               !strcmp(sc->kdump_cmdline_remove, "quiet") &&
               !strcmp(sc->expect_failure_action, "halt"),
           "scenario: kdump_conf found beside it, append/remove, expect failure_action%s%s",
           err ? ": " : "", err ? err->message : "");
    g_clear_error(&err);
    DlScenario *sb = dl_scenario_parse("fault = sysrq-c\nkdump_conf = bad.conf\n", scn, &err);
    tap_ok(!sb && err && strstr(err->message, "x.scn: kdump_conf: ") &&
               strstr(err->message, "bad.conf:2: More than one dump targets"),
           "scenario: a bad kdump.conf names the scenario and FILE:LINE (%s)",
           err ? err->message : "accepted");
    g_clear_error(&err);
    sb = dl_scenario_parse("fault = sysrq-c\nexpect failure_action = halt\n", scn, &err);
    tap_ok(!sb && err && strstr(err->message, "needs kdump_conf"),
           "scenario: expect failure_action without kdump_conf is refused");
    g_clear_error(&err);
    sb = dl_scenario_parse("fault = sysrq-c\nkdump_conf = site.conf\nexpect failure_action = "
                           "explode\n",
                           scn, &err);
    tap_ok(!sb && err && strstr(err->message, "x.scn:3:"), "scenario: a bad expected action");
    g_clear_error(&err);
    unlink(conf);
    unlink(badconf);
    rmdir(dir);
    return tap_done();
}
