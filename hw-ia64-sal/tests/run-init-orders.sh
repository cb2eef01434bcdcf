#!/usr/bin/env bash
# Every order in which 3 and 4 CPUs can reach the INIT handler (3! + 4!
# runs, by ia64sim --enumerate-init-orders): in each, the CPUs must arrive
# in the forced order, SAL must make exactly one monarch, the first to
# arrive, the program's own monarch (printed on the console) must be that
# CPU, and every CPU must resume (init-monarch.S checks the rest itself).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
[ "${build#/}" != "$build" ] || build=$root/$build
sim=$build/bin/ia64sim
elf=$build/ia64/tests/platform/init-monarch.elf
if [ ! -x "$sim" ] || [ ! -f "$elf" ]; then
    echo "1..0 # SKIP $sim or $elf not built"
    exit 77
fi
n=0 failed=0
for cpus in 3 4; do
    out=$("$sim" --cpus "$cpus" --init-at 3000 --enumerate-init-orders "$elf" 2>&1)
    rc=$?
    lines=0
    while IFS= read -r line; do
        [[ $line == order* ]] || continue
        lines=$((lines + 1))
        n=$((n + 1))
        order=${line#order }
        order=${order%%:*}
        first=${order%%,*}
        want="order $order: exit 0, arrived $order, monarchs 1 cpu$first, slaves $((cpus - 1)), resumes $cpus, warm boots 0, console \"$first\""
        if [ "$line" = "$want" ]; then
            echo "ok $n $cpus CPUs, order $order: one monarch (cpu $first), $((cpus - 1)) slaves, all resumed"
        else
            echo "not ok $n $cpus CPUs: got '$line'"
            failed=1
        fi
    done <<<"$out"
    n=$((n + 1))
    want=1
    for ((i = 2; i <= cpus; i++)); do want=$((want * i)); done
    if [ "$rc" -eq 0 ] && [ "$lines" -eq "$want" ]; then
        echo "ok $n $cpus CPUs: all $want arrival orders run, enumeration exit 0"
    else
        echo "not ok $n $cpus CPUs: $lines of $want orders, exit $rc"
        failed=1
    fi
done
echo "1..$n"
exit $failed
