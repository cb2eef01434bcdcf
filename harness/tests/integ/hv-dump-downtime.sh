#!/usr/bin/env bash
# The hypervisor's reference dump without the long pause: the default
# scenario takes the default short-pause dump (hvdump.h), then, in
# the same run, dump-guest-memory (DUMPLAB_HV_DUMP_COMPARE=1). The guest's
# own clock says how long it was stopped for each: the snapshot's downtime
# must be at most 1/5 of dump-guest-memory's, and kdump's vmcore must agree
# with the snapshot page for page (the cross-check), so the snapshot is of
# one instant. DUMPLAB_HV_DUMP_METHOD=dump-guest-memory turns this red
# (ratio 1).
. "$(dirname "$0")/lib.sh"
DUMPLAB_HV_DUMP_COMPARE=1 run_scenario "$ROOT/scenarios/default.scn"
tap "dumplab run exits 0 (run as expected)" test "$RUN_RC" -eq 0
tap "verdict PASS" jqt '.verdict == "PASS"'
tap "the cross-check against the snapshot holds: every compared page identical" \
    jqt 'any(.checks[]; .name == "cross-check" and .ok)'
hv=$(dump_path hypervisor-reference)
tap "the hypervisor dump exists and is mode 0600" bash -c 'test -s "$1" && test "$(stat -c %a "$1")" = 600' _ "$hv"
j=$WORKDIR/hv-dump.json
sed 's/^/# /' "$j" 2>/dev/null
tap "the reference dump was a short-pause method (not dump-guest-memory)" \
    jq -e '.reference.method != "dump-guest-memory" and .also.method == "dump-guest-memory"' "$j"
tap "both downtimes were measured by the guest's clock" \
    jq -e '.reference.guest_clock_lost_ms >= 0 and .also.guest_clock_lost_ms > 0' "$j"
tap "the snapshot's downtime is at most 1/5 of dump-guest-memory's" \
    jq -e '.reference.guest_clock_lost_ms * 5 <= .also.guest_clock_lost_ms' "$j"
tap "no domain or QEMU left behind" no_leftovers default
finish
