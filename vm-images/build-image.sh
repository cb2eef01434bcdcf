#!/usr/bin/env bash
# Builds (or reuses) the guest image: a Debian kernel and one initramfs that
# serves as both the first kernel's and the crash kernel's root. Everything
# comes from Debian's packages, downloaded and unpacked here, never installed
# on the host.
#
#   vm-images/build-image.sh [--kernel-package PKG[=VERSION]]
#
# Progress goes to stderr; the last line on stdout is the image folder, which
# holds vmlinuz, initrd.img and image.env (KERNEL_VERSION, KERNEL_PACKAGE).
# Images are cached by content (package versions, agent sources, this
# script, the crash module) under build/images/, so a second run reuses them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
[ "${build#/}" != "$build" ] || build=$root/$build
orig_args=("$@")
pkg=linux-image-amd64
while [ $# -gt 0 ]; do
    case $1 in
    --kernel-package) pkg=$2; shift 2 ;;
    *) echo "build-image.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done

say() { echo "image: $*" >&2; }
die() { echo "build-image.sh: $*" >&2; exit 1; }

debs=$build/cache/debs
images=$build/images
mkdir -p "$debs" "$images"

# One builder at a time: two runs started together share the result.
exec 9>"$images/.lock"
flock 9

version=
case $pkg in *=*) version=${pkg#*=}; pkg=${pkg%%=*} ;; esac

candidate() { # package -> the version apt would download, or nothing
    apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { if ($2 != "(none)") print $2 }'
}

# The quick answer: when no input changed since this script last gave an
# image (by name, size and mtime: the scripts, the agent, the crash module's
# sources, apt's package lists), it is the same image. The full check below
# asks apt and make and hashes the inputs: 0.7 s of every run's image phase.
quick_key=$( {
    echo "$pkg=$version ${CC:-cc}"
    stat -c '%n %s %Y' "$0" "$root"/vm-images/*.sh "$root"/vm-images/agent/* "$root"/guest-kernel/* 2>/dev/null
    find /var/lib/apt/lists -maxdepth 1 -type f \( -name '*Packages*' -o -name '*Release' \) \
        -printf '%f %s %T@\n' 2>/dev/null | LC_ALL=C sort
} | sha256sum | cut -c1-16)
quick=$images/.quick-$quick_key
if [ -f "$quick" ] && out=$(cat "$quick") && [ -f "$out/image.env" ]; then
    say "reusing $out"
    echo "$out"
    exit 0
fi

# kdump.conf targets (ssh client, network and file-system modules).
. "$root/vm-images/kdump-image.sh"

# Resolving package versions asks apt some forty questions (seconds); the
# answer only changes when the package lists do, so it is kept, keyed by
# them: the Packages and Release files only (the lock and partial/ change
# on every apt run without changing an answer).
lists_key=$( {
    echo "$pkg=$version"
    find /var/lib/apt/lists -maxdepth 1 -type f \( -name '*Packages*' -o -name '*Release' \) \
        -printf '%f %s %T@\n' 2>/dev/null | LC_ALL=C sort
    cat "$0" "$root/vm-images/kdump-image.sh"
} | sha256sum | cut -c1-16)
resolved=$build/cache/resolved-$lists_key.env
if [ -f "$resolved" ]; then
    # shellcheck disable=SC1090
    . "$resolved"
    for d in $alldebs; do [ -f "$d" ] || { rm -f "$resolved"; exec bash "$0" "${orig_args[@]}"; }; done
else
    if [ -z "$(candidate busybox-static)" ]; then
        say "package lists are empty; running apt-get update"
        apt-get update -qq >&2 || die "apt-get update failed"
    fi

    # linux-image-amd64 is a metapackage: follow it to the real image package.
    real=$pkg
    if [ -z "$version" ]; then
        dep=$(apt-cache depends "$pkg" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
        [ -n "$dep" ] && real=$dep
    fi
    [ -n "$(candidate "$real")" ] || [ -n "$version" ] ||
        die "kernel package '$real' is not known to apt (apt-cache policy $real shows no candidate)"
    kver=${real#linux-image-}
    kver=${kver%-unsigned}

    # The programs the agent runs, and the libraries they link against
    # (resolved below by their DT_NEEDED entries, so only what is used is kept).
    tools="busybox-static kexec-tools makedumpfile $kdump_tools"
    libpkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
        --no-breaks --no-replaces --no-enhances kexec-tools makedumpfile $kdump_lib_roots 2>/dev/null |
        awk '/^(lib|zlib)/' | sort -u | tr '\n' ' ')

    fetch() { # package [version] -> path of the cached .deb
        local p=$1 v=${2:-} f
        [ -n "$v" ] || v=$(candidate "$p")
        [ -n "$v" ] || die "package '$p' has no installable version"
        f=$(ls "$debs/${p}_${v//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
        if [ -z "$f" ]; then
            say "downloading $p $v"
            (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$p=$v" >&2 2>&1) || die "apt-get download $p=$v failed"
            f=$(ls "$debs/${p}_${v//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
            [ -n "$f" ] || die "apt-get download $p=$v left no .deb in $debs"
        fi
        echo "$f"
    }

    kdeb=$(fetch "$real" "$version")
    alldebs=$kdeb
    for p in $tools $libpkgs; do alldebs="$alldebs $(fetch "$p")"; done
    printf 'real=%q\nkver=%q\nkdeb=%q\nalldebs=%q\n' "$real" "$kver" "$kdeb" "$alldebs" >"$resolved"
fi

# The crash module, built against this kernel's headers (guest-kernel/).
module=
if [ -x "$root/guest-kernel/build-module.sh" ] || [ -f "$root/guest-kernel/build-module.sh" ]; then
    if out=$(bash "$root/guest-kernel/build-module.sh" "$kver" "$build/guest-kernel/$kver" 2>&2); then
        module=$(echo "$out" | tail -1)
        [ -f "$module" ] || { say "build-module.sh gave no module ($module); continuing without"; module=; }
    else
        say "WARNING: the crash module did not build for $kver; module faults will fail at arm"
    fi
fi

# Agent: static, so both kernels run it with nothing else.
agent_src=$(ls "$root"/vm-images/agent/*.c "$root"/vm-images/agent/*.h)
key=$( {
    for d in $alldebs; do basename "$d"; done
    cat "$0" "$root/vm-images/kdump-image.sh" $agent_src
    if [ -n "$module" ]; then sha256sum <"$module"; fi
} | sha256sum | cut -c1-16)
out=$images/$kver-$key
if [ -f "$out/image.env" ]; then
    say "reusing $out"
    # (Not an image without the crash module: the next run retries it.)
    if [ -n "$module" ]; then echo "$out" >"$quick"; fi
    echo "$out"
    exit 0
fi

say "building image $kver ($key)"
work=$(mktemp -d "$images/tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT
x=$work/x
r=$work/root
mkdir -p "$x" "$r"/{bin,sbin,usr/bin,lib/dumplab,boot,proc,sys,dev,tmp}
for d in $alldebs; do dpkg-deb -x "$d" "$x"; done

${CC:-cc} -static -O2 -D_GNU_SOURCE -std=gnu11 -Wall -Wextra -pthread -o "$r/init" \
    $(ls "$root"/vm-images/agent/*.c) || die "building the guest agent failed"
cp "$x/bin/busybox" "$r/bin/busybox"
ln -s busybox "$r/bin/sh"
cp "$x/sbin/kexec" "$r/sbin/kexec"
cp "$x/usr/bin/makedumpfile" "$r/usr/bin/makedumpfile"

# Libraries: follow DT_NEEDED from the dynamic programs, looking them up in
# the unpacked packages only.
libdirs="lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu"
copy_lib() { # soname
    local d
    for d in $libdirs; do
        if [ -e "$x/$d/$1" ]; then
            [ -e "$r/$d/$1" ] && return 0
            mkdir -p "$r/$d"
            cp -L "$x/$d/$1" "$r/$d/$1"
            needed "$r/$d/$1"
            return 0
        fi
    done
    die "library $1 not found in the downloaded packages"
}
needed() {
    local so
    for so in $(objdump -p "$1" | awk '/NEEDED/ { print $2 }'); do copy_lib "$so"; done
}
needed "$r/sbin/kexec"
needed "$r/usr/bin/makedumpfile"
mkdir -p "$r/lib64"
cp -L "$x/lib64/ld-linux-x86-64.so.2" "$r/lib64/"

# Kernel modules, dependencies first. "first" marks modules only the first
# kernel loads (see agent/main.c).
moddir=$x/lib/modules/$kver
[ -d "$moddir" ] || die "$kdeb has no lib/modules/$kver"
declare -A seen=()
order=()
modpath() { find "$moddir/kernel" -name "$1.ko" -o -name "${1//_/-}.ko" | head -1; }
add_mod() { # name [first]
    local name=$1 tag=${2:-} p deps d
    [ -n "${seen[$name]:-}" ] && return 0
    p=$(modpath "$name")
    [ -n "$p" ] || die "module $name not found in $kdeb"
    deps=$(tr '\0' '\n' <"$p" | sed -n 's/^depends=//p' | tr ',' ' ')
    for d in $deps; do add_mod "$d"; done
    seen[$name]=1
    mkdir -p "$r/lib/dumplab/modules"
    cp "$p" "$r/lib/dumplab/modules/"
    order+=("/lib/dumplab/modules/$(basename "$p")${tag:+ $tag}")
}
add_mod virtio_pci
add_mod virtio_blk
add_mod pvpanic_mmio
add_mod qemu_fw_cfg first
printf '%s\n' "${order[@]}" >"$r/lib/dumplab/modules.order"
if [ -n "$module" ]; then cp "$module" "$r/lib/dumplab/dumplab_crash.ko"; fi

# The crash kernel's initramfs holds what its capture uses: the agent, the
# modules, makedumpfile (the dmesg) and its libraries. Purgatory hashes
# every byte of it under TCG, and kexec hashes it first: without kexec, its
# Xen libraries, busybox and the crash module (all first-kernel only) it is
# 4 MiB smaller, 0.5 s less of every cycle. The first kernel's initramfs
# adds the kernel and that archive, which kexec -p loads. Uncompressed:
# unpacking is cheaper than decompressing under TCG.
mkcpio() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0); }
c=$work/crashroot
mkdir -p "$c"/{bin,sbin,usr/bin,lib/dumplab,proc,sys,dev,tmp,lib64}
cp "$r/init" "$c/init"
cp -a "$r/lib/dumplab/modules" "$r/lib/dumplab/modules.order" "$c/lib/dumplab/"
cp "$r/usr/bin/makedumpfile" "$c/usr/bin/"
cp "$r/lib64/ld-linux-x86-64.so.2" "$c/lib64/"
saved_r=$r
r=$c
needed "$c/usr/bin/makedumpfile"
r=$saved_r
mkcpio "$c" >"$work/crash.img"
cp "$x/boot/vmlinuz-$kver" "$r/boot/vmlinuz"
cp "$work/crash.img" "$r/boot/crash.img"
kdump_extras "$x" "$c" "$work"
cp "$work/kdump-extras.cpio" "$r/boot/kdump-extras.cpio"
mkdir -p "$work/out"
mkcpio "$r" >"$work/out/initrd.img"
cp "$x/boot/vmlinuz-$kver" "$work/out/vmlinuz"
# The uncompressed ELF, for a first kernel booted through its PVH entry
# (boot = pvh, and the KVM probe): QEMU's -kernel starts an ELF that has
# XEN_ELFNOTE_PHYS32_ENTRY at once, without the bzImage's setup code and
# its own xz decompression, which took 2.7 s of every boot under TCG.
# Without the note (or xz) those boot vmlinuz too.
pvh_vmlinux() { # bzImage out
    local off
    # (No pipes: under pipefail the writer's SIGPIPE would fail them.)
    off=$(LC_ALL=C grep -obUaP -m1 '\xfd7zXZ\x00' "$1" 2>/dev/null) || return 1
    off=${off%%:*}
    xz -dcq --single-stream <(tail -c +$((off + 1)) "$1") >"$2" 2>/dev/null || return 1
    [ "$(readelf -n "$2" 2>/dev/null | grep -c 'Xen .*(0x00000012)')" -gt 0 ]
}
pvh_vmlinux "$x/boot/vmlinuz-$kver" "$work/out/vmlinux" || rm -f "$work/out/vmlinux"
cp "$x/boot/System.map-$kver" "$work/out/System.map" 2>/dev/null || true
{
    echo "KERNEL_VERSION=$kver"
    echo "KERNEL_PACKAGE=$real"
    echo "KERNEL_DEB=$(basename "$kdeb")"
    echo "CRASH_MODULE=$([ -n "$module" ] && echo yes || echo no)"
} >"$work/out/image.env"
rm -rf "$out"
mv "$work/out" "$out"
say "built $out ($(du -sh "$out" | cut -f1))"
if [ -n "$module" ]; then echo "$out" >"$quick"; fi
echo "$out"
