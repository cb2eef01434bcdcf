#!/usr/bin/env bash
# The guest init's kexec_load layout (init/kdump.c) against a fake kernel on
# the host (init/test-kdump-load.c): needs no cross compiler and no
# Linux/ia64 build, so it runs on every machine, under ASan/UBSan.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! cc -O1 -g -Wall -Wextra -Werror -fno-builtin -fsanitize=address,undefined \
    -fno-sanitize-recover=undefined -o "$tmp/t" "$here/init/test-kdump-load.c" \
    -I"$here/../../../harness/include" "$here/init/kdump.c" "$here/init/init.c" \
    "$here/init/irqoff.c" "$here/init/markers.c" 2>"$tmp/err"; then
    echo "not ok 1 init/test-kdump-load.c builds on the host"
    sed 's/^/# /' "$tmp/err" | head -20
    echo "1..1"
    exit 1
fi
exec "$tmp/t"
