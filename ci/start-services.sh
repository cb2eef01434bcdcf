#!/usr/bin/env bash
# Starts virtlogd and libvirtd when no libvirt daemon answers on
# qemu:///system. There is no systemd on these machines, so the daemons are
# started directly, as the design says.
set -eu
# /dev/kvm as udev would leave it (root:kvm 0660). Without udev it is root-only,
# and then libvirt finds its cached QEMU capabilities stale on every domain
# start (KVM "not available now" to libvirt-qemu) and re-probes QEMU: about
# 50 s per start on these machines instead of 0.3 s.
if [ -c /dev/kvm ] && getent group kvm >/dev/null; then
    chgrp kvm /dev/kvm && chmod 660 /dev/kvm
fi
answers() { timeout 10 virsh -q -c qemu:///system version >/dev/null 2>&1; }
answers && exit 0
if ! pgrep -x virtlogd >/dev/null; then
    virtlogd -d
fi
if ! pgrep -x libvirtd >/dev/null; then
    libvirtd -d
fi
for _ in $(seq 1 50); do
    answers && exit 0
    sleep 0.2
done
echo "dumplab: libvirtd does not answer on qemu:///system" >&2
exit 1
