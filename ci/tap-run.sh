#!/usr/bin/env bash
# Runs each test executable given as an argument, reads the TAP lines it prints
# ("ok N name", "not ok N name", "ok N name # SKIP why") and ends with the line
# "N passed, N failed, N skipped". A test that exits non-zero without reporting
# a failure counts as one failure; one that prints no TAP line counts by its exit
# status (0 pass, 77 skip, else fail). Each test's duration is printed.
set -u
pass=0 fail=0 skip=0
failed_names=()
for t in "$@"; do
    name=${t#./}
    start=$(date +%s)
    out=$(mktemp)
    echo "# RUN $name"
    "$t" 2>&1 | tee "$out" | sed 's/^/    /'
    rc=${PIPESTATUS[0]}
    end=$(date +%s)
    p=$(grep -cE '^ok [0-9]+' "$out" | head -1)
    s=$(grep -cE '^ok [0-9]+.*# *SKIP' "$out")
    f=$(grep -cE '^not ok [0-9]+' "$out")
    p=$((p - s))
    if [ $((p + s + f)) -eq 0 ]; then
        case $rc in
            0) p=1 ;;
            77) s=1 ;;
            *) f=1 ;;
        esac
    elif [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "    not ok - $name exited with status $rc"
    fi
    [ "$f" -gt 0 ] && failed_names+=("$name")
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
    echo "# END $name: $p passed, $f failed, $s skipped, $((end - start)) s"
    rm -f "$out"
done
if [ ${#failed_names[@]} -gt 0 ]; then
    echo "# failing: ${failed_names[*]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
