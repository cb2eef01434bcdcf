#!/usr/bin/env bash
# `dumplab check -` on a 1 GiB guest's dump as a flattened stream through a
# pipe: its peak memory (max RSS) against the stream's size, and the same
# file checked from disk. The stream is written in makedumpfile's order
# (records by offset, header first); mkkdump -F writes the header last.
#   bench/stream.sh [WORKDIR]
set -eu
w=${1:-build/bench-stream}
mkdir -p "$w"
trap 'rm -f "$w"/core "$w"/kd "$w"/*.flat' EXIT
build/bin/mkcore /dev/stdin "$w/core" <<'D'
layout kexec_load
cpu rip=0xffffffff81001000 rsp=0x1
cpu rip=0xffffffff81002000 rsp=0x2
ram 0x1000-0x9ffff
ram 0x100000-0x100fffff
ram 0x10100000-0x200fffff
ram 0x20100000-0x300fffff
ram 0x30100000-0x400fffff
D
build/bin/mkkdump -c zlib "$w/core" "$w/kd"
for kind in core kd; do
    python3 bench/flatten-offset.py "$w/$kind" "$w/$kind.flat"
    size=$(stat -c %s "$w/$kind.flat")
    rss=$( { /usr/bin/time -f '%M' build/dumplab check - < "$w/$kind.flat" >/dev/null; } 2>&1 | tail -1)
    name=$([ $kind = core ] && echo "ELF" || echo "kdump-compressed (zlib)")
    echo "$name stream of a 1 GiB guest: $((size >> 20)) MiB through a pipe, max RSS $((rss >> 10)) MiB ($(python3 -c "print(f'{$rss*1024/$size:.3f}')") x the stream)"
    rm -f "$w/$kind.flat"
done
