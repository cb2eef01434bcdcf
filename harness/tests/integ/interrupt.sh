#!/usr/bin/env bash
# SIGINT and SIGTERM in the middle of a run destroy the domain and stop
# QEMU; a killed run's leftovers are removed by the next one.
. "$(dirname "$0")/lib.sh"
mkdir -p "$RUNS"
for sig in INT TERM; do
    runs=$(mktemp -d "$RUNS/sig.XXXXXX")
    "$DUMPLAB" run --runs-dir "$runs" "$ROOT/scenarios/default.scn" >"$runs.out" 2>&1 &
    pid=$!
    # Wait until the guest is up (the boot phase is done), then interrupt.
    for _ in $(seq 600); do grep -q "boot .*done" "$runs.out" && break; sleep 0.2; done
    tap "SIG$sig: the guest booted before the signal" grep -q "boot .*done" "$runs.out"
    kill -$sig $pid
    wait $pid
    rc=$?
    sed 's/^/# /' "$runs.out"
    tap "SIG$sig: dumplab exits non-zero" test $rc -ne 0
    tap "SIG$sig: no domain or QEMU left behind" no_leftovers default
done

# SIGKILL cannot be caught: the next run must clean up.
runs=$(mktemp -d "$RUNS/kill.XXXXXX")
"$DUMPLAB" run --runs-dir "$runs" "$ROOT/scenarios/default.scn" >"$runs.out" 2>&1 &
pid=$!
for _ in $(seq 600); do grep -q "boot .*done" "$runs.out" && break; sleep 0.2; done
kill -KILL $pid
wait $pid 2>/dev/null
tap "SIGKILL leaves the domain running (precondition)" not no_leftovers default
tap "dumplab cleanup removes the killed run's domain" "$DUMPLAB" cleanup
tap "no domain or QEMU left behind after cleanup" no_leftovers default
finish
