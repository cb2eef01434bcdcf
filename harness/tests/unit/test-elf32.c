/* ELF32 cores, as kexec-tools --elf32-core-headers lays them out (x86_64
 * addresses cut to 32 bits, 64-bit notes): synthetic ones from coregen,
 * good and damaged, through the one reader and the checker. */
#include "dumplab/check.h"
#include "dumplab/coregen.h"
#include "tap.h"

#include <elf.h>
#include <glib/gstdio.h>
#include <string.h>

static char *tmpdir;

#define BASE                                                                                       \
    "class elf32\n"                                                                                \
    "layout kexec_load\n"                                                                          \
    "cpu pid=0 rip=0xffffffff81001000 rsp=0xffffc90000010000\n"                                    \
    "cpu pid=9 rip=0xffffffff81002000 rsp=0xffffc90000020000\n"                                    \
    "ram 0x1000-0x9ffff\n"                                                                         \
    "ram 0x100000-0x1ffffff\n"

static bool has_rule(const DlCheckResult *r, const char *rule)
{
    for (guint i = 0; r && i < r->findings->len; i++)
        if (!strcmp(((DlFinding *)g_ptr_array_index(r->findings, i))->rule, rule))
            return true;
    return false;
}

static void diag(const DlCheckResult *r)
{
    for (guint i = 0; r && i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        tap_diag("  %s %s: %s", dl_severity_name(f->sev), f->rule, f->message);
    }
}

/* Checks a generated core; *err_out gets the error when it cannot be read. */
static DlCheckResult *check(const char *name, const char *desc, int cpus, char **err_out)
{
    g_autofree char *p = g_build_filename(tmpdir, name, NULL);
    GError *e = NULL;
    if (!dl_coregen_write(desc, p, &e)) {
        *err_out = g_strdup(e->message);
        g_error_free(e);
        return NULL;
    }
    DlCheckInput in = {.expect_cpus = cpus};
    DlCheckResult *r = dl_check_vmcore(p, &in, &e);
    if (!r) {
        *err_out = g_strdup(e->message);
        g_error_free(e);
    }
    g_unlink(p);
    return r;
}

int main(void)
{
    tmpdir = g_dir_make_tmp("elf32-XXXXXX", NULL);
    g_autofree char *err = NULL;

    /* The reader: class, machine, program headers widened, registers. */
    g_autofree char *p = g_build_filename(tmpdir, "good", NULL);
    GError *e = NULL;
    bool made = dl_coregen_write(BASE, p, &e);
    g_autoptr(DlDump) d = made ? dl_dump_open(p, &e) : NULL;
    if (tap_ok(d != NULL, "a synthetic ELF32 x86_64 core opens: %s", e ? e->message : "yes")) {
        const DlEhdr *eh = dl_dump_ehdr(d);
        tap_ok(eh->elfclass == ELFCLASS32 && eh->ehsize == sizeof(Elf32_Ehdr) &&
                   !strcmp(dl_dump_format_name(d), "ELF32") && dl_dump_machine(d) == EM_X86_64,
               "named ELF32, EM_X86_64, a 52-byte header");
        GArray *cpus = dl_dump_cpus(d);
        tap_ok(cpus->len == 2 && g_array_index(cpus, DlCpuRegs, 1).rip == 0xffffffff81002000ULL,
               "its 64-bit NT_PRSTATUS notes are read in full (rip of note 1)");
        guint64 w = 0;
        tap_ok(dl_dump_read_phys(d, 0x123000, &w, 8, NULL) && w == 0x123,
               "guest-physical bytes through the 32-bit program headers");
    }
    g_clear_error(&e);
    g_unlink(p);

    g_autoptr(DlCheckResult) good = check("good", BASE, 2, &err);
    if (!tap_ok(good && good->defects == 0 && good->cpus->len == 2 &&
                    good->pages_verified == good->pages_present && good->pages_present > 8000,
                "a good ELF32 core: no defect, 2 CPUs, every page verified (%s)",
                good ? "checked" : err))
        diag(good);
    g_autoptr(DlCheckResult) more = check("more", BASE, 3, &err);
    tap_ok(more && more->defects >= 1, "the same core fails when a third CPU is expected");

    static const struct {
        const char *defect, *rule;
    } bad[] = {
        {"note-overrun", "note.overrun"},   {"load-overlap", "load.overlap"},
        {"bad-ehsize", "ehdr.ehsize"},      {"filesz-gt-memsz", "load.filesz"},
        {"bad-kaslr", "text.kaslr"},        {"truncate", "file.truncated"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *desc = !strcmp(bad[i].defect, "truncate")
                                    ? g_strdup(BASE "defect truncate\n")
                                    : g_strdup_printf(BASE "defect %s\n", bad[i].defect);
        g_clear_pointer(&err, g_free);
        g_autoptr(DlCheckResult) r = check(bad[i].defect, desc, 2, &err);
        if (!tap_ok(r && has_rule(r, bad[i].rule), "ELF32 with %s: defect %s (%s)", bad[i].defect,
                    bad[i].rule, r ? "checked" : err))
            diag(r);
    }
    g_rmdir(tmpdir);
    return tap_done();
}
