#!/usr/bin/env bash
# Kdump for IA-64 on the model (hw-ia64-sal/tools/ia64kdump running
# guest-kernel/ia64's first and capture kernels), as TAP:
#  - each stop method and trigger ends in a vmcore whose proofs hold (one
#    NT_PRSTATUS per CPU at the ip where the model saw it, marker pages,
#    page-by-page match with memory at the crash), written 0600;
#  - eu-readelf (elfutils) as referee: an EM_IA_64 core, one NT_PRSTATUS of
#    1144 bytes per CPU; the saved ips, read from the file with od (not with
#    ia64kdump's reader), equal the model's;
#  - what must fail does: purging the TLB before the switch to physical
#    mode (the next fetch misses), leaving the IOSAPIC unmasked (a stale
#    interrupt reaches the capture kernel), a capture kernel writing
#    outside Xs..Xe, a marker proof against the wrong seed;
#  - every interleaving of 2, 3 and 4 CPUs (count and time reported).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build}
tool=$build/bin/ia64kdump
first=$build/ia64/guest/first.elf
capture=$build/ia64/guest/capture.elf
n=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; }
check() { if [ "$1" = 0 ]; then ok "$2"; else notok "$2${3:+ # $3}"; fi; }

if [ ! -x "$tool" ] || [ ! -f "$first" ] || [ ! -f "$capture" ]; then
    echo "1..0 # SKIP not built ($tool, $first, $capture)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { timeout 300 "$tool" --first "$first" --capture "$capture" "$@"; }

# note_ips FILE: the ip slot (pr_reg[42]) of every NT_PRSTATUS, "pid ip"
# per line, read with od from the single PT_NOTE (offset from eu-readelf).
note_ips() {
    local off size o=0
    read -r off size < <(eu-readelf -l "$1" | awk '$1 == "NOTE" { print $2, $5; exit }')
    off=$((off)) size=$((size))
    while [ $((o + 12)) -le "$size" ]; do
        local hdr namesz descsz type
        hdr=$(od -An -tu4 -j $((off + o)) -N 12 "$1")
        read -r namesz descsz type <<<"$hdr"
        [ "$namesz" -eq 0 ] && break
        local desc=$((off + o + 12 + (namesz + 3) / 4 * 4))
        if [ "$type" -eq 1 ]; then
            local pid ip
            pid=$(od -An -tu4 -j $((desc + 32)) -N 4 "$1" | tr -d ' ')
            ip=$(od -An -tx8 -j $((desc + 112 + 42 * 8)) -N 8 "$1" | tr -d ' ')
            echo "$((pid - 1)) 0x$ip"
        fi
        o=$((o + 12 + (namesz + 3) / 4 * 4 + (descsz + 3) / 4 * 4))
    done
}

scenario() { # name, cpus, options...
    local name=$1 cpus=$2
    shift 2
    local out rc
    out=$(run --cpus "$cpus" --vmcore "$tmp/$name.core" --json "$tmp/$name.json" "$@" 2>&1)
    rc=$?
    check $rc "$name: proofs hold" "$(grep -m1 -e finding -e ia64kdump <<<"$out")"
    local mode
    mode=$(stat -c %a "$tmp/$name.core" 2>/dev/null)
    check $([ "$mode" = 600 ]; echo $?) "$name: vmcore written 0600" "mode $mode"
    if ! command -v eu-readelf >/dev/null; then
        echo "ok $((n += 1)) $name: eu-readelf referee # SKIP elfutils not installed"
        return
    fi
    local notes machine
    machine=$(eu-readelf -h "$tmp/$name.core" | awk -F: '/Machine/ { gsub(/^ +/, "", $2); print $2 }')
    notes=$(eu-readelf -n "$tmp/$name.core" | grep -c 'CORE *1144 *PRSTATUS')
    check $([ "$machine" = "Intel IA-64" ] && [ "$notes" = "$cpus" ]; echo $?) \
        "$name: eu-readelf: $machine core, $notes NT_PRSTATUS of 1144 bytes" "want $cpus"
    # The saved ips (read with od) against where the model saw each CPU.
    local bad=0 cpu ip want seen=0
    while read -r cpu ip; do
        seen=$((seen + 1))
        want=$(grep -o "\"cpu\": $cpu, \"reached_by\": \"[a-z-]*\", \"ip\": \"0x[0-9a-f]*\"" \
            "$tmp/$name.json" | grep -o '0x[0-9a-f]*')
        [ "$((ip))" = "$((want))" ] || { bad=1; echo "# cpu$cpu: note ip $ip, model $want"; }
    done < <(note_ips "$tmp/$name.core")
    [ "$seen" = "$cpus" ] || { bad=1; echo "# od found $seen NT_PRSTATUS notes, want $cpus"; }
    check $bad "$name: every NT_PRSTATUS ip (read with od) is where the model saw the CPU"
}

