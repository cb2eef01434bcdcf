# Helpers for the integration tests: each test is a bash script that runs
# real scenarios through build/dumplab and prints TAP lines.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
DUMPLAB=$ROOT/build/dumplab
RUNS=${DUMPLAB_TEST_RUNS:-$ROOT/build/test-runs}
n=0
failed=0
RUNS_MADE=()

tap() { # tap "description" command...
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then
        echo "ok $((++n)) $what"
    else
        echo "not ok $((++n)) $what"
        failed=$((failed + 1))
    fi
}

skip() { echo "ok $((++n)) $1 # SKIP $2"; }

# run_scenario FILE [extra dumplab run args]: sets RUN_RC, RUN_OUT, WORKDIR,
# REPORT. Each run gets its own runs folder, so the work folder is the one
# entry in it.
run_scenario() {
    mkdir -p "$RUNS"
    local runs
    runs=$(mktemp -d "$RUNS/run.XXXXXX")
    RUNS_MADE+=("$runs")
    RUN_OUT=$runs.out
    local t0=$SECONDS
    "$DUMPLAB" run --runs-dir "$runs" "$@" >"$RUN_OUT" 2>&1
    RUN_RC=$?
    sed 's/^/# /' "$RUN_OUT"
    echo "# dumplab run $* took $((SECONDS - t0)) s, exit status $RUN_RC"
    WORKDIR=$(find "$runs" -mindepth 1 -maxdepth 1 -type d | head -1)
    REPORT=${WORKDIR:-$runs}/report.json
}

# The run's dump of the given source ("kdump", ...).
dump_path() { jq -r --arg s "$1" '.dumps[] | select(.source == $s) | .path' "$REPORT" | head -1; }

# jqt FILTER [jq options]: true when the filter holds on the last run's report.json.
jqt() { local filter=$1; shift; jq -e "$@" "$filter" "$REPORT"; }

# No domain of ours remains and no QEMU runs one.
# No domain of the named scenario remains, and no QEMU runs one. (virsh
# only looks here: the harness itself uses the C API.)
no_leftovers() {
    ! virsh -q -c qemu:///system list --all --name | grep -Eq "^dumplab-[0-9]+-[0-9]+-$1\$" &&
        ! pgrep -f "guest=dumplab-[0-9]+-[0-9]+-$1," >/dev/null
}

not() { ! "$@"; }

mode_is() { [ "$(stat -c %a "$2")" = "$1" ]; }

# The plan, then the test's status. A test whose points all passed removes
# its runs' folders (vmcores and hypervisor dumps: a whole make test would
# otherwise leave tens of GiB behind and starve the runs after it); a failed
# test keeps them as evidence.
finish() {
    echo "1..$n"
    if [ "$failed" -eq 0 ] && [ ${#RUNS_MADE[@]} -gt 0 ]; then
        for r in "${RUNS_MADE[@]}"; do
            rm -rf -- "$r" "$r.out"
        done
    fi
    [ "$failed" -eq 0 ]
}
