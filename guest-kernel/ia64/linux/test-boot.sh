#!/usr/bin/env bash
# tap-timeout: 1000
# Boots the cached Linux/ia64 vmlinux (build-kernel.sh) on ia64sim as
# firmware would: the ELF as it is (PT_LOADs at p_paddr, physical entry),
# CPUs 1.. held in SAL until Linux wakes them (--ap-wakeup), the initramfs
# of build-initramfs.sh through ia64_boot_param, the console on the model's
# 16550 (earlycon first, then ttyS0). Asserts, on the console:
#   1. the kernel's banner;
#   2. every CPU came up (smp_init's "Brought up N nodes, N CPUs" line);
#   3. ttyS0 attached to the UART the DSDT describes (8250_pnp);
#   4. the init ran as PID 1 (its own report through /dev/kmsg);
#   5. it powered the machine off through ACPI S5 (ia64sim exit 0).
# Skips, saying why, when the kernel or the compiler is not built.
#
# Env: BOOT_CPUS (default 2), BOOT_BUNDLES (bundle budget), BUILD.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
sim=$build/bin/ia64sim
cpus=${BOOT_CPUS:-2}
budget=${BOOT_BUNDLES:-1500000000}
if [ ! -x "$sim" ]; then
    echo "1..0 # SKIP $sim not built"
    exit 77
fi
vmlinux=$("$here/build-kernel.sh" --cached 2>/dev/null | tail -n1)
if [ -z "$vmlinux" ] || [ ! -f "$vmlinux" ]; then
    echo "1..0 # SKIP no cached kernel (make ia64-linux builds it, about 15 minutes)"
    exit 77
fi
out_dir=$build/ia64-linux
cpio=$("$here/build-initramfs.sh" "$out_dir" | tail -n1) || {
    echo "1..0 # SKIP the guest init cannot be built (no cross gcc)"
    exit 77
}
start=$(date +%s.%N)
out=$(timeout 900 "$sim" --cpus "$cpus" --ap-wakeup --mem 256M --max-bundles "$budget" \
    --initrd "$cpio" \
    --append "earlycon=uart8250,mmio,0xfff00000 console=ttyS0 printk.devkmsg=on dumplab.mode=boot" \
    "$vmlinux" 2>&1)
rc=$?
end=$(date +%s.%N)
printf '%s\n' "$out" >"$out_dir/boot-console.log"
n=0
fails=0
point() { # OK? DESCRIPTION
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n $2"
    else
        echo "not ok $n $2"
        fails=$((fails + 1))
    fi
}
check() { grep -qE -- "$1" <<<"$out"; point $? "$2"; }
check 'Linux version 6\.1' "the kernel's banner"
check "Brought up [0-9]+ nodes?, $cpus CPUs" "all $cpus CPUs brought up (SAL BOOT_RENDEZ, AP_WAKEUP)"
check 'ttyS0 at MMIO 0xfff00000.*16550A' "ttyS0 attached to the model's 16550A"
check 'dumplab-init: running as pid 1' "the init runs as PID 1"
[ $rc -eq 0 ] && grep -q 'powered off (ACPI S5)' <<<"$out"
point $? "the init powered the machine off (ACPI S5) (ia64sim exit $rc)"
echo "1..$n"
grep -E '^ia64sim:|dumplab-init: uptime' <<<"$out" | sed 's/^/# /'
echo "# wall $(echo "$end - $start" | bc) s (console in $out_dir/boot-console.log)"
if [ $fails -ne 0 ]; then
    echo "# last console lines:"
    grep -v '^ia64sim:' <<<"$out" | tail -n 15 | sed 's/^/#   /'
fi
[ $fails -eq 0 ]
