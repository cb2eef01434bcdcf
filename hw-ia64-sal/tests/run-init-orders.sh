#!/usr/bin/env bash
# Every order in which four CPUs can reach the INIT handler (all 24): the
# monarch election must give exactly one monarch, the first CPU to arrive,
# and every CPU must resume (init-monarch.S checks its own results).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
[ "${build#/}" != "$build" ] || build=$root/$build
sim=$build/bin/ia64sim
elf=$build/ia64/tests/platform/init-monarch.elf
if [ ! -x "$sim" ] || [ ! -f "$elf" ]; then
    echo "ok 1 INIT arrival orders # SKIP $sim or $elf not built"
    exit 77
fi
n=0 failed=0 bad=""
perms() { # all permutations of the arguments
    if [ $# -le 1 ]; then echo "$*"; return; fi
    local x rest
    for x in "$@"; do
        rest=$(for y in "$@"; do [ "$y" != "$x" ] && printf '%s ' "$y"; done)
        for p in $(perms $rest | tr ' ' ','); do echo "$x ${p//,/ }"; done
    done
}
while read -r order; do
    n=$((n + 1))
    o=${order// /,}
    o=${o%,}
    out=$("$sim" --cpus 4 --init-at 3000 --init-order "$o" "$elf" 2>/dev/null)
    rc=$?
    first=${o%%,*}
    if [ $rc -eq 0 ] && [ "${out:0:1}" = "$first" ]; then
        echo "ok $n order $o: one monarch (cpu $first), three slaves, all resumed"
    else
        echo "not ok $n order $o: exit $rc, monarch '${out:0:1}'"
        failed=1
    fi
done < <(perms 0 1 2 3)
echo "1..$n"
exit $failed
