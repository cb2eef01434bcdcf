/* ELF64 little-endian EM_IA_64 loader, written against the ELF spec with
 * explicit bounds checks (no libelf: the library depends on libc only). */
#include <stdio.h>
#include <string.h>

#include "ia64/loader.h"

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static int check_header(const uint8_t *b, size_t len, char *err, size_t errlen)
{
    if (len < 64 || memcmp(b, "\177ELF", 4) != 0) {
        snprintf(err, errlen, "not an ELF file");
        return -1;
    }
    if (b[4] != 2 || b[5] != 1) {
        snprintf(err, errlen, "not ELF64 little-endian");
        return -1;
    }
    if (rd(b + 18, 2) != 50) {
        snprintf(err, errlen, "not an IA-64 ELF (e_machine %u)", (unsigned)rd(b + 18, 2));
        return -1;
    }
    return 0;
}

int ia64_load_elf(struct ia64_machine *m, const void *image, size_t len, uint64_t *entry,
                  char *err, size_t errlen)
{
    const uint8_t *b = image;
    if (check_header(b, len, err, errlen))
        return -1;
    uint64_t phoff = rd(b + 32, 8);
    unsigned phentsize = (unsigned)rd(b + 54, 2), phnum = (unsigned)rd(b + 56, 2);
    if (phentsize < 56 || phoff > len || (uint64_t)phnum * phentsize > len - phoff) {
        snprintf(err, errlen, "program headers out of bounds");
        return -1;
    }
    unsigned loaded = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = b + phoff + (uint64_t)i * phentsize;
        if (rd(ph, 4) != 1 /* PT_LOAD */)
            continue;
        uint64_t off = rd(ph + 8, 8), paddr = rd(ph + 24, 8);
        uint64_t filesz = rd(ph + 32, 8), memsz = rd(ph + 40, 8);
        if (filesz > memsz || off > len || filesz > len - off) {
            snprintf(err, errlen, "segment %u out of bounds", i);
            return -1;
        }
        uint8_t *dst = ia64_ram_ptr(m, paddr, memsz);
        if (!dst) {
            snprintf(err, errlen,
                     "segment %u at 0x%llx+0x%llx does not fit in RAM (0x%llx bytes)", i,
                     (unsigned long long)paddr, (unsigned long long)memsz,
                     (unsigned long long)m->ram_size);
            return -1;
        }
        memcpy(dst, b + off, filesz);
        memset(dst + filesz, 0, memsz - filesz);
        loaded++;
    }
    if (!loaded) {
        snprintf(err, errlen, "no PT_LOAD segment");
        return -1;
    }
    *entry = rd(b + 24, 8);
    return 0;
}

int ia64_elf_symbol(const void *image, size_t len, const char *name, uint64_t *value)
{
    const uint8_t *b = image;
    char err[64];
    if (check_header(b, len, err, sizeof(err)))
        return -1;
    uint64_t shoff = rd(b + 40, 8);
    unsigned shentsize = (unsigned)rd(b + 58, 2), shnum = (unsigned)rd(b + 60, 2);
    if (shentsize < 64 || shoff > len || (uint64_t)shnum * shentsize > len - shoff)
        return -1;
    for (unsigned i = 0; i < shnum; i++) {
        const uint8_t *sh = b + shoff + (uint64_t)i * shentsize;
        if (rd(sh + 4, 4) != 2 /* SHT_SYMTAB */)
            continue;
        unsigned link = (unsigned)rd(sh + 40, 4);
        if (link >= shnum)
            return -1;
        const uint8_t *str = b + shoff + (uint64_t)link * shentsize;
        uint64_t soff = rd(sh + 24, 8), ssize = rd(sh + 32, 8);
        uint64_t stroff = rd(str + 24, 8), strsize = rd(str + 32, 8);
        if (soff > len || ssize > len - soff || stroff > len || strsize > len - stroff)
            return -1;
        for (uint64_t k = 0; k + 24 <= ssize; k += 24) {
            const uint8_t *sym = b + soff + k;
            uint64_t n = rd(sym, 4);
            if (n >= strsize)
                continue;
            const char *s = (const char *)b + stroff + n;
            size_t maxl = strsize - n;
            if (strnlen(s, maxl) < maxl && strcmp(s, name) == 0) {
                *value = rd(sym + 8, 8);
                return 0;
            }
        }
    }
    return -1;
}
