#!/usr/bin/env bash
# Builds the guest's user space: init/ (a static init with no libc, for the
# cross gcc of build-toolchain.sh) into two initramfs images (newc cpio):
#   capture.cpio    /init alone, for the capture kernel;
#   initramfs.cpio  /init, /capture.cpio and, given VMLINUX, /vmlinux (the
#                   capture kernel init loads with kexec_load).
# Takes a second or two; not cached.
#
# Usage: build-initramfs.sh OUTDIR [VMLINUX]   prints OUTDIR/initramfs.cpio
# Exit 0 built, 2 the compiler is not built (build-toolchain.sh), 1 failure.
set -euo pipefail
die() { echo "build-initramfs.sh: $*" >&2; exit 1; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: build-initramfs.sh OUTDIR [VMLINUX]"
OUT=$1
VMLINUX=${2:-}
GCC_PREFIX=$("$HERE/build-toolchain.sh" --cached 2>/dev/null | tail -n1) ||
    { echo "build-initramfs.sh: no cross gcc (run build-toolchain.sh)" >&2; exit 2; }
CC=$GCC_PREFIX/bin/ia64-linux-gnu-gcc
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
"$CC" -static -nostdlib -ffreestanding -fno-builtin -O2 -Wall -Wextra -Werror \
    -I"$HERE/../../../harness/include" -o "$OUT/init" "$HERE/init/start.S" "$HERE/init/init.c" \
    "$HERE/init/kdump.c" "$HERE/init/irqoff.c" "$HERE/init/markers.c" -lgcc ||
    die "compiling init failed"
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
# newc with fixed owner and times: the same inputs give the same bytes.
pack() { (cd "$1" && touch -h -d @0 . * && find . | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --quiet); }
mkdir -p "$ROOT/capture/dev" "$ROOT/capture/proc" "$ROOT/capture/sys"
install -m 0755 "$OUT/init" "$ROOT/capture/init"
pack "$ROOT/capture" >"$OUT/capture.cpio" || die "cpio failed"
mkdir -p "$ROOT/first/dev" "$ROOT/first/proc" "$ROOT/first/sys"
install -m 0755 "$OUT/init" "$ROOT/first/init"
cp "$OUT/capture.cpio" "$ROOT/first/capture.cpio"
if [ -n "$VMLINUX" ]; then
    # Only the PT_LOADs matter to kexec_load: drop the symbols.
    "$GCC_PREFIX/bin/ia64-linux-gnu-objcopy" --strip-all "$VMLINUX" "$ROOT/first/vmlinux" ||
        die "cannot strip $VMLINUX"
fi
pack "$ROOT/first" >"$OUT/initramfs.cpio" || die "cpio failed"
echo "$OUT/initramfs.cpio"
