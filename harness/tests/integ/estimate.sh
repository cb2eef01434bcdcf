#!/usr/bin/env bash
# dumplab estimate on the default guest: crashkernel= bisected over real
# crashes (8 MiB steps) beside kdumpctl estimate's formula. What a user
# relies on: the size reported captured in a real try, the size one step
# below it did not (or is the search's floor), every try is listed, and
# the formula is printed. make test runs the full search (0..256 MiB, 6
# crashes, 3.3 min here under TCG); DUMPLAB_ESTIMATE_ARGS="--from 88 --to
# 120" narrows it to a window (3 crashes, 2 min) for a quick check.
# tap-timeout: 1800
. "$(dirname "$0")/lib.sh"
scn=$ROOT/scenarios/default.scn
mkdir -p "$RUNS"
runs=$(mktemp -d "$RUNS/estimate.XXXXXX")
RUNS_MADE+=("$runs")
out=$runs.out
t0=$SECONDS
# shellcheck disable=SC2086 # DUMPLAB_ESTIMATE_ARGS is a list of options
"$DUMPLAB" estimate --runs-dir "$runs" ${DUMPLAB_ESTIMATE_ARGS:-} "$scn" >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
echo "# dumplab estimate took $((SECONDS - t0)) s, exit status $rc"
tap "estimate: exit 0" test "$rc" -eq 0

# "default: bisecting crashkernel= between FROM and TO MiB ..."
floor=$(sed -n 's/^default: bisecting crashkernel= between \([0-9]*\) and .*/\1/p' "$out")
# "smallest crashkernel that captured: 104M (96M did not; 6 crashes, ...)"
read -r got below crashes < <(sed -n \
    's/^smallest crashkernel that captured: \([0-9]*\)M (\([0-9]*\)M did not; \([0-9]*\) crashes.*/\1 \2 \3/p' "$out")
tap "estimate: a smallest size is reported" test -n "${got:-}" -a -n "${floor:-}"
got=${got:-0} below=${below:-0} crashes=${crashes:--1} floor=${floor:-0}
tries=$(grep -E '^try +[0-9]+: crashkernel= *[0-9]+M  (pass|FAIL) ' "$out")
tap "estimate: a try at ${got}M captured" grep -Eq "^try +[0-9]+: crashkernel= *${got}M  pass " <<<"$tries"
step=$((got - 8))
# A floor of 0 (no reservation) needs no try; any other floor next to the
# answer is tried by the command itself.
tap "estimate: ${step}M (8 MiB below) failed in a try, or is the floor 0M" \
    sh -c "[ $below -eq $step ] && { [ $step -le 0 ] ||
        printf '%s\n' \"\$1\" | grep -Eq '^try +[0-9]+: crashkernel= *${step}M  FAIL in [a-z-]+ '; }" _ "$tries"
# The bisection's own record agrees with itself: nothing below the answer
# captured, nothing at or above it failed.
tap "estimate: every pass is at or above ${got}M, every failure below it" \
    awk -v g="$got" '{ sub(/^try +[0-9]+: crashkernel= */, ""); m = $0 + 0 }
        / pass / && m < g { bad = 1 } / FAIL / && m >= g { bad = 1 } END { exit bad }' <<<"$tries"
tap "estimate: every try is listed, numbered 1..$crashes" \
    sh -c "[ \$(printf '%s\n' \"\$1\" | wc -l) -eq $crashes ] &&
        printf '%s\n' \"\$1\" | awk '{ sub(/:.*/, \"\", \$2); if (\$2 != NR) exit 1 }'" _ "$tries"
tap "estimate: every try names its run folder, which exists" \
    sh -c "printf '%s\n' \"\$1\" | sed 's/.*, \(.*\))\$/\1/' | while read -r d; do test -d \"\$d\" || exit 1; done" _ "$tries"
log=$(sed -n 's/^tries recorded in //p' "$out")
tap "estimate: the tries and the answer are in ${log:-the log file}" \
    bash -c "[ -n '$log' ] && diff <(grep -E '^(try|smallest)' '$out') <(grep -E '^(try|smallest)' '$log')"
# "kdumpctl estimate's formula: 126M = max(arch default 0M, kernel 64M +
# modules 1M + 3 x initrd 9M + 16M + 20M)": each term is rounded up to a
# MiB on its own, so their sum may exceed the total by a few MiB.
tap "estimate: kdumpctl estimate's formula printed, its arithmetic right" \
    awk 'match($0, /^kdumpctl estimate.s formula: [0-9]+M = max\(arch default [0-9]+M, kernel [0-9]+M \+ modules [0-9]+M \+ 3 x initrd [0-9]+M \+ 16M \+ 20M\)$/) {
            gsub(/[^0-9 ]/, " "); split($0, v, " +"); f = v[2]; a = v[3]
            sum = v[4] + v[5] + 3 * v[7] + 36; want = sum > a ? sum : a
            ok = f >= a && f <= want && f > want - 6 }
        END { exit !ok }' "$out"
pid=$(sed -n 's/^try .*-default-\([0-9]*\)-[0-9]*)$/\1/p' "$out" | head -1)
tap "estimate: no domain or QEMU of its tries left behind" \
    sh -c "[ -n '$pid' ] && ! virsh -q -c qemu:///system list --all --name | grep -Eq '^dumplab-$pid-[0-9]+-default\$' &&
        ! pgrep -f 'guest=dumplab-$pid-[0-9]+-default,' >/dev/null"
finish
