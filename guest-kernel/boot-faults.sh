#!/usr/bin/env bash
# Integration test (TAP): boots the guest kernel directly under QEMU TCG (no
# libvirt, no kdump) with a busybox initramfs, loads dumplab_crash, checks the
# manifest, then provokes each fault kind in its own boot and checks from the
# serial console that the fault happened the way the module promises: the
# per-cpu role lines, then the kernel's own panic message for that kind.
#
#   guest-kernel/boot-faults.sh [KIND...]     (default: every kind)
#
# KVER=... picks the kernel (default: what linux-image-amd64 pulls in);
# LOGDIR=... keeps the console logs.
# Each QEMU is started by this script and killed by it on timeout or exit.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${BUILD:-$repo/build}
case $build in /*) ;; *) build=$repo/$build ;; esac

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n $1"; shift; for l in "$@"; do echo "# $l"; done; }
skipall() { echo "1..0 # SKIP $1"; exit 77; }

command -v qemu-system-x86_64 >/dev/null || skipall "qemu-system-x86_64 not installed"
command -v cpio >/dev/null || skipall "cpio not installed"
kver=${KVER:-$(apt-cache depends linux-image-amd64 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }')}
[ -n "$kver" ] || skipall "apt knows no linux-image-amd64 (run apt-get update)"

ko=$(bash "$here/build-module.sh" "$kver" "$build/guest-kernel/$kver" | tail -1)
rc=${PIPESTATUS[0]}
[ "$rc" -eq 2 ] && skipall "headers for $kver cannot be downloaded"
[ "$rc" -eq 0 ] && [ -f "$ko" ] || { notok "module builds for $kver" "build-module.sh exit $rc"; echo "1..$n"; exit 1; }

# Kernel and busybox come from Debian packages, unpacked, never installed;
# reuse the image builder's download cache when it has them.
cache=$build/cache/headers/$kver/boot
mkdir -p "$cache"
deb_of() { # package -> cached .deb path (downloading it when needed)
    local f
    f=$(ls "$build"/cache/debs/"$1"_*.deb "$cache"/"$1"_*.deb 2>/dev/null | head -1)
    if [ -z "$f" ]; then
        (cd "$cache" && apt-get download -q -o APT::Sandbox::User=root "$1" >/dev/null 2>&1)
        f=$(ls "$cache"/"$1"_*.deb 2>/dev/null | head -1)
    fi
    echo "$f"
}
if [ ! -f "$cache/vmlinuz" ]; then
    d=$(deb_of "linux-image-$kver")
    [ -n "$d" ] || skipall "linux-image-$kver cannot be downloaded"
    dpkg-deb --fsys-tarfile "$d" | tar -xO "./boot/vmlinuz-$kver" >"$cache/vmlinuz.tmp" &&
        mv "$cache/vmlinuz.tmp" "$cache/vmlinuz"
fi
if [ ! -f "$cache/busybox" ]; then
    d=$(deb_of busybox-static)
    [ -n "$d" ] || skipall "busybox-static cannot be downloaded"
    dpkg-deb --fsys-tarfile "$d" | tar -xO ./bin/busybox >"$cache/busybox.tmp" &&
        chmod 755 "$cache/busybox.tmp" && mv "$cache/busybox.tmp" "$cache/busybox"
fi

work=$(mktemp -d)
qpid=
cleanup() {
    [ -n "$qpid" ] && kill "$qpid" 2>/dev/null
    # LOGDIR=dir keeps each boot's console log for a look afterwards.
    if [ -n "${LOGDIR:-}" ]; then mkdir -p "$LOGDIR" && cp "$work"/*.log "$LOGDIR"/ 2>/dev/null; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The init: sets the sysctls a scenario would, loads the module, prints the
# manifest between markers, then writes the fault named on the command line.
mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys" "$work/root/dev"
cp "$cache/busybox" "$work/root/bin/busybox"
cp "$ko" "$work/root/dumplab_crash.ko"
cat >"$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
kind=$(sed -n 's/.*dl_fault=\([a-z-]*\).*/\1/p' /proc/cmdline)
# Only what each kind's scenario would set, so no other detector fires first.
echo 1 >/proc/sys/kernel/panic_on_oops
case $kind in
softlockup)
    echo 1 >/proc/sys/kernel/softlockup_panic
    echo 1 >/proc/sys/kernel/watchdog_thresh ;;
