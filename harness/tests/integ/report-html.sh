#!/bin/bash
# report.html, index.html and JUnit XML rendered by headless Chromium: the
# key elements must be in the DOM Chromium builds (not just in our text),
# and the page must work offline (no http(s) reference at all).
. "$(dirname "$0")/lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "1..0 # SKIP no chromium (Debian package chromium, in ci/packages.txt)"
    exit 0
fi
MKREPORT=$ROOT/build/bin/mkreport
DOMCHECK="python3 $ROOT/harness/tests/integ/domcheck.py"
T=$(mktemp -d /tmp/dumplab-report-html.XXXXXX)
trap 'rm -rf "$T"' EXIT
cp -r "$ROOT/harness/tests/data/reports/differ" "$ROOT/harness/tests/data/reports/timeout" "$T/"

# render FILE OUT: the DOM after Chromium loaded the page from disk.
render() {
    timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$T/profile" \
        --dump-dom "file://$1" >"$2" 2>"$T/chromium.err" && [ -s "$2" ]
}

tap "mkreport writes report.html, index.html and junit.xml" \
    "$MKREPORT" --index "$T/index.html" --junit "$T/junit.xml" "$T/differ" "$T/timeout"
tap "Chromium renders the run's report.html" render "$T/differ/report.html" "$T/differ.dom"
echo "# report.html of a run whose cross-check found 2 differing ranges, 2 CPUs"
tap "report.html: verdict, 8 timeline phases, the failed phase" \
    $DOMCHECK "$T/differ.dom" '#verdict>=1' '#verdict .v>=1' '#timeline rect.phase==8' \
    '#timeline rect.failed==1' '#failure>=1'
tap "report.html: /proc/iomem (RAM, crashkernel) drawn with the vmcore's segments" \
    $DOMCHECK "$T/differ.dom" '#memmap rect.ram==2' '#memmap rect.crashkernel==1' \
    '#memmap rect.segment==3' '#memmap rect.iomem>=1'
tap "report.html: the differing pages are drawn and counted" \
    $DOMCHECK "$T/differ.dom" '#memmap rect.differ==2' '#differ-count>=1'
tap "report.html: the per-CPU register proof, one row per CPU" \
    $DOMCHECK "$T/differ.dom" '#registers tr.cpu==2' '#checks tr.check==3' '#findings tr.finding==1'
tap "report.html: the finding's text is escaped, not markup" grep -q '&lt;&amp;&gt;' "$T/differ.dom"
tap "report.html is self-contained (no http or https reference)" \
    not grep -Eq '(src|href)="https?:' "$T/differ/report.html"
tap "Chromium renders a report with no memory map (run failed before check)" \
    render "$T/timeout/report.html" "$T/timeout.dom"
tap "report.html of an early failure: empty memory and register sections say so" \
    $DOMCHECK "$T/timeout.dom" '#memmap p.empty==1' '#registers p.empty==1' '#timeline rect.phase==2'
tap "Chromium renders index.html" render "$T/index.html" "$T/index.dom"
tap "index.html: one row per run with its verdict and a link to its report" \
    $DOMCHECK "$T/index.dom" '#runs tr.run==2' '#runs tr.fail==2' '#runs tr.unexpected==1' \
    '#totals>=1' '#runs a==2'
links_resolve() {
    local l
    for l in $(grep -o 'href="[^"]*report.html"' "$T/index.html" | sed 's/^href="//; s/"$//'); do
        [ -f "$T/$l" ] || { echo "# $l does not exist"; return 1; }
    done
}
tap "index.html's links lead to each run's report.html" links_resolve
junit_ok() {
    python3 - "$T/junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
cases = s.findall("testcase")
# The unexpected FAIL is a failure; the FAIL its scenario expects is not.
assert s.get("tests") == "2" and s.get("failures") == "1", s.attrib
assert [c.get("name") for c in cases] == ["nmi-2cpu", "silent-1cpu"]
assert cases[0].find("failure") is not None and cases[1].find("failure") is None
assert "check" in cases[0].find("failure").get("message")
PY
}
tap "junit.xml parses; the unexpected FAIL is the one <failure>" junit_ok
tap "Chromium screenshots report.html" timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
    --user-data-dir="$T/profile" --window-size=1100,1400 --screenshot="$T/shot.png" \
    "file://$T/differ/report.html"
tap "the screenshot is a real picture (over 20 kB)" test "$(stat -c %s "$T/shot.png" 2>/dev/null || echo 0)" -gt 20000
if [ -n "${KEEP_REPORT_SHOT:-}" ]; then cp "$T/shot.png" "$KEEP_REPORT_SHOT"; fi
finish
