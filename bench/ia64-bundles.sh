#!/usr/bin/env bash
# ia64sim speed: bundles per second on a loop of ALU work, loads, stores,
# compares and branches, for 1 CPU, 4 CPUs under the seeded scheduler, and
# 1 CPU with --trace (to /dev/null). The ratios against the 1-CPU run are
# what to compare between machines and versions.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sim=$root/build/bin/ia64sim
elf=$root/build/ia64/tests/bench/loop.elf
N=${N:-20000000}
now() { date +%s.%N; }
rate() { # args... -> bundles per second (best of 3)
    local best=0
    for _ in 1 2 3; do
        local s=$(now)
        "$sim" --max-bundles "$N" "$@" "$elf" >/dev/null 2>&1 || true
        local r=$(echo "$N / ($(now) - $s)" | bc -l)
        best=$(echo "if ($r > $best) $r else $best" | bc -l)
    done
    echo "$best"
}
one=$(rate --cpus 1)
four=$(rate --cpus 4 --seed 1)
N=$((N / 10))
traced=$(rate --cpus 1 --trace)
printf 'ia64sim, %d bundles per run:\n' "$((N * 10))"
printf '  1 CPU:                 %12.0f bundles/s (reference)\n' "$one"
printf '  4 CPUs, seeded:        %12.0f bundles/s = %.2f x reference\n' "$four" "$(echo "$four / $one" | bc -l)"
printf '  1 CPU, --trace:        %12.0f bundles/s = %.2f x reference\n' "$traced" "$(echo "$traced / $one" | bc -l)"
