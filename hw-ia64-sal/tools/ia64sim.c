/* ia64sim: runs an IA-64 ELF (from ia64-linux-gnu-ld) on the platform model.
 * Prints the console on stdout; --regs and --trace add state lines. Exit
 * status: 0 the machine halted with code 0 (the program's explicit pass),
 * 1 halted with a non-zero code, 2 a CPU faulted, 3 bundle limit reached,
 * 4 every CPU idle (waiting for an interrupt or INIT), 5 every CPU stopped
 * itself (halt device +8) without a machine halt, 64 usage or load error. --enumerate-init-orders
 * runs the program once per order in which the CPUs can take the INIT (N! runs), prints one line
 * per run, and exits 0 only when every run exited 0 with exactly one monarch. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ia64/cli.h"
#include "ia64/decode.h"
#include "ia64/dumpdev.h"
#include "ia64/exec.h"
#include "ia64/firmware.h"
#include "ia64/loader.h"
#include "ia64/machine.h"
#include "ia64/platform.h"
#include "ia64/sim.h"

/* Fallbacks used when the platform (engineer B's src/platform) is not linked
 * in; its strong definitions replace these. */
__attribute__((weak)) int ia64_platform_setup(struct ia64_machine *m,
                                              const struct ia64_sim_config *cfg, char *err,
                                              size_t errlen)
{
    return 1;
}

__attribute__((weak)) void ia64_platform_teardown(struct ia64_machine *m)
{
}

__attribute__((weak)) int ia64_platform_hold_aps(struct ia64_machine *m)
{
    return -1;
}

__attribute__((weak)) int ia64_platform_init_stats(struct ia64_machine *m,
                                                   struct ia64_init_stats *st)
{
    return -1;
}

#define PER_CPU_AREA 0x10000ULL /* stack + backing store per CPU at the top of RAM */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ia64sim [--cpus N] [--mem SIZE[K|M|G]] [--seed S] [--max-bundles N]\n"
            "               [--init-at K] [--init-order C,C,... | --enumerate-init-orders]\n"
            "               [--ap-wakeup] [--append CMDLINE] [--initrd FILE] [--regs] [--trace]\n"
            "               [--dump FILE] [--init-on TEXT] [--quiet] program.elf\n");
}

static void trace_hook(void *opaque, struct ia64_cpu *cpu, uint64_t ip, const uint8_t bundle[16])
{
    if (!bundle) {
        printf("trace cpu%u 0x%016" PRIx64 " firmware entry\n", cpu->index, ip);
        return;
    }
    struct ia64_bundle b;
    ia64_decode_bundle(bundle, &b);
    printf("trace cpu%u 0x%016" PRIx64 " t%02x", cpu->index, ip, b.tmpl);
    for (unsigned s = 0; s < 3; s++) {
        char text[96];
        if (b.slot[s].op == IA64_OP_LX_SKIP)
            continue;
        ia64_disasm(&b.slot[s], ip, text, sizeof(text));
        printf("%s %s", s && b.slot[s].op != IA64_OP_LX_SKIP ? " ;" : "", text);
        if (b.stop[s])
            printf(" ;;");
    }
    printf("\n");
}

/* The start of the console, kept when runs are enumerated. */
struct console_buf {
    char text[64];
};

/* --init-on: a platform INIT to every CPU once the console shows TEXT,
 * as an operator pressing the INIT button after reading the console (or
 * the harness's inject-nmi after the guest said it is armed). */
static struct {
    const char *text;
    bool fired;
    size_t scanned;
} init_on;

static void watch_console(struct ia64_machine *m)
{
    if (!init_on.text || init_on.fired)
        return;
    size_t tl = strlen(init_on.text);
    size_t from = init_on.scanned > tl ? init_on.scanned - tl : 0;
    if (m->console && strstr(m->console + from, init_on.text)) {
        init_on.fired = true;
        for (unsigned i = 0; i < m->ncpus; i++)
            ia64_cpu_raise_init(&m->cpus[i]);
        fprintf(stderr,
                "ia64sim: INIT to every CPU after bundle %" PRIu64 " (console showed \"%s\")\n",
                m->total_bundles, init_on.text);
    }
    init_on.scanned = m->console_len;
}

