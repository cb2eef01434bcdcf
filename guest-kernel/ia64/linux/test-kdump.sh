#!/usr/bin/env bash
# tap-timeout: 1800
# kdump with Linux/ia64's own code on ia64sim: the first kernel boots with
# crashkernel=, its init loads the capture kernel (the same vmlinux) with
# kexec_load(KEXEC_ON_CRASH) and arms kdump_on_init; then the fault:
#   KDUMP_FAULT=sysrq-c  echo c > /proc/sysrq-trigger: panic ->
#                        machine_crash_shutdown -> machine_kexec;
#   KDUMP_FAULT=init     a platform INIT to every CPU once the init says it
#                        is armed (ia64sim --init-on): Linux's INIT handler
#                        -> kdump_init_notifier -> machine_kexec.
# The capture kernel's init writes /proc/vmcore through the dump device and
# powers off. Asserts the capture kernel ran, the vmcore was written whole,
# and the vmcore proves itself: dumplab check, eu-readelf (an EM_IA_64 core
# with one NT_PRSTATUS per CPU and VMCOREINFO), and the crashing CPU's saved
# registers pointing into the crash path (System.map). Skips without the
# kernel or the compiler.
#
# Env: KDUMP_FAULT (sysrq-c), KDUMP_CPUS (2), KDUMP_BUNDLES, BUILD.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
sim=$build/bin/ia64sim
dumplab=$build/dumplab
fault=${KDUMP_FAULT:-sysrq-c}
cpus=${KDUMP_CPUS:-2}
budget=${KDUMP_BUNDLES:-4000000000}
for b in "$sim" "$dumplab"; do
    if [ ! -x "$b" ]; then
        echo "1..0 # SKIP $b not built"
        exit 77
    fi
done
vmlinux=$("$here/build-kernel.sh" --cached 2>/dev/null | tail -n1)
if [ -z "$vmlinux" ] || [ ! -f "$vmlinux" ]; then
    echo "1..0 # SKIP no cached kernel (make ia64-linux builds it, about 15 minutes)"
    exit 77
fi
out_dir=$build/ia64-linux/kdump-$fault
mkdir -p "$out_dir"
cpio=$("$here/build-initramfs.sh" "$out_dir" "$vmlinux" | tail -n1) || {
    echo "1..0 # SKIP the guest init cannot be built (no cross gcc)"
    exit 77
}
vmcore=$out_dir/vmcore
rm -f "$vmcore"
extra=()
[ "$fault" = init ] && extra=(--init-on "dumplab-init: armed")
start=$(date +%s.%N)
timeout 1700 "$sim" --cpus "$cpus" --ap-wakeup --mem 512M --max-bundles "$budget" \
    --initrd "$cpio" --dump "$vmcore" "${extra[@]}" \
    --append "earlycon=uart8250,mmio,0xfff00000 console=ttyS0 printk.devkmsg=on crashkernel=128M dumplab.mode=kdump dumplab.fault=$fault" \
    "$vmlinux" >"$out_dir/console.log" 2>&1
rc=$?
end=$(date +%s.%N)
out=$(cat "$out_dir/console.log")
n=0
fails=0
ok() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n $2"
    else
        echo "not ok $n $2"
        fails=$((fails + 1))
    fi
}
has() { grep -qE -- "$1" <<<"$out"; }
has 'dumplab-init: capture kernel loaded at'
ok $? "the first kernel's init loaded the capture kernel (kexec_load, KEXEC_ON_CRASH)"
case $fault in
sysrq-c) has 'sysrq: Trigger a crash' ;;
init) has 'INIT to every CPU' && has 'Entered OS INIT handler|INIT' ;;
esac
ok $? "the fault ($fault) reached Linux"
has 'dumplab-init: mode capture'
ok $? "the capture kernel booted into its init"
has 'dumplab-init: vmcore written'
ok $? "the capture init wrote /proc/vmcore through the dump device"
[ $rc -eq 0 ] && has 'powered off \(ACPI S5\)'
ok $? "the capture kernel powered off and the dump is finished (ia64sim exit $rc)"
[ -f "$vmcore" ] && [ "$(stat -c %a "$vmcore")" = 600 ]
ok $? "the vmcore is written 0600"
check=$("$dumplab" check --expect-cpus "$cpus" "$vmcore" 2>&1)
ok $? "dumplab check passes the vmcore"
readelf=$(eu-readelf -h -n "$vmcore" 2>&1)
grep -q 'Machine:.*IA-64' <<<"$readelf" && grep -q 'CORE.*PRSTATUS' <<<"$readelf" &&
    grep -q 'VMCOREINFO' <<<"$readelf"
ok $? "eu-readelf: an IA-64 core with NT_PRSTATUS and VMCOREINFO notes"
nprs=$(grep -c 'CORE.*PRSTATUS' <<<"$readelf")
[ "$nprs" -eq "$cpus" ]
ok $? "one NT_PRSTATUS per CPU ($nprs of $cpus)"
sysmap=$(dirname "$vmlinux")/System.map
proof=$(python3 "$here/prstatus-proof.py" "$vmcore" "$sysmap" "$cpus" 2>&1)
ok $? "register proof: every CPU's NT_PRSTATUS written by crash_save_this_cpu, kernel sp"
sed 's/^/# proof: /' <<<"$proof"
echo "1..$n"
grep -E '^ia64sim:|dumplab-init: (uptime|mode|vmcore written|capture kernel)' <<<"$out" |
    sed 's/^/# /'
echo "# wall $(echo "$end - $start" | bc) s (console in $out_dir/console.log)"
sed 's/^/# check: /' <<<"$check" | head -n 20
if [ $fails -ne 0 ]; then
    echo "# last console lines:"
    grep -v '^ia64sim:' <<<"$out" | tail -n 25 | sed 's/^/#   /'
fi
[ $fails -eq 0 ]
