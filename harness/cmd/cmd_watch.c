/* dumplab watch: watch running domains' kernel text from the hypervisor,
 * each through its own read-only view of its file-backed RAM, and report
 * every change with its address, symbol+offset and class.
 * Exit 0: no change; 1: changes; 2: a domain could not be watched, or bad
 * usage. */
#include "commands.h"
#include "dumplab/error.h"
#include "dumplab/images.h"
#include "dumplab/mintplan.h"
#include "dumplab/sigguard.h"
#include "dumplab/watch.h"

#include <stdio.h>
#include <string.h>

/* "100ms", "2s", "1m" or milliseconds. */
static bool parse_ms(const char *v, unsigned *out)
{
    char *end = NULL;
    guint64 n = g_ascii_strtoull(v, &end, 10);
    guint64 mult = end == v                      ? 0
                   : !*end || !strcmp(end, "ms") ? 1
                   : !strcmp(end, "s")           ? 1000
                   : !strcmp(end, "m")           ? 60000
                                                 : 0;
    if (!mult || n > G_MAXUINT / mult)
        return false;
    *out = (unsigned)(n * mult);
    return true;
}

/* The one debug vmlinux in the cache, when --vmlinux is not given. */
static char *default_vmlinux(void)
{
    g_autofree char *dir = g_build_filename(dl_repo_root(), "build", "cache", "dbg", NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *e, *only = NULL;
    unsigned n = 0;
    while (d && (e = g_dir_read_name(d)))
        if (g_str_has_prefix(e, "vmlinux-")) {
            only = e;
            n++;
        }
    return n == 1 ? g_build_filename(dir, only, NULL) : NULL;
}

/* --mint-nodes/--extend: the plan the watch runs under. The monitor is
 * node 0, the domains are nodes 1, 2, ... in the order named; each must be
 * in node 0's view, read-only. Prints what node 0 sees of each. */
static bool check_plan(int nodes, char **extends, int ndoms, char **doms, GError **err)
{
    guint n_ext = extends ? g_strv_length(extends) : 0;
    g_autofree DlMintExtend *ext = g_new0(DlMintExtend, MAX(n_ext, 1));
    for (guint i = 0; i < n_ext; i++)
        if (!dl_mint_parse_extend(extends[i], &ext[i], err))
            return false;
    if (nodes < 2 || ndoms > nodes - 1) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "--mint-nodes %d: the monitor is node 0 and each of the %d domains a node "
                    "after it",
                    nodes, ndoms);
        return false;
    }
    g_autoptr(DlMintPlan) p = dl_mint_plan((unsigned)nodes, ext, n_ext, err);
    if (!p)
        return false;
    g_autoptr(GArray) seen = g_array_new(FALSE, FALSE, sizeof(DlMintOverlap));
    for (int i = 0; i < ndoms; i++) {
        g_array_set_size(seen, 0);
        if (!dl_mint_monitor_view(p, (unsigned)i + 1, seen, err)) {
            g_prefix_error(err, "%s (Mint node %d): ", doms[i], i + 1);
            return false;
        }
        for (guint j = 0; j < seen->len; j++) {
            const DlMintOverlap *o = &g_array_index(seen, DlMintOverlap, j);
            printf("%s: Mint node %d; node 0 reads its region %u at 0x%" G_GINT64_MODIFIER
                   "x-0x%" G_GINT64_MODIFIER "x read-only, as this watch maps its RAM\n",
                   doms[i], i + 1, o->owner_region, o->start, o->end - 1);
        }
    }
    return true;
}

static void dom_free(gpointer d)
{
    virDomainFree(d);
}