static struct ia64_machine *console_machine;

static void console_hook(void *opaque, const char *buf, size_t len)
{
    fwrite(buf, 1, len, stdout);
    if (console_machine)
        watch_console(console_machine);
}

/* --dump: the dump device's image, written 0600 (it holds guest memory). */
static int write_dump(const char *path, const struct ia64_dumpdev *d)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        fprintf(stderr, "ia64sim: --dump %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t done = 0;
    while (done < d->size) {
        ssize_t w = write(fd, d->image + done, d->size - done);
        if (w <= 0) {
            fprintf(stderr, "ia64sim: --dump %s: %s\n", path, strerror(errno));
            close(fd);
            return -1;
        }
        done += (size_t)w;
    }
    close(fd);
    fprintf(stderr, "ia64sim: dump device wrote %zu bytes to %s (%s)\n", d->size, path,
            d->finished ? "finished" : "not finished by the guest");
    return 0;
}

/* --init-at without a platform: raise INIT on every CPU at bundle K. */
struct fallback {
    uint64_t init_at;
    bool armed;
};

static void fallback_after(void *opaque, struct ia64_cpu *cpu)
{
    struct fallback *fb = opaque;
    struct ia64_machine *m = cpu->machine;
    if (fb->armed && m->total_bundles >= fb->init_at) {
        fb->armed = false;
        for (unsigned i = 0; i < m->ncpus; i++)
            ia64_cpu_raise_init(&m->cpus[i]);
    }
}

static const char *state_name(enum ia64_cpu_state s)
{
    switch (s) {
    case IA64_CPU_RUNNING:
        return "running";
    case IA64_CPU_HALTED:
        return "halted";
    case IA64_CPU_FAULTED:
        return "faulted";
    case IA64_CPU_WAITING:
        return "waiting";
    case IA64_CPU_SLEEPING:
        return "sleeping";
    }
    return "?";
}

static void print_regs(struct ia64_cpu *c)
{
    unsigned n = c->index;
    unsigned sof = ia64_cfm_sof(c->cfm);
    printf("cpu%u state=%s bundles=%" PRIu64 "\n", n, state_name(c->state), c->bundles);
    printf("cpu%u ip=0x%" PRIx64 "\n", n, c->ip);
    printf("cpu%u psr=0x%" PRIx64 "\n", n, c->psr);
    printf("cpu%u cfm=0x%" PRIx64 "\n", n, c->cfm);
    for (unsigned r = 0; r < 32 + sof; r++) {
        uint64_t v;
        bool nat;
        ia64_gr_get(c, r, &v, &nat);
        printf("cpu%u r%u=0x%" PRIx64 "%s\n", n, r, v, nat ? " nat" : "");
    }
    for (unsigned p = 0; p < 64; p++)
        printf("cpu%u p%u=%d\n", n, p, ia64_pr(c, p));
    for (unsigned b = 0; b < 8; b++)
        printf("cpu%u b%u=0x%" PRIx64 "\n", n, b, c->br[b]);
    for (unsigned a = 0; a < 128; a++) {
        const char *nm = ia64_ar_name(a);
        if (nm)
            printf("cpu%u ar.%s=0x%" PRIx64 "\n", n, nm, c->ar[a]);
    }
    for (unsigned r = 0; r < 128; r++) {
        const char *nm = ia64_cr_name(r);
        if (nm)
            printf("cpu%u cr.%s=0x%" PRIx64 "\n", n, nm, c->cr[r]);
    }
    for (unsigned r = 0; r < 8; r++)
        printf("cpu%u rr%u=0x%" PRIx64 "\n", n, r, c->rr[r]);
}

