#!/usr/bin/env bash
# The decoder and disassembler against ia64-linux-gnu-objdump: every test
# program and tests/decode/forms.S (many instruction forms across all the
# templates the assembler picks) is disassembled by both, slot by slot, and
# must read the same; a slot the model decodes as "illegal" (it raises
# Illegal Operation) passes only where objdump shows floating-point
# arithmetic (not modelled, ISA-STATUS.md) or a reserved encoding. One TAP
# line per program; a mismatch lists the slots.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
[ "${build#/}" != "$build" ] || build=$root/$build
dis=$build/bin/ia64dis
od=ia64-linux-gnu-objdump
oc=ia64-linux-gnu-objcopy
if [ ! -x "$dis" ] || ! command -v $od >/dev/null; then
    echo "ok 1 decoder vs objdump # SKIP ia64dis not built or $od missing"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
norm() { sed -E 's/ <[^>]*>//; s/[[:space:]]+/ /g; s/ ?;; ?/;;/g; s/ $//'; }
n=0 failed=0
for elf in $(find "$build/ia64/tests" -name '*.elf' | sort); do
    n=$((n + 1))
    name=${elf#"$build/ia64/tests/"}
    base=$($od -h "$elf" | awk '$2 == ".text" { print "0x" $4 }')
    $oc -O binary -j .text "$elf" "$tmp/text.bin"
    "$dis" "$tmp/text.bin" "$base" | norm >"$tmp/ours"
    # objdump (-z: zero bundles too): keep slot lines (address, bytes,
    # optional [TEMPLATE], text)
    $od -d -z "$elf" | awk -F'\t' '/^ +[0-9a-f]+:\t/ && NF >= 3 {
            addr = $1; sub(/^ +/, "", addr); sub(/:$/, "", addr)
            text = $3; sub(/^\[[A-Z]+\] */, "", text); sub(/^ +/, "", text)
            if (text == "") next
            printf "%s0 %s\n", substr(addr, 1, length(addr) - 1), text }' |
        norm >"$tmp/theirs"
    if [ "$(wc -l <"$tmp/ours")" != "$(wc -l <"$tmp/theirs")" ]; then
        bad="slot counts differ: $(wc -l <"$tmp/ours") vs $(wc -l <"$tmp/theirs")"
    else
        bad=$(paste -d '\t' "$tmp/ours" "$tmp/theirs" | awk -F'\t' '$1 != $2 {
                o = $1; t = $2
                sub(/^[0-9a-f]+ (\(p[0-9]+\) )?/, "", o); sub(/;;$/, "", o)
                sub(/^[0-9a-f]+ (\(p[0-9]+\) )?/, "", t); sub(/;;$/, "", t)
                if (o == "illegal" && (t ~ /^f/ || t ~ /^data8/)) next
                print $1 " | " $2 }')
    fi
    if [ -z "$bad" ]; then
        echo "ok $n $name: $(wc -l <"$tmp/ours") slots agree with objdump"
    else
        echo "not ok $n $name: slots differ from objdump (ours | objdump)"
        echo "$bad" | head -12 | sed 's/^/#   /'
        failed=1
    fi
done
echo "1..$n"
exit $failed
