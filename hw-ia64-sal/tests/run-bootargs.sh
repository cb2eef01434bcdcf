#!/usr/bin/env bash
# The boot loader's part of ia64_boot_param: ia64sim --append and --initrd
# reach the program (tests/bootargs/bootargs.S checks the bytes), and bad
# input is refused with a clear message and exit 64.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
sim=$build/bin/ia64sim
elf=$build/ia64/tests/bootargs/bootargs.elf
if [ ! -x "$sim" ] || [ ! -f "$elf" ]; then
    echo "1..0 # SKIP $sim or $elf not built"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -c 'import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range(4096)))' >"$tmp/initrd"
failed=0
check() { # name, expected exit, expected text, command...
    local name=$1 want=$2 text=$3
    shift 3
    local out rc
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" -eq "$want" ] && grep -qF -- "$text" <<<"$out"; then
        echo "ok $n $name"
    else
        echo "not ok $n $name (exit $rc, wanted $want)"
        sed 's/^/# /' <<<"$out" | tail -3
        failed=1
    fi
    n=$((n + 1))
}
n=1
check "command line and initrd reach the program" 0 "halted (code 0)" \
    "$sim" --append "dumplab.test=1 console=ttyS0" --initrd "$tmp/initrd" "$elf"
check "without them the program fails its first check" 1 "halted (code 1)" "$sim" "$elf"
check "a missing initrd file is refused" 64 "--initrd $tmp/none" \
    "$sim" --initrd "$tmp/none" "$elf"
head -c $((70 << 20)) /dev/zero >"$tmp/big"
check "an initrd larger than RAM is refused" 64 "does not fit in RAM" \
    "$sim" --mem 64M --initrd "$tmp/big" "$elf"
check "an over-long command line is refused" 64 "command line of" \
    "$sim" --append "$(head -c 3000 /dev/zero | tr '\0' x)" "$elf"
echo "1..$((n - 1))"
exit $failed
