#!/usr/bin/env bash
# IA-64 bundles per second under qemu-system-ia64 against ia64sim, same
# program (hw-ia64-sal/tests/bench/loop.elf: ALU work, a load, a store, a
# compare and a taken branch per 4 bundles), same run of this script:
#   ia64sim 1 CPU (the reference), ia64sim 4 CPUs seeded,
#   QEMU 1 CPU, QEMU 4 CPUs (round-robin, quantum 256), QEMU 1 CPU icount.
# Rates are bundles per second of CPU time the process used (user +
# system), so the load of a shared machine does not decide the ratio;
# wall-clock rates are printed beside them. QEMU's rate is the growth of
# the model's bundle counters (info registers -a) over a window of
# SECONDS_RUN s after a 1 s warm-up, the best of 3 windows, as ia64sim's
# is the best of 3 runs.
# QEMU_IA64_BEFORE=PATH also measures another build (the one before a
# change) in the same run, so before and after share the machine's load.
# Also prints the QEMU build time recorded by qemu-patches/build.sh.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sim=$root/build/bin/ia64sim
elf=$root/build/ia64/tests/bench/loop.elf
qmp=$root/qemu-patches/tests/qmp.py
qemu=${QEMU_IA64:-$(bash "$root/qemu-patches/build.sh" --print-path 2>/dev/null)}
N=${N:-20000000}
SECONDS_RUN=${SECONDS_RUN:-2}
now() { date +%s.%N; }

sim_rate() { # ia64sim args... -> "cpu-rate wall-rate" (best of 3 each)
    local best=0 bestw=0
    for _ in 1 2 3; do
        local s r w cpu
        s=$(now)
        cpu=$( { TIMEFORMAT='%3U %3S'
                 time "$sim" --max-bundles "$N" "$@" "$elf" >/dev/null 2>&1; } 2>&1 |
            awk '{print $1 + $2}')
        w=$(echo "$N / ($(now) - $s)" | bc -l)
        r=$(echo "$N / $cpu" | bc -l)
        best=$(echo "if ($r > $best) $r else $best" | bc -l)
        bestw=$(echo "if ($w > $bestw) $w else $bestw" | bc -l)
    done
    echo "$best $bestw"
}

qemu_rate() { # qemu args... -> bundles per second, best window of SECONDS_RUN
    local tmp sock out pid
    tmp=$(mktemp -d)
    sock=$tmp/qmp
    "${QEMU_BIN:-$qemu}" -M ia64-sal -m 64 -display none -monitor none -serial none \
        -qmp "unix:$sock,server=on,wait=off" "$@" -kernel "$elf" >/dev/null 2>&1 &
    pid=$!
    local w="time cpu:$pid"
    out=$(python3 "$qmp" "$sock" sleep:1 $w "hmp:info registers -a" \
        "sleep:$SECONDS_RUN" $w "hmp:info registers -a" \
        "sleep:$SECONDS_RUN" $w "hmp:info registers -a" \
        "sleep:$SECONDS_RUN" $w "hmp:info registers -a" quit)
    wait $pid || true
    rm -rf "$tmp"
    awk '/^time:/ {t[++nt] = $2}
         /^cpu:/ {c[nt] = $2}
         /bundles=/ {for (i = 1; i <= NF; i++) if ($i ~ /^bundles=/) {
             split($i, kv, "="); b[nt] += kv[2] }}
         END {for (i = 2; i <= nt; i++) {
                  w = (b[i] - b[i - 1]) / (t[i] - t[i - 1])
                  r = c[i] > c[i - 1] ? (b[i] - b[i - 1]) / (c[i] - c[i - 1]) : 0
                  if (r > best) best = r
                  if (w > bestw) bestw = w }
              printf "%.0f %.0f\n", best, bestw}' <<<"$out"
}

# line LABEL "CPU-RATE WALL-RATE": one row, ratios to the 1-CPU ia64sim's
line() {
    local r w
    read -r r w <<<"$2"
    printf '  %-22s %11.0f /s CPU %5.2fx   %11.0f /s wall %5.2fx\n' "$1" "$r" \
        "$(echo "$r / $ref" | bc -l)" "$w" "$(echo "$w / $refw" | bc -l)"
}
one=$(sim_rate --cpus 1)
read -r ref refw <<<"$one"
printf 'bundles per second of CPU time (and of wall time), ratio to ia64sim on 1 CPU:\n'
printf 'ia64sim, %d bundles per run, best of 3:\n' "$N"
line "1 CPU (reference)" "$one"
line "4 CPUs, seeded" "$(sim_rate --cpus 4 --seed 1)"
if [ ! -x "$qemu" ]; then
    echo "qemu-system-ia64: not built ($qemu), skipped (make qemu-ia64)"
    exit 0
fi
printf 'qemu-system-ia64 %s, best %s s window of 3:\n' "$qemu" "$SECONDS_RUN"
line "1 CPU" "$(qemu_rate -smp 1)"
line "4 CPUs, quantum 256" "$(qemu_rate -smp 4)"
line "1 CPU, icount" "$(qemu_rate -smp 1 -icount shift=0,sleep=off)"
if [ -n "${QEMU_IA64_BEFORE:-}" ] && [ -x "$QEMU_IA64_BEFORE" ]; then
    printf 'before: %s, same run:\n' "$QEMU_IA64_BEFORE"
    line "1 CPU" "$(QEMU_BIN=$QEMU_IA64_BEFORE qemu_rate -smp 1)"
    line "4 CPUs, quantum 256" "$(QEMU_BIN=$QEMU_IA64_BEFORE qemu_rate -smp 4)"
    line "1 CPU, icount" "$(QEMU_BIN=$QEMU_IA64_BEFORE qemu_rate -smp 1 -icount shift=0,sleep=off)"
fi
built=$(dirname "$qemu")/build-seconds
[ -f "$built" ] && printf 'qemu-system-ia64 build (qemu-patches/build.sh, JOBS as it ran): %s s\n' "$(cat "$built")"
exit 0
