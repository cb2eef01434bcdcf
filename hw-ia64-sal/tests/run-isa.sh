#!/usr/bin/env bash
# Runs each ISA test program (hw-ia64-sal/tests/isa/*.S, built to
# $BUILD/ia64/tests/isa/*.elf) under ia64sim and prints one TAP line per
# program. A program passes when it halts the machine with code 0 through
# the halt device (ia64sim exit 0; it checks its own results): stopping
# every CPU, idling in PAL_HALT or hitting the bundle limit is no pass
# (tests/negative/). Optional lines in the .S source:
#   // ia64sim: <options>          extra ia64sim options (e.g. --cpus 4)
#   // expect-console: <text>      text that must appear on the console
#   // expect-ia64sim: <text>       text ia64sim itself must print (its own reports;
#                                  the QEMU runner, qemu-patches/tests, ignores it)
#   // expect-exit: <n>            expected ia64sim exit status (default 0)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
dir=${1:-isa}
sim=$build/bin/ia64sim
n=0 failed=0
if [ ! -x "$sim" ]; then
    echo "1..0 # SKIP $sim not built"
    exit 77
fi
for src in "$here/$dir"/*.S; do
    [ -e "$src" ] || continue
    name=$(basename "$src" .S)
    elf=$build/ia64/tests/$dir/$name.elf
    n=$((n + 1))
    if [ ! -f "$elf" ]; then
        echo "not ok $n ia64/$dir/$name # not built: $elf"
        failed=1
        continue
    fi
    opts=$(sed -n 's|^// ia64sim: *||p' "$src" | head -1)
    want_console=$(sed -n 's|^// expect-console: *||p' "$src" | head -1)
    want_sim=$(sed -n 's|^// expect-ia64sim: *||p' "$src" | head -1)
    want_rc=$(sed -n 's|^// expect-exit: *||p' "$src" | head -1)
    want_rc=${want_rc:-0}
    # shellcheck disable=SC2086 # opts is a list of options
    out=$(timeout 120 "$sim" --quiet --max-bundles 20000000 $opts "$elf" 2>&1)
    rc=$?
    ok=1
    [ "$rc" -eq "$want_rc" ] || ok=0
    if [ -n "$want_console" ] && ! grep -qF -- "$want_console" <<<"$out"; then
        ok=0
    fi
    if [ -n "$want_sim" ] && ! grep -qF -- "$want_sim" <<<"$out"; then
        ok=0
    fi
    if [ $ok -eq 1 ]; then
        echo "ok $n ia64/$dir/$name"
    else
        echo "not ok $n ia64/$dir/$name (exit $rc, wanted $want_rc)"
        sed 's/^/# /' <<<"$out" | tail -5
        failed=1
    fi
done
[ $n -gt 0 ] || { echo "1..0 # SKIP no programs"; exit 77; }
echo "1..$n"
exit $failed
