/* Kernel symbols and patch sites (ksyms.h). */
#include "dumplab/ksyms.h"
#include "dumplab/error.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A jump label entry as x86-64 Linux lays it out (struct jump_entry with
 * CONFIG_HAVE_ARCH_JUMP_LABEL_RELATIVE): code and target relative to the
 * field, then the key. */
#define JUMP_ENTRY_SIZE 16

static void sym_clear(gpointer p)
{
    g_free(((DlKsym *)p)->name);
}

static int by_addr(const void *a, const void *b)
{
    const DlKsym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static DlKsyms *ksyms_new(void)
{
    DlKsyms *k = g_new0(DlKsyms, 1);
    k->syms = g_array_new(FALSE, FALSE, sizeof(DlKsym));
    g_array_set_clear_func(k->syms, sym_clear);
    k->jump = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    k->mcount = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    k->scall = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    return k;
}

static void ksyms_index(DlKsyms *k)
{
    g_array_sort(k->syms, by_addr);
    g_array_sort(k->jump, u64_cmp);
    g_array_sort(k->mcount, u64_cmp);
    k->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < k->syms->len; i++) {
        DlKsym *s = &g_array_index(k->syms, DlKsym, i);
        g_hash_table_insert(k->by_name, s->name, s);
    }
}

void dl_ksyms_free(DlKsyms *k)
{
    if (!k)
        return;
    if (k->by_name)
        g_hash_table_unref(k->by_name);
    g_array_unref(k->syms);
    g_array_unref(k->jump);
    g_array_unref(k->mcount);
    g_array_unref(k->scall);
    g_free(k);
}

/* The bytes at link-time address va..va+len from the section holding them. */
static const uint8_t *elf_bytes(Elf *e, uint64_t va, uint64_t len)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_ALLOC))
            continue;
        if (va < sh.sh_addr || va - sh.sh_addr > sh.sh_size || len > sh.sh_size - (va - sh.sh_addr))
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d || !d->d_buf || d->d_size != sh.sh_size)
            return NULL;
        return (const uint8_t *)d->d_buf + (va - sh.sh_addr);
    }
    return NULL;
}

static bool load_elf(DlKsyms *k, int fd, const char *path, GError **err)
{
    elf_version(EV_CURRENT);
    Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
    if (!e || elf_kind(e) != ELF_K_ELF) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: not an ELF file: %s", path, elf_errmsg(-1));
        if (e)
            elf_end(e);
        return false;
    }
    Elf_Scn *scn = NULL;
    bool have_symtab = false;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d || !sh.sh_entsize)
            break;
        have_symtab = true;
        size_t n = sh.sh_size / sh.sh_entsize;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym s;
            if (!gelf_getsym(d, (int)i, &s) || !s.st_name || s.st_shndx == SHN_UNDEF)
                continue;
            int t = GELF_ST_TYPE(s.st_info);
            if (t != STT_FUNC && t != STT_NOTYPE && t != STT_OBJECT)
                continue;
            const char *name = elf_strptr(e, sh.sh_link, s.st_name);
            if (!name || !*name || name[0] == '$')
                continue;
            DlKsym ks = {s.st_value, s.st_size, g_strdup(name)};
            g_array_append_val(k->syms, ks);
        }
        break;
    }
    if (!have_symtab) {
        elf_end(e);
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: no symbol table (a stripped vmlinux; use the -dbg package's)", path);
        return false;
    }
    ksyms_index(k);
    /* The patch sites, between the linker's start/stop symbols. */
    uint64_t js = dl_ksyms_addr(k, "__start___jump_table"),
             je = dl_ksyms_addr(k, "__stop___jump_table");
    const uint8_t *jt = js && je > js ? elf_bytes(e, js, je - js) : NULL;
    for (uint64_t o = 0; jt && o + JUMP_ENTRY_SIZE <= je - js; o += JUMP_ENTRY_SIZE) {
        int32_t code;
        memcpy(&code, jt + o, 4);
        uint64_t site = js + o + (int64_t)code;
        g_array_append_val(k->jump, site);
    }
    uint64_t ms = dl_ksyms_addr(k, "__start_mcount_loc"),
             me = dl_ksyms_addr(k, "__stop_mcount_loc");
    const uint8_t *mt = ms && me > ms ? elf_bytes(e, ms, me - ms) : NULL;
    for (uint64_t o = 0; mt && o + 8 <= me - ms; o += 8) {
        uint64_t site;
        memcpy(&site, mt + o, 8);
        if (site)
            g_array_append_val(k->mcount, site);
    }
    /* struct static_call_site { s32 addr; s32 key; }: addr relative to
     * itself. */
    uint64_t ss = dl_ksyms_addr(k, "__start_static_call_sites"),
             se = dl_ksyms_addr(k, "__stop_static_call_sites");
    const uint8_t *st = ss && se > ss ? elf_bytes(e, ss, se - ss) : NULL;
    for (uint64_t o = 0; st && o + 8 <= se - ss; o += 8) {
        int32_t rel;
        memcpy(&rel, st + o, 4);
        uint64_t site = ss + o + (int64_t)rel;
        g_array_append_val(k->scall, site);
    }
    g_array_sort(k->jump, u64_cmp);
    g_array_sort(k->mcount, u64_cmp);
    g_array_sort(k->scall, u64_cmp);
    elf_end(e);
    return true;
}

