/* kdump.conf: "directive value" lines, '#' comments (also after a value),
 * checked as kdumpctl's check_config does: an unknown directive, a
 * deprecated one, a directive without a value, two dump targets, or an
 * action kdump does not know are refused, naming FILE:LINE. */
#include "dumplab/kdumpconf.h"
#include "dumplab/error.h"
#include "dumplab/textfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const target_names[] = {"rootfs", "raw", "ext4", "xfs", "nfs", "ssh"};
static const char *const action_names[] = {"reboot", "halt", "poweroff", "shell",
                                           "dump_to_rootfs"};

const char *dl_kdump_target_name(DlKdumpTarget t)
{
    return (unsigned)t < G_N_ELEMENTS(target_names) ? target_names[t] : "?";
}

const char *dl_kdump_action_name(DlKdumpAction a)
{
    return (unsigned)a < G_N_ELEMENTS(action_names) ? action_names[a] : "?";
}

bool dl_kdump_action_from_name(const char *s, DlKdumpAction *out)
{
    for (unsigned i = 0; i < G_N_ELEMENTS(action_names); i++)
        if (!strcmp(s, action_names[i])) {
            *out = (DlKdumpAction)i;
            return true;
        }
    return false;
}

void dl_kdumpconf_free(DlKdumpConf *k)
{
    if (!k)
        return;
    g_free(k->device);
    g_free(k->nfs);
    g_free(k->ssh);
    g_free(k->path);
    g_free(k->sshkey);
    g_free(k->collector);
    g_free(k->kdump_pre);
    g_free(k->kdump_post);
    g_ptr_array_free(k->extra_modules, TRUE);
    g_free(k);
}

typedef struct {
    const char *path;
    int line;
    GError **err;
} Ctx;

static bool bad(Ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool bad(Ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(c->err, DL_ERROR, DL_ERROR_PARSE, "%s:%d: %s", c->path, c->line, msg);
    return false;
}

static bool is_device(const char *v)
{
    if (g_str_has_prefix(v, "LABEL=") || g_str_has_prefix(v, "UUID="))
        return v[strcspn(v, "=") + 1] != 0;
    return g_str_has_prefix(v, "/dev/") && v[5];
}

static bool parse_int(const char *v, int min, int max, int *out)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || !*v || *end || n < min || n > max)
        return false;
    *out = (int)n;
    return true;
}

/* "makedumpfile -l --message-level 7 -d 31" or "cp". The options dumplab
 * knows what to expect of; any other is refused rather than guessed at. */
static bool parse_collector(Ctx *c, DlKdumpConf *k, const char *v)
{
    g_auto(GStrv) w = g_strsplit_set(v, " \t", -1);
    int n = 0;
    k->cp = false;
    k->compress = 0;
    k->elf = k->flat = false;
    k->dump_level = 0;
    k->message_level = -1;
    for (int i = 0; w[i]; i++)
        if (*w[i])
            w[n++] = w[i];
        else
            g_free(w[i]);
    w[n] = NULL;
    if (n == 0)
        return bad(c, "Invalid kdump config value for option 'core_collector'");
    if (!strcmp(w[0], "cp")) {
        if (n > 1)
            return bad(c, "core_collector cp: unexpected argument '%s' (cp takes none here)", w[1]);
        k->cp = true;
        return true;
    }
    if (strcmp(w[0], "makedumpfile"))
        return bad(c, "core_collector: '%s' is not makedumpfile or cp", w[0]);
    for (int i = 1; i < n; i++) {
        const char *o = w[i];
        if (!strcmp(o, "-l") || !strcmp(o, "-c") || !strcmp(o, "-p") || !strcmp(o, "-z")) {
            if (k->compress && k->compress != o[1])
                return bad(c, "core_collector: -%c and %s both name a compression", k->compress,
                           o);
            k->compress = o[1];
        } else if (!strcmp(o, "-E")) {
            k->elf = true;
        } else if (!strcmp(o, "-F")) {
            k->flat = true;
        } else if (!strcmp(o, "-d") || !strcmp(o, "--message-level")) {
            int *dst = o[1] == 'd' ? &k->dump_level : &k->message_level;
            int max = o[1] == 'd' ? 31 : 31;
            if (i + 1 >= n || !parse_int(w[i + 1], 0, max, dst))
                return bad(c, "core_collector: %s needs a number 0..%d", o, max);
            i++;
        } else if (g_str_has_prefix(o, "-d") && o[2]) {
            if (!parse_int(o + 2, 0, 31, &k->dump_level))
                return bad(c, "core_collector: %s needs a number 0..31", o);
        } else {
            return bad(c,
                       "core_collector: makedumpfile option '%s' is not one dumplab knows "
                       "(-l -c -p -z -E -F -d N --message-level N)",
                       o);
        }
    }
    if (k->elf && k->compress)
        return bad(c, "core_collector: -E (ELF) cannot be combined with -%c (compression)",
                   k->compress);
    if (k->elf && k->flat)
        return bad(c, "core_collector: -E and -F cannot be combined");
    return true;
}

