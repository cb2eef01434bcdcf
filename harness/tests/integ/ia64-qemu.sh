#!/usr/bin/env bash
# IA-64 kdump on qemu-system-ia64 (qemu-patches/, machine ia64-sal):
#  - the dump device backed by a file: QEMU alone (no libvirt) boots the
#    first kernel with the preloaded kexec segments, the guest panics, and
#    the capture kernel's vmcore comes out of the vmcore= file, 0600, an
#    EM_IA_64 core with one NT_PRSTATUS per CPU (eu-readelf); without the
#    preload no vmcore appears;
#  - scenarios/ia64/qemu-*.scn through `dumplab run` (libvirt C API: INIT
#    by virDomainInjectNMI, the hypervisor's dump at the capture kernel's
#    entry, page comparison outside Xs..Xe) pass, nothing left behind;
#  - a capture kernel that writes outside Xs..Xe (variant capture-scribble)
#    fails the check: the comparison and the marker proof name it;
#  - the model's must-fail variants fail the same way under QEMU
#    (qemu-no-iosapic-mask: the stale interrupt, read from guest RAM while
#    the halted VM is paused; qemu-purge-before-switch: no capture kernel).
# Skips, saying why, when qemu-system-ia64 is not built.
. "$(dirname "$0")/lib.sh"
tool=$ROOT/build/bin/ia64kdump
first=$ROOT/build/ia64/guest/first.elf
capture=$ROOT/build/ia64/guest/capture.elf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The preload image's bad inputs: a clear error, exit 2, no file.
stage_err() { # stage_err WANT-TEXT args...
    local want=$1
    shift
    "$tool" --stage-blob "$tmp/bad" --first "$first" --capture "$capture" "$@" 2>"$tmp/err" >/dev/null
    [ $? = 2 ] && grep -q "$want" "$tmp/err" && [ ! -e "$tmp/bad" ]
}
tap "--stage-blob without --ram-mib: refused, named" stage_err "needs --ram-mib" --cpus 2
tap "--stage-blob with a fault CPU the machine lacks: refused" stage_err "fault CPU" \
    --ram-mib 33 --cpus 2 --fault-cpu 3
tap "--stage-blob with a capture kernel that is not one: refused" \
    stage_err "ia64kdump" --ram-mib 33 --cpus 2 --capture /dev/null

qemu=${QEMU_IA64:-$(bash "$ROOT/qemu-patches/build.sh" --print-path 2>/dev/null)}
if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
    skip "IA-64 kdump under QEMU" "qemu-system-ia64 is not built (${qemu:-no path}): make qemu-ia64"
    finish
    exit
fi

# qemu_direct NAME [machine props]: 2 CPUs, cpu1 panics, INIT to all.
qemu_direct() {
    local name=$1
    shift
    timeout "${QEMU_TIMEOUT:-120}" "$qemu" -nodefaults -display none -m 33M -smp 2 \
        -machine "ia64-sal,ap-wakeup=on,iosapic-period=157,vmcore=$tmp/$name.vmcore$*" \
        -serial "file:$tmp/$name.console" -kernel "$first" \
        >"$tmp/$name.out" 2>&1
}
"$tool" --stage-blob "$tmp/blob" --ram-mib 33 --first "$first" --capture "$capture" \
    --cpus 2 --fault panic --fault-cpu 1 --stop init-all --markers 4 --seed 3 \
    --panic-after 2000 >"$tmp/stage.out"
tap "ia64kdump --stage-blob prepares the preload image" test -s "$tmp/blob"
t0=$SECONDS
qemu_direct dev ",preload=$tmp/blob,preload-addr=0x1c0000"
echo "# QEMU alone: exit $?, $((SECONDS - t0)) s: $(tr '\n' ' ' <"$tmp/dev.out")"
tap "the capture kernel halts the machine with code 0" grep -q "machine halted, code 0" "$tmp/dev.out"
tap "its vmcore is in the dump device's file, mode 0600" mode_is 600 "$tmp/dev.vmcore"
tap "eu-readelf: an EM_IA_64 core" bash -c "eu-readelf -h '$tmp/dev.vmcore' | grep -q 'Intel IA-64'"
tap "eu-readelf: one 1144-byte NT_PRSTATUS per CPU" \
    bash -c "[ \$(eu-readelf -n '$tmp/dev.vmcore' | grep -c 'CORE.*1144.*PRSTATUS') = 2 ]"
QEMU_TIMEOUT=20 qemu_direct nopre ""
tap "without the kexec segments preloaded no vmcore appears" test ! -e "$tmp/nopre.vmcore"

if ! virsh -q -c qemu:///system version >/dev/null 2>&1; then
    skip "dumplab run of scenarios/ia64/qemu-*.scn" "no libvirt daemon at qemu:///system"
    finish
    exit
fi
for scn in "$ROOT"/scenarios/ia64/qemu-*.scn; do
    b=$(basename "$scn" .scn)
    grep -q '^expect verdict *= *fail' "$scn" && continue # the must-fail ones below
    run_scenario "$scn"
    tap "$b: dumplab run exits 0, verdict PASS" jqt '.verdict == "PASS"'
    tap "$b: vmcore collected, mode 0600" mode_is 600 "$(dump_path kdump)"
    tap "$b: equal to the hypervisor's dump outside Xs..Xe" \
        jqt 'any(.checks[]; .name == "cross-check" and .ok) and any(.findings[]; .rule == "compare.ok")'
    tap "$b: the capture kernel's stale-interrupt record was read, and is clean" \
        jqt 'any(.checks[]; .name == "stale-irq" and .ok)'
    tap "$b: no domain or QEMU left behind" no_leftovers "$b"
done
# The model's must-fail variants fail the same way under QEMU.
run_scenario "$ROOT/scenarios/ia64/qemu-no-iosapic-mask.scn"
tap "no-iosapic-mask: fails in the check, as expected" \
    jqt '.verdict == "FAIL" and .as_expected and .failed_phase == "check"'
tap "no-iosapic-mask: the stale interrupt read from guest RAM at the halt is the reason" \
    jqt '(.reason | test("stale interrupt")) and any(.findings[]; .rule == "ia64.stale-irq")'
tap "no-iosapic-mask: no domain or QEMU left behind" no_leftovers qemu-no-iosapic-mask
run_scenario "$ROOT/scenarios/ia64/qemu-purge-before-switch.scn"
tap "purge-before-switch: fails before the capture kernel, as expected" \
    jqt '.verdict == "FAIL" and .as_expected and .failed_phase == "crash-kernel"'
tap "purge-before-switch: no CPU reached the capture kernel's entry" \
    jqt '.reason | test("capture kernel")'
tap "purge-before-switch: no domain or QEMU left behind" no_leftovers qemu-purge-before-switch
sed -e 's/^description.*/description = capture kernel scribbles outside Xs..Xe (must fail)/' \
    -e 's/^expect verdict.*/expect verdict = fail\nexpect phase = check\nvariant = capture-scribble/' \
    "$ROOT/scenarios/ia64/qemu-init-2cpu.scn" >"$tmp/qemu-scribble.scn"
run_scenario "$tmp/qemu-scribble.scn"
tap "scribble: fails in the check, as expected" test "$RUN_RC" -eq 0
tap "scribble: the comparison names the page that differs" \
    jqt 'any(.findings[]; .rule == "compare.differ" and (.message | test("0x180000")))'
tap "scribble: the marker proof names the page" jqt 'any(.findings[]; .rule == "markers.altered")'
tap "scribble: no domain or QEMU left behind" no_leftovers qemu-scribble
finish
