#!/usr/bin/env bash
# Full-check throughput (every page read, every compressed page
# decompressed) of a 1 GiB dump, as ratios measured in this run:
#  - uncompressed ELF: `dumplab check` against `cat FILE >/dev/null`;
#  - kdump-compressed (zlib, lzo, snappy, zstd): `dumplab check` against
#    pagedecomp, which only reads and decompresses the same pages with the
#    same library;
#  - the flattened stream (`dumplab check -`, one pass through a pipe) of
#    the ELF and of the zlib copy, against checking the same dump from its
#    file; the kdump stream in makedumpfile -F's record order
#    (bench/flatten-md.py: descriptors and data through 64 KiB caches).
# The dump is BENCH_DUMP, else the newest runs/*/hv.vmcore (a real 1 GiB
# guest), else a synthetic 1 GiB core; the compressed copies are written by
# mkkdump with the real libraries. Page cache warm; best of 3.
# BENCH_CODECS picks the compressions (default all four); BENCH_BEFORE=BIN
# also times the stream checks with another dumplab binary (a previous
# build) in the same run.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
b=$root/build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=${BENCH_DUMP:-$(ls -t "$root"/runs/*/hv.vmcore 2>/dev/null | head -1 || true)}
if [ -z "$src" ]; then
    # mkcore keeps each synthetic range to 256 MiB: four make the GiB.
    printf 'layout qemu\ncpu rip=0x1 rsp=0x1\nram 0x0-0xfffffff\nram 0x10000000-0x1fffffff\nram 0x20000000-0x2fffffff\nram 0x30000000-0x3fffffff\n' |
        "$b/bin/mkcore" - "$tmp/core"
    src=$tmp/core
fi
now() { date +%s.%N; }
# Best of 3 runs of "$@" with FILE on standard input, seconds; a run that
# cannot read the stream (exit 2 or worse) stops the bench rather than
# reading as a fast one.
best_stdin() {
    local t best=999 f=$1 rc
    shift
    for _ in 1 2 3; do
        local s=$(now)
        "$@" <"$f" >/dev/null 2>&1
        rc=$?
        if [ "$rc" -ge 2 ]; then
            echo "bench: '$*' < $f exited $rc" >&2
            exit 1
        fi
        t=$(echo "$(now) - $s" | bc -l)
        best=$(echo "if ($t < $best) $t else $best" | bc -l)
    done
    echo "$best"
}
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
python3 "$root/bench/flatten-offset.py" "$src" "$tmp/elf.flat"
cat "$tmp/elf.flat" >/dev/null
str=$(best_stdin "$tmp/elf.flat" "$b/dumplab" check -)
printf 'ELF stream:  dumplab check - %.2f s = %.2f x the file check\n' "$str" "$(echo "$str / $chk" | bc -l)"
if [ -n "${BENCH_BEFORE:-}" ]; then
    old=$(best_stdin "$tmp/elf.flat" "$BENCH_BEFORE" check -)
    printf 'ELF stream, before: %.2f s = %.2f x the file check\n' "$old" "$(echo "$old / $chk" | bc -l)"
fi
rm -f "$tmp/elf.flat"
for c in ${BENCH_CODECS:-zlib lzo snappy zstd}; do
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
    if [ "$c" = zlib ]; then
        python3 "$root/bench/flatten-md.py" "$tmp/k.$c" "$tmp/k.flat"
        cat "$tmp/k.flat" >/dev/null
        str=$(best_stdin "$tmp/k.flat" "$b/dumplab" check -)
        printf 'zlib stream: dumplab check - %.2f s = %.2f x the file check (%.2f x decompress)\n' "$str" \
            "$(echo "$str / $chk" | bc -l)" "$(echo "$str / $dec" | bc -l)"
        if [ -n "${BENCH_BEFORE:-}" ]; then
            old=$(best_stdin "$tmp/k.flat" "$BENCH_BEFORE" check -)
            printf 'zlib stream, before: %.2f s = %.2f x the file check\n' "$old" "$(echo "$old / $chk" | bc -l)"
        fi
        rm -f "$tmp/k.flat"
    fi
    rm -f "$tmp/k.$c"
done
