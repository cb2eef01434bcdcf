#!/usr/bin/env bash
# Real dumps of an x86 guest outside long mode: QEMU writes ELF32 (EM_386)
# when every guest-physical block ends below 4 GiB, and its kdump-* formats
# with the ILP32 disk_dump_header (naming itself "x86_64" in utsname). A
# SeaBIOS guest never gets one (its ROM block ends at 4 GiB exactly, so
# QEMU falls back to ELF64), a guest with OVMF's IA32 firmware in pflash
# does: the firmware runs in 32-bit protected mode on both vCPUs and fills
# RAM. The guest is suspended, dumped twice through libvirt (ELF, then
# kdump-zlib, which arrives as a flattened stream), and destroyed. Each dump
# passes `dumplab check` with 2 CPUs and fails with 3, the two compare
# page for page, and damaged copies give a defect or an error, never a
# signal.
# tap-timeout: 300
. "$(dirname "$0")/lib.sh"
uri=qemu:///system
code=/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd
vars=/usr/share/OVMF/OVMF32_VARS_4M.fd
[ -r "$code" ] || { skip "32-bit dumps" "ovmf-ia32 is not installed ($code)"; finish; exit; }
mkdir -p "$RUNS"
out=$(mktemp -d "$RUNS/qemu32.XXXXXX")
RUNS_MADE+=("$out")
chmod 0711 "$out" # QEMU (libvirt-qemu) writes the NVRAM copy here
dom=dumplab-$$-qemu32
# Only this test's own domain is ever destroyed.
cleanup() { virsh -q -c "$uri" destroy "$dom" >/dev/null 2>&1; }
trap cleanup EXIT
cat >"$out/domain.xml" <<EOF
<domain type='qemu'>
  <name>$dom</name>
  <memory unit='MiB'>256</memory>
  <vcpu>2</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' secure='yes' type='pflash'>$code</loader>
    <nvram template='$vars'>$out/vars.fd</nvram>
  </os>
  <features><acpi/><smm state='on'/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>
EOF
tap "a guest with OVMF's IA32 firmware starts" virsh -q -c "$uri" create "$out/domain.xml"
sleep 6 # the firmware's own start-up, on both vCPUs
tap "the guest is suspended for the dumps" virsh -q -c "$uri" suspend "$dom"
tap "libvirt dumps it as ELF" virsh -q -c "$uri" dump --memory-only --format elf "$dom" "$out/elf"
tap "libvirt dumps it as kdump-zlib" \
    virsh -q -c "$uri" dump --memory-only --format kdump-zlib "$dom" "$out/kdump"
cleanup
gone() { ! virsh -q -c "$uri" list --all --name | grep -qx "$dom" && ! pgrep -f "guest=$dom," >/dev/null; }
tap "no domain or QEMU left behind" gone
[ -s "$out/elf" ] && [ -s "$out/kdump" ] || { echo "Bail out! no dumps"; exit 1; }

# check_json FILE: dumplab check --json --expect-cpus=2, kept for jq.
check_json() { "$DUMPLAB" check --json --expect-cpus=2 "$1" >"$1.json"; }
jf() { jq -e "$2" "$1.json"; }
check_json "$out/elf"
tap "ELF: exit 0 with 2 CPUs expected" test $? -eq 0
tap "ELF: QEMU wrote ELF32, machine i386" jf "$out/elf" '.format == "ELF32" and .machine == "i386"'
tap "ELF: every page verified, over 200 MiB of them" \
    jf "$out/elf" '.pages.verified == .pages.present and .pages.bytes_verified > 200 * 1048576'
tap "ELF: both CPUs' eip read from the i386 NT_PRSTATUS, inside RAM" \
    jf "$out/elf" '(.cpus | length) == 2 and all(.cpus[]; .eip | test("^0x[1-9a-f][0-9a-f]{0,6}$"))'
tap "ELF: exit 1 when a third CPU is expected" \
    sh -c '"$1" check --expect-cpus=3 "$2"; test $? -eq 1' _ "$DUMPLAB" "$out/elf"
check_json "$out/kdump"
tap "kdump-zlib: exit 0 with 2 CPUs expected" test $? -eq 0
tap "kdump-zlib: a flattened kdump-compressed stream with the ILP32 header, machine i386" \
    jf "$out/kdump" '.format == "flattened kdump-compressed" and .machine == "i386"'
tap "kdump-zlib: every page decompressed and verified" \
    jf "$out/kdump" '.pages.verified == .pages.present and .pages.present > 50000'
tap "kdump-zlib: the same registers as the ELF dump" \
    sh -c 'test "$(jq -c "[.cpus[].eip]" "$1.json")" = "$(jq -c "[.cpus[].eip]" "$2.json")"' _ \
    "$out/kdump" "$out/elf"
tap "kdump-zlib: exit 1 when a third CPU is expected" \
    sh -c '"$1" check --expect-cpus=3 "$2"; test $? -eq 1' _ "$DUMPLAB" "$out/kdump"
tap "kdump-zlib read as a stream on standard input: exit 0" \
    sh -c '"$1" check --expect-cpus=2 - <"$2"' _ "$DUMPLAB" "$out/kdump"
"$DUMPLAB" compare --json "$out/kdump" "$out/elf" >"$out/cmp.json"
tap "compare kdump-zlib with ELF32: exit 0, no page differs, every RAM page above 1 MiB compared" \
    jq -e '.differing_pages == 0 and .missing_pages == 0 and .compared_pages > 50000' "$out/cmp.json"

# Damaged copies. The file offset of guest-physical 2 MiB in the ELF32 file.
off=$(python3 - "$out/elf" <<'PY'
import struct, sys
f = open(sys.argv[1], "rb")
eh = f.read(52)
phoff, phentsize, phnum = struct.unpack_from("<I", eh, 28)[0], *struct.unpack_from("<HH", eh, 42)
for i in range(phnum):
    f.seek(phoff + i * phentsize)
    typ, off, vaddr, paddr, filesz = struct.unpack("<IIIII", f.read(20))
    if typ == 1 and paddr <= 0x200000 < paddr + filesz:
        print(off + 0x200000 - paddr)
PY
)
cp "$out/elf" "$out/flip"
printf '\x5a' | cmp -s - <(dd if="$out/flip" bs=1 skip="$off" count=1 2>/dev/null) && b='\xa5' || b='\x5a'
printf "$b" | dd of="$out/flip" bs=1 seek="$off" conv=notrunc 2>/dev/null
"$DUMPLAB" compare --json "$out/kdump" "$out/flip" >"$out/flip.json"
rc=$?
tap "one byte changed at 2 MiB in the ELF32 copy: compare exits 1" test "$rc" -eq 1
tap "... and lists exactly that page as differing" jq -e '.differing_pages == 1' "$out/flip.json"
head -c $(($(stat -c %s "$out/elf") / 2)) "$out/elf" >"$out/half"
"$DUMPLAB" check "$out/half" >"$out/half.txt" 2>&1
rc=$?
tap "ELF32 cut in half: exit 1 (defects), no signal" test "$rc" -eq 1
tap "ELF32 cut in half: the truncation is named" grep -q "truncated" "$out/half.txt"
head -c 300000 "$out/kdump" >"$out/kdump-cut"
"$DUMPLAB" check "$out/kdump-cut" >/dev/null 2>&1
rc=$?
tap "kdump-zlib cut to 300 KB: exit 1 or 2, no signal" test "$rc" -eq 1 -o "$rc" -eq 2
rm -f "$out/elf" "$out/flip" "$out/half"
finish