static bool set_target(Ctx *c, DlKdumpConf *k, DlKdumpTarget t, const char *v)
{
    if (k->target_line)
        return bad(c, "More than one dump targets specified (the first at line %d)",
                   k->target_line);
    k->target = t;
    k->target_line = c->line;
    switch (t) {
    case DL_KT_RAW:
    case DL_KT_EXT4:
    case DL_KT_XFS:
        if (!is_device(v))
            return bad(c, "%s: '%s' is not a device (/dev/..., LABEL=..., UUID=...)",
                       dl_kdump_target_name(t), v);
        k->device = g_strdup(v);
        break;
    case DL_KT_NFS: {
        const char *colon = strchr(v, ':');
        if (!colon || colon == v || colon[1] != '/')
            return bad(c, "nfs: '%s' is not host:/export", v);
        k->nfs = g_strdup(v);
        break;
    }
    case DL_KT_SSH: {
        const char *at = strchr(v, '@');
        if (!at || at == v || !at[1] || strchr(at + 1, '@') || strchr(v, ' '))
            return bad(c, "ssh: '%s' is not user@host", v);
        k->ssh = g_strdup(v);
        break;
    }
    case DL_KT_ROOTFS:
        break;
    }
    return true;
}

static bool set_action(Ctx *c, const char *opt, const char *v, bool final, DlKdumpAction *out)
{
    DlKdumpAction a;
    if (!dl_kdump_action_from_name(v, &a) || (final && a == DL_KA_DUMP_TO_ROOTFS) ||
        (final && a == DL_KA_SHELL))
        return bad(c, "Invalid %s: '%s' (%s)", opt, v,
                   final ? "reboot, halt or poweroff" : "reboot, halt, poweroff, shell or "
                                                        "dump_to_rootfs");
    *out = a;
    return true;
}

