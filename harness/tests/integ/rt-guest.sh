#!/usr/bin/env bash
# PREEMPT_RT guests (scenarios/rt/): Debian's linux-image-rt-amd64 with the
# crash module built against its headers; the core faults are captured and
# proved, RHEL for Real Time's crash-kernel advice (reset_devices irqpoll
# acpi=noirq through kdump_cmdline_append) reaches the crash kernel's
# command line, and every kdump.conf target kind (rt-raw, rt-ext4, rt-xfs,
# rt-nfs, rt-ssh: scenarios/kdump's .conf files) saves the RT kernel's dump
# where kdump.conf says. Slow (a second guest image, 12 runs): make test
# runs rt-sysrq, rt-cmdline-append and one target scenario, rotating by day
# of the year; DUMPLAB_RT_ALL=1 runs every fault and every target.
# tap-timeout: 3600
. "$(dirname "$0")/lib.sh"
dir=$ROOT/scenarios/rt
targets=("$dir"/rt-raw.scn "$dir"/rt-ext4.scn "$dir"/rt-xfs.scn "$dir"/rt-nfs.scn "$dir"/rt-ssh.scn)
set -- "$dir/rt-sysrq.scn" "$dir/rt-cmdline-append.scn" \
    "${targets[$((10#$(date +%j) % ${#targets[@]}))]}"
[ "${DUMPLAB_RT_ALL:-0}" = 1 ] && set -- "$dir"/*.scn
# The run's domain and QEMU, and the per-run servers of its target (their
# command lines name the run's folder).
no_target_leftovers() {
    no_leftovers "$1" && ! pgrep -f "sshd.*$WORKDIR" >/dev/null &&
        ! pgrep -f "ganesha.*$WORKDIR" >/dev/null
}
for scn in "$@"; do
    name=$(basename "$scn" .scn)
    conf=$(sed -n 's/^kdump_conf *= *//p' "$scn")
    target=
    if [ -n "$conf" ]; then
        conf=$(cd "$(dirname "$scn")" && realpath "$conf")
        target=$(awk '$1 ~ /^(raw|ext4|xfs|nfs|ssh)$/ { print $1 }' "$conf")
    fi
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
    if [ -n "$target" ]; then
        # As kdump-targets.sh asserts for the default kernel. A raw target
        # has no folder: the dump is the device's stream, named instead.
        if [ "$target" = raw ]; then
            dev=$(awk '$1 == "raw" { print $2 }' "$conf")
            where="folder -, the device $dev"
            re="^raw $dev .*, folder -, crash id "
        else
            where="the dated folder"
            re="^$target .*, folder [^ ]*/[0-9.]+-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}:[0-9]{2}:[0-9]{2}, crash id "
        fi
        tap "$name: the verdict names the $target target and $where" \
            jqt 'any(.checks[]; .name == "kdump-target" and .ok and (.summary | test($re)))' --arg re "$re"
        tap "$name: the verdict block prints it" \
            grep -Eq "^check: +ok +${re#^}" "$RUN_OUT"
        tap "$name: crash id tagged on the crash kernel's command line came back" \
            jqt 'any(.checks[]; .name == "kdump-target" and (.summary | test("crash id [0-9a-f]{16}")))'
        tap "$name: the dump was fetched from the $target target" \
            jqt '.dump_source == "kdump" and any(.dumps[]; .source == "kdump")'
        tap "$name: kdump's vmcore and the hypervisor's dump agree" \
            jqt 'any(.checks[]; .name == "cross-check" and .ok)'
        tap "$name: vmcore-dmesg.txt holds the panic" grep -q "sysrq triggered crash" "$WORKDIR/dmesg.txt"
    fi
    tap "$name: no domain, QEMU, sshd or ganesha left behind" no_target_leftovers "$name"
    if [ "$RUN_RC" -eq 0 ] && [ -n "$WORKDIR" ]; then rm -f "$WORKDIR"/*vmcore* "$WORKDIR"/*.img; fi
done
finish
