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
    echo "ok 1 determinism # SKIP $sim or $elf not built"
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
echo "1..$n"
exit $failed
