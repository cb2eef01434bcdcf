#!/usr/bin/env bash
# A crash kernel that cannot start must end in a clear FAIL naming that
# phase, with the console's last lines, and leave nothing behind.
. "$(dirname "$0")/lib.sh"
run_scenario "$ROOT/scenarios/small-crashkernel.scn"
tap "dumplab run exits 0 (the scenario expects this failure)" test "$RUN_RC" -eq 0
tap "verdict FAIL" jqt '.verdict == "FAIL"'
tap "the failed phase is crash-kernel" jqt '.failed_phase == "crash-kernel"'
tap "the reason says the crash kernel did not start" jqt '.reason | test("crash kernel")'
tap "the report carries the console's last lines" jqt '.console_tail | length > 0'
tap "the summary names the phase" grep -q "FAIL in crash-kernel" "$RUN_OUT"
tap "the run still returns the hypervisor's dump" jqt '.dump_source == "hypervisor"'
fb=$(dump_path hypervisor)
tap "the fallback dump is mode 0600" mode_is 600 "$fb"
tap "the fallback dump reads as a QEMU core with both CPUs" "$DUMPLAB" check --expect-cpus 2 "$fb"
tap "no domain or QEMU left behind" no_leftovers small-crashkernel
finish
