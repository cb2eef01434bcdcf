/* ia64kdump: runs the Kdump-for-IA-64 guests (guest-kernel/ia64) on the
 * model. One scenario: writes the vmcore the capture kernel produced
 * (0600) and a JSON result with what the model knows and the proofs.
 * --explore: boots once per CPU count and runs every case of the space
 * (INIT arrival order x panicking CPU x each CPU's PSR.i x stop method x
 * INIT arriving while another CPU is already in the handler), each in a
 * fork of the booted process, and proves every vmcore.
 * Exit: 0 every proof held, 1 a proof failed, 2 usage or I/O error. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../guest-kernel/ia64/layout.h"
#include "ia64/cli.h"
#include "ia64/kdump.h"

/* The CPUs that will take an INIT in a case. */
static unsigned init_receivers(const struct kd_case *c, unsigned ncpus, unsigned *out)
{
    unsigned n = 0;
    for (unsigned i = 0; i < ncpus; i++) {
        bool gets = c->fault == KD_FAULT_INIT || c->stop == KD_STOP_INIT_ALL ||
                    (((c->irqoff >> i) & 1) && i != c->fault_cpu);
        if (gets)
            out[n++] = i;
    }
    return n;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", f);
        else if (ch < 0x20 || ch >= 0x7f)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static const char *how_name(int how)
{
    static const char *n[] = {"none", "init", "stop-ipi", "panic"};
    return how >= 0 && how <= 3 ? n[how] : "?";
}

static int write_json(const char *path, struct kd_machine *k, const struct kd_case *c,
                      const struct kd_result *r, const struct kd_findings *f, bool pass,
                      const char *vmcore_path, const char *snap_path)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return -1;
    unsigned n = k->m.ncpus;
    fprintf(out, "{\n  \"arch\": \"ia64\",\n  \"platform\": \"sim\",\n  \"vcpus\": %u,\n", n);
    fprintf(out, "  \"fault\": \"%s\",\n  \"fault_cpu\": %u,\n",
            c->fault == KD_FAULT_PANIC ? "panic" : "init", c->fault_cpu);
    fprintf(out, "  \"stop\": \"%s\",\n  \"irqoff_mask\": %" PRIu64 ",\n",
            c->stop == KD_STOP_INIT_ALL ? "init-all" : "ipi-then-init", c->irqoff);
    fprintf(out, "  \"seed\": %" PRIu64 ",\n  \"markers\": %u,\n  \"variant\": %u,\n", k->boot.seed,
            k->boot.nmarkers, c->variant);
    fprintf(out, "  \"verdict\": \"%s\",\n", pass ? "PASS" : "FAIL");
    fprintf(out, "  \"vmcore\": ");
    json_str(out, vmcore_path ? vmcore_path : "");
    fprintf(out, ",\n  \"vmcore_bytes\": %zu,\n  \"bundles\": %" PRIu64 ",\n", r->vmcore_len,
            r->bundles);
    fprintf(out, "  \"capture_cpu\": %d,\n  \"expected_capture_cpu\": %d,\n", r->capture_cpu,
            kd_expected_capture(k, c, r));
    fprintf(out, "  \"halted_cpus\": [");
    for (unsigned i = 0, first = 1; i < n; i++)
        if ((r->halted_mask >> i) & 1) {
            fprintf(out, "%s%u", first ? "" : ", ", i);
            first = 0;
        }
    fprintf(out, "],\n  \"halted_at_capture\": [");
    for (unsigned i = 0, first = 1; i < n; i++)
        if ((r->halted_at_capture >> i) & 1) {
            fprintf(out, "%s%u", first ? "" : ", ", i);
            first = 0;
        }
    fprintf(out, "],\n  \"init_arrivals\": [");
    for (unsigned i = 0; i < r->narrivals; i++)
        fprintf(out, "%s%u", i ? ", " : "", r->arrivals[i]);
    fprintf(out, "],\n  \"cpus\": [\n");
    for (unsigned i = 0; i < n; i++) {
        const struct kd_cpu_fact *fa = &r->cpu[i];
        fprintf(out,
                "    {\"cpu\": %u, \"reached_by\": \"%s\", \"ip\": \"0x%" PRIx64
                "\", \"slot\": %u, \"psr\": \"0x%" PRIx64 "\", \"cfm\": \"0x%" PRIx64
                "\", \"bsp\": \"0x%" PRIx64 "\", \"psr_i_off\": %s}%s\n",
                i, how_name(fa->how), fa->ip, fa->slot, fa->psr, fa->cfm, fa->bsp,
                ((c->irqoff >> i) & 1) ? "true" : "false", i + 1 < n ? "," : "");
    }
    fprintf(out, "  ],\n  \"reserved\": {\"start\": \"0x%x\", \"end\": \"0x%x\"},\n", KD_XS, KD_XE);
    /* RAM when the capture kernel started (Xs..Xe left out: zeros) */
    fprintf(out, "  \"snapshot\": {\"taken\": %s, \"pages_compared\": %" PRIu64 ", \"path\": ",
            r->snapshot ? "true" : "false", f->pages_compared);
    json_str(out, snap_path && r->snapshot ? snap_path : "");
    fprintf(out, "},\n");
    fprintf(out,
            "  \"markers_checked\": %" PRIu64 ",\n  \"notes\": %u,\n  \"prstatus_notes\": %u,\n"
            "  \"vmcoreinfo_notes\": %u,\n  \"loads\": %u,\n",
            f->markers_checked, f->notes, f->prstatus, f->vmcoreinfo, f->loads);
    fprintf(out, "  \"stray_pages_outside_reserved\": %" PRIu64 ",\n", r->stray_pages);
    fprintf(out, "  \"stale_interrupts\": %" PRIu64 ",\n", r->stale_irqs);
    fprintf(out, "  \"itlb_miss_cpu\": %d,\n", r->itlb_miss_cpu);
    fprintf(out,
            "  \"device_interrupts\": {\"delivered\": %" PRIu64 ", \"masked\": %" PRIu64 "},\n",
            r->dev_delivered, r->dev_suppressed);
    fprintf(out, "  \"halt_code\": %d,\n  \"findings\": [", r->halt_code);
    for (unsigned i = 0; i < f->n; i++) {
        fprintf(out, "%s\n    ", i ? "," : "");
        json_str(out, f->text[i]);
    }
    fprintf(out, "%s],\n  \"console\": ", f->n ? "\n  " : "");
    json_str(out, r->console);
    fprintf(out, "\n}\n");
    return fclose(out) ? -1 : 0;
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    fchmod(fd, 0600); /* an existing file keeps its mode otherwise */
    for (size_t done = 0; done < len;) {
        ssize_t w = write(fd, buf + done, len - done);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)w;
    }
    return close(fd);
}

