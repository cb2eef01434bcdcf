/* ia64dis: the model's own disassembly of a raw file of bundles, one slot
 * per line ("ADDR TEXT", ";;" after a stop), for comparison with
 * ia64-linux-gnu-objdump (tests/run-decode.sh).
 *   ia64dis FILE [BASE] */
#include "ia64/decode.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: ia64dis FILE [BASE]\n");
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
