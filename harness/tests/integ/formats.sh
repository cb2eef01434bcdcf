#!/usr/bin/env bash
# Every vmcore format on real dumps of the default guest. One run with the
# hypervisor's dump in QEMU's kdump-zlib format (libvirt streams it, so it
# arrives flattened); from the run's kdump vmcore, makedumpfile on the host
# makes -c, -l, -E and -F variants at -d 31 and -c at -d 0 (this host's
# makedumpfile 1.7.2 has neither snappy nor zstd: mkkdump writes those with
# the real libraries). Each good file passes `dumplab check` with 2 CPUs
# and fails with 3; each compares clean with the hypervisor's dump, every
# excluded page judged against it; one kernel page marked excluded in a
# -d 31 file is named by `dumplab compare`; damaged copies give a defect
# or an error, never a crash or a hang.
. "$(dirname "$0")/lib.sh"
MKKDUMP=$ROOT/build/bin/mkkdump
command -v makedumpfile >/dev/null || { skip "formats" "makedumpfile is not installed"; finish; exit; }
DUMPLAB_HV_DUMP_FORMAT=kdump-zlib run_scenario "$ROOT/scenarios/default.scn"
tap "the run passes with a kdump-zlib hypervisor dump (the cross-check reads it)" test "$RUN_RC" -eq 0
vmcore=$(dump_path kdump)
hv=$WORKDIR/hv.vmcore
[ -s "$vmcore" ] && [ -s "$hv" ] || { echo "Bail out! no dumps"; exit 1; }
tap "the hypervisor's dump is QEMU's flattened kdump-compressed stream" \
    bash -c '"$1" check --json "$2" | jq -e ".format == \"flattened kdump-compressed\""' _ "$DUMPLAB" "$hv"
out=$(mktemp -d "$RUNS/formats.XXXXXX")
# The first kernel's /proc/iomem, rebuilt from the agent's IOMEM lines.
grep ' IOMEM ' "$WORKDIR/agent.log" |
    sed -E 's/.*start=0x([0-9a-f]+) end=0x([0-9a-f]+) name=(.*)/\1 \2 \3/' |
    awk 'function z(x){while(length(x)<8)x="0" x;return x}
         {n=$3; for(i=4;i<=NF;i++)n=n" "$i; gsub("%20"," ",n);
          printf "%s%s-%s : %s\n", (n=="Crash kernel")?"  ":"", z($1), z($2), n}' >"$out/iomem"
makedumpfile -c -d 31 "$vmcore" "$out/c31" >/dev/null 2>&1
makedumpfile -l -d 31 "$vmcore" "$out/l31" >/dev/null 2>&1
makedumpfile -E -d 31 "$vmcore" "$out/e31" >/dev/null 2>&1
makedumpfile -F -c -d 31 "$vmcore" >"$out/f31" 2>/dev/null
makedumpfile -c -d 0 "$vmcore" "$out/c0" >/dev/null 2>&1
"$MKKDUMP" -c snappy "$vmcore" "$out/snappy"
"$MKKDUMP" -c zstd -d 1 "$vmcore" "$out/zstd1"
for f in c31 l31 e31 f31 c0 snappy zstd1; do
    p=$out/$f
    tap "$f: dumplab check --expect-cpus 2 exits 0" timeout 300 "$DUMPLAB" check --expect-cpus 2 --iomem "$out/iomem" "$p"
    tap "$f: dumplab check --expect-cpus 3 exits 1" bash -c 'timeout 300 "$1" check --expect-cpus 3 "$2" >/dev/null; test $? -eq 1' _ "$DUMPLAB" "$p"
    tap "$f: dumplab compare with the hypervisor's dump exits 0" timeout 300 "$DUMPLAB" compare --iomem "$out/iomem" "$p" "$hv"
done
tap "c31: the dump level and every excluded page's class are reported" \
    bash -c '"$1" check --json "$2" | jq -e ".dump_level == 31 and .pages.excluded > 0 and (.pages.excluded_by_class | .free + .user + .cache + .zero + .\"cache-private\") == .pages.excluded and .pages.throughput_mib_s > 0"' _ "$DUMPLAB" "$out/c31"
tap "f31 from standard input: exit 0" bash -c '"$1" check --expect-cpus 2 - <"$2"' _ "$DUMPLAB" "$out/f31"
# One kernel page (the frame of _stext) marked excluded in the -d 31 file.
cp "$out/c31" "$out/x31"
frame=$("$MKKDUMP" -x stext "$out/x31")
"$DUMPLAB" compare --iomem "$out/iomem" "$out/x31" "$hv" >"$out/x31.txt"
rc=$?
sed 's/^/# /' "$out/x31.txt"
tap "a kernel page wrongly excluded: compare exits 1" test "$rc" -eq 1
tap "compare names frame $frame and why it had to be kept" \
    grep -q "frame $frame: kernel page in the reference.*it had to be kept" "$out/x31.txt"
# Damaged copies: exit 1 (defects) or 2 (unreadable), in bounded time.
damaged() { # name file offset bytes...
    local name=$1 src=$2 off=$3
    shift 3
    cp "$src" "$out/$name"
    printf "$@" | dd of="$out/$name" bs=1 seek="$off" conv=notrunc status=none
    timeout 300 "$DUMPLAB" check "$out/$name" >"$out/$name.txt" 2>&1
    local rc=$?
    tail -2 "$out/$name.txt" | sed 's/^/# /'
    tap "damaged $name: exit 1 or 2 (got $rc), no crash, no hang" test "$rc" -eq 1 -o "$rc" -eq 2
}
size=$(stat -c %s "$out/c31")
cp "$out/c31" "$out/trunc"; truncate -s $((size / 2)) "$out/trunc"
timeout 300 "$DUMPLAB" check "$out/trunc" >/dev/null 2>&1; rc=$?
tap "damaged truncated: exit 1 or 2 (got $rc)" test "$rc" -eq 1 -o "$rc" -eq 2
damaged flipped "$out/c31" $((size - 3000)) '\x55\xaa\x55\xaa'
damaged blocksize "$out/c31" 428 '\x03\x00\x00\x00'
damaged bitmapblocks "$out/c31" 436 '\xf0\xff\xff\xff'
# Overlapping descriptors: the second descriptor's offset moved into the first's data.
desc=$("$DUMPLAB" check --json "$out/c31" >/dev/null; od -An -t u4 -j 432 -N 8 "$out/c31" | awk '{print (1+$1+$2)*4096}')
first=$(od -An -t u8 -j "$desc" -N 8 "$out/c31" | tr -d ' ')
damaged overlap "$out/c31" $((desc + 24)) "$(printf '\\x%02x' $(( (first + 1) & 255 )) $(( ((first + 1) >> 8) & 255 )) $(( ((first + 1) >> 16) & 255 )) $(( ((first + 1) >> 24) & 255 )))"
tap "overlapping descriptors are named" grep -q "kdump.overlap\|page.unreadable" "$out/overlap.txt"
tap "no domain or QEMU left behind" no_leftovers default
rm -rf "$out"
finish
