#!/usr/bin/env bash
# Builds Linux/ia64 (vmlinux) from Debian's linux-source-6.1 with
# tiger_defconfig, config.fragment and patches/series, using the cross gcc of
# build-toolchain.sh. Cached by content outside the repo: the key hashes
# RECIPE (bump it when the build steps change), the fragment, the patches,
# the linux-source package version and the compiler prefix, so an unchanged
# input reuses the vmlinux.
#
# Usage: build-kernel.sh           prints the vmlinux path (last line)
#        build-kernel.sh --cached  the same, but exit 3 instead of building
# Env:   DUMPLAB_CACHE (default /var/cache/dumplab), JOBS (default 2)
# Exit 0 built or cached, 2 a prerequisite is missing, 1 build failure.
set -euo pipefail

die() { echo "build-kernel.sh: $*" >&2; exit 1; }
unavailable() { echo "build-kernel.sh: $*" >&2; exit 2; }

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_ROOT=${DUMPLAB_CACHE:-/var/cache/dumplab}
JOBS=${JOBS:-2}
TARBALL=/usr/src/linux-source-6.1.tar.xz
[ -r "$TARBALL" ] || unavailable "$TARBALL missing (install linux-source-6.1)"
for t in flex bison bc; do
    command -v $t >/dev/null || unavailable "$t missing (install flex bison bc)"
done
CACHED_ONLY=()
[ "${1:-}" = --cached ] && CACHED_ONLY=(--cached)
GCC_PREFIX=$("$HERE/build-toolchain.sh" "${CACHED_ONLY[@]}" | tail -n1) || exit $?
export PATH=$GCC_PREFIX/bin:$PATH
SRCVER=$(dpkg-query -W -f '${Version}' linux-source-6.1)

PATCHES=()
while read -r p; do
    case $p in '' | '#'*) continue ;; esac
    [ -r "$HERE/patches/$p" ] || die "patches/series names $p, which does not exist"
    PATCHES+=("$HERE/patches/$p")
done <"$HERE/patches/series"

RECIPE="v1 tiger_defconfig merge_config olddefconfig vmlinux"
KEY=$( { echo "$RECIPE"; cat "$HERE/config.fragment" "$HERE/patches/series" "${PATCHES[@]}";
         echo "$SRCVER $GCC_PREFIX"; } | sha256sum | cut -c1-16)
OUT=$CACHE_ROOT/ia64-linux/$KEY
if [ -e "$OUT/vmlinux" ] && [ -e "$OUT/.complete" ]; then
    echo "build-kernel.sh: cached $OUT" >&2
    echo "$OUT/vmlinux"
    exit 0
fi
if [ ${#CACHED_ONLY[@]} -gt 0 ]; then
    echo "build-kernel.sh: no cached kernel at $OUT" >&2
    exit 3
fi
WORK=$CACHE_ROOT/ia64-linux/work-$KEY
rm -rf "$WORK" "$OUT"
mkdir -p "$WORK"
cd "$WORK"
start=$(date +%s)
tar xJf "$TARBALL"
cd linux-source-6.1
for p in "${PATCHES[@]}"; do
    patch -p1 --no-backup-if-mismatch <"$p" >/dev/null || die "patch $(basename "$p") does not apply"
done
MK=(make ARCH=ia64 CROSS_COMPILE=ia64-linux-gnu- -j"$JOBS")
"${MK[@]}" tiger_defconfig >../build.log 2>&1 || die "tiger_defconfig failed, see $WORK/build.log"
scripts/kconfig/merge_config.sh -m .config "$HERE/config.fragment" >>../build.log 2>&1 ||
    die "merge_config failed, see $WORK/build.log"
"${MK[@]}" olddefconfig >>../build.log 2>&1 || die "olddefconfig failed, see $WORK/build.log"
# Every fragment line must have survived olddefconfig (a dependency can drop one).
while read -r line; do
    case $line in
        CONFIG_*=*) grep -qx "$line" .config || die "config lost '$line' (a dependency is missing)" ;;
    esac
done <"$HERE/config.fragment"
t_cfg=$(date +%s)
"${MK[@]}" vmlinux >>../build.log 2>&1 || die "make vmlinux failed, see $WORK/build.log"
t_end=$(date +%s)
mkdir -p "$OUT"
cp vmlinux System.map .config "$OUT/"
echo "unpack+config $((t_cfg - start)) s, make vmlinux $((t_end - t_cfg)) s" >"$OUT/.complete"
cat "$OUT/.complete" >&2
cd /
rm -rf "$WORK"
echo "$OUT/vmlinux"
