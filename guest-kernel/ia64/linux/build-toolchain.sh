#!/usr/bin/env bash
# Builds a freestanding ia64-linux-gnu cross gcc (C only) plus libgcc from
# Debian's gcc-12 source, against Debian's ia64 binutils. Debian ships no ia64
# compiler, and Linux/ia64 plus the guest's static init need one.
#
# The result is cached by content outside the repo: the key hashes the
# recipe (RECIPE below: configure options and source fixes; bump its version
# when the build changes), the gcc source package version and the binutils
# version, so a change to any of them rebuilds and an unchanged machine
# reuses the compiler. Edits to comments or messages do not rebuild.
#
# Usage: build-toolchain.sh            prints the install prefix (last line)
#        build-toolchain.sh --cached   the same, but exit 3 instead of building
# Env:   DUMPLAB_CACHE (default /var/cache/dumplab), JOBS (default 2)
# Exit 0 built or cached, 2 the source cannot be fetched, 1 build failure.
set -euo pipefail

die() { echo "build-toolchain.sh: $*" >&2; exit 1; }
unavailable() { echo "build-toolchain.sh: $*" >&2; exit 2; }

CACHED_ONLY=0
[ "${1:-}" = --cached ] && CACHED_ONLY=1
CACHE_ROOT=${DUMPLAB_CACHE:-/var/cache/dumplab}
JOBS=${JOBS:-2}
AS=$(command -v ia64-linux-gnu-as) || unavailable "ia64-linux-gnu-as missing (install binutils-ia64-linux-gnu)"
LD=$(command -v ia64-linux-gnu-ld) || unavailable "ia64-linux-gnu-ld missing (install binutils-ia64-linux-gnu)"
for h in gmp.h mpfr.h mpc.h; do
    [ -e /usr/include/$h ] || [ -e /usr/include/x86_64-linux-gnu/$h ] ||
        unavailable "$h missing (install libgmp-dev libmpfr-dev libmpc-dev)"
done

# Read the whole listing first: awk exiting early would SIGPIPE apt-cache
# and pipefail would then fail the script.
SRCINFO=$(apt-cache showsrc gcc-12 2>/dev/null || true)
# A fresh machine has no deb-src entry: derive one from the Debian sources
# file, as qemu-patches/build.sh does (same file name, so they share it).
if ! grep -q '^Version:' <<<"$SRCINFO" && [ $CACHED_ONLY = 0 ] &&
    [ -r /etc/apt/sources.list.d/debian.sources ] && [ "$(id -u)" = 0 ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
        >/etc/apt/sources.list.d/dumplab-deb-src.sources
    apt-get update -qq >/dev/null 2>&1 || true
    SRCINFO=$(apt-cache showsrc gcc-12 2>/dev/null || true)
fi
GCCVER=$(awk '/^Version:/ {print $2; exit}' <<<"$SRCINFO")
[ -n "$GCCVER" ] || unavailable "no gcc-12 source package (is a deb-src entry configured?)"
BINVER=$(dpkg-query -W -f '${Version}' binutils-ia64-linux-gnu)
CONFIG_ARGS=(--target=ia64-linux-gnu --enable-languages=c --without-headers --disable-shared
    --disable-threads --disable-multilib --disable-nls --disable-libssp --disable-libquadmath
    --disable-libgomp --disable-libatomic --disable-libitm --disable-libsanitizer
    --disable-libvtv --disable-libstdcxx --disable-bootstrap --disable-decimal-float)
RECIPE="v2 ${CONFIG_ARGS[*]} s-tm-texi-stamp all-gcc all-target-libgcc"
KEY=$(echo "$RECIPE $GCCVER $BINVER" | sha256sum | cut -c1-16)
PREFIX=$CACHE_ROOT/ia64-gcc/$KEY
if [ -x "$PREFIX/bin/ia64-linux-gnu-gcc" ] && [ -e "$PREFIX/.complete" ]; then
    echo "build-toolchain.sh: cached $PREFIX" >&2
    echo "$PREFIX"
    exit 0
fi
if [ $CACHED_ONLY = 1 ]; then
    echo "build-toolchain.sh: no cached compiler at $PREFIX" >&2
    exit 3
fi

WORK=$CACHE_ROOT/ia64-gcc/work-$KEY
rm -rf "$WORK" "$PREFIX"
mkdir -p "$WORK"
cd "$WORK"
start=$(date +%s)
# --download-only: only the orig tarball is needed; unpacking the Debian
# package would apply hundreds of patches we do not use.
# Only the orig tarball matters: a mirror missing the .debian.tar.xz makes
# apt-get fail after the orig has arrived, which is still enough.
apt-get source --download-only "gcc-12=$GCCVER" >apt-source.log 2>&1 || true
ORIG=$(ls gcc-12_*.orig.tar.* 2>/dev/null | head -n1)
[ -n "$ORIG" ] || unavailable "apt-get source gcc-12=$GCCVER gave no orig tarball: $(tail -n1 apt-source.log)"
tar xf "$ORIG"
# The orig tarball holds the real source tarball (gcc-12.2.0-dfsg.tar.xz).
INNER=$(find . -maxdepth 2 -name 'gcc-*-dfsg.tar.*' | head -n1)
[ -n "$INNER" ] || die "no gcc-*-dfsg tarball inside $ORIG"
tar xf "$INNER"
# gcc-12.2.0-dfsg.tar.xz unpacks into gcc-12.2.0.
SRC=$(basename "$INNER")
SRC=${SRC%-dfsg.tar.*}
[ -d "$SRC" ] || SRC=
[ -n "$SRC" ] || die "no gcc source directory after unpacking $INNER"
SRC=$(cd "$SRC" && pwd)

mkdir -p obj
cd obj
"$SRC/configure" --prefix="$PREFIX" "${CONFIG_ARGS[@]}" \
    --with-as="$AS" --with-ld="$LD" >configure.log 2>&1 || die "configure failed, see $WORK/obj/configure.log"
# The dfsg source lacks the GFDL manuals, so the rule that regenerates tm.texi
# and compares it with doc/tm.texi cannot succeed; configure-gcc first, then
# drop both s-tm-texi rules with their recipes and make it a plain stamp.
make configure-gcc >make.log 2>&1 || die "configure-gcc failed, see $WORK/obj/make.log"
awk 'skip && /^\t/ { next } { skip = 0 }
     /^s-tm-texi:/ { skip = 1; next }
     { print }
     END { print "s-tm-texi:"; print "\ttouch s-tm-texi" }' gcc/Makefile >gcc/Makefile.stub
mv gcc/Makefile.stub gcc/Makefile
make -j"$JOBS" all-gcc >>make.log 2>&1 || die "make all-gcc failed, see $WORK/obj/make.log"
t_gcc=$(date +%s)
make -j"$JOBS" all-target-libgcc >>make.log 2>&1 || die "make all-target-libgcc failed, see $WORK/obj/make.log"
t_lib=$(date +%s)
make install-gcc install-target-libgcc >>make.log 2>&1 || die "install failed, see $WORK/obj/make.log"
for t in as ld objcopy objdump nm ar strip readelf; do
    ln -sf "/usr/bin/ia64-linux-gnu-$t" "$PREFIX/bin/ia64-linux-gnu-$t"
done
echo "all-gcc+configure $((t_gcc - start)) s, all-target-libgcc $((t_lib - t_gcc)) s" >"$PREFIX/.complete"
cat "$PREFIX/.complete" >&2
cd /
rm -rf "$WORK"
echo "$PREFIX"
