#!/usr/bin/env bash
# The vmcore checker and the dump comparison on a synthetic 240 MiB core,
# each against reading the same file once (cat > /dev/null, page cache
# warm): the ratio says how close to I/O-bound they are on this machine.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
b=$root/build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
desc="layout kexec_load
cpu pid=0 rip=0xffffffff81001000 rsp=0x1
cpu pid=1 rip=0xffffffff81002000 rsp=0x2
ram 0x1000-0x9ffff
ram 0x100000-0xeffffff
marker seed=7 pfn=0x2000 count=256"
echo "$desc" | "$b/bin/mkcore" - "$tmp/core"
now() { date +%s.%N; }
best() { # best of 5 runs of "$@", seconds; a run that fails stops the bench
    local t best=999 rc
    for _ in 1 2 3 4 5; do
        local s=$(now)
        "$@" >/dev/null 2>&1
        rc=$?
        # A checker that crashes would otherwise read as a fast one.
        if [ "$rc" -ne 0 ]; then
            echo "bench: '$*' exited $rc; no timing for a failing run" >&2
            exit 1
        fi
        t=$(echo "$(now) - $s" | bc -l)
        best=$(echo "if ($t < $best) $t else $best" | bc -l)
    done
    echo "$best"
}
ref=$(best cat "$tmp/core")
chk=$(best "$b/dumplab" check --expect-cpus 2 "$tmp/core")
cmpt=$(best "$b/bin/dumpcmp" "$tmp/core" "$tmp/core")
size=$(stat -c %s "$tmp/core")
printf 'core: %d MiB\n' $((size >> 20))
printf 'read (reference): %.3f s\n' "$ref"
printf 'dumplab check:    %.3f s  = %.2f x read\n' "$chk" "$(echo "$chk / $ref" | bc -l)"
printf 'page comparison:  %.3f s  = %.2f x read (two files of this size)\n' "$cmpt" "$(echo "$cmpt / $ref" | bc -l)"
