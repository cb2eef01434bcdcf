#!/usr/bin/env bash
# Each proof must catch the defect it exists for in a real dump: a defect
# injected into the collected vmcore (DUMPLAB_INJECT_DEFECT) turns the
# verdict to FAIL, and the reason names it.
. "$(dirname "$0")/lib.sh"
scn=$ROOT/scenarios/ci/panic.scn
for kind in marker page note; do
    case $kind in
    marker) check=markers want='markers.*0x[0-9a-f]+' ;;
    page) check=cross-check want='0x2000000-0x2000fff' ;;
    note) check=registers want='CPU [0-9]+ has no NT_PRSTATUS note' ;;
    esac
    DUMPLAB_INJECT_DEFECT=$kind run_scenario "$scn"
    tap "$kind: dumplab run exits 1 (not what the scenario expects)" test "$RUN_RC" -eq 1
    tap "$kind: verdict FAIL in the check phase" jqt '.verdict == "FAIL" and .failed_phase == "check"'
    tap "$kind: the $check check fails" jqt 'any(.checks[]; .name == $c and (.ok | not))' --arg c "$check"
    tap "$kind: the report names the defect" jqt '[.reason, (.findings[].message)] | any(test($w))' --arg w "$want"
    tap "$kind: no domain or QEMU left behind" no_leftovers ci-panic
    rm -f "$WORKDIR"/*vmcore
done
finish
