#!/usr/bin/env bash
# Determinism under QEMU: single-threaded TCG with icount, two runs of the
# same 4-CPU program end in the same state and print the same bytes.
#   smp-atomics: shared counters under fetchadd, xchg locks and cmpxchg
#     retry loops, so the final RAM depends on how the CPUs interleaved:
#     compared by the digest of a dump-guest-memory core (all of RAM and
#     every CPU's NT_PRSTATUS registers);
#   smp-console: each CPU prints its number 16 times, so the console is the
#     interleaving: compared byte for byte.
# Control: a run with another scheduling quantum must differ in both, or
# the comparison would prove nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
qemu=${QEMU_IA64:-$(bash "$root/qemu-patches/build.sh" --print-path 2>/dev/null)}
atomics=$build/ia64/tests/isa/smp-atomics.elf
console=$build/ia64/tests/platform/smp-console.elf
n=0 failed=0
if [ ! -x "$qemu" ] || [ ! -f "$atomics" ] || [ ! -f "$console" ]; then
    echo "1..0 # SKIP needs $qemu, $atomics, $console (make qemu-ia64 ia64)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME QUANTUM ELF: runs to the guest's halt, dumps, quits; prints
# "<core sha256> <console sha256>".
run() {
    local name=$1 quantum=$2 elf=$3 sock=$tmp/$1.qmp
    "$qemu" -M "ia64-sal,quantum=$quantum" -smp 4 -m 64 -display none -monitor none \
        -icount shift=6,sleep=off -no-shutdown \
        -serial "file:$tmp/$name.console" -qmp "unix:$sock,server=on,wait=off" \
        -kernel "$elf" >"$tmp/$name.err" 2>&1 &
    local pid=$!
    for _ in $(seq 1 300); do
        grep -q "ia64: machine halted" "$tmp/$name.err" && break
        sleep 0.1
    done
    python3 "$here/qmp.py" "$sock" \
        "dump-guest-memory={\"paging\": false, \"protocol\": \"file:$tmp/$name.core\"}" \
        quit >/dev/null 2>>"$tmp/$name.err"
    wait $pid
    grep -q "ia64: machine halted, code 0" "$tmp/$name.err" || echo "halt-code-not-0"
    echo "$(sha256sum <"$tmp/$name.core" | cut -c1-16) $(sha256sum <"$tmp/$name.console" | cut -c1-16)"
}

a=$(run a 256 "$atomics")
b=$(run b 256 "$atomics")
c=$(run c 100 "$atomics")
d=$(run d 256 "$console")
e=$(run e 256 "$console")
f=$(run f 100 "$console")
for r in a b c d e f; do
    echo "# run $r: core, console digests: $(eval echo "\$$r") console: $(cat "$tmp/$r.console")"
done
check() { local what=$1; shift; if "$@"; then echo "ok $((++n)) $what"; else echo "not ok $((++n)) $what"; failed=1; fi; }
check "every run passes the program's own checks" \
    bash -c "! grep -q halt-code-not-0 <<<'$a$b$c$d$e$f'"
check "smp-atomics, two icount runs: same RAM and registers (dump digest)" \
    [ "${a%% *}" = "${b%% *}" ]
check "smp-console, two icount runs: same console bytes" [ "${d#* }" = "${e#* }" ]
check "smp-console, two icount runs: same RAM and registers" [ "${d%% *}" = "${e%% *}" ]
check "control: another quantum gives other RAM (smp-atomics)" [ "${a%% *}" != "${c%% *}" ]
check "control: another quantum gives another console (smp-console)" [ "${d#* }" != "${f#* }" ]
echo "1..$n"
exit $failed
