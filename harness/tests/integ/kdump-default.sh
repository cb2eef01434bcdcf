#!/usr/bin/env bash
# The default scenario end to end under real QEMU and libvirt: sysrq-c in a
# 2-vCPU 1 GiB guest, kdump saves the vmcore, dumplab proves it.
. "$(dirname "$0")/lib.sh"
scn=$ROOT/scenarios/default.scn
run_scenario "$scn"
tap "dumplab run exits 0 (run as expected)" test "$RUN_RC" -eq 0
tap "verdict PASS" jqt '.verdict == "PASS"'
tap "every phase ran and passed" jqt '[.phases[].name] as $p | (["boot","arm","crash","crash-kernel","capture","collect","check"] - $p | length == 0) and all(.phases[]; .ok)'
vmcore=$(dump_path kdump)
tap "a kdump vmcore was collected" test -s "$vmcore"
tap "the vmcore is mode 0600" mode_is 600 "$vmcore"
tap "the checker finds no defect" jqt 'any(.checks[]; .name == "vmcore" and .ok)'
tap "dumplab check --expect-cpus 2 agrees (exit 0)" "$DUMPLAB" check --expect-cpus 2 "$vmcore"
tap "dumplab check --expect-cpus 3 reports a defect (exit 1)" bash -c '"$1" check --expect-cpus 3 "$2"; test $? -eq 1' _ "$DUMPLAB" "$vmcore"
tap "makedumpfile --dump-dmesg finds the panic text" jqt 'any(.checks[]; .name == "referee" and .ok)'
tap "the crash kernel's dmesg was saved" test -s "$WORKDIR/dmesg.txt"
tap "console, agent log, domain XML and text report are kept" \
    test -s "$WORKDIR/console.log" -a -s "$WORKDIR/agent.log" -a -s "$WORKDIR/domain.xml" -a -s "$WORKDIR/report.txt"
tap "no domain or QEMU left behind" no_leftovers default
# The default boots the first kernel's ELF through its PVH entry, at its
# link address; bzimage-boot.scn boots the bzImage as users do (its
# decompressor, KASLR; where KASLR lands is random, 16 MiB included, so the
# domain says which kernel), and passes every check as well.
kernel_code() { sed -n 's/.*IOMEM start=0x\([0-9a-f]*\) .*name=Kernel%20code$/\1/p' "$1/agent.log" | head -1; }
tap "the default boots the first kernel's ELF (vmlinux)" \
    grep -q "<kernel>.*/vmlinux</kernel>" "$WORKDIR/domain.xml"
tap "the default's first kernel sits at its link address (Kernel code at 0x1000000)" \
    test "$(kernel_code "$WORKDIR")" = 1000000
tap "kdump was armed with kexec_file_load, as the scenario says" \
    grep -q "ARMED .*method=kexec_file_load" "$WORKDIR/agent.log"
run_scenario "$ROOT/scenarios/bzimage-boot.scn"
tap "bzimage-boot: dumplab run exits 0, verdict PASS" jqt '.verdict == "PASS"'
tap "bzimage-boot: the first kernel is the bzImage (vmlinuz)" \
    grep -q "<kernel>.*/vmlinuz</kernel>" "$WORKDIR/domain.xml"
tap "bzimage-boot: the checker, referee and cross-check pass" \
    jqt '[.checks[] | select(.name == "vmcore" or .name == "referee" or .name == "cross-check") | .ok] | length == 3 and all'
tap "bzimage-boot: no domain or QEMU left behind" no_leftovers bzimage-boot
finish
