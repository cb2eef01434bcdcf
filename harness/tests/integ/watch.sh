#!/usr/bin/env bash
# The text watch on real guests (scenarios/watch/): each text fault of the
# crash module is caught within two periods, named and classified; the text
# bounds found from the vCPU state and page tables agree exactly with the
# guest's /proc/iomem and the Debian vmlinux; the view is read-only; two
# idle guests (2 and 4 vCPUs) give no report over a minute while
# `dumplab watch` watches both at once.
# tap-timeout: 2400
. "$(dirname "$0")/lib.sh"
set_dir=$ROOT/scenarios/watch
vmlinux=$(ls "$ROOT"/build/cache/dbg/vmlinux-* 2>/dev/null | head -1)
if [ -z "$vmlinux" ]; then
    skip "text watch" "no debug vmlinux cached (vm-images/fetch-dbg.sh KVER)"
    finish
    exit
fi

watch_checks() { # name
    tap "$1: run as expected (exit 0)" test "$RUN_RC" -eq 0
    tap "$1: verdict PASS" jqt '.verdict == "PASS"'
    tap "$1: text bounds agree with /proc/iomem and the vmlinux" \
        jqt 'any(.checks[]; .name == "text-bounds" and .ok)'
    tap "$1: a write through the view faults, the guest is unchanged" \
        jqt 'any(.checks[]; .name == "view-read-only" and .ok)'
    tap "$1: the expected text change (or none)" \
        jqt 'any(.checks[]; .name == "text-change" and .ok)'
    tap "$1: no domain or QEMU left behind" no_leftovers "$1"
    tap "$1: no RAM file left in /dev/shm" not compgen -G "/dev/shm/dumplab-*-$1/ram"
}

for f in text-patch kprobe static-key ftrace; do
    run_scenario "$set_dir/$f.scn"
    watch_checks "$f"
    want=$(sed -n 's/^expect text_change *= *//p' "$set_dir/$f.scn")
    tap "$f: reported as $want" grep -q "caught within .* $(echo "$want" | sed 's/@.*//')" "$WORKDIR/watch.txt"
done

# Two idle guests at once, each watched by its run for a minute and both by
# one `dumplab watch`.
mkdir -p "$RUNS"
a=$(mktemp -d "$RUNS/run.XXXXXX")
b=$(mktemp -d "$RUNS/run.XXXXXX")
"$DUMPLAB" run --runs-dir "$a" "$set_dir/idle.scn" >"$a.out" 2>&1 &
pa=$!
"$DUMPLAB" run --runs-dir "$b" "$set_dir/idle-4cpu.scn" >"$b.out" 2>&1 &
pb=$!
for _ in $(seq 600); do
    grep -q "watch .*watching" "$a.out" && grep -q "watch .*watching" "$b.out" && break
    sleep 1
done
da=$(virsh -q -c qemu:///system list --name | grep -E "^dumplab-$pa-[0-9]+-idle$" | head -1)
db=$(virsh -q -c qemu:///system list --name | grep -E "^dumplab-$pb-[0-9]+-idle-4cpu$" | head -1)
out=$RUNS/watch-both.out
if [ -n "$da" ] && [ -n "$db" ]; then
    # Under the seed's plan made safe: node 0 (the monitor) extended over
    # nodes 1 and 2 read-only; the guests are those nodes.
    "$DUMPLAB" watch --for 20s --mint-nodes 3 --extend 0=0x48000000:ro "$da" "$db" >"$out" 2>&1
    rc=$?
    sed 's/^/# /' "$out"
    tap "dumplab watch: two guests at once, no change (exit 0)" test "$rc" -eq 0
    tap "dumplab watch under a Mint plan: each guest is a node node 0 reads read-only" \
        test "$(grep -c ': Mint node [12]; node 0 reads its region 3 at .* read-only' "$out")" -eq 2
    tap "dumplab watch: each guest's text found" test "$(grep -c ': text 0x' "$out")" -eq 2
    tap "dumplab watch: each guest reports 0 changes" test "$(grep -c ': 0 changes' "$out")" -eq 2
else
    tap "dumplab watch: both idle guests came up" false
fi
wait $pa
rca=$?
wait $pb
rcb=$?
for r in "$a:idle:$rca" "$b:idle-4cpu:$rcb"; do
    dir=${r%%:*} rest=${r#*:}
    name=${rest%%:*} RUN_RC=${rest#*:}
    sed 's/^/# /' "$dir.out"
    WORKDIR=$(find "$dir" -mindepth 1 -maxdepth 1 -type d | head -1)
    REPORT=$WORKDIR/report.json
    watch_checks "$name"
done
"$DUMPLAB" watch --for 1s no-such-domain-here >"$out" 2>&1
tap "dumplab watch: an unknown domain is refused (exit 2)" test $? -eq 2
# The seed's own extension is writable: no watch runs under it.
"$DUMPLAB" watch --for 1s --mint-nodes 3 --extend 0=0x48000000 dom-a dom-b >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
tap "dumplab watch under the seed's writable plan: refused (exit 2), naming the overlap" \
    sh -c 'test "$1" -eq 2 && grep -q "writes into node 1.s region 3 at 0x38000000-0x4fffffff" "$2"' _ "$rc" "$out"
finish
