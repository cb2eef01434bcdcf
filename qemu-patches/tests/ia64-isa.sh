#!/usr/bin/env bash
# The model's own test programs (hw-ia64-sal/tests/isa and tests/platform)
# under qemu-system-ia64: the same ELFs ia64sim passes must halt the
# machine with code 0 under QEMU too (the interpreter is the same core; this
# proves the QEMU glue: RAM, UART, firmware traps, SMP scheduling, INIT).
# ia64sim options in the sources map to QEMU: --cpus N -> -smp N, --mem ->
# -m, --ap-wakeup -> -M ia64-sal,ap-wakeup=on, --init-at K -> QMP
# inject-nmi once the program runs (a platform INIT at a host-timed moment
# instead of after exactly K bundles: these programs wait for it).
# Then the programs of qemu-patches/tests/*.S, which only QEMU can run (the
# interval timer on the virtual clock), plain and under icount.
# Skips (exit 77) when the binary is not built.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
qemu=${QEMU_IA64:-$(bash "$root/qemu-patches/build.sh" --print-path 2>/dev/null)}
n=0 failed=0
if [ ! -x "$qemu" ]; then
    echo "1..0 # SKIP not built ($qemu): make qemu-ia64"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for src in "$root"/hw-ia64-sal/tests/isa/*.S "$root"/hw-ia64-sal/tests/platform/*.S; do
    dir=$(basename "$(dirname "$src")")
    name=$(basename "$src" .S)
    elf=$build/ia64/tests/$dir/$name.elf
    n=$((n + 1))
    if [ ! -f "$elf" ]; then
        echo "not ok $n qemu/$dir/$name # not built: $elf"
        failed=1
        continue
    fi
    opts=$(sed -n 's|^// ia64sim: *||p' "$src" | head -1)
    want_console=$(sed -n 's|^// expect-console: *||p' "$src" | head -1)
    smp=1 mem=64 machine=ia64-sal init=0
    set -- $opts
    while [ $# -gt 0 ]; do
        case $1 in
            --cpus) smp=$2; shift ;;
            --mem) mem=$2; shift ;;
            --ap-wakeup) machine=ia64-sal,ap-wakeup=on ;;
            --init-at) init=1; shift ;;
        esac
        shift
    done
    sock=$tmp/$name.qmp
    "$qemu" -M "$machine" -smp "$smp" -m "$mem" -display none -monitor none \
        -serial "file:$tmp/$name.console" -qmp "unix:$sock,server=on,wait=off" \
        -kernel "$elf" >"$tmp/$name.err" 2>&1 &
    pid=$!
    if [ $init -eq 1 ]; then
        python3 "$here/qmp.py" "$sock" sleep:0.3 inject-nmi >/dev/null 2>>"$tmp/$name.err"
    fi
    for _ in $(seq 1 300); do
        kill -0 $pid 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 $pid 2>/dev/null; then
        kill $pid
        echo "# still running after 30 s" >>"$tmp/$name.err"
    fi
    wait $pid 2>/dev/null
    ok=1
    grep -q "ia64: machine halted, code 0" "$tmp/$name.err" || ok=0
    if [ -n "$want_console" ] && ! grep -qF -- "$want_console" "$tmp/$name.console"; then
        ok=0
    fi
    if [ $ok -eq 1 ]; then
        echo "ok $n qemu/$dir/$name (-smp $smp$([ $init -eq 1 ] && echo ", inject-nmi"))"
    else
        echo "not ok $n qemu/$dir/$name"
        sed 's/^/# /' "$tmp/$name.err" | tail -5
        failed=1
    fi
done
for src in "$here"/*.S; do
    name=$(basename "$src" .S)
    elf=$build/ia64/qemu-tests/$name.elf
    for mode in plain icount; do
        n=$((n + 1))
        if [ ! -f "$elf" ]; then
            echo "not ok $n qemu/tests/$name ($mode) # not built: $elf"
            failed=1
            continue
        fi
        extra=()
        [ $mode = icount ] && extra=(-icount shift=6,sleep=off)
        timeout 30 "$qemu" -M ia64-sal -m 64 -display none -monitor none -serial none \
            "${extra[@]}" -kernel "$elf" >"$tmp/$name.err" 2>&1
        if grep -q "ia64: machine halted, code 0" "$tmp/$name.err"; then
            echo "ok $n qemu/tests/$name ($mode)"
        else
            echo "not ok $n qemu/tests/$name ($mode)"
            sed 's/^/# /' "$tmp/$name.err" | tail -5
            failed=1
        fi
    done
done
echo "1..$n"
exit $failed
