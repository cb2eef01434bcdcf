#!/usr/bin/env bash
# The second referee: the crash utility, with the kernel's debug vmlinux,
# must open the vmcore and show every CPU's backtrace: the panicking CPU in
# __crash_kexec, the spinners in the module's spin loop under the NMI.
. "$(dirname "$0")/lib.sh"
kver=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }')
vmlinux=$(bash "$ROOT/vm-images/fetch-dbg.sh" "$kver" 2>/dev/null | tail -1)
if [ -z "$vmlinux" ] || [ ! -s "$vmlinux" ]; then
    skip "crash bt -a on a vmcore" "the debug vmlinux for $kver (linux-image-$kver-dbg) cannot be had"
    finish
    exit
fi
if ! command -v crash >/dev/null; then
    skip "crash bt -a on a vmcore" "the crash utility is not installed"
    finish
    exit
fi
run_scenario "$ROOT/scenarios/ci/stop-irqoff-4cpu.scn"
tap "the run passes" test "$RUN_RC" -eq 0
vmcore=$(dump_path kdump)
bt=$WORKDIR/crash-bt.txt
printf 'bt -a\nquit\n' | timeout 600 crash -s "$vmlinux" "$vmcore" >"$bt" 2>&1
sed -n '1,60p' "$bt" | sed 's/^/# /'
tap "crash opens the vmcore" grep -q 'PID:' "$bt"
for cpu in 0 1 2 3; do
    tap "crash shows CPU $cpu's backtrace" grep -Eq "CPU: $cpu +COMMAND" "$bt"
done
tap "the panicking CPU is in __crash_kexec" grep -q '__crash_kexec' "$bt"
tap "the three spinners were stopped in dl_spin_irqoff by the NMI" \
    test "$(grep -c 'exception RIP: dl_spin_irqoff' "$bt")" -eq 3
rm -f "$WORKDIR"/*vmcore
tap "no domain or QEMU left behind" no_leftovers ci-stop-irqoff-4cpu
finish
