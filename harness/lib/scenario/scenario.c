/* Scenario files: "key = value" lines, "sysctl K = V", "expect K = V",
 * '#' comments. Every error names the file and the line. */
#include "dumplab/scenario.h"
#include "dumplab/error.h"
#include "dumplab/kdumpconf.h"
#include "dumplab/textfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void sysctl_free(DlSysctl *s)
{
    g_free(s->key);
    g_free(s->value);
    g_free(s);
}

void dl_scenario_free(DlScenario *s)
{
    if (!s)
        return;
    g_free(s->name);
    g_free(s->path);
    g_free(s->description);
    g_free(s->kernel_package);
    g_free(s->crashkernel);
    g_free(s->cmdline);
    g_free(s->crash_cmdline);
    g_ptr_array_free(s->sysctls, TRUE);
    g_free(s->expect_phase);
    g_free(s->expect_panic);
    g_free(s->expect_text_change);
    g_free(s->stop);
    g_free(s->init_order);
    g_free(s->variant);
    g_free(s->kdump_conf);
    dl_kdumpconf_free(s->kdump);
    g_free(s->kdump_cmdline_append);
    g_free(s->kdump_cmdline_remove);
    g_free(s->kdump_target_fault);
    g_free(s->expect_failure_action);
    g_free(s);
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

static bool parse_uint(Ctx *c, const char *key, const char *v, guint64 min, guint64 max,
                       guint64 *out)
{
    char *end = NULL;
    errno = 0;
    if (!*v || *v == '-')
        return bad(c, "%s: '%s' is not a number", key, v);
    guint64 n = g_ascii_strtoull(v, &end, 0);
    if (errno || *end)
        return bad(c, "%s: '%s' is not a number", key, v);
    if (n < min || n > max)
        return bad(c, "%s: %s is out of range (%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT ")", key,
                   v, min, max);
    *out = n;
    return true;
}

static bool parse_bool(Ctx *c, const char *key, const char *v, bool *out)
{
    if (!g_ascii_strcasecmp(v, "yes") || !g_ascii_strcasecmp(v, "true") || !strcmp(v, "1"))
        *out = true;
    else if (!g_ascii_strcasecmp(v, "no") || !g_ascii_strcasecmp(v, "false") || !strcmp(v, "0"))
        *out = false;
    else
        return bad(c, "%s: '%s' is neither yes nor no", key, v);
    return true;
}

/* "1G", "1024M", "1024" (MiB) -> MiB */
static bool parse_memory(Ctx *c, const char *v, unsigned *mib)
{
    char *end = NULL;
    errno = 0;
    guint64 n = g_ascii_strtoull(v, &end, 10);
    if (errno || end == v)
        return bad(c, "memory: '%s' is not a size (e.g. 1G, 1536M)", v);
    /* Range first, then the unit: 18014398509481985G must not wrap to 1G. */
    if (n > 65536)
        return bad(c, "memory: %s is out of range (256M..64G)", v);
    if (!g_ascii_strcasecmp(end, "G") || !g_ascii_strcasecmp(end, "GiB"))
        n *= 1024;
    else if (*end && g_ascii_strcasecmp(end, "M") && g_ascii_strcasecmp(end, "MiB"))
        return bad(c, "memory: unknown unit in '%s' (use M or G)", v);
    if (n < 256 || n > 65536)
        return bad(c, "memory: %s is out of range (256M..64G)", v);
    *mib = (unsigned)n;
    return true;
}

static bool valid_sysctl_key(const char *k)
{
    if (!*k || *k == '.' || strstr(k, ".."))
        return false;
    for (const char *p = k; *p; p++)
        if (!g_ascii_isalnum(*p) && *p != '_' && *p != '.' && *p != '-')
            return false;
    return true;
}

static char *unquote(const char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
        return g_strndup(v + 1, n - 2);
    return g_strdup(v);
}