scenario panic-init-all 4 --fault panic --fault-cpu 2 --irqoff 1,3 --stop init-all \
    --init-order 2,0,3,1
scenario panic-stop-ipi 4 --fault panic --fault-cpu 0 --irqoff 1,3 --stop ipi-then-init
scenario platform-init 3 --fault init --irqoff 0 --init-order 1,2,0 --init-late
scenario one-cpu 1 --fault panic

# What the seed says must fail, fails visibly.
out=$(run --cpus 2 --variant purge-before-switch 2>&1)
rc=$?
check $([ $rc = 1 ] && grep -q 'instruction TLB miss' <<<"$out"; echo $?) \
    "purge before the switch to physical mode: the next fetch misses in the TLB"
out=$(run --cpus 4 --stop ipi-then-init --irqoff 1 --variant no-iosapic-mask 2>&1)
rc=$?
check $([ $rc = 1 ] && grep -q 'stale interrupt' <<<"$out"; echo $?) \
    "IOSAPIC left unmasked: a stale interrupt reaches the capture kernel"
out=$(run --cpus 2 --variant capture-scribble 2>&1)
rc=$?
check $([ $rc = 1 ] && grep -q 'capture side wrote 1 page(s) outside Xs..Xe, first at 0x180000' <<<"$out"; echo $?) \
    "a capture-side write outside Xs..Xe is flagged"
out=$(run --cpus 2 --proof-seed 2 2>&1)
rc=$?
check $([ $rc = 1 ] && grep -q 'marker page .* is wrong' <<<"$out"; echo $?) \
    "the marker proof fails against another seed"
out=$(run --cpus 9 2>&1)
rc=$?
check $([ $rc = 2 ] && grep -q 'bad value' <<<"$out"; echo $?) "9 CPUs: a clear usage error"

# The scenarios through dumplab itself: same report and verdict as x86.
if [ -x "$build/dumplab" ]; then
    out=$("$build/dumplab" run --quiet --runs-dir "$tmp/runs" "$root/scenarios/ia64" 2>&1)
    rc=$?
    summary=$(grep -E '^[0-9]+ runs:' <<<"$out")
    check $([ $rc = 0 ] && grep -q ' 0 not as the scenario expects' <<<"$summary"; echo $?) \
        "dumplab run scenarios/ia64: $summary" "$(tail -3 <<<"$out" | tr '\n' ' ')"
else
    echo "ok $((n += 1)) dumplab run scenarios/ia64 # SKIP $build/dumplab not built"
fi

# Every interleaving.
start=$(date +%s.%N)
out=$(run --explore --jobs 2 --cpus-list 2,3,4 2>&1)
rc=$?
end=$(date +%s.%N)
echo "$out" | sed 's/^/# /'
summary=$(grep '^explored' <<<"$out")
check $([ $rc = 0 ] && grep -q 'explored [0-9]* cases, 0 failed' <<<"$summary"; echo $?) \
    "exhaustive: $summary (wall $(printf '%.1f' "$(echo "$end - $start" | bc)") s)"
echo "1..$n"
exit 0
