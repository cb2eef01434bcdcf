#!/usr/bin/env bash
# Runs each test executable given as an argument, reads the TAP lines it prints
# ("ok N name", "not ok N name", "ok N name # SKIP why", a plan "1..N") and ends
# with the line "N passed, N failed, N skipped".
#
# - Each test runs under a deadline (DUMPLAB_TEST_TIMEOUT seconds, default
#   1800: a cold image cache alone takes 5 minutes; a script may ask for more
#   with a "# tap-timeout: SECONDS" line in its first 20 lines): SIGTERM, so a
#   dumplab run inside destroys its domain, then SIGKILL 30 s later. A timeout
#   is a failure.
# - A test that prints test points must print a plan, and the plan must match
#   the number of points: a test that stops early fails even when it exits 0.
#   "1..0 # SKIP why" skips the whole test.
# - A test that exits non-zero without reporting a failure counts as one
#   failure; one that prints no TAP line counts by its exit status (0 pass,
#   77 skip, else fail).
# - Every skip is listed with its reason before the last line.
# - "not ok N name # TODO why" is TAP's known-not-working-yet point: it is
#   not a failure, it counts with the skips and is listed with its reason
#   under "# todo"; a TODO point that passes counts as passed.
set -u
default_limit=${DUMPLAB_TEST_TIMEOUT:-1800}
pass=0 fail=0 skip=0
failed_names=()
skipped=()
todos=()
for t in "$@"; do
    name=${t#./}
    start=$(date +%s)
    out=$(mktemp)
    echo "# RUN $name"
    limit=$default_limit
    own=$(head -20 "$t" 2>/dev/null | grep -a -m1 -oE '^# tap-timeout: [0-9]+' | grep -oE '[0-9]+$')
    [ -n "$own" ] && [ "$own" -gt "$limit" ] && limit=$own
    timeout -k 30 "$limit" "$t" 2>&1 | tee "$out" | sed 's/^/    /'
    rc=${PIPESTATUS[0]}
    end=$(date +%s)
    p=$(grep -cE '^ok [0-9]+' "$out")
    s=$(grep -cE '^ok [0-9]+.*# *SKIP' "$out")
    f=$(grep -cE '^not ok [0-9]+' "$out")
    td=$(grep -cE '^not ok [0-9]+.*# *TODO' "$out")
    p=$((p - s))
    points=$((p + s + f))
    f=$((f - td)) s=$((s + td))
    plan=$(grep -E '^1\.\.[0-9]+' "$out" | head -1)
    planned=${plan#1..}
    planned=${planned%% *}
    why=""
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        why="TIMEOUT after $limit s"
    elif [ "$points" -eq 0 ] && [ "$planned" = 0 ]; then
        reason=$(sed -nE 's/^1\.\.0 *# *SKIP *//p' "$out" | head -1)
        s=1
        skipped+=("$name: ${reason:-no reason given}")
    elif [ "$points" -eq 0 ]; then
        case $rc in
            0) p=1 ;;
            77) s=1 skipped+=("$name: exit status 77 (no reason printed)") ;;
            *) why="exited with status $rc" ;;
        esac
    elif [ -z "$plan" ]; then
        why="printed $points test points but no plan (1..N)"
    elif [ "$planned" -ne "$points" ]; then
        why="planned $planned test points, printed $points"
    elif [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ "$f" -eq 0 ]; then
        why="exited with status $rc"
    fi
    if [ -n "$why" ]; then
        f=$((f + 1))
        echo "    not ok - $name $why"
    fi
    while IFS= read -r line; do
        skipped+=("$name: ${line#ok }")
    done < <(grep -E '^ok [0-9]+.*# *SKIP' "$out")
    while IFS= read -r line; do
        todos+=("$name: ${line#not ok }")
    done < <(grep -E '^not ok [0-9]+.*# *TODO' "$out")
    [ "$f" -gt 0 ] && failed_names+=("$name${why:+ ($why)}")
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
    echo "# END $name: $p passed, $f failed, $s skipped, $((end - start)) s"
    rm -f "$out"
done
if [ ${#skipped[@]} -gt 0 ]; then
    echo "# skipped:"
    printf '#   %s\n' "${skipped[@]}"
fi
if [ ${#todos[@]} -gt 0 ]; then
    echo "# todo (known not to work yet, counted with the skips):"
    printf '#   %s\n' "${todos[@]}"
fi
if [ ${#failed_names[@]} -gt 0 ]; then
    echo "# failing:"
    printf '#   %s\n' "${failed_names[@]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