static bool set_expect(Ctx *c, DlScenario *s, const char *key, const char *v)
{
    if (!strcmp(key, "verdict")) {
        if (!g_ascii_strcasecmp(v, "pass"))
            s->expect_verdict = DL_EXPECT_PASS;
        else if (!g_ascii_strcasecmp(v, "fail"))
            s->expect_verdict = DL_EXPECT_FAIL;
        else
            return bad(c, "expect verdict: '%s' is neither pass nor fail", v);
    } else if (!strcmp(key, "phase")) {
        static const char *const phases[] = {
            "image",    "boot",    "arm",   "crash", "crash-kernel", "hv-dump",     "capture",
            "poweroff", "collect", "check", "dump",  "watch",        "hv-dump-end", NULL};
        if (!g_strv_contains(phases, v))
            return bad(c, "expect phase: unknown phase '%s'", v);
        g_free(s->expect_phase);
        s->expect_phase = g_strdup(v);
    } else if (!strcmp(key, "cpus")) {
        guint64 n;
        if (!g_ascii_strcasecmp(v, "any")) {
            s->expect_cpus = -1;
            return true;
        }
        if (!parse_uint(c, "expect cpus", v, 0, 64, &n))
            return false;
        s->expect_cpus = (int)n;
    } else if (!strcmp(key, "panic")) {
        g_free(s->expect_panic);
        s->expect_panic = unquote(v);
    } else if (!strcmp(key, "dump")) {
        static const char *const names[] = {"any", "kdump", "pvpanic", "hypervisor", "none", NULL};
        for (int i = 0; names[i]; i++)
            if (!strcmp(v, names[i])) {
                s->expect_dump = (DlDumpSource)i;
                return true;
            }
        return bad(c, "expect dump: '%s' is not any, kdump, pvpanic, hypervisor or none", v);
    } else if (!strcmp(key, "text_change")) {
        g_autofree char *why = NULL;
        if (dl_scenario_watch_key(s, "expect text_change", v, &why) != 1)
            return bad(c, "%s", why);
    } else if (!strcmp(key, "failure_action")) {
        DlKdumpAction a;
        if (!dl_kdump_action_from_name(v, &a))
            return bad(c,
                       "expect failure_action: '%s' is not reboot, halt, poweroff, shell or "
                       "dump_to_rootfs",
                       v);
        g_free(s->expect_failure_action);
        s->expect_failure_action = g_strdup(v);
    } else {
        return bad(c,
                   "unknown expectation '%s' (verdict, phase, cpus, panic, dump, text_change, "
                   "failure_action)",
                   key);
    }
    return true;
}