static int write_vmcore(const char *path, const struct kd_result *r)
{
    return write_file(path, r->vmcore, r->vmcore_len);
}

/* ---- exploration ---------------------------------------------------- */

struct verdict {
    uint32_t idx;
    int32_t pass;
    int32_t capture;
    char msg[200];
};

static size_t enumerate(unsigned n, struct kd_case *cases, size_t max, const struct kd_case *base)
{
    size_t count = 0;
    for (int fault = 0; fault < 2; fault++)
        for (unsigned fc = 0; fc < (fault == KD_FAULT_PANIC ? n : 1); fc++)
            for (uint64_t irq = 0; irq < (1ULL << n); irq++)
                for (int stop = 0; stop < (fault == KD_FAULT_PANIC ? 2 : 1); stop++) {
                    struct kd_case c = *base;
                    c.fault = (enum kd_fault)fault;
                    c.fault_cpu = fc;
                    c.irqoff = irq;
                    c.stop = (enum kd_stop)stop;
                    unsigned rec[KD_CPUS_MAX];
                    unsigned nr = init_receivers(&c, n, rec);
                    c.init_order_len = nr;
                    memcpy(c.init_order, rec, sizeof(rec));
                    do {
                        for (int late = 0; late < (nr >= 2 ? 2 : 1); late++) {
                            c.init_late = late;
                            if (count < max)
                                cases[count] = c;
                            count++;
                        }
                    } while (ia64_cli_next_perm(c.init_order, nr));
                }
    return count;
}

