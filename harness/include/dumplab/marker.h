/* The marker-page pattern, shared by the guest's crash module (which writes
 * it) and the checker (which verifies it in the vmcore). Word i of the page
 * with frame number pfn holds marker_word(seed, pfn, i), little-endian; a page
 * holds 4096 / 8 words. Written with plain C types so that kernel code can
 * include it too. The mixer is splitmix64's finalizer: every bit of seed, pfn
 * and i moves about half of the output bits, so a page copied to another
 * frame, or from another run, does not match. */
#ifndef DUMPLAB_MARKER_H
#define DUMPLAB_MARKER_H

#define DL_MARKER_PAGE_SIZE 4096
#define DL_MARKER_WORDS (DL_MARKER_PAGE_SIZE / 8)

static inline unsigned long long dl_marker_word(unsigned long long seed, unsigned long long pfn,
                                                unsigned long long i)
{
    unsigned long long x = seed ^ (pfn * 0x9E3779B97F4A7C15ULL) ^ (i * 0xD1B54A32D192ED03ULL);
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

#endif
