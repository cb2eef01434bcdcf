#!/usr/bin/env bash
# Unit test of the crash module (TAP): builds it for the guest kernel with
# build-module.sh and checks that the guest kernel will load it and that it
# carries what the scenarios and the vmcore checker rely on.
#
#   guest-kernel/test-module.sh [KVER]     (default: what linux-image-amd64 pulls in)
#
# The reference for "loads in the guest kernel" is a module shipped in Debian's
# linux-image package itself: its vermagic and its CRC of module_layout (which
# modversions compares at load time) must equal ours.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${BUILD:-$repo/build}
case $build in /*) ;; *) build=$repo/$build ;; esac

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
finish() { echo "1..$n"; exit "$failed"; }

kver=${1:-$(apt-cache depends linux-image-amd64 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }')}
if [ -z "$kver" ]; then
    echo "1..0 # SKIP apt knows no linux-image-amd64 (run apt-get update)"
    exit 77
fi

err=$(mktemp)
trap 'rm -f "$err"' EXIT
out=$(bash "$here/build-module.sh" "$kver" "$build/guest-kernel/$kver" 2>"$err")
rc=$?
if [ $rc -eq 2 ]; then
    echo "1..0 # SKIP headers for $kver cannot be downloaded: $(tail -1 "$err")"
    exit 77
fi
ko=$(printf '%s\n' "$out" | tail -1)
if [ $rc -ne 0 ] || [ ! -f "$ko" ]; then
    notok "build-module.sh builds dumplab_crash.ko for $kver" "exit $rc" "$(tail -5 "$err")"
    finish
fi
ok "build-module.sh builds dumplab_crash.ko for $kver and prints its path last"
[ "$ko" = "$build/guest-kernel/$kver/dumplab_crash.ko" ] && ok "module lands in build/guest-kernel/$kver" ||
    notok "module lands in build/guest-kernel/$kver" "got $ko"

modinfo_of() { objcopy -O binary --only-section=.modinfo "$1" /dev/stdout 2>/dev/null | tr '\0' '\n'; }
# __versions holds {unsigned long crc; char name[56]} entries.
crc_of() {
    python3 - "$1" "$2" <<'PY'
import struct, subprocess, sys
data = subprocess.run(["objcopy", "-O", "binary", "--only-section=__versions", sys.argv[1], "/dev/stdout"],
                      capture_output=True, check=True).stdout
for off in range(0, len(data) - 63, 64):
    crc, = struct.unpack_from("<Q", data, off)
    name = data[off + 8:off + 64].split(b"\0")[0].decode()
    if name == sys.argv[2]:
        print("0x%08x" % crc)
PY
}

# A reference module from the real image package (cached; the package is
# shared with vm-images when it already downloaded it).
ref=$build/cache/headers/$kver/ref-crc-itu-t.ko
if [ ! -f "$ref" ]; then
    deb=$(ls "$build"/cache/debs/linux-image-"$kver"_*.deb "$build"/cache/headers/"$kver"/image/linux-image-"$kver"_*.deb 2>/dev/null | head -1)
    if [ -z "$deb" ]; then
        mkdir -p "$build/cache/headers/$kver/image"
        (cd "$build/cache/headers/$kver/image" &&
            apt-get download -q -o APT::Sandbox::User=root "linux-image-$kver" >/dev/null 2>&1)
        deb=$(ls "$build"/cache/headers/"$kver"/image/linux-image-"$kver"_*.deb 2>/dev/null | head -1)
    fi
    if [ -n "$deb" ]; then
        dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards "*/lib/modules/$kver/kernel/lib/crc-itu-t.ko" >"$ref.tmp" 2>/dev/null &&
            [ -s "$ref.tmp" ] && mv "$ref.tmp" "$ref"
        rm -f "$ref.tmp"
    fi
fi

vm=$(modinfo_of "$ko" | sed -n 's/^vermagic=//p')
if [ -f "$ref" ]; then
    rvm=$(modinfo_of "$ref" | sed -n 's/^vermagic=//p')
    [ -n "$vm" ] && [ "$vm" = "$rvm" ] && ok "vermagic equals the kernel's ($vm)" ||
        notok "vermagic equals the kernel's" "ours:   '$vm'" "kernel: '$rvm'"
    c=$(crc_of "$ko" module_layout) rc_=$(crc_of "$ref" module_layout)
    [ -n "$c" ] && [ "$c" = "$rc_" ] && ok "module_layout CRC equals the kernel's ($c)" ||
        notok "module_layout CRC equals the kernel's" "ours: '$c'" "kernel: '$rc_'"
else
    case $vm in
        "$kver SMP "*) ok "vermagic names $kver ($vm)" ;;
        *) notok "vermagic names $kver" "got '$vm'" ;;
    esac
    skip "module_layout CRC equals the kernel's" "linux-image-$kver could not be downloaded for reference"
fi

mi=$(modinfo_of "$ko")
grep -qx 'name=dumplab_crash' <<<"$mi" && grep -qx 'license=GPL' <<<"$mi" &&
    ok "modinfo: name dumplab_crash, GPL (so GPL-only exports resolve)" ||
    notok "modinfo: name dumplab_crash, GPL" "$mi"