struct run_opts {
    uint64_t max_bundles;
    bool regs, trace, quiet;
    bool ap_wakeup;              /* CPUs 1.. wait in SAL for AP_WAKEUP, then BOOT_RENDEZ */
    const char *dump;            /* map the dump device; its image goes to this file */
    struct console_buf *capture; /* non-NULL: keep the console, print nothing */
};

struct run_result {
    bool have_stats;
    struct ia64_init_stats stats;
};

/* The initrd goes just below the per-CPU stacks at the top of RAM, 64 KiB
 * aligned, and must not overlap any PT_LOAD of the program. */
static int place_boot_args(struct ia64_machine *m, const struct ia64_sim_config *cfg, char *err,
                           size_t errlen)
{
    uint64_t pa = 0, len = cfg->initrd_len;
    if (len) {
        uint64_t top = cfg->mem_size - cfg->ncpus * PER_CPU_AREA;
        if (len > top || ((top - len) & ~0xffffULL) < IA64_FW_MINSTATE_END) {
            snprintf(err, errlen, "initrd of %zu bytes does not fit in RAM", cfg->initrd_len);
            return -1;
        }
        pa = (top - len) & ~0xffffULL;
        const Elf64_Ehdr *eh = cfg->image;
        for (unsigned i = 0; i < eh->e_phnum; i++) {
            const Elf64_Phdr *ph = (const void *)((const char *)cfg->image + eh->e_phoff +
                                                  (size_t)i * eh->e_phentsize);
            if (ph->p_type == PT_LOAD && ph->p_paddr < pa + len && pa < ph->p_paddr + ph->p_memsz) {
                snprintf(err, errlen, "initrd at 0x%llx overlaps the program's PT_LOAD at 0x%llx",
                         (unsigned long long)pa, (unsigned long long)ph->p_paddr);
                return -1;
            }
        }
        memcpy(ia64_ram_ptr(m, pa, len), cfg->initrd, len);
    }
    if (!cfg->cmdline && !len)
        return 0;
    return ia64_fw_set_boot_args(m, cfg->cmdline, pa, len, err, errlen);
}

