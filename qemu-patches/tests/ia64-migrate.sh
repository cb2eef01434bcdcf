#!/usr/bin/env bash
# Live migration sees the guest's writes. The model stores into QEMU's RAM
# block through its host pointer, around QEMU's memory API, so the machine
# marks every store dirty (sal_ram_dirty); migration's pre-copy then resends
# the pages the guest wrote after they were sent.
#   bench/loop.elf stores a new value to its scratch word every 5 bundles.
#   The source migrates to a file while the guest runs, the destination
#   loads it (-incoming, paused): its RAM must equal the source's RAM at the
#   end of migration byte for byte (pmemsave of all 64 MiB on both). Without
#   the dirty marks the scratch page holds the first pass's value.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
qemu=${QEMU_IA64:-$(bash "$root/qemu-patches/build.sh" --print-path 2>/dev/null)}
elf=$build/ia64/tests/bench/loop.elf
qmp=$here/qmp.py
n=0 failed=0
if [ ! -x "$qemu" ] || [ ! -f "$elf" ]; then
    echo "1..0 # SKIP needs $qemu and $elf (make qemu-ia64 ia64)"
    exit 77
fi
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
ok() { # ok DESCRIPTION COMMAND...
    local d=$1
    shift
    n=$((n + 1))
    if "$@"; then echo "ok $n $d"; else echo "not ok $n $d"; failed=1; fi
}
start() { # start NAME ARGS...: a QEMU with a QMP socket $tmp/NAME.qmp
    local name=$1
    shift
    "$qemu" -M ia64-sal -m 64 -smp 1 -display none -monitor none -serial none -nodefaults \
        -qmp "unix:$tmp/$name.qmp,server=on,wait=off" -kernel "$elf" "$@" \
        >"$tmp/$name.err" 2>&1 &
    pids+=($!)
}
q() { local name=$1; shift; timeout 60 python3 "$qmp" "$tmp/$name.qmp" "$@"; }
# wait_mig NAME: until query-migrate says completed (or failed: returns 1)
wait_mig() {
    local s
    for _ in $(seq 1 600); do
        s=$(q "$1" query-migrate | sed -n 's/.*"status": "\([a-z-]*\)".*/\1/p')
        case $s in completed) return 0 ;; failed | cancelled) return 1 ;; esac
        sleep 0.1
    done
    return 1
}

start src
q src sleep:0.5 >/dev/null
# A slow first pass (8 MiB/s) so the guest writes while it runs.
q src 'migrate-set-parameters={"max-bandwidth": 8388608}' \
    "migrate={\"uri\": \"exec:cat > $tmp/stream\"}" >/dev/null
ok "the running guest migrates to a file" wait_mig src
q src "pmemsave={\"val\": 0, \"size\": 67108864, \"filename\": \"$tmp/src.mem\"}" >/dev/null
start dst -S -incoming "exec:cat $tmp/stream"
ok "the destination loads the stream" wait_mig dst
q dst "pmemsave={\"val\": 0, \"size\": 67108864, \"filename\": \"$tmp/dst.mem\"}" >/dev/null
# the scratch word (loop.elf's .data at 0x1000c0): the guest ran and wrote it
word() { od -An -tx8 -j $((0x1000c0)) -N8 "$1" | tr -d ' '; }
ok "the guest wrote its scratch word ($(word "$tmp/src.mem"))" \
    test "$(word "$tmp/src.mem")" != 0000000000000000
ok "the destination's RAM equals the source's at the end of migration (64 MiB)" \
    cmp -s "$tmp/src.mem" "$tmp/dst.mem"
echo "# scratch word: source $(word "$tmp/src.mem"), destination $(word "$tmp/dst.mem")"
q src quit >/dev/null 2>&1
q dst quit >/dev/null 2>&1
echo "1..$n"
exit $failed