static void describe(const struct kd_case *c, char *buf, size_t len)
{
    int o = snprintf(
        buf, len, "%s cpu%u irqoff=0x%llx %s order=", c->fault == KD_FAULT_PANIC ? "panic" : "init",
        c->fault_cpu, (unsigned long long)c->irqoff,
        c->stop == KD_STOP_INIT_ALL ? "init-all" : "ipi-then-init");
    for (unsigned i = 0; i < c->init_order_len && o > 0 && (size_t)o < len; i++)
        o += snprintf(buf + o, len - (size_t)o, "%s%u", i ? "," : "", c->init_order[i]);
    if (o > 0 && (size_t)o < len)
        snprintf(buf + o, len - (size_t)o, "%s", c->init_late ? " late" : "");
}

#define IMAGE_CAP (8u << 20) /* a worker's dump device image */

/* One worker: runs cases w, w + jobs, ... each from the saved state, in
 * this process (restoring the state is a few memcpy; forking per case
 * would pay a page fault for every page a case writes, and page faults
 * are slow in a virtual machine). */
static void worker(struct kd_machine *k, const struct kd_state *st, const struct kd_case *cases,
                   size_t n, unsigned w, unsigned jobs, int fd)
{
    k->snap_buf = malloc(KD_RAM_SIZE);
    k->image_buf = malloc(IMAGE_CAP);
    k->image_cap = IMAGE_CAP;
    for (size_t i = w; i < n; i += jobs) {
        struct kd_result r;
        struct kd_findings f;
        struct verdict v = {.idx = (uint32_t)i};
        char err[200];
        kd_restore(k, st);
        if (!k->snap_buf || !k->image_buf) {
            snprintf(v.msg, sizeof(v.msg), "out of memory");
        } else if (kd_run_case(k, &cases[i], &r, err, sizeof(err))) {
            snprintf(v.msg, sizeof(v.msg), "%s", err);
        } else {
            v.pass = kd_verify(k, &cases[i], &r, &f);
            v.capture = r.capture_cpu;
            if (!v.pass)
                snprintf(v.msg, sizeof(v.msg), "%s", f.n ? f.text[0] : "?");
            kd_result_free(&r);
        }
        if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
            _exit(1);
    }
    _exit(0);
}

/* Runs cases[0..n) from the booted k with jobs worker processes; returns
 * the failures (a case without a verdict counts as failed). */
static size_t run_cases(struct kd_machine *k, const struct kd_case *cases, size_t n, unsigned jobs,
                        bool verbose)
{
    struct kd_state st;
    int p[2];
    if (kd_save(k, &st)) {
        fprintf(stderr, "ia64kdump: cannot save the booted machine\n");
        return n;
    }
    if (pipe(p)) {
        perror("ia64kdump: pipe");
        kd_state_free(&st);
        return n;
    }
    if (jobs > n)
        jobs = n ? (unsigned)n : 1;
    fflush(stdout);
    unsigned started = 0;
    for (unsigned w = 0; w < jobs; w++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            worker(k, &st, cases, n, w, jobs, p[1]);
        }
        if (pid < 0) {
            perror("ia64kdump: fork");
            break;
        }
        started++;
    }
    close(p[1]);
    size_t got = 0, failed = 0;
    struct verdict v;
    while (started && read(p[0], &v, sizeof(v)) == (ssize_t)sizeof(v)) {
        if (v.idx >= n)
            continue;
        got++;
        if (!v.pass) {
            failed++;
            if (failed <= 10 || verbose) {
                char d[160];
                describe(&cases[v.idx], d, sizeof(d));
                printf("# FAIL %s: %s\n", d, v.msg);
            }
        }
    }
    close(p[0]);
    for (unsigned w = 0; w < started; w++)
        wait(NULL);
    kd_state_free(&st);
    if (got < n)
        fprintf(stderr, "ia64kdump: %zu case(s) gave no verdict\n", n - got);
    return failed + (n - got);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int explore(const struct kd_boot_config *bc0, const unsigned *cpus, int ncpus_list,
                   const void *first, size_t flen, const void *cap, size_t clen, unsigned jobs,
                   const struct kd_case *base)
{
    size_t total = 0, failed = 0;
    double t0 = now();
    for (int i = 0; i < ncpus_list; i++) {
        struct kd_boot_config bc = *bc0;
        bc.ncpus = cpus[i];
        bc.dev_cpu = 0;
        static struct kd_machine k;
        char err[256];
        double tb = now();
        if (kd_boot(&k, &bc, first, flen, cap, clen, err, sizeof(err))) {
            fprintf(stderr, "ia64kdump: %u CPUs: %s\n", bc.ncpus, err);
            return 2;
        }
        size_t n = enumerate(bc.ncpus, NULL, 0, base);
        struct kd_case *cases = calloc(n, sizeof(*cases));
        if (!cases) {
            kd_teardown(&k);
            return 2;
        }
        enumerate(bc.ncpus, cases, n, base);
        double tr = now();
        size_t bad = run_cases(&k, cases, n, jobs, false);
        double te = now();
        printf("# %u CPUs: %zu cases, %zu failed, boot %.2f s, cases %.2f s\n", bc.ncpus, n, bad,
               tr - tb, te - tr);
        total += n;
        failed += bad;
        free(cases);
        kd_teardown(&k);
    }
    printf("explored %zu cases, %zu failed, %.2f s\n", total, failed, now() - t0);
    return failed ? 1 : 0;
}