hung-task)
    echo 1 >/proc/sys/kernel/hung_task_panic
    echo 2 >/proc/sys/kernel/hung_task_timeout_secs
    echo 1 >/proc/sys/kernel/hung_task_check_interval_secs 2>/dev/null ;;
esac
insmod /dumplab_crash.ko || echo "DL-INSMOD-FAILED"
echo "DL-MODE $(stat -c %a /proc/dumplab_crash)"
echo markers 1234 8 >/proc/dumplab_crash || echo "DL-MARKERS-FAILED"
echo "DL-MANIFEST-BEGIN"
cat /proc/dumplab_crash
echo "DL-MANIFEST-END"
echo bogus >/proc/dumplab_crash 2>/dev/null && echo "DL-BOGUS-ACCEPTED"
echo fault nonsense -1 >/proc/dumplab_crash 2>/dev/null && echo "DL-BOGUS-ACCEPTED"
echo "DL-FAULT $kind"
echo fault "$kind" 1 >/proc/dumplab_crash || echo "DL-FAULT-FAILED"
# Wait without forking: once another CPU spins with interrupts off, a fork's
# cross-CPU call (TLB shootdown) would never return and hold this CPU in the
# kernel before its own spinner ran (seen in CI: silent, "soft lockup -
# CPU#0 stuck [init:1]"). A shell loop yields to it instead.
while :; do :; done
INIT
chmod 755 "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

# boot KIND SECONDS [LINES] -> console log in $work/KIND.log; QEMU exits on
# panic (panic=-1 reboots, -no-reboot turns that into an exit) or is killed
# after SECONDS, or 10 s after the log holds LINES role lines (silent: the
# boot's length then does not decide the verdict on a loaded machine).
boot() {
    local kind=$1 secs=$2 lines=${3:-0} seen=-1
    timeout_hit=0
    qemu-system-x86_64 -accel tcg -m 512 -smp 2 -nographic -no-reboot -nodefaults \
        -serial "file:$work/$kind.log" -kernel "$cache/vmlinuz" -initrd "$work/initrd.gz" \
        -append "console=ttyS0 panic=-1 nmi_watchdog=0 quiet loglevel=4 dl_fault=$kind" \
        2>>"$work/qemu.err" &
    qpid=$!
    local t=0
    while kill -0 "$qpid" 2>/dev/null; do
        if [ "$lines" -gt 0 ] && [ $seen -lt 0 ] &&
            [ "$(grep -c "dumplab_crash: cpu=[0-9]* role=" "$work/$kind.log" 2>/dev/null)" -ge "$lines" ]; then
            seen=$t
        fi
        if [ $t -ge "$secs" ] || { [ $seen -ge 0 ] && [ $t -ge $((seen + 10)) ]; }; then
            kill "$qpid" 2>/dev/null
            timeout_hit=1
            break
        fi
        sleep 1
        t=$((t + 1))
    done
    wait "$qpid" 2>/dev/null
    qpid=
}

# kind -> text the kernel prints when that fault works as intended.
expect() {
    case $1 in
        panic) echo "Kernel panic - not syncing: dumplab_crash: fault=panic on cpu 1" ;;
        bug) echo "kernel BUG at" ;;
        oops) echo "BUG: kernel NULL pointer dereference" ;;
        exception) echo "general protection fault, probably for non-canonical address 0xdead000000000000" ;;
        panic-in-hardirq) echo "fault=panic-in-hardirq on cpu 1 (in_hardirq=1)" ;;
        hardlockup) echo "fault=hardlockup: cpu spinning with interrupts off" ;;
        stop-irqoff) echo "fault=stop-irqoff: 1 of 1 other cpus spinning" ;;
        softlockup) echo "soft lockup - CPU#1 stuck" ;;
        hung-task) echo "blocked for more than" ;;
        exhaust-stack) echo "stack guard page was hit" ;;
        corrupt-stack) echo "stack-protector: Kernel stack is corrupted in: dl_fault_corrupt_stack" ;;
        markers) echo "fault=markers: 8 marker pages, seed 1234" ;;
        silent) echo "" ;;
    esac
}
roles() { # kind -> the role lines expected (cpu 1 is the target), as cpu=N:role=R
    case $1 in
        hardlockup) echo "cpu=1:role=spin cpu=0:role=panic" ;;
        stop-irqoff) echo "cpu=0:role=spin cpu=1:role=panic" ;;
        silent) echo "cpu=0:role=spin cpu=1:role=spin" ;;
        softlockup) echo "cpu=1:role=spin" ;;
        panic | panic-in-hardirq | markers) echo "cpu=1:role=panic" ;;
        *) echo "cpu=1:role=fault" ;;
    esac
}

