#!/usr/bin/env bash
# Full-check throughput (every page read, every compressed page
# decompressed) of a 1 GiB dump, as ratios measured in this run:
#  - uncompressed ELF: `dumplab check` against `cat FILE >/dev/null`;
#  - kdump-compressed (zlib, lzo, snappy, zstd): `dumplab check` against
#    pagedecomp, which only reads and decompresses the same pages with the
#    same library.
# The dump is BENCH_DUMP, else the newest runs/*/hv.vmcore (a real 1 GiB
# guest), else a synthetic 1 GiB core; the compressed copies are written by
# mkkdump with the real libraries. Page cache warm; best of 3.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
b=$root/build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=${BENCH_DUMP:-$(ls -t "$root"/runs/*/hv.vmcore 2>/dev/null | head -1 || true)}
if [ -z "$src" ]; then
    printf 'layout qemu\ncpu rip=0x1 rsp=0x1\nram 0x0-0x3fffffff\n' | "$b/bin/mkcore" - "$tmp/core"
    src=$tmp/core
fi
now() { date +%s.%N; }
best() { # best of 3 runs of "$@", seconds
    local t best=999
    for _ in 1 2 3; do
        local s=$(now)
        "$@" >/dev/null 2>&1 || true
        t=$(echo "$(now) - $s" | bc -l)
        best=$(echo "if ($t < $best) $t else $best" | bc -l)
    done
    echo "$best"
}
size=$(stat -c %s "$src")
printf 'dump: %s (%d MiB)\n' "$src" $((size >> 20))
cat "$src" >/dev/null
ref=$(best cat "$src")
chk=$(best "$b/dumplab" check "$src")
printf 'ELF:    cat %.2f s, dumplab check %.2f s (%.0f MiB/s) = %.2f x cat\n' "$ref" "$chk" \
    "$(echo "$size / 1048576 / $chk" | bc -l)" "$(echo "$chk / $ref" | bc -l)"
for c in zlib lzo snappy zstd; do
    "$b/bin/mkkdump" -c "$c" "$src" "$tmp/k.$c"
    cat "$tmp/k.$c" >/dev/null
    dec=999
    for _ in 1 2 3; do
        t=$("$b/bin/pagedecomp" "$tmp/k.$c" | awk '{print $2}')
        dec=$(echo "if ($t < $dec) $t else $dec" | bc -l)
    done
    chk=$(best "$b/dumplab" check "$tmp/k.$c")
    printf '%-7s %4d MiB file: decompress only %.2f s, dumplab check %.2f s (%.0f MiB/s of pages) = %.2f x decompress\n' \
        "$c:" $(($(stat -c %s "$tmp/k.$c") >> 20)) "$dec" "$chk" \
        "$(echo "$size / 1048576 / $chk" | bc -l)" "$(echo "$chk / $dec" | bc -l)"
    rm -f "$tmp/k.$c"
done
