#!/usr/bin/env bash
# Builds the guest's user space: init/ (a static init with no libc, for the
# cross gcc of build-toolchain.sh) into an initramfs (newc cpio) holding
# /init and empty /dev and /proc. Takes a second; not cached.
#
# Usage: build-initramfs.sh OUTDIR     writes OUTDIR/init and
#                                      OUTDIR/initramfs.cpio, prints the cpio path
# Exit 0 built, 2 the compiler is not built (build-toolchain.sh), 1 failure.
set -euo pipefail
die() { echo "build-initramfs.sh: $*" >&2; exit 1; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -eq 1 ] || die "usage: build-initramfs.sh OUTDIR"
OUT=$1
GCC_PREFIX=$("$HERE/build-toolchain.sh" --cached 2>/dev/null | tail -n1) ||
    { echo "build-initramfs.sh: no cross gcc (run build-toolchain.sh)" >&2; exit 2; }
CC=$GCC_PREFIX/bin/ia64-linux-gnu-gcc
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
"$CC" -static -nostdlib -ffreestanding -fno-builtin -O2 -Wall -Wextra -Werror \
    -o "$OUT/init" "$HERE/init/start.S" "$HERE/init/init.c" -lgcc ||
    die "compiling init failed"
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/dev" "$ROOT/proc"
cp "$OUT/init" "$ROOT/init"
chmod 0755 "$ROOT/init"
# Fixed owner and times: the same init gives the same cpio.
touch -d @0 "$ROOT" "$ROOT"/*
(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$OUT/initramfs.cpio" ||
    die "cpio failed"
echo "$OUT/initramfs.cpio"
