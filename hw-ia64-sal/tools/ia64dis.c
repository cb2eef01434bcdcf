/* ia64dis: the model's own disassembly of a raw file of bundles, one slot
 * per line ("ADDR TEXT", ";;" after a stop), for comparison with
 * ia64-linux-gnu-objdump (tests/run-decode.sh).
 *   ia64dis FILE [BASE]
 *   ia64dis --random N SEED > FILE   writes N pseudo-random bundles (the same
 *                                    for the same seed): encodings no
 *                                    assembler source lists */
#include "ia64/decode.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int write_random(unsigned long n, uint64_t seed)
{
    uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
    for (unsigned long i = 0; i < n; i++) {
        uint64_t w[2] = {xorshift(&s), xorshift(&s)};
        uint8_t bytes[16];
        for (unsigned k = 0; k < 16; k++)
            bytes[k] = (uint8_t)(w[k / 8] >> (8 * (k % 8)));
        if (fwrite(bytes, 1, 16, stdout) != 16)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--random") == 0)
        return write_random(strtoul(argv[2], NULL, 0), strtoull(argv[3], NULL, 0));
    if (argc < 2) {
        fprintf(stderr, "usage: ia64dis FILE [BASE] | ia64dis --random N SEED\n");
        return 64;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 64;
    }
    uint64_t base = argc > 2 ? strtoull(argv[2], NULL, 0) : 0;
    uint8_t bytes[16];
    for (uint64_t ip = base; fread(bytes, 1, 16, f) == 16; ip += 16) {
        struct ia64_bundle b;
        ia64_decode_bundle(bytes, &b);
        for (unsigned s = 0; s < 3; s++) {
            char text[128];
            if (b.slot[s].op == IA64_OP_LX_SKIP)
                continue;
            ia64_disasm(&b.slot[s], ip, text, sizeof(text));
            printf("%" PRIx64 " %s%s\n", ip, text, b.stop[s] ? ";;" : "");
        }
    }
    fclose(f);
    return 0;
}
