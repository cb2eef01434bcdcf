#!/usr/bin/env bash
# Starts virtlogd and libvirtd when no libvirt daemon answers on the local
# qemu:///system. There is no systemd on these machines, so the daemons are
# started directly, as the design says. This script (run by `make run`,
# `make test`, `make services`) is the only place that starts daemons: the
# dumplab command only connects. A DUMPLAB_LIBVIRT_URI naming another libvirt
# is only checked, never started here.
#
# The first start after QEMU was installed probes QEMU's capabilities and has
# taken 8.4 s on a fresh machine, so it waits up to DUMPLAB_SERVICES_WAIT
# (default 60) seconds, saying what it waits for.
set -eu
uri=${DUMPLAB_LIBVIRT_URI:-qemu:///system}
wait_s=${DUMPLAB_SERVICES_WAIT:-60}

answers() { timeout 10 virsh -q -c "$uri" version >/dev/null 2>&1; }

if [ "$uri" != qemu:///system ]; then
    answers && exit 0
    echo "dumplab: libvirt does not answer on $uri (DUMPLAB_LIBVIRT_URI);" \
        "only the local qemu:///system is started here" >&2
    exit 1
fi

# /dev/kvm as udev would leave it (root:kvm 0660). Without udev it is root-only,
# and then libvirt finds its cached QEMU capabilities stale on every domain
# start (KVM "not available now" to libvirt-qemu) and re-probes QEMU: about
# 50 s per start on these machines instead of 0.3 s.
if [ -c /dev/kvm ] && getent group kvm >/dev/null; then
    chgrp kvm /dev/kvm && chmod 660 /dev/kvm
fi
answers && exit 0
if ! pgrep -x virtlogd >/dev/null; then
    echo "dumplab: starting virtlogd"
    virtlogd -d
fi
if ! pgrep -x libvirtd >/dev/null; then
    echo "dumplab: starting libvirtd"
    # libvirtd's QEMUs are daemonized, so their parent is PID 1 once they
    # exit. Without systemd, PID 1 here reaps late: libvirt's kill(pid, 0)
    # loop saw a dead QEMU's zombie for 1-2 s, and every domain destroy took
    # 1.3-2.0 s instead of 0.25 s. tini -s makes libvirtd's parent the
    # subreaper that reaps them at once.
    if command -v tini >/dev/null; then
        mkdir -p /var/log/libvirt
        setsid tini -s -- libvirtd >>/var/log/libvirt/libvirtd-stderr.log 2>&1 </dev/null &
    else
        libvirtd -d
    fi
fi
start=$SECONDS
next_note=0
while [ $((SECONDS - start)) -lt "$wait_s" ]; do
    answers && {
        echo "dumplab: libvirtd answers on $uri after $((SECONDS - start)) s"
        exit 0
    }
    if [ $((SECONDS - start)) -ge "$next_note" ]; then
        echo "dumplab: waiting for libvirtd to answer on $uri" \
            "($((SECONDS - start)) of $wait_s s; its first start probes QEMU)"
        next_note=$((next_note + 10))
    fi
    sleep 0.5
done
pgrep -x libvirtd >/dev/null || echo "dumplab: libvirtd is not running (it exited; see its log)" >&2
echo "dumplab: libvirtd does not answer on $uri after $wait_s s" >&2
exit 1
