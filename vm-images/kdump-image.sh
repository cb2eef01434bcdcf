# Sourced by build-image.sh: what kdump.conf targets need in the crash
# kernel's initramfs (lib/kdump/ on the host, agent/kdump.c in the guest):
# the ssh client and its libraries, the network and file-system modules,
# /etc/passwd for ssh. They go into /boot/kdump-extras.cpio of the first
# kernel's initramfs only; the first-kernel agent appends that archive (and
# the run's kdump.conf files) to the crash initramfs when a scenario names a
# kdump.conf, so the default capture path stays as small as it was.

# ssh's libraries by name (what objdump -p lists as NEEDED): following
# openssh-client's dependencies recursively would pull passwd, PAM and ~35
# more packages for apt to resolve on every cache miss.
kdump_tools="openssh-client libssl3 libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0
    libcom-err2 libkeyutils1 libselinux1 libpcre2-8-0 zlib1g"
kdump_lib_roots=""

# kdump_extras X R WORK: X the unpacked packages, R the crash initramfs's
# root (for the libraries and modules already there), writes
# WORK/kdump-extras.cpio.
kdump_extras() {
    local kx=$1 kroot=$2 kwork=$3 k=$3/kdump-root m p
    mkdir -p "$k/usr/bin" "$k/etc" "$k/root/.ssh" "$k/lib/dumplab/kdump-modules"
    cp "$kx/usr/bin/ssh" "$k/usr/bin/ssh"
    # The crash initramfs has no shell: kdump.c's mounts and network setup
    # run busybox (static).
    mkdir -p "$k/bin"
    cp "$kx/bin/busybox" "$k/bin/busybox"
    ln -s busybox "$k/bin/sh"
    # copy_lib/needed work on $r: point them at the extras root.
    local saved_r=$r
    r=$k
    needed "$k/usr/bin/ssh"
    r=$saved_r
    # Libraries the base image already holds need not come twice.
    (cd "$k" && find lib usr/lib -type f 2>/dev/null) | while read -r f; do
        if [ -e "$kroot/$f" ] && cmp -s "$kroot/$f" "$k/$f"; then rm -f "$k/$f"; fi
    done
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$k/etc/passwd"
    printf 'root:x:0:\n' >"$k/etc/group"
    printf 'hosts: files\n' >"$k/etc/nsswitch.conf"
    # Modules in load order (dependencies first), as modules.order has them.
    local -A kseen=()
    local korder=()
    kadd() {
        local name=$1 kp deps d
        [ -n "${kseen[$name]:-}" ] && return 0
        kp=$(find "$moddir/kernel" -name "$name.ko" -o -name "${name//_/-}.ko" | head -1)
        [ -n "$kp" ] || die "module $name not found in $kdeb"
        deps=$(tr '\0' '\n' <"$kp" | sed -n 's/^depends=//p' | tr ',' ' ')
        for d in $deps; do kadd "$d"; done
        kseen[$name]=1
        # Loaded by the base image already (virtio_pci, virtio_blk, ...)?
        if ! grep -q "/$(basename "$kp")\( \|$\)" "$kroot/lib/dumplab/modules.order"; then
            cp "$kp" "$k/lib/dumplab/kdump-modules/"
            korder+=("/lib/dumplab/kdump-modules/$(basename "$kp")")
        fi
    }
    for m in crc32c_generic virtio_net ext4 xfs nfsv4; do kadd "$m"; done
    printf '%s\n' "${korder[@]}" >"$k/lib/dumplab/kdump-modules.order"
    (cd "$k" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
        >"$kwork/kdump-extras.cpio"
    rm -rf "$k"
}
