#!/usr/bin/env bash
# Deterministic SMP: one program and one seed give one trace, bit for bit;
# other seeds give other interleavings; and the multi-CPU atomics test
# passes under every interleaving tried.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
[ "${build#/}" != "$build" ] || build=$root/$build
sim=$build/bin/ia64sim
elf=$build/ia64/tests/isa/smp-atomics.elf
n=0 failed=0
ok() { n=$((n + 1)); if "$@" >/dev/null 2>&1; then echo "ok $n $what"; else echo "not ok $n $what"; failed=1; fi; }
if [ ! -x "$sim" ] || [ ! -f "$elf" ]; then
    echo "1..0 # SKIP $sim or $elf not built"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { "$sim" --cpus 4 --seed "$1" --trace "$elf" >"$tmp/$2" 2>/dev/null; }
run 7 a; ra=$?
run 7 b; rb=$?
what="seed 7 twice: the program halts with 0 both times" ok test $ra -eq 0 -a $rb -eq 0
what="seed 7 twice: identical traces, bit for bit" ok cmp "$tmp/a" "$tmp/b"
# The order of CPUs in the trace is the interleaving.
order() { awk '$1 == "trace" { print $2 }' "$tmp/$1" | uniq | md5sum; }
run 8 c
what="seeds 7 and 8: different interleavings" ok test "$(order a)" != "$(order c)"
distinct=$(for s in 1 2 3 4 5 6; do run $s s$s; order s$s; done | sort -u | wc -l)
what="six seeds give six different interleavings ($distinct)" ok test "$distinct" -eq 6
bad=0
for s in $(seq 100 119); do "$sim" --cpus 4 --seed $s "$elf" >/dev/null 2>&1 || bad=$((bad + 1)); done
what="the atomics test passes under 20 seeded interleavings ($bad failed)" ok test $bad -eq 0
# A platform INIT under the scheduler: same seed, same trace (firmware
# entries included); across seeds, the monarch (first to arrive) varies.
init=$build/ia64/tests/platform/init-monarch.elf
if [ -f "$init" ]; then
    "$sim" --cpus 4 --seed 5 --init-at 3000 --trace "$init" >"$tmp/i1" 2>/dev/null; r1=$?
    "$sim" --cpus 4 --seed 5 --init-at 3000 --trace "$init" >"$tmp/i2" 2>/dev/null; r2=$?
    what="INIT with seed 5 twice: exit 0, identical traces" ok test $r1 -eq 0 -a $r2 -eq 0 -a \
        "$(md5sum <"$tmp/i1")" = "$(md5sum <"$tmp/i2")"
    bad=0 monarchs=""
    for s in $(seq 200 215); do
        out=$("$sim" --cpus 4 --seed $s --init-at 3000 "$init" 2>/dev/null) || bad=$((bad + 1))
        monarchs="$monarchs ${out:0:1}"
    done
    kinds=$(tr ' ' '\n' <<<"$monarchs" | sort -u | grep -c .)
    what="INIT under 16 seeds: all pass ($bad failed), $kinds different monarchs" ok \
        test $bad -eq 0 -a "$kinds" -ge 2
fi
echo "1..$n"
exit $failed
