#!/usr/bin/env bash
# make bench: runs every bench/*.sh in turn. Each prints its figures as
# ratios against a reference measured in the same run on the same machine
# (these machines are noisy; absolute times alone mean little).
set -u
here=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$here"/*.sh; do
    [ "$(basename "$b")" = run.sh ] && continue
    echo "== $(basename "$b" .sh)"
    bash "$b" || status=1
done
exit $status