static bool directive(Ctx *c, DlKdumpConf *k, const char *opt, const char *v, GHashTable *seen)
{
    static const char *const deprecated[] = {"net",           "options",         "link_delay",
                                             "disk_timeout",  "debug_mem_level", "blacklist",
                                             NULL};
    /* Known to kdumpctl; dumplab accepts them and they change nothing it
     * tests. */
    static const char *const ignored[] = {"extra_bins",         "force_rebuild",
                                          "force_no_rebuild",   "dracut_args",
                                          "auto_reset_crashkernel", NULL};
    static const char *const unsupported[] = {"ext2",          "ext3", "minix", "btrfs",
                                              "fence_kdump_args", "fence_kdump_nodes", NULL};
    if (g_strv_contains(deprecated, opt))
        return bad(c,
                   "Deprecated kdump config option: %s. Refer to kdump.conf manpage for "
                   "alternatives.",
                   opt);
    bool known = g_strv_contains(ignored, opt) || g_strv_contains(unsupported, opt) ||
                 !strcmp(opt, "raw") || !strcmp(opt, "ext4") || !strcmp(opt, "xfs") ||
                 !strcmp(opt, "nfs") || !strcmp(opt, "ssh") || !strcmp(opt, "sshkey") ||
                 !strcmp(opt, "path") || !strcmp(opt, "core_collector") ||
                 !strcmp(opt, "failure_action") || !strcmp(opt, "default") ||
                 !strcmp(opt, "final_action") || !strcmp(opt, "kdump_pre") ||
                 !strcmp(opt, "kdump_post") || !strcmp(opt, "extra_modules");
    if (!known)
        return bad(c, "Invalid kdump config option %s", opt);
    if (!*v)
        return bad(c, "Invalid kdump config value for option '%s'", opt);
    if (g_strv_contains(unsupported, opt))
        return bad(c, "%s is a kdump.conf directive dumplab does not support (targets: raw, "
                      "ext4, xfs, nfs, ssh)",
                   opt);
    if (g_strv_contains(ignored, opt))
        return true;
    /* "default" is the old name of failure_action: one of the two. */
    const char *slot = !strcmp(opt, "default") ? "failure_action" : opt;
    if (strcmp(opt, "extra_modules") && g_hash_table_contains(seen, slot))
        return bad(c, "%s given twice (first at line %d)", slot,
                   GPOINTER_TO_INT(g_hash_table_lookup(seen, slot)));
    g_hash_table_insert(seen, g_strdup(slot), GINT_TO_POINTER(c->line));

    if (!strcmp(opt, "raw"))
        return set_target(c, k, DL_KT_RAW, v);
    if (!strcmp(opt, "ext4"))
        return set_target(c, k, DL_KT_EXT4, v);
    if (!strcmp(opt, "xfs"))
        return set_target(c, k, DL_KT_XFS, v);
    if (!strcmp(opt, "nfs"))
        return set_target(c, k, DL_KT_NFS, v);
    if (!strcmp(opt, "ssh"))
        return set_target(c, k, DL_KT_SSH, v);
    if (!strcmp(opt, "path") || !strcmp(opt, "sshkey") || !strcmp(opt, "kdump_pre") ||
        !strcmp(opt, "kdump_post")) {
        if (v[0] != '/' || strstr(v, "/../") || g_str_has_suffix(v, "/.."))
            return bad(c, "%s: '%s' is not an absolute path", opt, v);
        char **dst = !strcmp(opt, "path")     ? &k->path
                     : !strcmp(opt, "sshkey") ? &k->sshkey
                     : !strcmp(opt, "kdump_pre") ? &k->kdump_pre
                                                 : &k->kdump_post;
        g_free(*dst);
        *dst = g_strdup(v);
        return true;
    }
    if (!strcmp(opt, "core_collector")) {
        g_free(k->collector);
        k->collector = g_strdup(v);
        return parse_collector(c, k, v);
    }
    if (!strcmp(opt, "failure_action") || !strcmp(opt, "default"))
        return set_action(c, opt, v, false, &k->failure_action);
    if (!strcmp(opt, "final_action"))
        return set_action(c, opt, v, true, &k->final_action);
    /* extra_modules: names, space separated */
    g_auto(GStrv) mods = g_strsplit_set(v, " \t", -1);
    for (int i = 0; mods[i]; i++) {
        if (!*mods[i])
            continue;
        if (strspn(mods[i], "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(mods[i]))
            return bad(c, "extra_modules: '%s' is not a module name", mods[i]);
        g_ptr_array_add(k->extra_modules, g_strdup(mods[i]));
    }
    return true;
}

DlKdumpConf *dl_kdumpconf_parse(const char *text, const char *path, GError **err)
{
    g_autoptr(DlKdumpConf) k = g_new0(DlKdumpConf, 1);
    k->path = g_strdup("/var/crash");
    k->sshkey = g_strdup("/root/.ssh/kdump_id_rsa");
    k->extra_modules = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    Ctx c = {.path = path, .err = err};
    /* RHEL's default collector (kdump.conf as shipped). */
    if (!parse_collector(&c, k, "makedumpfile -l --message-level 7 -d 31"))
        return NULL;
    k->collector = g_strdup("makedumpfile -l --message-level 7 -d 31");

    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        c.line = i + 1;
        char *hash = strchr(lines[i], '#'); /* kdumpctl drops inline comments too */
        if (hash)
            *hash = 0;
        char *l = g_strstrip(lines[i]);
        if (!*l)
            continue;
        size_t ol = strcspn(l, " \t");
        char *v = l + ol;
        if (*v)
            *v++ = 0;
        v = g_strstrip(v);
        if (!directive(&c, k, l, v, seen))
            return NULL;
    }
    c.line = k->target_line;
    /* kdumpctl (mkdumprd) makes the collector write a flattened stream for
     * raw and ssh targets: add -F as it does; cp cannot stream. */
    if (k->target == DL_KT_RAW || k->target == DL_KT_SSH) {
        if (k->cp || k->elf) {
            bad(&c, "%s %s target needs makedumpfile -F as core_collector (%s)",
                k->target == DL_KT_SSH ? "an" : "a", dl_kdump_target_name(k->target),
                k->cp ? "cp cannot write a flattened stream" : "-F cannot be combined with -E");
            return NULL;
        }
        k->flat = true;
    } else if (k->flat) {
        c.line = GPOINTER_TO_INT(g_hash_table_lookup(seen, "core_collector"));
        bad(&c, "core_collector -F writes a flattened stream, meant for raw and ssh targets, "
                "not %s",
            dl_kdump_target_name(k->target));
        return NULL;
    }
    return g_steal_pointer(&k);
}

DlKdumpConf *dl_kdumpconf_load(const char *path, GError **err)
{
    g_autofree char *text = dl_read_text_file(path, "kdump.conf", err);
    return text ? dl_kdumpconf_parse(text, path, err) : NULL;
}

GStrv dl_kdumpconf_collector_argv(const DlKdumpConf *k)
{
    if (k->cp)
        return NULL;
    GPtrArray *a = g_ptr_array_new();
    g_ptr_array_add(a, g_strdup("makedumpfile"));
    if (k->compress)
        g_ptr_array_add(a, g_strdup_printf("-%c", k->compress));
    if (k->elf)
        g_ptr_array_add(a, g_strdup("-E"));
    if (k->flat)
        g_ptr_array_add(a, g_strdup("-F"));
    if (k->message_level >= 0) {
        g_ptr_array_add(a, g_strdup("--message-level"));
        g_ptr_array_add(a, g_strdup_printf("%d", k->message_level));
    }
    g_ptr_array_add(a, g_strdup("-d"));
    g_ptr_array_add(a, g_strdup_printf("%d", k->dump_level));
    g_ptr_array_add(a, NULL);
    return (GStrv)g_ptr_array_free(a, FALSE);
}
