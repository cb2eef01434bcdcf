#!/usr/bin/env bash
# Every fault of the CI set (scenarios/ci/): each run must PASS with the
# register proof, the marker pages and the hypervisor cross-check all green,
# and leave nothing behind. Each run's duration is printed.
# tap-timeout: 4800
. "$(dirname "$0")/lib.sh"
set_dir=$ROOT/scenarios/ci
if ! ls "$set_dir"/*.scn >/dev/null 2>&1; then
    skip "fault scenarios" "no scenarios in $set_dir"
    finish
    exit
fi
for scn in "$set_dir"/*.scn; do
    name=$(basename "$scn" .scn)
    run_scenario "$scn"
    tap "$name: run as expected (exit 0)" test "$RUN_RC" -eq 0
    tap "$name: verdict PASS" jqt '.verdict == "PASS"'
    tap "$name: checker finds no defect" jqt 'any(.checks[]; .name == "vmcore" and .ok)'
    tap "$name: the dump is kdump's vmcore" jqt '.dump_source == "kdump"'
    tap "$name: register proof holds" jqt 'any(.checks[]; .name == "registers" and .ok)'
    if grep -Eq '^\s*markers\s*=\s*[1-9]' "$scn"; then
        tap "$name: every marker page is intact in the vmcore" jqt 'any(.checks[]; .name == "markers" and .ok)'
    fi
    # The cross-check is asserted from the scenario, not from what the run
    # happened to produce: a run that lost its hypervisor dump must fail here.
    if grep -Eq '^\s*hv_dump\s*=\s*(no|false|0)\s*$' "$scn"; then
        tap "$name: no hypervisor dump, as the scenario says" \
            jqt 'all(.dumps[]; .source != "hypervisor-reference")'
    else
        tap "$name: the hypervisor's reference dump was taken" \
            jqt 'any(.dumps[]; .source == "hypervisor-reference")'
        tap "$name: kdump vmcore and hypervisor dump agree" \
            jqt 'any(.checks[]; .name == "cross-check" and .ok)'
    fi
    tap "$name: no domain or QEMU left behind" no_leftovers "$name"
    # Keep the disk in check: the vmcores of passed runs are not needed.
    if [ "$RUN_RC" -eq 0 ] && [ -n "$WORKDIR" ]; then rm -f "$WORKDIR"/*vmcore; fi
done
finish
