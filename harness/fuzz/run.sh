#!/usr/bin/env bash
# Runs each libFuzzer target its number of times (scaled) from its corpus
# (new inputs go to a scratch folder under the build folder, never into the
# repository) and sums the executions. Any crash, sanitizer report, leak or
# timeout fails.
#   run.sh FUZZ-BIN-DIR SCALE TARGET:RUNS...
set -u
dir=$1 scale=$2
shift 2
total=0 failed=0
# A small quarantine and no fill of big blocks: freed memory is reused at
# once instead of faulting in fresh pages for every input (4x the
# executions per second); use-after-free within 8 MiB is still caught.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=8:max_malloc_fill_size=0}
for tr in "$@"; do
    t=${tr%%:*}
    runs=$(( ${tr##*:} * scale ))
    work=$dir/work-$t
    mkdir -p "$work"
    log=$dir/$t.log
    start=$(date +%s)
    corpus=harness/fuzz/corpus/${t/#read-/dump-} # read-X: the reader alone, dump-X's corpus
    [ "$t" = read-stream ] && corpus=harness/fuzz/corpus/dump-flat
    # One job, crash inputs kept next to the log (copy them into the corpus).
    # FUZZ_SECONDS caps each target's time (a loaded machine): the count
    # reached is what is reported.
    "$dir/$t" -runs="$runs" ${FUZZ_SECONDS:+-max_total_time=$FUZZ_SECONDS} -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$dir/$t-" -print_final_stats=1 "$work" "$corpus" >"$log" 2>&1
    rc=$?
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    n=${n:-0}
    total=$((total + n))
    echo "fuzz $t: $n executions in $(( $(date +%s) - start )) s, exit $rc"
    if [ "$rc" -ne 0 ]; then
        failed=$((failed + 1))
        grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5
    fi
done
echo "fuzz: $total executions in all, $failed target(s) failed"
[ "$failed" -eq 0 ]