kinds="panic bug oops exception panic-in-hardirq hardlockup stop-irqoff softlockup hung-task exhaust-stack corrupt-stack markers silent"
syms=$(nm "$ko")
missing=
for k in $kinds; do
    grep -qE " [tT] dl_fault_${k//-/_}\$" <<<"$syms" || missing="$missing dl_fault_${k//-/_}"
done
for f in dl_spin_irqoff dl_spin_preemptoff; do
    grep -qE " [tT] $f\$" <<<"$syms" || missing="$missing $f"
done
[ -z "$missing" ] && ok "a function symbol for each fault kind and spin loop" ||
    notok "a function symbol for each fault kind and spin loop" "missing:$missing"

# The manifest lists these by name, so compiler-made clones (.isra,
# .constprop) would leave the manifest pointing at a symbol not in the code.
clones=$(grep -E ' [tT] dl_(fault|spin)_[a-z_]+\.' <<<"$syms" | grep -v '\.cold$')
[ -z "$clones" ] && ok "no compiler clones of fault or spin functions" ||
    notok "no compiler clones of fault or spin functions" "$clones"

# module_kind_table KO: prints "kind function" for each entry of the
# module's fault table, read from the relocations of .rodata: a pointer to a
# string (the name) followed within the same entry by a pointer to a
# dl_fault_* function. This is what the module's lookup walks, so a kind
# listed here is one the module accepts.
module_kind_table() {
    local ko=$1 strs textidx
    strs=$(mktemp)
    objcopy -O binary --only-section=.rodata.str1.1 "$ko" "$strs" 2>/dev/null
    textidx=$(readelf -SW "$ko" | sed -nE 's/^ *\[ *([0-9]+)\] \.text .*/\1/p')
    declare -A fn
    local _num val _size type _bind _vis ndx name
    while read -r _num val _size type _bind _vis ndx name; do
        [ "$type" = FUNC ] && [ "$ndx" = "$textidx" ] && fn[$((16#$val))]=$name
    done < <(readelf -sW "$ko")
    local on=0 off _info _type _sval sym _plus add last_name="" last_off=0
    while read -r off _info _type _sval sym _plus add; do
        case $off in Relocation) [[ $_sval == "'.rela.rodata'" ]] && on=1 || on=0; continue ;; esac
        [ $on = 1 ] && [ -n "${add:-}" ] && [[ $off =~ ^[0-9a-f]+$ ]] || continue
        off=$((16#$off)) add=$((16#$add))
        if [ "$sym" = .rodata.str1.1 ]; then
            last_name=$(tail -c +$((add + 1)) "$strs" | head -c 64 | tr '\0' '\n' | head -1)
            last_off=$off
        elif [ "$sym" = .text ] && [ -n "$last_name" ] && [ $((off - last_off)) -lt 64 ] &&
            [[ ${fn[$add]:-} == dl_fault_* ]]; then
            echo "$last_name ${fn[$add]}"
            last_name=""
        fi
    done < <(readelf -rW "$ko" | sed -E 's/^Relocation section (.*) at offset.*/Relocation x x \1/')
    rm -f "$strs"
}

# Not just a string somewhere in the module: the table the module looks a
# kind up in must map each name to its function.
table=$(module_kind_table "$ko")
missing=
for k in $kinds; do grep -qx "$k dl_fault_${k//-/_}" <<<"$table" || missing="$missing $k"; done
[ -z "$missing" ] && [ -n "$table" ] &&
    ok "every fault kind is in the module's kind table, bound to its function" ||
    notok "every fault kind is in the module's kind table, bound to its function" \
        "missing:$missing" "table: $(tr '\n' ',' <<<"$table")"
strs=$(strings -a -n 3 "$ko")
grep -q 'dumplab_crash: cpu=%d role=%s fault=%s' <<<"$strs" &&
    ok "module logs the per-cpu role line" || notok "module logs the per-cpu role line"

# Each spin loop must end in a tight pause loop with nothing after it: a call
# or return in there would let the CPU leave the symbol before the NMI.
for f in dl_spin_irqoff dl_spin_preemptoff; do
    body=$(objdump -d --no-show-raw-insn "$ko" | awk -v f="<$f>:" '$2 == f { on = 1; next } on && /^$/ { exit } on')
    pause=$(awk '/\tpause/ { sub(":", "", $1); print $1; exit }' <<<"$body")
    # From the pause on, every instruction up to the end of the function
    # (padding aside): no call or return, and every jump goes back into the
    # loop (to the pause or after it, never past itself). Not just the first
    # jmp: a later branch out would let the CPU leave.
    tail_ok=$(awk -v p="$pause" '
        function hex(s,   i, c, v) { v = 0; s = tolower(s)
            for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
            return v }
        $1 == p":" { found = 1 }
        !found { next }
        { at = $1; sub(":", "", at) }
        $2 ~ /^(nop|int3|ud2)/ { next }
        $2 ~ /^(call|ret|iret|sysret)/ { bad = 1 }
        $2 ~ /^j/ { jumps++; if (hex($3) < hex(p) || hex($3) > hex(at)) bad = 1 }
        END { print (found && jumps > 0 && !bad) ? "yes" : "no" }' <<<"$body")
    if [ -n "$pause" ] && [ "$tail_ok" = yes ]; then
        ok "$f is a pause loop that never leaves the function"
    else
        notok "$f is a pause loop that never leaves the function" "$body"
    fi
done

finish
