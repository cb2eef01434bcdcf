#!/usr/bin/env bash
# Fetches the debug vmlinux of a Debian kernel (from linux-image-KVER-dbg,
# about 860 MB) for the crash referee, cached under build/cache/dbg/.
#   vm-images/fetch-dbg.sh KVER     -> prints the vmlinux path last
# Exit 2 when the package cannot be had (no such package, no mirror).
set -euo pipefail
kver=${1:?usage: fetch-dbg.sh KVER}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
[ "${build#/}" != "$build" ] || build=$root/$build
dir=$build/cache/dbg
out=$dir/vmlinux-$kver
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ -s "$out" ]; then
    echo "$out"
    exit 0
fi
pkg=linux-image-$kver-dbg
ver=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { if ($2 != "(none)") print $2 }')
if [ -z "$ver" ]; then
    echo "fetch-dbg.sh: apt knows no $pkg" >&2
    exit 2
fi
deb=$(ls "$dir/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
    echo "fetch-dbg: downloading $pkg $ver" >&2
    (cd "$dir" && apt-get download -q -o APT::Sandbox::User=root "$pkg=$ver" >&2) || {
        echo "fetch-dbg.sh: apt-get download $pkg failed" >&2
        exit 2
    }
    deb=$(ls "$dir/${pkg}_${ver//:/%3a}_"*.deb | head -1)
fi
echo "fetch-dbg: extracting vmlinux-$kver" >&2
dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/lib/debug/boot/vmlinux-$kver" >"$out.tmp"
mv "$out.tmp" "$out"
rm -f "$deb" # the vmlinux is all we need; 860 MB less on disk
echo "$out"
