/* Marker frames (dumplab.markers=N, dumplab.seed=S): N 4 KiB frames of the
 * first kernel's RAM filled with the pattern only (seed, frame number)
 * predicts (harness/include/dumplab/marker.h, the x86_64 crash module's
 * too), so that the harness can find each of them byte for byte in the
 * vmcore. The frames belong to locked pages of this process; their physical
 * addresses come from /proc/self/pagemap, and one console line per kernel
 * page names them: "marker pfn=0xP count=C" in 4 KiB frames. */
#include "init.h"

#include "dumplab/marker.h"

#define PAGEMAP_PRESENT (1UL << 63)
#define PAGEMAP_PFN ((1UL << 55) - 1)
/* A bound of the init's own, whatever the command line says. */
#define MAX_FRAMES 4096

long markers_fill(unsigned long seed, unsigned long frames)
{
    char num[24], num2[24];
    unsigned long psz = page_size();
    if (!psz || psz % DL_MARKER_PAGE_SIZE) {
        say("markers: no usable page size: ", utoa(psz, num, sizeof(num)));
        return -22;
    }
    if (frames == 0 || frames > MAX_FRAMES) {
        say("markers: frame count out of range: ", utoa(frames, num, sizeof(num)));
        return -22;
    }
    unsigned long per = psz / DL_MARKER_PAGE_SIZE;
    unsigned long pages = (frames + per - 1) / per;
    long buf = sys_mmap(pages * psz);
    if (buf < 0 && buf > -4096) {
        say("markers: cannot map a buffer: errno ", utoa((unsigned long)-buf, num, sizeof(num)));
        return buf;
    }
    /* Locked and touched: each page has its frame before pagemap is read,
     * and keeps it until the crash. */
    sys_mlock((void *)buf, pages * psz);
    memset((void *)buf, 0, pages * psz);
    long pm = sys_open("/proc/self/pagemap", O_RDONLY, 0);
    if (pm < 0) {
        say("markers: cannot open pagemap: errno ", utoa((unsigned long)-pm, num, sizeof(num)));
        return pm;
    }
    unsigned long left = frames;
    for (unsigned long p = 0; p < pages; p++) {
        unsigned long va = (unsigned long)buf + p * psz, e = 0;
        if (sys_pread((int)pm, &e, 8, (long)(va / psz * 8)) != 8 || !(e & PAGEMAP_PRESENT)) {
            sys_close((int)pm);
            say("markers: pagemap gives no frame for ", xtoa(va, num, sizeof(num)));
            return -5;
        }
        unsigned long pfn4 = (e & PAGEMAP_PFN) * per, n = left < per ? left : per;
        unsigned long long *w = (unsigned long long *)va;
        for (unsigned long f = 0; f < n; f++)
            for (unsigned long i = 0; i < DL_MARKER_WORDS; i++)
                w[f * DL_MARKER_WORDS + i] = dl_marker_word(seed, pfn4 + f, i);
        char line[80];
        unsigned long k = 0;
        for (const char *s = "marker pfn="; *s; s++)
            line[k++] = *s;
        for (const char *s = xtoa(pfn4, num, sizeof(num)); *s && k < 60; s++)
            line[k++] = *s;
        for (const char *s = " count="; *s; s++)
            line[k++] = *s;
        line[k] = 0;
        say(line, utoa(n, num2, sizeof(num2)));
        left -= n;
    }
    sys_close((int)pm);
    say("seed value=", utoa(seed, num, sizeof(num)));
    return 0;
}
