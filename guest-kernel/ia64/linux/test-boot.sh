#!/usr/bin/env bash
# Boots the cached Linux/ia64 vmlinux (build-kernel.sh) on ia64sim, as it is
# (PT_LOADs at p_paddr, physical entry), with the 8250 early console on the
# model's UART, and checks how far it gets on the console. Skips, saying
# why, when the kernel is not built: the build takes an hour on 2 cores and
# is not part of `make test` (run guest-kernel/ia64/linux/build-kernel.sh).
#
# BOOT_EXPECT: the console line asserted (default the kernel's banner, the
# first line earlycon replays); BOOT_BUNDLES: the bundle budget.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
sim=$build/bin/ia64sim
expect=${BOOT_EXPECT:-Linux version 6.1}
budget=${BOOT_BUNDLES:-200000000}
if [ ! -x "$sim" ]; then
    echo "1..0 # SKIP $sim not built"
    exit 77
fi
vmlinux=$("$here/build-kernel.sh" --cached 2>/dev/null | tail -n1)
if [ -z "$vmlinux" ] || [ ! -f "$vmlinux" ]; then
    echo "1..0 # SKIP no cached kernel (run guest-kernel/ia64/linux/build-kernel.sh, about an hour)"
    exit 77
fi
start=$(date +%s.%N)
out=$(timeout 600 "$sim" --mem 128M --max-bundles "$budget" \
    --append "earlycon=uart8250,mmio,0xfff00000 console=ttyS0" "$vmlinux" 2>&1)
rc=$?
end=$(date +%s.%N)
last=$(grep -v '^ia64sim:' <<<"$out" | tail -n 3)
summary=$(grep '^ia64sim:' <<<"$out" | tail -n 2 | tr '\n' ' ')
if grep -qF -- "$expect" <<<"$out"; then
    echo "ok 1 Linux/ia64 boot reaches \"$expect\""
else
    echo "not ok 1 Linux/ia64 boot reaches \"$expect\" (ia64sim exit $rc)"
fi
printf '# %s\n' "$summary" "wall $(echo "$end - $start" | bc) s" "last console lines:"
sed 's/^/#   /' <<<"$last"
echo "1..1"
grep -qF -- "$expect" <<<"$out"
