#!/usr/bin/env bash
# Builds dumplab_crash.ko for a Debian guest kernel without installing anything
# kernel-related on the host: the linux-headers/-common/kbuild packages are
# fetched with apt-get download and unpacked with dpkg-deb -x into one private
# root under build/cache/headers/KVER, where the packages' relative symlinks
# (../../lib/linux-kbuild-6.1/...) resolve inside that root.
#
# Usage: guest-kernel/build-module.sh KVER OUTDIR
# The last stdout line is the path of the built .ko. Progress goes to stderr so
# callers can take `tail -n1` of stdout. Exit 0 on success, 2 when the headers
# cannot be downloaded, 1 on any other failure.
set -euo pipefail

die() {
    echo "build-module.sh: $*" >&2
    exit 1
}
# Exit 2: the headers could not be obtained (no such package, no mirror), as
# opposed to 1, a failed build; the unit test skips on 2 and fails on 1.
unavailable() {
    echo "build-module.sh: $*" >&2
    exit 2
}

[ $# -eq 2 ] || die "usage: build-module.sh KVER OUTDIR (e.g. 6.1.0-56-amd64 build/guest-kernel/6.1.0-56-amd64)"
KVER=$1
OUTDIR=$2
case $KVER in
    *-amd64) ;;
    *) die "KVER '$KVER' does not end in -amd64; only Debian amd64 flavours are supported" ;;
esac
case $KVER in
    */* | *..*) die "KVER '$KVER' is not a kernel version" ;;
esac

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SRCDIR/.." && pwd)
BUILD=${BUILD:-$REPO/build}
case $BUILD in /*) ;; *) BUILD=$REPO/$BUILD ;; esac
CACHE=$BUILD/cache/headers/$KVER
ROOT=$CACHE/root
KDIR=$ROOT/usr/src/linux-headers-$KVER

# The headers package names its -common and kbuild dependencies; ask apt
# rather than guess (flavours such as -rt-amd64 use -common-rt). The derived
# names are the fallback when apt's lists are not yet there.
header_pkgs() {
    local deps
    deps=$(apt-cache depends "linux-headers-$KVER" 2>/dev/null |
        awk '/Depends: linux-(headers-[0-9].*-common|kbuild-)/ { print $2 }' | sort -u)
    if [ -n "$deps" ]; then
        echo "linux-headers-$KVER" $deps
    else
        echo "linux-headers-$KVER" "linux-headers-$(echo "$KVER" | sed -E 's/^([0-9.]+-[0-9]+).*/\1/')-common" \
            "linux-kbuild-$(echo "$KVER" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')"
    fi
}

fetch_headers() {
    command -v apt-get >/dev/null || die "apt-get not found; need a Debian host to fetch headers"
    command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
    local dl=$CACHE/debs p
    mkdir -p "$dl"
    for p in $(header_pkgs); do
        if ! ls "$dl/${p}_"*.deb >/dev/null 2>&1; then
            echo "build-module.sh: downloading $p" >&2
            if ! (cd "$dl" && apt-get download -q -o APT::Sandbox::User=root "$p" >&2); then
                # The package lists may be stale or missing; refresh once.
                echo "build-module.sh: apt-get download $p failed; running apt-get update" >&2
                apt-get update >&2 || unavailable "apt-get update failed"
                (cd "$dl" && apt-get download -q -o APT::Sandbox::User=root "$p" >&2) ||
                    unavailable "cannot download $p (is $KVER still in the Debian archive? try 'apt-cache policy $p')"
            fi
        fi
    done
    # Unpack into a scratch root and rename it into place, so an interrupted
    # run never leaves a half-extracted tree that looks complete.
    local tmp=$CACHE/root.tmp
    rm -rf "$tmp"
    mkdir -p "$tmp"
    for deb in "$dl"/*.deb; do
        dpkg-deb -x "$deb" "$tmp" || die "dpkg-deb -x $deb failed"
    done
    [ -f "$tmp/usr/src/linux-headers-$KVER/Makefile" ] ||
        die "headers for $KVER unpacked but usr/src/linux-headers-$KVER/Makefile is missing"
    # Debian's per-flavour Makefile is one line including the -common tree by
    # absolute path (/usr/src/...); point it into our root instead. The
    # included Makefile finds its own tree from its location, so nothing else
    # refers to /usr/src.
    sed -i "s|^include /usr/src/|include $ROOT/usr/src/|" "$tmp/usr/src/linux-headers-$KVER/Makefile"
    local inc
    inc=$(sed -n 's/^include //p' "$tmp/usr/src/linux-headers-$KVER/Makefile" | head -1)
    inc=${inc/#$ROOT/$tmp}
    [ -f "$inc" ] ||
        die "usr/src/linux-headers-$KVER/Makefile includes '$inc', which the unpacked packages do not provide"
    rm -rf "$ROOT"
    mv "$tmp" "$ROOT"
}

mkdir -p "$CACHE"
# One builder per kernel version at a time (make and the image builder may
# both ask); the second waits and then finds everything cached.
exec 9>"$CACHE/.lock"
flock 9
[ -f "$KDIR/Makefile" ] && [ -f "$KDIR/Module.symvers" ] || fetch_headers

# scripts/ and tools/ are relative symlinks into usr/lib/linux-kbuild-*, so
# they resolve within ROOT. Check one to fail clearly when they do not.
[ -e "$KDIR/scripts/basic/fixdep" ] || [ -e "$KDIR/scripts/mod/modpost" ] ||
    die "kbuild scripts do not resolve under $KDIR/scripts (linux-kbuild package missing from $ROOT?)"

# Build in a private copy of the sources: kbuild writes objects next to them,
# and the source tree must stay clean (and shared by several kernel versions).
WORK=$BUILD/guest-kernel/$KVER/src
mkdir -p "$WORK"
for f in "$SRCDIR"/*.c "$SRCDIR"/*.h "$SRCDIR"/Kbuild "$REPO/harness/include/dumplab/marker.h"; do
    [ -e "$f" ] || continue
    # cp only when changed, so kbuild's timestamps keep rebuilds incremental.
    cmp -s "$f" "$WORK/$(basename "$f")" 2>/dev/null || cp "$f" "$WORK/"
done

JOBS=${JOBS:-2}
KO=$WORK/dumplab_crash.ko
# kbuild's own "nothing to do" pass reads the headers' whole Makefile tree:
# 3-4 s of every `dumplab run` under load. A module newer than every source
# copy (cp above keeps their times unless they changed) is up to date.
if [ -f "$KO" ] && [ -z "$(find "$WORK" -maxdepth 1 \( -name '*.[ch]' -o -name Kbuild \) -newer "$KO")" ]; then
    :
elif ! make -C "$KDIR" M="$WORK" -j"$JOBS" modules >"$WORK/build.log" 2>&1; then
    tail -n 40 "$WORK/build.log" >&2
    die "module build failed for $KVER (full log: $WORK/build.log)"
fi
[ -f "$KO" ] || die "kbuild succeeded but $KO is missing"

mkdir -p "$OUTDIR"
OUT=$(cd "$OUTDIR" && pwd)/dumplab_crash.ko
cmp -s "$KO" "$OUT" 2>/dev/null || cp "$KO" "$OUT"
echo "$OUT"
