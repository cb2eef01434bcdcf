#!/usr/bin/env bash
# PREEMPT_RT guests (scenarios/rt/): Debian's linux-image-rt-amd64 with the
# crash module built against its headers; the core faults are captured and
# proved, and RHEL for Real Time's crash-kernel advice (reset_devices irqpoll
# acpi=noirq through kdump_cmdline_append) reaches the crash kernel's
# command line. Slow (a second guest image, 7 runs): make test runs
# rt-sysrq and rt-cmdline-append; DUMPLAB_RT_ALL=1 runs every fault.
# tap-timeout: 3600
. "$(dirname "$0")/lib.sh"
dir=$ROOT/scenarios/rt
set -- "$dir/rt-sysrq.scn" "$dir/rt-cmdline-append.scn"
[ "${DUMPLAB_RT_ALL:-0}" = 1 ] && set -- "$dir"/*.scn
for scn in "$@"; do
    name=$(basename "$scn" .scn)
    run_scenario "$scn"
    tap "$name: run as expected (exit 0)" test "$RUN_RC" -eq 0
    tap "$name: verdict PASS" jqt '.verdict == "PASS"'
    tap "$name: the guest ran the RT kernel" jqt '.kernel | test("-rt-amd64$")'
    tap "$name: the checker finds no defect" jqt 'any(.checks[]; .name == "vmcore" and .ok)'
    if [ "$name" = rt-cmdline-append ]; then
        # The crash kernel prints its command line after its banner.
        tap "$name: the crash kernel booted with reset_devices irqpoll acpi=noirq" \
            sh -c "awk '/Kernel command line:.*dumplab_crash_id=/' '$WORKDIR/console.log' | grep -q 'reset_devices irqpoll acpi=noirq'"
        tap "$name: kdump_cmdline_remove dropped quiet" \
            sh -c "! awk '/Kernel command line:.*dumplab_crash_id=/' '$WORKDIR/console.log' | grep -qw quiet"
    fi
    tap "$name: no domain or QEMU left behind" no_leftovers "$name"
    if [ "$RUN_RC" -eq 0 ] && [ -n "$WORKDIR" ]; then rm -f "$WORKDIR"/*vmcore* "$WORKDIR"/*.img; fi
done
finish
