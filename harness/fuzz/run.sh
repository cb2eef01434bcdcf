#!/usr/bin/env bash
# Runs each libFuzzer target its number of times (scaled) from its corpus
# (new inputs go to a scratch folder under the build folder, never into the
# repository), prints each target's executions and the total, and keeps
# them in DIR/summary.txt. Any crash, sanitizer report, leak or timeout
# fails.
#   run.sh FUZZ-BIN-DIR SCALE TARGET:RUNS[:SECONDS]...
# SECONDS caps a target's time (FUZZ_SECONDS caps every target); the count
# reached is what is reported. FUZZ_ONLY="t1 t2" runs only those targets
# and replaces their lines in an existing summary, keeping the others (each
# line names the commit it was built from), so one target can be rerun
# after a fix without rerunning all.
set -u
dir=$1 scale=$2
shift 2
sum=$dir/summary.txt
new=$(mktemp)
trap 'rm -f "$new"' EXIT
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- harness 2>/dev/null || rev=$rev+dirty
failed=0
# A small quarantine and no fill of big blocks: freed memory is reused at
# once instead of faulting in fresh pages for every input (4x the
# executions per second); use-after-free within 8 MiB is still caught.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=8:max_malloc_fill_size=0}
for tr in "$@"; do
    IFS=: read -r t runs secs <<<"$tr"
    if [ -n "${FUZZ_ONLY:-}" ] && [[ " $FUZZ_ONLY " != *" $t "* ]]; then
        continue
    fi
    runs=$((runs * scale))
    secs=${FUZZ_SECONDS:-${secs:-}}
    [ -n "$secs" ] && secs=$((secs * scale))
    work=$dir/work-$t
    mkdir -p "$work"
    log=$dir/$t.log
    start=$(date +%s)
    corpus=harness/fuzz/corpus/${t/#read-/dump-} # read-X: the reader alone, dump-X's corpus
    [ "$t" = read-stream ] && corpus=harness/fuzz/corpus/dump-flat
    # One job, crash inputs kept next to the log (copy them into the corpus).
    "$dir/$t" -runs="$runs" ${secs:+-max_total_time=$secs} -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$dir/$t-" -print_final_stats=1 "$work" "$corpus" >"$log" 2>&1
    rc=$?
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    n=${n:-0}
    line=$(printf 'fuzz %-12s %10d executions in %5d s, exit %d (%s, %s)' "$t" "$n" \
        $(($(date +%s) - start)) "$rc" "$rev" "$(date -u +%FT%TZ)")
    echo "$line"
    echo "$line" >>"$new"
    if [ "$rc" -ne 0 ]; then
        failed=$((failed + 1))
        grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5
    fi
done
# Lines of targets not run this time stay (FUZZ_ONLY); the total is summed
# over the lines kept.
if [ -n "${FUZZ_ONLY:-}" ] && [ -f "$sum" ]; then
    grep -E '^fuzz [^ ]+ +[0-9]+ executions in ' "$sum" | while read -r _ t _; do
        grep -q "^fuzz $t " "$new" || grep "^fuzz $t " "$sum"
    done >>"$new"
fi
# Only targets that ended clean count: a crash, leak or timeout voids its
# target's count until it is fixed and rerun.
total=$(awk '/^fuzz [^ ]+ +[0-9]+ executions in / && / exit 0 / {s += $3} END {print s + 0}' "$new")
bad=$(awk '/^fuzz [^ ]+ +[0-9]+ executions in / && !/ exit 0 / {n++} END {print n + 0}' "$new")
sort -o "$new" "$new"
echo "fuzz total: $total executions clean, $bad target(s) failed" >>"$new"
cp "$new" "$sum"
echo "fuzz total: $total executions clean, $failed target(s) failed this run, $bad in $sum"
[ "$failed" -eq 0 ] && [ "$bad" -eq 0 ]