/* One run of the program on a fresh machine. Returns the exit status. */
static int run_once(struct ia64_sim_config *cfg, const struct run_opts *o, struct run_result *res)
{
    static struct ia64_machine m; /* large (TLBs of 64 CPUs): keep it off the stack */
    if (ia64_machine_init(&m, cfg->ncpus, cfg->mem_size)) {
        fprintf(stderr, "ia64sim: cannot create a machine with %u CPUs and %llu bytes\n",
                cfg->ncpus, (unsigned long long)cfg->mem_size);
        return 64;
    }
    char err[256];
    if (ia64_load_elf(&m, cfg->image, cfg->image_len, &cfg->entry, err, sizeof(err))) {
        fprintf(stderr, "ia64sim: %s\n", err);
        ia64_machine_destroy(&m);
        return 64;
    }
    uint64_t top = cfg->mem_size;
    for (unsigned i = 0; i < cfg->ncpus; i++) {
        struct ia64_cpu *cpu = &m.cpus[i];
        uint64_t area = top - (i + 1) * PER_CPU_AREA;
        cpu->ip = cfg->entry;
        cpu->gr[12] = area + PER_CPU_AREA - 16;
        cpu->ar[IA64_AR_BSPSTORE] = cpu->ar[IA64_AR_BSP] = area;
    }
    struct fallback fb = {cfg->init_at, cfg->init_at_set};
    int prc = ia64_platform_setup(&m, cfg, err, sizeof(err));
    if (prc < 0) {
        fprintf(stderr, "ia64sim: platform setup: %s\n", err);
        ia64_machine_destroy(&m);
        return 64;
    }
    if (prc == 0 && place_boot_args(&m, cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "ia64sim: %s\n", err);
        ia64_platform_teardown(&m);
        ia64_machine_destroy(&m);
        return 64;
    }
    if (o->ap_wakeup && ia64_platform_hold_aps(&m) != 0) {
        fprintf(stderr, "ia64sim: --ap-wakeup needs the platform's SAL\n");
        ia64_platform_teardown(&m);
        ia64_machine_destroy(&m);
        return 64;
    }
    if (prc > 0) {
        if (cfg->seed_set && cfg->ncpus > 1 && !o->quiet)
            fprintf(stderr, "ia64sim: no platform scheduler linked in; --seed ignored\n");
        if (cfg->init_at_set) {
            m.hooks.opaque = &fb;
            m.hooks.after_bundle = fallback_after;
        }
    }
    static struct ia64_dumpdev dev;
    if (o->dump && ia64_dumpdev_init(&dev, &m, cfg->mem_size + (16ULL << 20)) != 0) {
        fprintf(stderr, "ia64sim: cannot map the dump device\n");
        ia64_platform_teardown(&m);
        ia64_machine_destroy(&m);
        return 64;
    }
    console_machine = &m;
    if (o->trace)
        m.hooks.trace = trace_hook;
    if (!o->capture && !m.hooks.console)
        m.hooks.console = console_hook; /* else the UART only fills m.console */

    enum ia64_stop stop = ia64_machine_run(&m, o->max_bundles);
    fflush(stdout);
    if (o->regs)
        for (unsigned i = 0; i < m.ncpus; i++)
            print_regs(&m.cpus[i]);

    int rc;
    /* A run whose guest did not finish the dump is not a pass. */
    bool dump_bad = o->dump && (write_dump(o->dump, &dev) != 0 || !dev.finished);
    if (o->dump)
        ia64_dumpdev_destroy(&dev);
    if (m.unclaimed_writes)
        fprintf(stderr,
                "ia64sim: %" PRIu64
                " writes to unclaimed physical addresses dropped (last 0x%" PRIx64 ")\n",
                m.unclaimed_writes, m.last_unclaimed_write);
    switch (stop) {
    case IA64_STOP_HALT:
        rc = m.halt_code == 0 ? 0 : 1;
        if (!m.halted) {
            /* Every CPU stopped itself and nobody halted the machine with a
             * result: not a pass, whatever the CPUs' codes (5), unless one
             * of them reported a failure (1). */
            rc = 5;
            for (unsigned i = 0; i < m.ncpus; i++)
                if (m.cpus[i].halt_code)
                    rc = 1;
            if (!o->quiet)
                fprintf(stderr, "ia64sim: every CPU stopped without a result (halt device +0)\n");
        }
        if (!o->quiet && m.powered_off)
            fprintf(stderr, "ia64sim: powered off (ACPI S5) after %" PRIu64 " bundles\n",
                    m.total_bundles);
        else if (!o->quiet)
            fprintf(stderr, "ia64sim: halted (code %d) after %" PRIu64 " bundles\n", m.halt_code,
                    m.total_bundles);
        break;
    case IA64_STOP_FAULT: {
        struct ia64_cpu *f = m.faulted;
        rc = 2;
        if (!o->capture)
            fprintf(stderr,
                    "ia64sim: cpu%u faulted: %s (vector 0x%" PRIx64 ", isr 0x%" PRIx64
                    ", ifa 0x%" PRIx64 ") at ip 0x%" PRIx64 " slot %u\n",
                    f->index, ia64_vector_name(f->fault_vector), f->fault_vector,
                    f->cr[IA64_CR_ISR], f->cr[IA64_CR_IFA], f->fault_ip, f->slot);
        break;
    }
    case IA64_STOP_LIMIT:
        rc = 3;
        if (!o->quiet)
            fprintf(stderr, "ia64sim: bundle limit (%" PRIu64 ") reached\n", o->max_bundles);
        break;
    default:
        rc = 4;
        if (!o->quiet)
            fprintf(stderr, "ia64sim: every CPU is idle after %" PRIu64 " bundles\n",
                    m.total_bundles);
        break;
    }
    if (dump_bad && rc == 0)
        rc = 1;
    if (o->capture) {
        size_t n = m.console_len < sizeof(o->capture->text) - 1 ? m.console_len
                                                                : sizeof(o->capture->text) - 1;
        for (size_t i = 0; i < n; i++)
            o->capture->text[i] = m.console[i] == '\n' || m.console[i] == '"' ? ' ' : m.console[i];
        o->capture->text[n] = 0;
    }
    if (res)
        res->have_stats = ia64_platform_init_stats(&m, &res->stats) == 0;
    ia64_platform_teardown(&m);
    ia64_machine_destroy(&m);
    return rc;
}