static bool load_map(DlKsyms *k, const char *path, GError **err)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, err))
        return false;
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        char type;
        char name[256];
        unsigned long long addr;
        if (sscanf(lines[i], "%llx %c %255s", &addr, &type, name) != 3)
            continue;
        DlKsym ks = {addr, 0, g_strdup(name)};
        g_array_append_val(k->syms, ks);
    }
    if (k->syms->len < 2) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: no symbols (Debian's image package ships a stub System.map; use the "
                    "-dbg package's vmlinux)",
                    path);
        return false;
    }
    ksyms_index(k);
    return true;
}

DlKsyms *dl_ksyms_load(const char *path, GError **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "opening %s", path);
        return NULL;
    }
    char magic[4] = {0};
    bool elf = pread(fd, magic, 4, 0) == 4 && !memcmp(magic, ELFMAG, SELFMAG);
    DlKsyms *k = ksyms_new();
    bool ok = elf ? load_elf(k, fd, path, err) : load_map(k, path, err);
    close(fd);
    if (!ok) {
        dl_ksyms_free(k);
        return NULL;
    }
    return k;
}

uint64_t dl_ksyms_addr(const DlKsyms *k, const char *name)
{
    const DlKsym *s = k->by_name ? g_hash_table_lookup(k->by_name, name) : NULL;
    return s ? s->addr : 0;
}

const DlKsym *dl_ksyms_lookup(const DlKsyms *k, uint64_t addr, uint64_t *off)
{
    guint lo = 0, hi = k->syms->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(k->syms, DlKsym, mid).addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    /* Several names at one address (aliases): the first with a size. */
    guint i = lo - 1;
    const DlKsym *s = &g_array_index(k->syms, DlKsym, i);
    for (guint j = i; j > 0 && g_array_index(k->syms, DlKsym, j).addr == s->addr; j--)
        if (g_array_index(k->syms, DlKsym, j).size) {
            s = &g_array_index(k->syms, DlKsym, j);
            break;
        }
    if (off)
        *off = addr - s->addr;
    return s;
}

bool dl_ksyms_site(const GArray *sites, uint64_t addr, unsigned len, uint64_t *site)
{
    /* The last site at or below addr + len - 1 that still reaches addr. */
    guint lo = 0, hi = sites->len;
    uint64_t last = addr + (len ? len - 1 : 0);
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(sites, uint64_t, mid) <= last)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (guint i = lo; i > 0; i--) {
        uint64_t s = g_array_index(sites, uint64_t, i - 1);
        /* A site is a 5-byte instruction (nop5, jmp/call rel32). */
        if (s + 5 <= addr)
            break;
        if (site)
            *site = s;
        return true;
    }
    return false;
}