/* ---- main ------------------------------------------------------------ */

static int run_one(struct kd_boot_config *bcp, struct kd_case *cp, bool all_orders, unsigned jobs,
                   const void *first, size_t flen, const void *cap, size_t clen,
                   bool proof_seed_set, uint64_t proof_seed, const char *vmcore_path,
                   const char *json_path, const char *snap_path);

/* --stage-blob: the preload image for QEMU's ia64-sal machine (0600),
 * and the capture kernel's entry on stdout (its pause-at address). */
static int stage_blob(struct kd_boot_config *bcp, const struct kd_case *c, uint64_t ram_mib,
                      const void *first, size_t flen, const void *cap, size_t clen,
                      const char *path)
{
    struct kd_boot_config bc = *bcp;
    uint8_t *blob = NULL;
    size_t len = 0;
    uint64_t entry = 0;
    char err[256];
    if (!ram_mib) {
        fprintf(stderr, "ia64kdump: --stage-blob needs --ram-mib (the QEMU machine's RAM)\n");
        return 2;
    }
    bc.dev_cpu = c->fault == KD_FAULT_PANIC ? c->fault_cpu : 0;
    if (kd_stage_blob(&bc, c, ram_mib << 20, first, flen, cap, clen, &blob, &len, &entry, err,
                      sizeof(err))) {
        fprintf(stderr, "ia64kdump: %s\n", err);
        return 2;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write(fd, blob, len) == (ssize_t)len;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    free(blob);
    if (!ok) {
        fprintf(stderr, "ia64kdump: %s: %s\n", path, strerror(errno));
        return 2;
    }
    printf("preload_addr=0x%x capture_entry=0x%llx\n", KD_CFG, (unsigned long long)entry);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: ia64kdump --first FIRST.elf --capture CAPTURE.elf [--cpus N] [--seed S]\n"
        "         [--fault panic|init] [--fault-cpu C] [--irqoff C,C] [--stop "
        "init-all|ipi-then-init]\n"
        "         [--init-order C,C,..|all] [--init-late] [--markers N] [--panic-after N]\n"
        "         [--variant purge-before-switch|no-iosapic-mask] [--vmcore PATH] [--json PATH]\n"
        "         [--snapshot PATH]\n"
        "       ia64kdump --stage-blob PATH --ram-mib M --first .. --capture .. [case options]\n"
        "         writes the preload blob for QEMU's ia64-sal machine, prints the capture entry\n"
        "       ia64kdump --explore --first .. --capture .. [--cpus-list 2,3,4] [--jobs J]\n");
}