static bool set_key(Ctx *c, DlScenario *s, const char *key, const char *v)
{
    guint64 n;
    if (!strcmp(key, "name")) {
        if (!*v || strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
                       strlen(v))
            return bad(c, "name: '%s' may only hold letters, digits, '-', '_' and '.'", v);
        g_free(s->name);
        s->name = g_strdup(v);
    } else if (!strcmp(key, "description")) {
        g_free(s->description);
        s->description = unquote(v);
    } else if (!strcmp(key, "kernel")) {
        /* linux-source-6.1: Linux/ia64 built from Debian's source (arch = ia64) */
        s->ia64_linux = !strcmp(v, "linux-source-6.1");
        if (!g_str_has_prefix(v, "linux-image-") && !s->ia64_linux)
            return bad(c, "kernel: '%s' is not a linux-image-* package or linux-source-6.1", v);
        g_free(s->kernel_package);
        s->kernel_package = g_strdup(v);
    } else if (!strcmp(key, "vcpus")) {
        if (!parse_uint(c, key, v, 1, 64, &n))
            return false;
        s->vcpus = (unsigned)n;
    } else if (!strcmp(key, "memory")) {
        return parse_memory(c, v, &s->memory_mib);
    } else if (!strcmp(key, "crashkernel")) {
        g_free(s->crashkernel);
        s->crashkernel = g_strdup(!strcmp(v, "none") ? "" : v);
    } else if (!strcmp(key, "cmdline")) {
        g_free(s->cmdline);
        s->cmdline = unquote(v);
    } else if (!strcmp(key, "crash_cmdline")) {
        g_free(s->crash_cmdline);
        s->crash_cmdline = unquote(v);
    } else if (!strcmp(key, "accel")) {
        if (!strcmp(v, "auto"))
            s->accel = DL_SCN_ACCEL_AUTO;
        else if (!strcmp(v, "kvm"))
            s->accel = DL_SCN_ACCEL_KVM;
        else if (!strcmp(v, "tcg"))
            s->accel = DL_SCN_ACCEL_TCG;
        else
            return bad(c, "accel: '%s' is not auto, kvm or tcg", v);
    } else if (!strcmp(key, "load")) {
        if (!strcmp(v, "kexec_load"))
            s->load = DL_LOAD_KEXEC;
        else if (!strcmp(v, "kexec_file_load"))
            s->load = DL_LOAD_KEXEC_FILE;
        else
            return bad(c, "load: '%s' is not kexec_load or kexec_file_load", v);
    } else if (!strcmp(key, "boot")) {
        if (strcmp(v, "bzimage") && strcmp(v, "pvh"))
            return bad(c, "boot: '%s' is not bzimage or pvh", v);
        s->boot_pvh = !strcmp(v, "pvh");
    } else if (!strcmp(key, "armed")) {
        return parse_bool(c, key, v, &s->armed);
    } else if (!strcmp(key, "hv_dump")) {
        return parse_bool(c, key, v, &s->hv_dump);
    } else if (!strcmp(key, "fault")) {
        if (!strcmp(v, "init")) { /* IA-64 only; checked once arch is known */
            s->ia64_init = true;
            s->fault = DL_FAULT_PANIC;
            return true;
        }
        if (!dl_fault_from_name(v, &s->fault)) {
            g_autoptr(GString) all = g_string_new(NULL);
            for (int i = 0; i < DL_FAULT_COUNT; i++)
                g_string_append_printf(all, "%s%s", i ? " " : "", dl_fault_name(i));
            return bad(c, "fault: unknown fault '%s' (one of: %s)", v, all->str);
        }
    } else if (!strcmp(key, "fault_cpu")) {
        if (!strcmp(v, "any")) {
            s->fault_cpu = -1;
            return true;
        }
        if (!parse_uint(c, key, v, 0, 63, &n))
            return false;
        s->fault_cpu = (int)n;
    } else if (!strcmp(key, "markers")) {
        if (!parse_uint(c, key, v, 0, 65536, &n))
            return false;
        s->marker_pages = (unsigned)n;
    } else if (!strcmp(key, "seed")) {
        if (!parse_uint(c, key, v, 0, G_MAXUINT64, &n))
            return false;
        s->seed = n;
    } else if (!strcmp(key, "arch")) {
        if (strcmp(v, "x86_64") && strcmp(v, "ia64"))
            return bad(c, "arch: '%s' is not x86_64 or ia64", v);
        s->ia64 = !strcmp(v, "ia64");
    } else if (!strcmp(key, "platform")) {
        if (strcmp(v, "sim") && strcmp(v, "qemu"))
            return bad(c, "platform: '%s' is not sim or qemu", v);
        s->ia64_qemu = !strcmp(v, "qemu");
    } else if (!strcmp(key, "irqoff_cpus")) {
        g_auto(GStrv) cpus = g_strsplit(v, ",", -1);
        for (int i = 0; cpus[i]; i++) {
            if (!parse_uint(c, key, g_strstrip(cpus[i]), 0, 63, &n))
                return false;
            s->irqoff_mask |= 1ULL << n;
        }
    } else if (!strcmp(key, "stop")) {
        if (strcmp(v, "init-all") && strcmp(v, "ipi-then-init"))
            return bad(c, "stop: '%s' is not init-all or ipi-then-init", v);
        s->stop = g_strdup(v);
    } else if (!strcmp(key, "init_order")) {
        if (strcmp(v, "all")) {
            g_auto(GStrv) cpus = g_strsplit(v, ",", -1);
            for (int i = 0; cpus[i]; i++)
                if (!parse_uint(c, key, g_strstrip(cpus[i]), 0, 63, &n))
                    return false;
        }
        s->init_order = g_strdup(v);
    } else if (!strcmp(key, "variant")) {
        /* capture-scribble: a test hook, the capture kernel writes outside
         * Xs..Xe (the proofs must catch it) */
        if (strcmp(v, "purge-before-switch") && strcmp(v, "no-iosapic-mask") &&
            strcmp(v, "capture-scribble"))
            return bad(c,
                       "variant: '%s' is not purge-before-switch, no-iosapic-mask or "
                       "capture-scribble",
                       v);
        s->variant = g_strdup(v);
    } else if (!strcmp(key, "kdump_conf")) {
        g_autofree char *dir = g_path_get_dirname(c->path);
        g_autofree char *f = unquote(v);
        s->kdump_conf = g_path_is_absolute(f) ? g_strdup(f) : g_build_filename(dir, f, NULL);
    } else if (!strcmp(key, "kdump_cmdline_append")) {
        s->kdump_cmdline_append = unquote(v);
    } else if (!strcmp(key, "kdump_cmdline_remove")) {
        s->kdump_cmdline_remove = unquote(v);
    } else if (!strcmp(key, "kdump_target_fault")) {
        if (strcmp(v, "down") && strcmp(v, "full"))
            return bad(c, "kdump_target_fault: '%s' is not down or full", v);
        s->kdump_target_fault = g_strdup(v);
    } else if (!strcmp(key, "timeout_scale")) {
        char *end = NULL;
        double d = g_ascii_strtod(v, &end);
        if (*end || d <= 0 || d > 100)
            return bad(c, "timeout_scale: '%s' is not a number in (0, 100]", v);
        s->timeout_scale = d;
    } else {
        g_autofree char *why = NULL;
        int taken = dl_scenario_watch_key(s, key, v, &why);
        if (taken == 0)
            return bad(c, "%s", why);
        if (taken < 0)
            return bad(c, "unknown key '%s'", key);
    }
    return true;
}