kinds=${*:-panic bug oops exception panic-in-hardirq hardlockup stop-irqoff softlockup hung-task exhaust-stack corrupt-stack markers silent}
first=1
for kind in $kinds; do
    want=$(expect "$kind")
    # silent never panics: once both CPUs say they spin, 10 s more, then stop it.
    if [ "$kind" = silent ]; then boot "$kind" 240 2; else boot "$kind" 240; fi
    log=$work/$kind.log
    if [ $first -eq 1 ]; then
        first=0
        grep -q DL-INSMOD-FAILED "$log" && notok "module loads into $kver" "$(grep -m3 -i dumplab "$log")" ||
            ok "module loads into $kver"
        grep -q "DL-MODE 600" "$log" && ok "/proc/dumplab_crash is mode 0600" ||
            notok "/proc/dumplab_crash is mode 0600" "$(grep DL-MODE "$log")"
        man=$(sed -n '/DL-MANIFEST-BEGIN/,/DL-MANIFEST-END/p' "$log" | tr -d '\r')
        bad=
        for f in dl_spin_irqoff dl_spin_preemptoff dl_fault_panic dl_fault_silent dl_fault_corrupt_stack; do
            line=$(grep "^msym name=$f " <<<"$man")
            s=$(sed -n 's/.* start=\(0x[0-9a-f]*\) .*/\1/p' <<<"$line")
            e=$(sed -n 's/.* end=\(0x[0-9a-f]*\)$/\1/p' <<<"$line")
            # Module text lives in the top 2 GiB of the address space.
            if [ -z "$s" ] || [ -z "$e" ] || [ "${s#0xffffffff}" = "$s" ] ||
                [ $((e - s)) -le 0 ] || [ $((e - s)) -gt 4096 ]; then
                bad="$bad $f"
            fi
        done
        [ -z "$bad" ] && ok "manifest lists functions at kernel addresses with sizes" ||
            notok "manifest lists functions at kernel addresses with sizes" "bad:$bad" "$man"
        pages=$(sed -n 's/^marker pfn=0x[0-9a-f]* count=\([0-9]*\)$/\1/p' <<<"$man" | awk '{ s += $1 } END { print s + 0 }')
        grep -qx "seed value=1234" <<<"$man" && [ "$pages" = 8 ] && grep -qx "cpus online=2" <<<"$man" &&
            ok "manifest lists 8 marker pages, seed 1234, 2 cpus" ||
            notok "manifest lists 8 marker pages, seed 1234, 2 cpus" "$man"
        grep -q DL-BOGUS-ACCEPTED "$log" && notok "malformed commands are refused" ||
            ok "malformed commands are refused"
    fi
    missing=
    for r in $(roles "$kind"); do
        grep -q "dumplab_crash: ${r/:/ } fault=$kind" "$log" || missing="$missing ${r/:/ }"
    done
    if [ "$kind" = silent ]; then
        if [ -z "$missing" ] && [ $timeout_hit -eq 1 ] && ! grep -q "Kernel panic" "$log"; then
            ok "silent: every cpu spins, no panic"
        else
            notok "silent: every cpu spins, no panic" "missing:$missing timeout=$timeout_hit" "$(tail -15 "$log")"
        fi
    elif [ -z "$missing" ] && grep -qF "$want" "$log" && grep -q "Kernel panic - not syncing" "$log"; then
        ok "$kind: role lines, then '$want'"
    else
        notok "$kind: role lines, then '$want'" "missing roles:$missing timeout=$timeout_hit" \
            "$(grep -v '^$' "$log" | tail -25 | tr -d '\r')"
    fi
done
echo "1..$n"
exit "$failed"
