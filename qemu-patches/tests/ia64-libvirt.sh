#!/usr/bin/env bash
# qemu-system-ia64 under libvirt, end to end: a domain <type arch='ia64'
# machine='ia64-sal'> with <emulator> naming the built binary boots
# hw-ia64-sal's init-monarch test program on 4 CPUs; it registers OS_INIT
# handlers and spins with PSR.i off. Then:
#   - `virsh dump --memory-only` gives an EM_IA_64 core with one 1144-byte
#     NT_PRSTATUS per CPU whose ip (slot 42) is in the program's text, and
#     whose RAM holds the program as loaded;
#   - before any INIT the console is silent and the domain runs;
#   - `virsh inject-nmi` raises a platform INIT on every CPU: one monarch
#     prints its CPU number on the UART (the libvirt <serial> log), waits
#     for the three slaves, all resume, and the program halts the machine
#     with code 0, which shuts the domain off.
# Skips (exit 77) when the binary, libvirt or the test program is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
qemu=${QEMU_IA64:-$(bash "$root/qemu-patches/build.sh" --print-path 2>/dev/null)}
elf=$build/ia64/tests/platform/init-monarch.elf
uri=qemu:///system
n=0 failed=0

ok() { echo "ok $((++n)) $1"; }
bad() { echo "not ok $((++n)) $1"; failed=1; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
skip_all() { echo "ok 1 ia64 qemu under libvirt # SKIP $1"; echo "1..1"; exit 77; }

[ -x "$qemu" ] || skip_all "qemu-system-ia64 not built ($qemu): make qemu-ia64"
[ -f "$elf" ] || skip_all "$elf not built: make ia64"
virsh -q -c "$uri" version >/dev/null 2>&1 || skip_all "no libvirt daemon at $uri"

name=dumplab-ia64qemu-$$
dir=$(mktemp -d /tmp/dumplab-ia64qemu.XXXXXX)
chmod 755 "$dir"
cleanup() {
    virsh -q -c "$uri" destroy "$name" >/dev/null 2>&1
    virsh -q -c "$uri" undefine "$name" >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT
cp "$elf" "$dir/guest.elf"
chmod 644 "$dir/guest.elf"
log=$dir/console.log

cat >"$dir/domain.xml" <<XML
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>64</memory>
  <vcpu>4</vcpu>
  <os>
    <type arch='ia64' machine='ia64-sal'>hvm</type>
    <kernel>$dir/guest.elf</kernel>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>$qemu</emulator>
    <serial type='pty'>
      <log file='$log' append='off'/>
    </serial>
    <console type='pty'/>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
XML

state() { virsh -q -c "$uri" domstate "$name" 2>/dev/null | head -1; }

if ! virsh -q -c "$uri" define "$dir/domain.xml" >"$dir/define.out" 2>&1; then
    bad "libvirt defines the ia64 domain"
    sed 's/^/# /' "$dir/define.out"
    echo "1..$n"
    exit 1
fi
ok "libvirt defines an <os><type arch='ia64' machine='ia64-sal'> domain"
if virsh -q -c "$uri" start "$name" >"$dir/start.out" 2>&1; then
    ok "libvirt starts it with <emulator> = the built qemu-system-ia64"
else
    bad "libvirt starts it"
    sed 's/^/# /' "$dir/start.out"
    echo "1..$n"
    exit 1
fi
check "virsh ttyconsole names the UART's pty" \
    bash -c "virsh -q -c '$uri' ttyconsole '$name' | grep -q '^/dev/pts/'"

sleep 2 # the program registers its handlers and spins
check "the guest runs and stays silent until INIT" \
    bash -c "[ \"\$(virsh -q -c '$uri' domstate '$name')\" = running ] && [ ! -s '$log' ]"

core=$dir/ia64.core
if virsh -q -c "$uri" dump --memory-only "$name" "$core" >"$dir/dump.out" 2>&1; then
    ok "virsh dump --memory-only writes a core"
else
    bad "virsh dump --memory-only"
    sed 's/^/# /' "$dir/dump.out"
fi
check "the core is an ELF64 EM_IA_64 core file" \
    bash -c "readelf -h '$core' | grep -q 'Type:.*CORE' && readelf -h '$core' | grep -q 'Machine:.*IA-64'"
check "eu-readelf -n finds 4 CORE NT_PRSTATUS notes of 1144 bytes" \
    bash -c "[ \$(eu-readelf -n '$core' | grep -cE 'CORE +1144 +PRSTATUS') -eq 4 ]"

# phdr FILE TYPE FIELD [PADDR]: a field (2 offset, 3 vaddr, 4 paddr, 5 filesz)
# of the first program header of that type (and physical address), as a number.
phdr() {
    local v
    v=$(readelf -lW "$1" | awk -v t="$2" -v f="$3" -v p="${4:-}" \
        '$1 == t && (p == "" || $4 == p) {print $f; exit}')
    echo $((${v:-0}))
}

# pr_reg[42] (ip) of each CPU: note header 12 + "CORE" padded 8 + 112 + 42*8.
note_off=$(phdr "$core" NOTE 2)
text_lo=$(phdr "$elf" LOAD 4)
text_hi=$((text_lo + $(phdr "$elf" LOAD 5)))
ips_ok=1
for cpu in 0 1 2 3; do
    ip=$(od -An -t u8 -j $((note_off + cpu * 1164 + 20 + 112 + 42 * 8)) -N 8 "$core" | tr -d ' ')
    printf '# cpu%d ip = 0x%x (program 0x%x-0x%x)\n' "$cpu" "${ip:-0}" "$text_lo" "$text_hi"
    { [ -n "$ip" ] && [ "$ip" -ge "$text_lo" ] && [ "$ip" -lt "$text_hi" ]; } || ips_ok=0
done
check "every CPU's NT_PRSTATUS ip is inside the spinning program" [ $ips_ok -eq 1 ]

# The dump's RAM at .text's address holds .text as the ELF has it (the
# guest writes only its .data).
read -r t_addr t_off t_size < <(readelf -SW "$elf" |
    awk '{for (i = 1; i < NF; i++) if ($i == ".text") {print "0x" $(i+2), "0x" $(i+3), "0x" $(i+4); exit}}')
load_off=$(phdr "$core" LOAD 2 0x0000000000000000)
check "the core's RAM holds the guest's .text as loaded ($((t_size)) bytes)" \
    cmp -s <(tail -c +$((load_off + t_addr + 1)) "$core" | head -c $((t_size))) \
    <(tail -c +$((t_off + 1)) "$elf" | head -c $((t_size)))

check "virsh inject-nmi is accepted" virsh -q -c "$uri" inject-nmi "$name"
for _ in $(seq 1 100); do
    [ "$(state)" = "shut off" ] && break
    sleep 0.1
done
check "after INIT the program halts the machine and the domain shuts off" \
    [ "$(state)" = "shut off" ]
echo "# console: $(od -c "$log" 2>/dev/null | head -2 | tr -s ' ')"
check "exactly one monarch announced itself on the UART (libvirt serial log)" \
    grep -qxE '[0-3]' <(tr -d '\r' <"$log"; echo)
qlog=/var/log/libvirt/qemu/$name.log
check "QEMU reports the machine halted with code 0 (every check passed)" \
    grep -q "ia64: machine halted, code 0" "$qlog"

echo "1..$n"
exit $failed
