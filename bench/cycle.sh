#!/usr/bin/env bash
# The default scenario's whole cycle, warm (image cached), under the
# accelerator the probe picks, against a reference run made in this same
# invocation: the same scenario with the hypervisor dump that pauses the
# guest throughout (DUMPLAB_HV_DUMP_METHOD=dump-guest-memory). The current
# pipeline runs BENCH_CYCLE_RUNS times (default 3; the median is reported:
# this shared machine's speed drifts by a third within minutes), the first
# kernel booted as distributions boot it (bzimage-boot.scn) once. A last
# run takes both hypervisor dumps, one after the other, so the guest's
# downtime of each is measured in one run (by the guest's own clock,
# hv-dump.json). Every check runs in every run; a run that does not PASS
# stops the bench.
#
#   bench/cycle.sh             (BENCH_CYCLE_SKIP=1 skips it: 6 guest runs)
# Prints each phase's time and share of the cycle, the cycle as a ratio
# to the reference, and the downtime ratio.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
b=$root/build
[ "${BENCH_CYCLE_SKIP:-0}" = 1 ] && { echo "cycle: skipped (BENCH_CYCLE_SKIP=1)"; exit 0; }
runs=$(mktemp -d "${TMPDIR:-/tmp}/dumplab-bench-cycle.XXXXXX")
trap 'rm -rf "$runs"' EXIT
scn=${BENCH_SCENARIO:-$root/scenarios/default.scn}

one() { # label [scenario=FILE] env... -> path of report.json
    local label=$1 s=$scn
    shift
    case ${1:-} in scenario=*) s=${1#scenario=}; shift ;; esac
    local out=$runs/$label.out
    if ! env "$@" "$b/dumplab" run --runs-dir "$runs/$label" "$s" >"$out" 2>&1; then
        echo "cycle: the $label run did not pass; no figures from a failing run:" >&2
        tail -15 "$out" >&2
        exit 1
    fi
    ls "$runs/$label"/*/report.json
}

# The image build (first run after an agent change) is not the cycle.
bash "$root/vm-images/build-image.sh" >/dev/null 2>&1 || true
ref=$(one reference DUMPLAB_HV_DUMP_METHOD=dump-guest-memory)
n=${BENCH_CYCLE_RUNS:-3}
cur=()
for i in $(seq "$n"); do cur+=("$(one "current-$i")"); done
bz=$(one bzimage "scenario=$root/scenarios/bzimage-boot.scn")
both=$(one downtime DUMPLAB_HV_DUMP_COMPARE=1)
# The median current run (by cycle, image phase left out) is the one shown.
new=$(for f in "${cur[@]}"; do
    echo "$(jq '[.phases[] | select(.name != "image") | .ms] | add' "$f") $f"
done | sort -n | sed -n "$(((n + 1) / 2))p" | cut -d' ' -f2)
echo "current cycles (ms, image phase left out): $(for f in "${cur[@]}"; do
    jq '[.phases[] | select(.name != "image") | .ms] | add' "$f"
done | sort -n | tr '\n' ' ')(median shown)"

jq -r -n --slurpfile r "$ref" --slurpfile n "$new" '
  def phases(x): [x.phases[] | select(.name != "image")];
  def total(x): ([phases(x)[].ms] | add);
  ($r[0]) as $R | ($n[0]) as $N |
  "phase          reference          current",
  ((phases($R) | map(.name)) as $names |
  ((phases($N) | map(.name)) - $names) as $extra |
  ($names + $extra)[] as $p |
  ([phases($R)[] | select(.name == $p) | .ms] | add // 0) as $a |
  ([phases($N)[] | select(.name == $p) | .ms] | add // 0) as $c |
  "\($p | . + "              " | .[0:14]) \($a / 1000 | tostring | .[0:5]) s \((100 * $a / total($R)) | floor)%    \($c / 1000 | tostring | .[0:5]) s \((100 * $c / total($N)) | floor)%"),
  "cycle (no image phase): reference \(total($R) / 1000) s, current \(total($N) / 1000) s = \(total($N) / total($R) | tostring | .[0:5]) x reference"'
jq -r '
  "downtime (one run, guest clock): \(.reference.method) \(.reference.guest_clock_lost_ms) ms (+- \(.reference.clock_err_ms)), \(.also.method) \(.also.guest_clock_lost_ms) ms = \(.reference.guest_clock_lost_ms / .also.guest_clock_lost_ms | tostring | .[0:6]) x",
  "downtime (QEMU / host count): \(.reference.pause_ms) ms vs \(.also.pause_ms) ms"' \
    "$(dirname "$both")/hv-dump.json"
jq -r '"bzimage-boot (first kernel as distributions boot it, KASLR): \([.phases[] | select(.name != "image") | .ms] | add / 1000) s; boot \([.phases[] | select(.name == "boot") | .ms] | add / 1000) s"' "$bz"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare ratios)"