static void print_list(const unsigned *v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        printf("%s%u", i ? "," : "", v[i]);
}

/* Every order in which the CPUs can take the platform INIT, one run each:
 * the arrival order is forced (--init-order), what happened is read back
 * from SAL (who arrived when, who was made monarch) and from the program
 * (its exit status and console). */
static int enumerate_init_orders(struct ia64_sim_config *cfg, struct run_opts o)
{
    struct console_buf cb;
    o.capture = &cb;
    o.quiet = true;
    o.regs = o.trace = false;
    unsigned n = cfg->ncpus, runs = 0, good = 0;
    cfg->init_order_len = n;
    for (unsigned i = 0; i < n; i++)
        cfg->init_order[i] = i;
    do {
        struct run_result res = {0};
        int rc = run_once(cfg, &o, &res);
        if (rc == 64)
            return 64;
        runs++;
        const struct ia64_init_stats *st = &res.stats;
        bool one = res.have_stats && st->monarchs == 1 && st->narrivals == n;
        printf("order ");
        print_list(cfg->init_order, n);
        printf(": exit %d", rc);
        if (res.have_stats) {
            printf(", arrived ");
            print_list(st->arrivals, st->narrivals);
            printf(", monarchs %" PRIu64, st->monarchs);
            for (unsigned i = 0; i < n; i++)
                if ((st->monarch_mask >> i) & 1)
                    printf(" cpu%u", i);
            printf(", slaves %" PRIu64 ", resumes %" PRIu64 ", warm boots %" PRIu64, st->slaves,
                   st->resumes, st->warm_boots);
        } else {
            printf(", no platform");
        }
        printf(", console \"%s\"\n", cb.text);
        if (rc == 0 && one)
            good++;
    } while (ia64_cli_next_perm(cfg->init_order, n));
    printf("%u orders, %u exited 0 with exactly one monarch\n", runs, good);
    return good == runs ? 0 : 1;
}