/* The IA-64 keys belong to arch = ia64, and an IA-64 scenario has the
 * model's limits: 1..8 CPUs, 0..64 marker pages, fault panic or init. */
static bool ia64_rules(DlScenario *s, const char *path, GError **err)
{
    if (!s->ia64) {
        const char *key = s->ia64_init     ? "fault = init"
                          : s->ia64_linux  ? "kernel = linux-source-6.1"
                          : s->irqoff_mask ? "irqoff_cpus"
                          : s->stop        ? "stop"
                          : s->init_order  ? "init_order"
                          : s->variant     ? "variant"
                          : s->ia64_qemu   ? "platform = qemu"
                                           : NULL;
        if (key)
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: %s needs arch = ia64", path, key);
        return key == NULL;
    }
    if (s->ia64_linux) {
        /* Linux's own kdump: sysrq-c or a panic (LKDTM's PANIC) from its
         * init on fault_cpu, stop-irqoff (every other CPU spinning with
         * interrupts off, then the panic), or the platform INIT. */
        if (s->fault != DL_FAULT_SYSRQ_C && s->fault != DL_FAULT_PANIC &&
            s->fault != DL_FAULT_STOP_IRQOFF) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: a linux-source-6.1 scenario's fault is sysrq-c, panic, stop-irqoff "
                        "or init",
                        path);
            return false;
        }
        if (s->stop || s->init_order || s->variant) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: kernel = linux-source-6.1 runs without stop, init_order or "
                        "variant (the model's own guests' keys)",
                        path);
            return false;
        }
        guint64 all = s->vcpus >= 64 ? ~0ULL : (1ULL << s->vcpus) - 1;
        if (s->fault == DL_FAULT_STOP_IRQOFF && !s->irqoff_mask) {
            if (s->fault_cpu < 0)
                s->fault_cpu = 0;
            if (s->fault_cpu < 64)
                s->irqoff_mask = all & ~(1ULL << s->fault_cpu);
        }
        /* The init performs the fault and must keep a CPU whose
         * interrupts stay on (irqoff.c). */
        if (s->irqoff_mask && (s->irqoff_mask & all) == all) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: irqoff_cpus must leave one CPU for the guest's init", path);
            return false;
        }
        if (s->fault_cpu >= 0 && s->fault_cpu < 64 && ((s->irqoff_mask >> s->fault_cpu) & 1)) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "%s: fault_cpu %d is one of irqoff_cpus: it would spin, never fault", path,
                        s->fault_cpu);
            return false;
        }
        /* Unset: the first CPU the init may run on. */
        while (s->fault_cpu < 0 || ((s->irqoff_mask >> s->fault_cpu) & 1))
            s->fault_cpu++;
    } else if (s->fault != DL_FAULT_PANIC) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: an ia64 scenario's fault is panic or init",
                    path);
        return false;
    }
    if (s->ia64_qemu && s->init_order) {
        /* inject-nmi raises INIT on every CPU at once; no order to enforce */
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: init_order needs platform = sim (QEMU's INIT reaches every CPU at once)",
                    path);
        return false;
    }
    if (s->vcpus > 8 || s->marker_pages > 64) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: the IA-64 model runs 1..8 CPUs and 0..64 marker pages", path);
        return false;
    }
    if (s->irqoff_mask >> s->vcpus) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: irqoff_cpus names a CPU beyond vcpus",
                    path);
        return false;
    }
    if (!s->stop)
        s->stop = g_strdup("init-all");
    if (s->fault_cpu < 0)
        s->fault_cpu = 0;
    /* The model's own guests: its memory snapshot is the cross-check. Linux
     * under qemu-system-ia64 is dumped by libvirt (unless hv_dump = no). */
    if (!(s->ia64_linux && s->ia64_qemu))
        s->hv_dump = false;
    return true;
}

