#!/bin/bash
# Builds qemu-system-ia64: Debian 12's QEMU source + the patch series in
# qemu-patches/patches/ + hw-ia64-sal (copied into the tree as target/ia64/model).
#
# The result is cached by content outside the work tree:
#   $QEMU_IA64_CACHE (default /var/cache/dumplab/qemu-ia64)/<key>/qemu-system-ia64
# where <key> hashes the QEMU source version, the series, configure-flags and
# the hw-ia64-sal sources, so a second run with nothing changed only prints
# the path. The Debian source is kept unpacked in $cache/src-<version>.
# Usage: qemu-patches/build.sh [--print-path]   (run from the repo root or anywhere)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${QEMU_IA64_CACHE:-/var/cache/dumplab/qemu-ia64}
jobs=${JOBS:-2}

die() { echo "qemu-patches/build.sh: $*" >&2; exit 1; }

# The deb-src entry: a copy of the Debian sources file with Types: deb-src.
ensure_deb_src() {
	local src=/etc/apt/sources.list.d/debian.sources
	local dst=/etc/apt/sources.list.d/dumplab-deb-src.sources
	if apt-cache showsrc qemu 2>/dev/null | grep -q '^Version:'; then
		return 0
	fi
	[ -r "$src" ] || die "no $src to derive a deb-src entry from"
	sed 's/^Types: deb$/Types: deb-src/' "$src" >"$dst"
	apt-get update -qq || die "apt-get update failed after adding $dst"
}

qemu_version() {
	# The QEMU this machine runs for x86_64 (ci/packages.txt installs
	# qemu-system-x86): its source version, so the IA-64 build matches it.
	# Without it, the newest source the archive offers (not for
	# --print-path, which make runs on every parse: no apt there).
	dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null && return
	[ "${1:-}" = "--print-path" ] && return
	ensure_deb_src && apt-cache showsrc qemu | awk '/^Version:/ {print $2}' | sort -V | tail -1
}

ver=$(qemu_version "${1:-}")
[ -n "$ver" ] || [ "${1:-}" != "--print-path" ] || exit 0
[ -n "$ver" ] || die "no QEMU source version: install qemu-system-x86 or add a deb-src entry"

key=$( {
	echo "qemu $ver"
	cd "$repo"
	find qemu-patches/patches qemu-patches/configure-flags qemu-patches/model-meson.sh \
		hw-ia64-sal/include hw-ia64-sal/src \
		-type f | LC_ALL=C sort | xargs sha256sum
} | sha256sum | cut -c1-16)
out="$cache/$key"
bin="$out/qemu-system-ia64"

if [ "${1:-}" = "--print-path" ]; then
	echo "$bin"
	exit 0
fi
if [ -x "$bin" ]; then
	echo "qemu-system-ia64 cached: $bin"
	exit 0
fi

# One build at a time: `make` and a test may both ask for the binary, and
# two builds of one key would remove each other's work folder. The second
# waits, then finds the first one's binary.
mkdir -p "$cache"
exec 9>"$cache/.build-lock"
flock 9
if [ -x "$bin" ]; then
	echo "qemu-system-ia64 cached: $bin"
	exit 0
fi

ensure_deb_src
work="$cache/work-$key"
rm -rf "$work"
mkdir -p "$work"
start=$(date +%s)

# Source: apt-get source into a per-version directory we keep (the download is the
# slow part on a fresh machine; the unpacked tree is patched in a copy).
srcdir="$cache/src-$ver"
if [ ! -d "$srcdir/tree" ]; then
	rm -rf "$srcdir"
	mkdir -p "$srcdir"
	(cd "$srcdir" && apt-get source -qq --download-only "qemu=$ver") ||
		die "apt-get source qemu=$ver failed"
	(cd "$srcdir" && dpkg-source --no-check -x qemu_*.dsc tree >/dev/null) ||
		die "dpkg-source could not unpack qemu $ver"
fi
cp -a "$srcdir/tree" "$work/qemu"

cd "$work/qemu"
for p in "$here"/patches/*.patch; do
	patch -p1 --quiet --forward <"$p" || die "patch $(basename "$p") does not apply to qemu $ver"
done
# The model, unchanged: the target compiles these sources (see target/ia64/meson.build).
mkdir -p target/ia64/model
cp -a "$repo/hw-ia64-sal/include" "$repo/hw-ia64-sal/src" target/ia64/model/
"$here/model-meson.sh" target/ia64/model >target/ia64/model/meson.build

mkdir build && cd build
# shellcheck disable=SC2046 # one option per line
../configure $(grep -v '^#' "$here/configure-flags") \
	>"$work/configure.log" 2>&1 || die "configure failed, see $work/configure.log"
nice ninja -j"$jobs" qemu-system-ia64 >"$work/build.log" 2>&1 ||
	die "build failed, see $work/build.log"

mkdir -p "$out.tmp"
cp qemu-system-ia64 "$out.tmp/"
echo "$ver" >"$out.tmp/qemu-version"
echo "$(($(date +%s) - start))" >"$out.tmp/build-seconds"
rm -rf "$out"
mv "$out.tmp" "$out"
rm -rf "$work"
echo "qemu-system-ia64 built in $(cat "$out/build-seconds")s: $bin"
