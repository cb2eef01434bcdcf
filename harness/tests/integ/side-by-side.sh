#!/usr/bin/env bash
# Runs never harm each other. Two runs of the default scenario side by side,
# one through a renamed copy of the binary (as an installed copy, a wrapper or
# valgrind would look), both PASS while a third process keeps running
# `dumplab cleanup`. Then a run killed with SIGKILL leaves a domain whose
# owner is provably gone, and cleanup removes exactly that one.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
renamed=$tmp/kdump-lab-copy
cp "$DUMPLAB" "$renamed"
scn=$ROOT/scenarios/default.scn
mkdir -p "$RUNS"

# (600 s: a cold image cache is built first, 5 min on these machines.)
# The domain of a run, by the run's pid (names are dumplab-PID-N-SCENARIO).
domain_of() { virsh -q -c qemu:///system list --all --name | grep -E "^dumplab-$1-[0-9]+-" | head -1; }
wait_domain() { # wait_domain PID SECONDS
    local t=$((SECONDS + $2))
    while [ $SECONDS -lt $t ]; do
        [ -n "$(domain_of "$1")" ] && return 0
        kill -0 "$1" 2>/dev/null || return 1
        sleep 0.5
    done
    return 1
}

runs_a=$(mktemp -d "$RUNS/sbs-a.XXXXXX")
RUNS_MADE+=("$runs_a")
"$DUMPLAB" run --runs-dir "$runs_a" "$scn" >"$tmp/a.out" 2>&1 &
a=$!
runs_b=$(mktemp -d "$RUNS/sbs-b.XXXXXX")
RUNS_MADE+=("$runs_b")
"$renamed" run --runs-dir "$runs_b" "$scn" >"$tmp/b.out" 2>&1 &
b=$!
pids+=("$a" "$b")
tap "the renamed copy's process is not called dumplab" \
    bash -c '[ "$(cat /proc/$1/comm)" != dumplab ]' _ "$b"
wait_domain "$a" 600 && wait_domain "$b" 600
both_up=$?
tap "both runs have their domain up" test "$both_up" -eq 0
cleanups=0 cleanup_fail=0 removed_any=0
while kill -0 "$a" 2>/dev/null || kill -0 "$b" 2>/dev/null; do
    out=$("$DUMPLAB" cleanup 2>&1) || cleanup_fail=$((cleanup_fail + 1))
    cleanups=$((cleanups + 1))
    # Leftovers of runs that really died may be removed; the two live runs'
    # domains never.
    if grep -qE "^removed dumplab-($a|$b)-" <<<"$out"; then removed_any=1; fi
    grep -q '^removed 0 ' <<<"$out" || echo "$out" | sed 's/^/# cleanup: /'

    sleep 1
done
wait "$a"
rc_a=$?
wait "$b"
rc_b=$?
sed 's/^/# a: /' "$tmp/a.out" | tail -8
sed 's/^/# b: /' "$tmp/b.out" | tail -8
echo "# dumplab cleanup ran $cleanups times during the two runs"
tap "cleanup ran during the runs ($cleanups times), each exit 0" \
    test "$cleanups" -ge 3 -a "$cleanup_fail" -eq 0
tap "and never removed a domain of either live run" test "$removed_any" -eq 0
tap "the run of build/dumplab PASSes" \
    bash -c 'test "$1" -eq 0 && grep -q "^verdict: PASS" "$2"' _ "$rc_a" "$tmp/a.out"
tap "the run of the renamed copy PASSes" \
    bash -c 'test "$1" -eq 0 && grep -q "^verdict: PASS" "$2"' _ "$rc_b" "$tmp/b.out"

# A run killed outright: its domain outlives it, and its owner is provably gone.
runs_c=$(mktemp -d "$RUNS/sbs-c.XXXXXX")
RUNS_MADE+=("$runs_c")
"$renamed" run --runs-dir "$runs_c" "$scn" >"$tmp/c.out" 2>&1 &
c=$!
pids+=("$c")
if wait_domain "$c" 600; then
    dom=$(domain_of "$c")
    kill -KILL "$c"
    wait "$c" 2>/dev/null
    tap "a SIGKILLed run leaves its domain behind" bash -c 'virsh -q -c qemu:///system domstate "$1"' _ "$dom"
    out=$("$DUMPLAB" cleanup 2>&1)
    echo "# cleanup: $out"
    tap "cleanup removes it, saying why" bash -c '! virsh -q -c qemu:///system domstate "$1" &&
        grep -qF "removed $1 (its run'"'"'s process is gone)" <<<"$2"' _ "$dom" "$out"
    tap "and no QEMU runs it any more" not pgrep -f "guest=$dom,"
else
    sed 's/^/# c: /' "$tmp/c.out" | tail -5
    tap "the third run got a domain" false
fi
finish
