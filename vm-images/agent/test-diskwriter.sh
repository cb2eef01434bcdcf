#!/usr/bin/env bash
# Unit test of the crash-kernel agent's disk writer (TAP): builds
# tests/test-diskwriter.c with diskwriter.c for the host and runs it on a
# file under build/ (tmpfs has no O_DIRECT).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${BUILD:-$repo/build}
case $build in /*) ;; *) build=$repo/$build ;; esac
mkdir -p "$build/tests"
bin=$build/tests/test-diskwriter
if ! ${CC:-cc} -O1 -g -D_GNU_SOURCE -std=gnu11 -Wall -Wextra -Werror -fsanitize=address,undefined \
    -I"$here" -o "$bin" "$here/tests/test-diskwriter.c" "$here/diskwriter.c"; then
    echo "1..1"
    echo "not ok 1 tests/test-diskwriter.c builds"
    exit 1
fi
exec "$bin" "$build/tests/diskwriter.img"
