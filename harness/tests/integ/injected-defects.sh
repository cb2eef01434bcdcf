#!/usr/bin/env bash
# Each proof must catch the defect it exists for in a real dump. One real run
# of scenarios/ci/panic.scn; then build/bin/recheck (a test tool: no user's
# run can damage its own vmcore) reruns that run's checks on a copy of its
# vmcore damaged on purpose, once per kind: the verdict turns FAIL and the
# reason names the defect. The run's own vmcore is left as it was.
. "$(dirname "$0")/lib.sh"
RECHECK=$ROOT/build/bin/recheck
scn=$ROOT/scenarios/ci/panic.scn
run_scenario "$scn"
tap "the run itself PASSes" jqt '.verdict == "PASS"'
tap "no domain or QEMU left behind" no_leftovers ci-panic
before=$(sha256sum <"$WORKDIR/vmcore")

out=$("$RECHECK" "$WORKDIR" 2>&1)
rc=$?
REPORT=$WORKDIR/recheck-none/report.json
tap "recheck of the undamaged vmcore: exit 0, verdict PASS" \
    bash -c 'test "$1" -eq 0 && jq -e ".verdict == \"PASS\"" "$2"' _ "$rc" "$REPORT"

for kind in marker page note; do
    case $kind in
    marker) check=markers want='markers.*0x[0-9a-f]+' ;;
    page) check=cross-check want='0x2000000-0x2000fff' ;;
    note) check=registers want='CPU [0-9]+ has no NT_PRSTATUS note' ;;
    esac
    out=$("$RECHECK" --damage "$kind" "$WORKDIR" 2>&1)
    rc=$?
    echo "$out" | sed 's/^/# /'
    REPORT=$WORKDIR/recheck-$kind/report.json
    tap "$kind: recheck exits 1" test "$rc" -eq 1
    tap "$kind: verdict FAIL in the check phase" jqt '.verdict == "FAIL" and .failed_phase == "check"'
    tap "$kind: the $check check fails" jqt 'any(.checks[]; .name == $c and (.ok | not))' --arg c "$check"
    tap "$kind: the report names the defect" \
        jqt '[.reason, (.findings[].message), (.checks[].summary // empty)] | any(test($w))' --arg w "$want"
    tap "$kind: the damaged copy is mode 0600" mode_is 600 "$WORKDIR/recheck-$kind/vmcore"
    rm -f "$WORKDIR/recheck-$kind/vmcore"
done
tap "the run's own vmcore is unchanged" test "$(sha256sum <"$WORKDIR/vmcore")" = "$before"
tap "and its report still says PASS" jq -e '.verdict == "PASS"' "$WORKDIR/report.json"
rm -f "$WORKDIR"/*vmcore
finish
