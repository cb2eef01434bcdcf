#!/bin/bash
# dumplab run -j 2: two real scenarios side by side on this host. Both must
# pass, overlap in time, use their own domain, work folder and dump disk,
# and leave an index.html and junit.xml that Chromium renders; each run's
# report.html must draw its real memory map and registers.
. "$(dirname "$0")/lib.sh"
# Two guests at once on a shared 2-core machine: each phase may take several
# times its usual time. The test judges function, not speed.
export DUMPLAB_TIMEOUT_SCALE=${DUMPLAB_TIMEOUT_SCALE:-3}
CHROMIUM=$(command -v chromium || true)
DOMCHECK="python3 $ROOT/harness/tests/integ/domcheck.py"
mkdir -p "$RUNS"
runs=$(mktemp -d "$RUNS/jobs.XXXXXX")
t0=$SECONDS
"$DUMPLAB" run -j 2 --runs-dir "$runs" --junit "$runs/ci-junit.xml" \
    "$ROOT/harness/tests/data/scenarios/busy-sysrq.scn" "$ROOT/harness/tests/data/scenarios/busy-nmi.scn" >"$runs.out" 2>&1
rc=$?
wall=$((SECONDS - t0))
sed 's/^/# /' "$runs.out"
echo "# dumplab run -j 2 took $wall s, exit status $rc"
tap "run -j 2 exits 0 (both runs as their scenarios expect)" test "$rc" -eq 0
mapfile -t dirs < <(find "$runs" -mindepth 1 -maxdepth 1 -type d ! -name '*-catalog-*' | sort)
tap "two work folders, one per run" test "${#dirs[@]}" -eq 2
both_pass() { [ "${#dirs[@]}" -eq 2 ] || return 1; local d; for d in "${dirs[@]}"; do jq -e '.verdict == "PASS"' "$d/report.json" || return 1; done; }
tap "both runs PASS" both_pass
distinct() {
    local a b
    a=$(jq -r .domain "${dirs[0]}/report.json"); b=$(jq -r .domain "${dirs[1]}/report.json")
    [ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ] &&
        [ "$(grep -o "dump.img" "${dirs[0]}/domain.xml")" ] &&
        ! grep -q "${dirs[1]}" "${dirs[0]}/domain.xml" && ! grep -q "${dirs[0]}" "${dirs[1]}/domain.xml"
}
tap "different domains; neither domain names the other's folder or disk" distinct
overlap() {
    local sum
    sum=$(jq -s 'map(.ms) | add / 1000 | floor' "${dirs[0]}/report.json" "${dirs[1]}/report.json")
    echo "# runs took $sum s together, $wall s wall"
    [ "$wall" -lt "$sum" ]
}
tap "they ran side by side (wall time below the sum of the runs)" overlap
cat_dir=$(find "$runs" -mindepth 1 -maxdepth 1 -type d -name '*-catalog-*' | head -1)
tap "the set's index.html and junit.xml are in its catalog folder" \
    test -s "$cat_dir/index.html" -a -s "$cat_dir/junit.xml" -a -s "$runs/ci-junit.xml"
tap "junit.xml: 2 tests, 0 failures" \
    python3 -c 'import sys,xml.etree.ElementTree as E; s=E.parse(sys.argv[1]).getroot()[0]; sys.exit(not (s.get("tests")=="2" and s.get("failures")=="0"))' "$runs/ci-junit.xml"
tap "one progress line per run names it" grep -q '^\[busy-nmi\] ' "$runs.out"
tap "the summary table ends the output" grep -q '^2 runs: 2 PASS, 0 FAIL' "$runs.out"
if [ -z "$CHROMIUM" ]; then
    skip "Chromium renders index.html" "no chromium"
    skip "Chromium renders a real run's report.html" "no chromium"
else
    render() { timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$runs/profile" --dump-dom "file://$1" >"$2" 2>/dev/null && [ -s "$2" ]; }
    tap "Chromium renders index.html: 2 runs, both PASS, each linked" \
        eval 'render "$cat_dir/index.html" "$runs/index.dom" && $DOMCHECK "$runs/index.dom" "#runs tr.run==2" "#runs tr.pass==2" "#runs a==2"'
    tap "Chromium renders a real run's report.html: iomem, crashkernel, segments, 2 CPUs, no differing page" \
        eval 'render "${dirs[0]}/report.html" "$runs/r0.dom" && $DOMCHECK "$runs/r0.dom" "#memmap rect.ram>=1" "#memmap rect.crashkernel==1" "#memmap rect.segment>=2" "#memmap rect.differ==0" "#registers tr.cpu==2" "#timeline rect.phase>=9"'
fi
tap "no domain of either run is left" eval 'no_leftovers busy-sysrq && no_leftovers busy-nmi'
# The dumps are as large as the guests' RAM.
rm -f "${dirs[@]/%//vmcore}" "${dirs[@]/%//hv.vmcore}"
finish
