#!/usr/bin/env bash
# The model's ACPI tables through an independent reader: ACPICA's own
# disassembler (iasl -d, acpica-tools) must decode the DSDT, FADT and MADT
# that test-acpi-boot-init writes out without an error or warning, and
# find in them what Linux/ia64 needs: \_S5, the PNP0501 UART with its MMIO
# window, a hardware-reduced FADT with the sleep control register, the
# I/O SAPIC and one Local SAPIC per CPU (4 here).
set -u
build=${BUILD:-build}
t=$build/tests/ia64/test-acpi-boot-init
if [ ! -x "$t" ]; then
    echo "1..0 # SKIP $t not built"
    exit 77
fi
if ! command -v iasl >/dev/null; then
    echo "1..0 # SKIP iasl missing (install acpica-tools)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$t" "$tmp" >/dev/null
(cd "$tmp" && iasl -d dsdt.dat facp.dat apic.dat >iasl.log 2>&1)
n=0
fails=0
check() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fails=$((fails + 1)); fi
}
[ -s "$tmp/dsdt.dsl" ] && [ -s "$tmp/facp.dsl" ] && [ -s "$tmp/apic.dsl" ]
check $? "iasl disassembles the DSDT, FADT and MADT"
! grep -qiE '(^|[^a-z])(error|warning)' "$tmp/iasl.log" "$tmp"/*.dsl
check $? "no iasl error or warning (checksums, lengths, AML)"
grep -q 'Name (_S5, Package (0x02)' "$tmp/dsdt.dsl"
check $? "DSDT: \\_S5"
grep -q 'EisaId ("PNP0501")' "$tmp/dsdt.dsl" && grep -q '0xFFF00000,' "$tmp/dsdt.dsl"
check $? "DSDT: the PNP0501 UART at 0xFFF00000"
grep -q 'Hardware Reduced (V5) : 1' "$tmp/facp.dsl" && grep -q 'Sleep Control Register' "$tmp/facp.dsl"
check $? "FADT: hardware-reduced, with a sleep control register"
grep -q 'I/O SAPIC' "$tmp/apic.dsl" && [ "$(grep -c 'Subtable Type : 07 \[Local SAPIC\]' "$tmp/apic.dsl")" = 4 ]
check $? "MADT: the I/O SAPIC and 4 Local SAPICs"
echo "1..$n"
[ $fails = 0 ] || sed 's/^/# /' "$tmp/iasl.log" | head -20
[ $fails = 0 ]
