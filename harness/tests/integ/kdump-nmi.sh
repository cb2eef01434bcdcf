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
# The kernel's own words for an NMI nobody claimed (what virDomainInjectNMI
# delivers), not any line that mentions NMI ("NMI watchdog" at boot does).
tap "the panicking kernel saw an unknown NMI (the hypervisor's)" \
    grep -qE "Uhhuh\. NMI received for unknown reason [0-9a-f]+ on CPU [0-9]+" "$WORKDIR/referee-dmesg.txt"
tap "and the harness asked the guest for no fault itself (no FAULT on the agent channel)" \
    not grep -q "> FAULT" "$WORKDIR/agent.log"
tap "no domain or QEMU left behind" no_leftovers nmi
finish