int main(int argc, char **argv)
{
    enum { OPT_ENUMERATE = 256, OPT_AP_WAKEUP, OPT_APPEND, OPT_INITRD, OPT_DUMP, OPT_INIT_ON };
    static const struct option opts[] = {
        {"cpus", required_argument, NULL, 'c'},
        {"mem", required_argument, NULL, 'm'},
        {"seed", required_argument, NULL, 's'},
        {"max-bundles", required_argument, NULL, 'n'},
        {"init-at", required_argument, NULL, 'i'},
        {"regs", no_argument, NULL, 'r'},
        {"trace", no_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"init-order", required_argument, NULL, 'o'},
        {"enumerate-init-orders", no_argument, NULL, OPT_ENUMERATE},
        {"ap-wakeup", no_argument, NULL, OPT_AP_WAKEUP},
        {"append", required_argument, NULL, OPT_APPEND},
        {"initrd", required_argument, NULL, OPT_INITRD},
        {"dump", required_argument, NULL, OPT_DUMP},
        {"init-on", required_argument, NULL, OPT_INIT_ON},
        {NULL, 0, NULL, 0},
    };
    struct ia64_sim_config cfg = {.ncpus = 1, .mem_size = 64ULL << 20, .os_devices = true};
    struct run_opts o = {.max_bundles = 100000000};
    bool enumerate = false;
    uint64_t v;
    int c;

    while ((c = getopt_long(argc, argv, "c:m:s:n:i:o:rtqh", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (ia64_cli_parse_u64(optarg, &v, false) || v == 0 || v > IA64_MAX_CPUS) {
                fprintf(stderr, "ia64sim: --cpus must be 1..%d\n", IA64_MAX_CPUS);
                return 64;
            }
            cfg.ncpus = (unsigned)v;
            break;
        case 'm':
            if (ia64_cli_parse_u64(optarg, &cfg.mem_size, true) || cfg.mem_size < (1 << 20) ||
                cfg.mem_size > IA64_RAM_MAX) {
                fprintf(stderr, "ia64sim: bad --mem '%s' (1M .. 0x%llx)\n", optarg,
                        (unsigned long long)IA64_RAM_MAX);
                return 64;
            }
            break;
        case 's':
            if (ia64_cli_parse_u64(optarg, &cfg.seed, false)) {
                fprintf(stderr, "ia64sim: bad --seed '%s'\n", optarg);
                return 64;
            }
            cfg.seed_set = true;
            break;
        case 'n':
            if (ia64_cli_parse_u64(optarg, &o.max_bundles, false)) {
                fprintf(stderr, "ia64sim: bad --max-bundles '%s'\n", optarg);
                return 64;
            }
            break;
        case 'i':
            if (ia64_cli_parse_u64(optarg, &cfg.init_at, false)) {
                fprintf(stderr, "ia64sim: bad --init-at '%s'\n", optarg);
                return 64;
            }
            cfg.init_at_set = true;
            break;
        case 'r':
            o.regs = true;
            break;
        case 't':
            o.trace = true;
            break;
        case 'q':
            o.quiet = true;
            break;
        case 'o': {
            /* "2,0,3,1": the order in which the CPUs take a pending INIT */
            int n = ia64_cli_parse_list(optarg, cfg.init_order, IA64_MAX_CPUS, IA64_MAX_CPUS);
            if (n < 0) {
                fprintf(stderr, "ia64sim: bad --init-order '%s'\n", optarg);
                return 64;
            }
            cfg.init_order_len = (unsigned)n;
            break;
        }
        case OPT_ENUMERATE:
            enumerate = true;
            break;
        case OPT_AP_WAKEUP:
            o.ap_wakeup = true;
            break;
        case OPT_APPEND:
            cfg.cmdline = optarg;
            break;
        case OPT_DUMP:
            o.dump = optarg;
            break;
        case OPT_INIT_ON:
            if (!*optarg) {
                fprintf(stderr, "ia64sim: --init-on needs a non-empty text\n");
                return 64;
            }
            init_on.text = optarg;
            break;
        case OPT_INITRD: {
            void *data = ia64_cli_read_file(optarg, &cfg.initrd_len);
            if (!data) {
                fprintf(stderr, "ia64sim: --initrd %s: %s\n", optarg, strerror(errno));
                return 64;
            }
            cfg.initrd = data;
            break;
        }
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 64;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 64;
    }
    if (enumerate && (!cfg.init_at_set || cfg.ncpus > 8 || cfg.init_order_len)) {
        fprintf(stderr, "ia64sim: --enumerate-init-orders needs --init-at, at most 8 CPUs "
                        "(8! runs) and no --init-order\n");
        return 64;
    }
    const char *path = argv[optind];
    size_t len;
    void *image = ia64_cli_read_file(path, &len);
    if (!image) {
        fprintf(stderr, "ia64sim: %s: %s\n", path, strerror(errno));
        return 64;
    }
    cfg.image = image;
    cfg.image_len = len;
    int rc = enumerate ? enumerate_init_orders(&cfg, o) : run_once(&cfg, &o, NULL);
    if (rc == 64)
        fprintf(stderr, "ia64sim: %s: cannot run\n", path);
    free(image);
    return rc;
}