int main(int argc, char **argv)
{
    enum {
        O_FIRST = 256,
        O_CAPTURE,
        O_FAULT,
        O_FAULT_CPU,
        O_IRQOFF,
        O_STOP,
        O_ORDER,
        O_LATE,
        O_MARKERS,
        O_PANIC_AFTER,
        O_VARIANT,
        O_VMCORE,
        O_JSON,
        O_EXPLORE,
        O_CPUS_LIST,
        O_JOBS,
        O_MAX,
        O_SEED,
        O_CPUS,
        O_PROOF_SEED,
        O_SNAPSHOT,
        O_STAGE_BLOB,
        O_RAM_MIB
    };
    static const struct option opts[] = {
        {"first", required_argument, NULL, O_FIRST},
        {"capture", required_argument, NULL, O_CAPTURE},
        {"cpus", required_argument, NULL, O_CPUS},
        {"seed", required_argument, NULL, O_SEED},
        {"fault", required_argument, NULL, O_FAULT},
        {"fault-cpu", required_argument, NULL, O_FAULT_CPU},
        {"irqoff", required_argument, NULL, O_IRQOFF},
        {"stop", required_argument, NULL, O_STOP},
        {"init-order", required_argument, NULL, O_ORDER},
        {"init-late", no_argument, NULL, O_LATE},
        {"markers", required_argument, NULL, O_MARKERS},
        {"panic-after", required_argument, NULL, O_PANIC_AFTER},
        {"variant", required_argument, NULL, O_VARIANT},
        {"vmcore", required_argument, NULL, O_VMCORE},
        {"json", required_argument, NULL, O_JSON},
        {"explore", no_argument, NULL, O_EXPLORE},
        {"cpus-list", required_argument, NULL, O_CPUS_LIST},
        {"jobs", required_argument, NULL, O_JOBS},
        {"max-bundles", required_argument, NULL, O_MAX},
        {"proof-seed", required_argument, NULL, O_PROOF_SEED},
        {"snapshot", required_argument, NULL, O_SNAPSHOT},
        {"stage-blob", required_argument, NULL, O_STAGE_BLOB},
        {"ram-mib", required_argument, NULL, O_RAM_MIB},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *first_path = NULL, *cap_path = NULL, *vmcore_path = NULL, *json_path = NULL,
               *snap_path = NULL, *blob_path = NULL;
    uint64_t ram_mib = 0;
    struct kd_boot_config bc = {.ncpus = 4, .seed = 1, .nmarkers = 16, .dev_period = 157};
    struct kd_case c = {
        .fault = KD_FAULT_PANIC, .panic_after = 20, .init_after = 600, .max_bundles = 20000000};
    bool do_explore = false, all_orders = false, proof_seed_set = false;
    uint64_t proof_seed = 0;
    unsigned cpus_list[8] = {2, 3, 4}, jobs = 2;
    int ncl = 3;
    uint64_t v;
    int o;
    int li = -1;
    while ((li = -1, o = getopt_long(argc, argv, "h", opts, &li)) != -1) {
        switch (o) {
        case O_FIRST:
            first_path = optarg;
            break;
        case O_CAPTURE:
            cap_path = optarg;
            break;
        case O_CPUS:
            if (ia64_cli_parse_u64(optarg, &v, false) || v < 1 || v > KD_CPUS_MAX)
                goto bad;
            bc.ncpus = (unsigned)v;
            break;
        case O_SEED:
            if (ia64_cli_parse_u64(optarg, &bc.seed, false))
                goto bad;
            break;
        case O_FAULT:
            if (!strcmp(optarg, "panic"))
                c.fault = KD_FAULT_PANIC;
            else if (!strcmp(optarg, "init"))
                c.fault = KD_FAULT_INIT;
            else
                goto bad;
            break;
        case O_FAULT_CPU:
            if (ia64_cli_parse_u64(optarg, &v, false) || v >= KD_CPUS_MAX)
                goto bad;
            c.fault_cpu = (unsigned)v;
            break;
        case O_IRQOFF: {
            unsigned l[KD_CPUS_MAX];
            int n = strcmp(optarg, "none")
                        ? ia64_cli_parse_list(optarg, l, KD_CPUS_MAX, KD_CPUS_MAX)
                        : 0;
            if (n < 0)
                goto bad;
            c.irqoff = 0;
            for (int i = 0; i < n; i++)
                c.irqoff |= 1ULL << l[i];
            break;
        }
        case O_STOP:
            if (!strcmp(optarg, "init-all"))
                c.stop = KD_STOP_INIT_ALL;
            else if (!strcmp(optarg, "ipi-then-init"))
                c.stop = KD_STOP_IPI_THEN_INIT;
            else
                goto bad;
            break;
        case O_ORDER: {
            if (!strcmp(optarg, "all")) {
                all_orders = true;
                break;
            }
            int n = ia64_cli_parse_list(optarg, c.init_order, KD_CPUS_MAX, KD_CPUS_MAX);
            if (n < 0)
                goto bad;
            c.init_order_len = (unsigned)n;
            break;
        }
        case O_LATE:
            c.init_late = true;
            break;
        case O_MARKERS:
            if (ia64_cli_parse_u64(optarg, &v, false) || v > KD_MAX_MARKERS)
                goto bad;
            bc.nmarkers = (unsigned)v;
            break;
        case O_PANIC_AFTER:
            if (ia64_cli_parse_u64(optarg, &c.panic_after, false) || c.panic_after == 0 ||
                c.panic_after > 1000000)
                goto bad;
            break;
        case O_VARIANT:
            if (!strcmp(optarg, "purge-before-switch"))
                c.variant |= KD_VAR_PURGE_BEFORE_SWITCH;
            else if (!strcmp(optarg, "no-iosapic-mask"))
                c.variant |= KD_VAR_NO_IOSAPIC_MASK;
            else if (!strcmp(optarg, "capture-scribble")) /* tests: the stray-write flag */
                c.variant |= KD_VAR_CAPTURE_SCRIBBLE;
            else if (strcmp(optarg, "none"))
                goto bad;
            break;
        case O_VMCORE:
            vmcore_path = optarg;
            break;
        case O_JSON:
            json_path = optarg;
            break;
        case O_SNAPSHOT:
            snap_path = optarg;
            break;
        case O_STAGE_BLOB:
            blob_path = optarg;
            break;
        case O_RAM_MIB:
            if (ia64_cli_parse_u64(optarg, &ram_mib, false) || ram_mib < 4 || ram_mib > 4096)
                goto bad;
            break;
        case O_EXPLORE:
            do_explore = true;
            break;
        case O_CPUS_LIST:
            ncl = ia64_cli_parse_list(optarg, cpus_list, 8, KD_CPUS_MAX);
            if (ncl <= 0)
                goto bad;
            for (int i = 0; i < ncl; i++)
                if (cpus_list[i] < 1)
                    goto bad;
            break;
        case O_JOBS:
            if (ia64_cli_parse_u64(optarg, &v, false) || v < 1 || v > 64)
                goto bad;
            jobs = (unsigned)v;
            break;
        case O_MAX:
            if (ia64_cli_parse_u64(optarg, &c.max_bundles, false) || c.max_bundles == 0)
                goto bad;
            break;
        case O_PROOF_SEED: /* tests: a marker proof that must fail */
            if (ia64_cli_parse_u64(optarg, &proof_seed, false))
                goto bad;
            proof_seed_set = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!first_path || !cap_path || optind != argc) {
        usage(stderr);
        return 2;
    }
    size_t flen, clen;
    void *first = ia64_cli_read_file(first_path, &flen), *cap = ia64_cli_read_file(cap_path, &clen);
    if (!first || !cap) {
        fprintf(stderr, "ia64kdump: cannot read %s: %s\n", !first ? first_path : cap_path,
                strerror(errno));
        free(first);
        free(cap);
        return 2;
    }
    if (blob_path) {
        int src = stage_blob(&bc, &c, ram_mib, first, flen, cap, clen, blob_path);
        free(first);
        free(cap);
        return src;
    }
    if (do_explore) {
        int erc = explore(&bc, cpus_list, ncl, first, flen, cap, clen, jobs, &c);
        free(first);
        free(cap);
        return erc;
    }
    int rrc = run_one(&bc, &c, all_orders, jobs, first, flen, cap, clen, proof_seed_set, proof_seed,
                      vmcore_path, json_path, snap_path);
    free(first);
    free(cap);
    return rrc;
bad:
    fprintf(stderr, "ia64kdump: bad value '%s' for --%s\n", optarg ? optarg : "",
            li >= 0 ? opts[li].name : "?");
    return 2;
}

/* One scenario (or, with init_order all, every order first): vmcore, JSON,
 * snapshot. */
static int run_one(struct kd_boot_config *bcp, struct kd_case *cp, bool all_orders, unsigned jobs,
                   const void *first, size_t flen, const void *cap, size_t clen,
                   bool proof_seed_set, uint64_t proof_seed, const char *vmcore_path,
                   const char *json_path, const char *snap_path)
{
    struct kd_boot_config bc = *bcp;
    struct kd_case c = *cp;

    if (c.fault_cpu >= bc.ncpus) {
        fprintf(stderr, "ia64kdump: fault CPU %u of %u CPUs\n", c.fault_cpu, bc.ncpus);
        return 2;
    }
    /* The device interrupts the CPU that will panic (or CPU 0). */
    bc.dev_cpu = c.fault == KD_FAULT_PANIC ? c.fault_cpu : 0;
    for (unsigned i = 0; i < c.init_order_len; i++)
        if (c.init_order[i] >= bc.ncpus) {
            fprintf(stderr, "ia64kdump: --init-order names cpu%u of %u\n", c.init_order[i],
                    bc.ncpus);
            return 2;
        }
    static struct kd_machine k;
    char err[256];
    if (kd_boot(&k, &bc, first, flen, cap, clen, err, sizeof(err))) {
        fprintf(stderr, "ia64kdump: %s\n", err);
        return 2;
    }
    if (proof_seed_set)
        k.proof_seed = proof_seed;
    int rc = 0;
    if (all_orders) {
        /* every arrival order of the CPUs that get INIT, early and late */
        unsigned rec[KD_CPUS_MAX];
        unsigned nr = init_receivers(&c, bc.ncpus, rec);
        size_t n = 0, max = 2 * 40320; /* 8! orders, early and late */
        struct kd_case *cases = calloc(max, sizeof(*cases));
        if (!cases) {
            kd_teardown(&k);
            return 2;
        }
        struct kd_case cc = c;
        cc.init_order_len = nr;
        memcpy(cc.init_order, rec, sizeof(rec));
        do {
            for (int late = 0; late < (nr >= 2 ? 2 : 1) && n < max; late++) {
                cc.init_late = late;
                cases[n++] = cc;
            }
        } while (ia64_cli_next_perm(cc.init_order, nr));
        double t0 = now();
        size_t bad = run_cases(&k, cases, n, jobs, true);
        printf("# init_order=all: %zu orders x early/late, %zu failed, %.2f s\n", n, bad,
               now() - t0);
        rc = bad ? 1 : 0;
        c = cases[0]; /* the vmcore and JSON below come from the first order */
        free(cases);
    }
    struct kd_result r;
    struct kd_findings f;
    if (kd_run_case(&k, &c, &r, err, sizeof(err))) {
        fprintf(stderr, "ia64kdump: %s\n", err);
        kd_teardown(&k);
        return 2;
    }
    bool pass = kd_verify(&k, &c, &r, &f);
    if (!pass)
        rc = 1;
    fputs(r.console, stdout);
    for (unsigned i = 0; i < f.n; i++)
        printf("# finding: %s\n", f.text[i]);
    printf("%s: capture cpu%d, %u NT_PRSTATUS, %" PRIu64 " pages compared, %" PRIu64
           " marker pages, %" PRIu64 " bundles\n",
           pass ? "PASS" : "FAIL", r.capture_cpu, f.prstatus, f.pages_compared, f.markers_checked,
           r.bundles);
    if (vmcore_path && r.vmcore_len && write_vmcore(vmcore_path, &r)) {
        fprintf(stderr, "ia64kdump: %s: %s\n", vmcore_path, strerror(errno));
        rc = 2;
    }
    if (snap_path && r.snapshot && write_file(snap_path, r.snapshot, k.m.ram_size)) {
        fprintf(stderr, "ia64kdump: %s: %s\n", snap_path, strerror(errno));
        rc = 2;
    }
    if (json_path &&
        write_json(json_path, &k, &c, &r, &f, pass, r.vmcore_len ? vmcore_path : NULL, snap_path)) {
        fprintf(stderr, "ia64kdump: %s: %s\n", json_path, strerror(errno));
        rc = 2;
    }
    kd_result_free(&r);
    kd_teardown(&k);
    return rc;
}