DlScenario *dl_scenario_parse(const char *text, const char *path, GError **err)
{
    g_autoptr(DlScenario) s = g_new0(DlScenario, 1);
    g_autofree char *base = g_path_get_basename(path);
    if (g_str_has_suffix(base, ".scn"))
        base[strlen(base) - 4] = 0;
    s->name = g_strdup(base);
    s->path = g_strdup(path);
    s->kernel_package = g_strdup("linux-image-amd64");
    s->vcpus = 2;
    s->memory_mib = 1024;
    s->crashkernel = g_strdup("256M");
    s->armed = true;
    s->hv_dump = true;
    s->sysctls = g_ptr_array_new_with_free_func((GDestroyNotify)sysctl_free);
    s->fault = DL_FAULT_COUNT;
    s->fault_cpu = -1;
    s->seed = 1;
    s->timeout_scale = 1.0;
    s->expect_cpus = -2; /* not given: the vCPU count */
    s->expect_dump = DL_DUMP_COUNT_UNSET;

    Ctx c = {.path = path, .err = err};
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        c.line = i + 1;
        char *l = g_strstrip(lines[i]);
        if (!*l || *l == '#')
            continue;
        char *eq = strchr(l, '=');
        if (!eq) {
            bad(&c, "expected 'key = value', got '%s'", l);
            return NULL;
        }
        *eq = 0;
        char *key = g_strstrip(l), *value = g_strstrip(eq + 1);
        if (!*key) {
            bad(&c, "missing key before '='");
            return NULL;
        }
        if (g_str_has_prefix(key, "sysctl ") || g_str_has_prefix(key, "sysctl\t")) {
            char *k = g_strstrip(key + 7);
            if (!valid_sysctl_key(k)) {
                bad(&c, "sysctl: '%s' is not a sysctl name (e.g. kernel.panic_on_oops)", k);
                return NULL;
            }
            if (!*value) {
                bad(&c, "sysctl %s: missing value", k);
                return NULL;
            }
            DlSysctl *sc = g_new0(DlSysctl, 1);
            sc->key = g_strdup(k);
            sc->value = unquote(value);
            g_ptr_array_add(s->sysctls, sc);
            continue;
        }
        if (g_hash_table_contains(seen, key)) {
            bad(&c, "'%s' given twice", key);
            return NULL;
        }
        g_hash_table_add(seen, g_strdup(key));
        if (!*value && strcmp(key, "cmdline") && strcmp(key, "crash_cmdline")) {
            bad(&c, "%s: missing value", key);
            return NULL;
        }
        bool ok;
        if (g_str_has_prefix(key, "expect ") || g_str_has_prefix(key, "expect\t"))
            ok = set_expect(&c, s, g_strstrip(key + 7), value);
        else
            ok = set_key(&c, s, key, value);
        if (!ok)
            return NULL;
    }
    c.line = 0;
    if (s->fault == DL_FAULT_COUNT && !s->monitor_text) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: no 'fault =' line: a scenario needs a fault", path);
        return NULL;
    }
    if (!ia64_rules(s, path, err) || !dl_scenario_watch_rules(s, path, err))
        return NULL;
    if (s->fault_cpu >= (int)s->vcpus) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: fault_cpu %d does not exist with %u vCPU%s",
                    path, s->fault_cpu, s->vcpus, s->vcpus == 1 ? "" : "s");
        return NULL;
    }
    if (s->armed && !*s->crashkernel) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: kdump is armed but crashkernel = none (say 'armed = no')", path);
        return NULL;
    }
    if (s->fault == DL_FAULT_MARKERS && !s->marker_pages) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: fault markers needs 'markers = N' (N > 0)",
                    path);
        return NULL;
    }
    if (s->kdump_conf) {
        s->kdump = dl_kdumpconf_load(s->kdump_conf, err);
        if (!s->kdump) {
            g_prefix_error(err, "%s: kdump_conf: ", path);
            return NULL;
        }
    }
    if (s->expect_failure_action && !s->kdump) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: expect failure_action needs kdump_conf (the action is kdump.conf's)",
                    path);
        return NULL;
    }
    if (s->expect_cpus == -2)
        s->expect_cpus = (int)s->vcpus;
    if (s->expect_dump == DL_DUMP_COUNT_UNSET)
        s->expect_dump = s->armed ? DL_DUMP_KDUMP : DL_DUMP_ANY;
    return g_steal_pointer(&s);
}

DlScenario *dl_scenario_load(const char *path, GError **err)
{
    g_autofree char *text = dl_read_text_file(path, "scenario", err);
    return text ? dl_scenario_parse(text, path, err) : NULL;
}

bool dl_scenario_needs_module(const DlScenario *s)
{
    return dl_fault_origin(s->fault) == DL_ORIGIN_MODULE || s->marker_pages > 0;
}
