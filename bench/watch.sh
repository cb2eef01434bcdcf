#!/usr/bin/env bash
# The text watch on real guests (TCG): the time to hash one guest's text
# (per scan, and as a share of the 100 ms period), the monitor's CPU use at
# 100 ms, the detection latency of each fault class (as periods: the time
# from the last scan that did not see the change to the one that did), and
# the guest's slowdown while watched (a guest-side loop's rate watched /
# unwatched, 5 s each).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
d=$root/build/dumplab
if ! ls "$root"/build/cache/dbg/vmlinux-* >/dev/null 2>&1; then
    echo "watch: skipped: no debug vmlinux cached (vm-images/fetch-dbg.sh KVER)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The idle guest for 10 s rather than a minute: the figures settle sooner.
sed 's/^monitor_for .*/monitor_for    = 10s/' "$root/scenarios/watch/idle.scn" >"$tmp/bench-idle.scn"
run() { # scenario -> prints the run's watch.txt
    local runs
    runs=$(mktemp -d "$tmp/run.XXXXXX")
    if ! "$d" run --quiet --runs-dir "$runs" "$1" >"$runs.out" 2>&1; then
        echo "watch: $(basename "$1") failed:" >&2
        cat "$runs.out" >&2
        return 1
    fi
    cat "$runs"/*/watch.txt
}
status=0
if out=$(DUMPLAB_WATCH_LOOP_MS=5000 run "$tmp/bench-idle.scn"); then
    echo "$out" | sed -n 's/^monitor: /idle guest, monitor: /p; s/^guest loop: /idle guest, loop: /p'
else
    status=1
fi
for f in text-patch kprobe static-key ftrace; do
    if out=$(run "$root/scenarios/watch/$f.scn"); then
        echo "$out" | sed -n "s/^\(.*\) caught within \([0-9]*\) ms of the change (\([0-9.]*\) periods.*/$f: detected within \2 ms = \3 periods at 100 ms/p" |
            sed 's/^.*text-change: //'
    else
        status=1
    fi
done
exit $status
