#!/usr/bin/env bash
# A hypervisor NMI (virDomainInjectNMI) with kernel.unknown_nmi_panic=1.
. "$(dirname "$0")/lib.sh"
run_scenario "$ROOT/scenarios/nmi.scn"
tap "dumplab run exits 0 (run as expected)" test "$RUN_RC" -eq 0
tap "verdict PASS" jqt '.verdict == "PASS"'
vmcore=$(dump_path kdump)
tap "a kdump vmcore was collected, mode 0600" mode_is 600 "$vmcore"
tap "the checker finds no defect and 2 CPUs" "$DUMPLAB" check --expect-cpus 2 "$vmcore"
tap "makedumpfile --dump-dmesg finds the NMI panic text" jqt 'any(.checks[]; .name == "referee" and .ok)'
tap "the NMI came from the hypervisor" grep -q "NMI" "$WORKDIR/referee-dmesg.txt"
tap "no domain or QEMU left behind" no_leftovers nmi
finish