int cmd_watch(int argc, char **argv)
{
    g_autofree char *period_s = NULL, *for_s = NULL, *vmlinux = NULL;
    g_auto(GStrv) extends = NULL;
    int mint_nodes = 0;
    GOptionEntry entries[] = {
        {"period", 0, 0, G_OPTION_ARG_STRING, &period_s, "re-check period (default 100ms)", "T"},
        {"for", 0, 0, G_OPTION_ARG_STRING, &for_s,
         "watch this long after the baseline (default: until interrupted)", "T"},
        {"vmlinux", 0, 0, G_OPTION_ARG_FILENAME, &vmlinux,
         "the guests' vmlinux or System.map for names and patch sites (default: the one "
         "debug vmlinux under build/cache/dbg)",
         "FILE"},
        {"mint-nodes", 0, 0, G_OPTION_ARG_INT, &mint_nodes,
         "watch under a Mint plan of N nodes: the monitor is node 0, the domains nodes 1, 2, ...; "
         "each must lie in node 0's view, read-only (see dumplab mint-plan)",
         "N"},
        {"extend", 0, 0, G_OPTION_ARG_STRING_ARRAY, &extends,
         "with --mint-nodes: a change to a node's region 3, as dumplab mint-plan takes it",
         "ID=SIZE[:ro]"},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("DOMAIN...");
    g_option_context_set_summary(
        ctx, "Watches running libvirt domains' kernel text without the guests' help: the text is\n"
             "found from the vCPU state and the guest's page tables in a read-only view of its\n"
             "file-backed RAM, hashed per page, re-checked at the period; each change is\n"
             "printed with its class (static-key, kprobe, ftrace, livepatch, unexplained).\n"
             "Exit status: 0 no change, 1 changes, 2 a domain cannot be watched or bad usage.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "dumplab watch: %s\n", err->message);
        return 2;
    }
    unsigned period = 100, for_ms = 0;
    if ((period_s && (!parse_ms(period_s, &period) || period < 10 || period > 60000)) ||
        (for_s && !parse_ms(for_s, &for_ms))) {
        fprintf(stderr, "dumplab watch: --period is 10ms..60s, --for a duration (e.g. 30s)\n");
        return 2;
    }
    if (argc < 2) {
        fprintf(stderr, "dumplab watch: name at least one running domain (see --help)\n");
        return 2;
    }
    if ((mint_nodes || extends) && !check_plan(mint_nodes, extends, argc - 1, argv + 1, &err)) {
        fprintf(stderr, "dumplab watch: %s\n", err->message);
        return 2;
    }
    if (!vmlinux)
        vmlinux = default_vmlinux();
    g_autoptr(DlKsyms) ks = NULL;
    if (vmlinux && !(ks = dl_ksyms_load(vmlinux, &err))) {
        fprintf(stderr, "dumplab watch: %s\n", err->message);
        return 2;
    }
    if (!ks)
        fprintf(stderr, "dumplab watch: no vmlinux: changes are classified by their bytes "
                        "alone, without names\n");
    virConnectPtr conn = cmd_connect(&err);
    if (!conn) {
        fprintf(stderr, "dumplab watch: %s\n", err->message);
        return 2;
    }
    dl_sigguard_install();
    g_autoptr(GPtrArray) targets =
        g_ptr_array_new_with_free_func((GDestroyNotify)dl_watch_target_free);
    g_autoptr(GPtrArray) doms = g_ptr_array_new_with_free_func(dom_free);
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        virDomainPtr dom = virDomainLookupByName(conn, argv[i]);
        if (!dom) {
            fprintf(stderr, "dumplab watch: no running domain '%s'\n", argv[i]);
            rc = 2;
            break;
        }
        g_ptr_array_add(doms, dom);
        DlWatchTarget *t = dl_watch_attach(dom, ks, &err);
        if (!t) {
            fprintf(stderr, "dumplab watch: %s\n", err->message);
            rc = 2;
            break;
        }
        g_autofree char *d = dl_watch_describe_text(t);
        printf("%s: %s\n", t->name, d);
        g_ptr_array_add(targets, t);
    }
    if (rc == 0) {
        for (guint i = 0; i < targets->len; i++) {
            DlWatchTarget *t = g_ptr_array_index(targets, i);
            dl_watch_settle(t, period, 1000, 30000);
            printf("%s: baseline of %" G_GUINT64_FORMAT " pages (%u changes while settling)\n",
                   t->name, dl_textwatch_pages(t->tw), t->settle_changes);
        }
        fflush(stdout);
        gint64 t0 = g_get_monotonic_time();
        while (!dl_sigguard_caught() &&
               (!for_ms || g_get_monotonic_time() - t0 < (gint64)for_ms * 1000)) {
            g_usleep(period * 1000ULL);
            for (guint i = 0; i < targets->len; i++) {
                DlWatchTarget *t = g_ptr_array_index(targets, i);
                guint before = t->changes->len;
                dl_textwatch_scan(t->tw, t->changes);
                for (guint j = before; j < t->changes->len; j++) {
                    const DlTextChange *c = g_ptr_array_index(t->changes, j);
                    g_autofree char *d = dl_text_change_describe(c);
                    printf("%s: +%.3f s %s\n", t->name, (c->seen_us - t0) / 1e6, d);
                    rc = 1;
                }
            }
            fflush(stdout);
        }
        for (guint i = 0; i < targets->len; i++) {
            DlWatchTarget *t = g_ptr_array_index(targets, i);
            printf("%s: %u change%s\n", t->name, t->changes->len, t->changes->len == 1 ? "" : "s");
        }
    }
    g_ptr_array_set_size(targets, 0);
    g_ptr_array_set_size(doms, 0);
    virConnectClose(conn);
    return rc;
}
