#!/usr/bin/env bash
# IA-64 bundles per second under qemu-system-ia64 against ia64sim, same
# program (hw-ia64-sal/tests/bench/loop.elf: ALU work, a load, a store, a
# compare and a taken branch per 4 bundles), same run of this script:
#   ia64sim 1 CPU (the reference), ia64sim 4 CPUs seeded,
#   QEMU 1 CPU, QEMU 4 CPUs (round-robin, quantum 256), QEMU 1 CPU icount.
# QEMU's rate is the growth of the model's bundle counters (info registers
# -a) over SECONDS of wall time after a 1 s warm-up. Also prints the QEMU
# build time recorded by qemu-patches/build.sh.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sim=$root/build/bin/ia64sim
elf=$root/build/ia64/tests/bench/loop.elf
qmp=$root/qemu-patches/tests/qmp.py
qemu=${QEMU_IA64:-$(bash "$root/qemu-patches/build.sh" --print-path 2>/dev/null)}
N=${N:-20000000}
SECONDS_RUN=${SECONDS_RUN:-3}
now() { date +%s.%N; }

sim_rate() { # ia64sim args... -> bundles per second (best of 3)
    local best=0
    for _ in 1 2 3; do
        local s r
        s=$(now)
        "$sim" --max-bundles "$N" "$@" "$elf" >/dev/null 2>&1 || true
        r=$(echo "$N / ($(now) - $s)" | bc -l)
        best=$(echo "if ($r > $best) $r else $best" | bc -l)
    done
    echo "$best"
}

qemu_rate() { # qemu args... -> bundles per second over SECONDS_RUN
    local tmp sock out pid
    tmp=$(mktemp -d)
    sock=$tmp/qmp
    "$qemu" -M ia64-sal -m 64 -display none -monitor none -serial none \
        -qmp "unix:$sock,server=on,wait=off" "$@" -kernel "$elf" >/dev/null 2>&1 &
    pid=$!
    out=$(python3 "$qmp" "$sock" sleep:1 time "hmp:info registers -a" \
        "sleep:$SECONDS_RUN" time "hmp:info registers -a" quit)
    wait $pid || true
    rm -rf "$tmp"
    awk '/^time:/ {t[++nt] = $2}
         /bundles=/ {for (i = 1; i <= NF; i++) if ($i ~ /^bundles=/) {
             split($i, kv, "="); b[nt] += kv[2] }}
         END {printf "%.0f\n", (b[2] - b[1]) / (t[2] - t[1])}' <<<"$out"
}

one=$(sim_rate --cpus 1)
four=$(sim_rate --cpus 4 --seed 1)
printf 'ia64sim, %d bundles per run:\n' "$N"
printf '  1 CPU:                 %12.0f bundles/s (reference)\n' "$one"
printf '  4 CPUs, seeded:        %12.0f bundles/s = %.2f x reference\n' "$four" "$(echo "$four / $one" | bc -l)"
if [ ! -x "$qemu" ]; then
    echo "qemu-system-ia64: not built ($qemu), skipped (make qemu-ia64)"
    exit 0
fi
q1=$(qemu_rate -smp 1)
q4=$(qemu_rate -smp 4)
qi=$(qemu_rate -smp 1 -icount shift=0,sleep=off)
printf 'qemu-system-ia64, %d s after 1 s of warm-up:\n' "$SECONDS_RUN"
printf '  1 CPU:                 %12.0f bundles/s = %.2f x reference\n' "$q1" "$(echo "$q1 / $one" | bc -l)"
printf '  4 CPUs, quantum 256:   %12.0f bundles/s = %.2f x reference\n' "$q4" "$(echo "$q4 / $one" | bc -l)"
printf '  1 CPU, icount:         %12.0f bundles/s = %.2f x reference\n' "$qi" "$(echo "$qi / $one" | bc -l)"
built=$(dirname "$qemu")/build-seconds
[ -f "$built" ] && printf 'qemu-system-ia64 build (qemu-patches/build.sh, 2 jobs): %s s\n' "$(cat "$built")"
exit 0
