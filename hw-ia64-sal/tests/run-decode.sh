#!/usr/bin/env bash
# The decoder and disassembler against ia64-linux-gnu-objdump, slot by slot:
# every test program, tests/decode/forms.S (the instruction forms the model
# implements, across the templates the assembler picks), and pseudo-random
# bundles (encodings no source lists). A slot passes when both read the
# same; a slot the model decodes as "illegal" (it raises Illegal Operation)
# passes only where objdump shows a reserved encoding (data8) or an
# instruction tests/decode/illegal-ok.txt lists (not modelled, see
# ISA-STATUS.md). One TAP line per program; a failure lists the slots.
# DECODE_ELFS="a.elf ...": check these ELFs' .text instead (for a built
# vmlinux), strictly: there only reserved encodings may decode as illegal.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
[ "${build#/}" != "$build" ] || build=$root/$build
dis=$build/bin/ia64dis
od=ia64-linux-gnu-objdump
oc=ia64-linux-gnu-objcopy
allow=$here/decode/illegal-ok.txt
[ -z "${DECODE_ELFS:-}" ] || allow=/dev/null
RANDOM_BUNDLES=${RANDOM_BUNDLES:-20000}
if [ ! -x "$dis" ] || ! command -v $od >/dev/null; then
    echo "1..0 # SKIP ia64dis not built or $od missing"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
norm() { sed -E 's/ <[^>]*>//g; s/[[:space:]]+/ /g; s/ ?;; ?/;;/g; s/ $//'; }

# objdump's slot lines of an object (-z: zero bundles too), "ADDR TEXT" as
# ia64dis prints them.
theirs() {
    $od -d -z -j .text "$1" | awk -F'\t' '/^ *[0-9a-f]+:\t/ && NF >= 3 {
            addr = $1; sub(/^ +/, "", addr); sub(/:$/, "", addr)
            text = $3; sub(/^\[[^]]*\] */, "", text); sub(/^ +/, "", text)
            if (text == "") next
            printf "%s0 %s\n", substr(addr, 1, length(addr) - 1), text }' | norm
}

# compare OURS THEIRS: prints the failing slots as "ours | objdump".
compare() {
    if [ "$(wc -l <"$1")" != "$(wc -l <"$2")" ]; then
        echo "slot counts differ: $(wc -l <"$1") vs $(wc -l <"$2")"
        return
    fi
    paste -d '\t' "$1" "$2" | awk -F'\t' -v allow="$allow" '
        BEGIN { while ((getline l < allow) > 0) if (l !~ /^(#|$)/) pat[++np] = l }
        $1 == $2 { next }
        {
            o = $1; t = $2
            sub(/^[0-9a-f]+ (\(p[0-9]+\) )?/, "", o); sub(/;;$/, "", o)
            sub(/^[0-9a-f]+ (\(p[0-9]+\) )?/, "", t); sub(/;;$/, "", t)
            if (o == "illegal") {
                if (t ~ /^data8 /) next
                for (i = 1; i <= np; i++) if (t ~ ("^(" pat[i] ")")) next
            }
            print $1 " | " $2
        }'
}

n=0 failed=0
result() { # name ours theirs
    n=$((n + 1))
    compare "$2" "$3" >"$tmp/bad"
    if [ ! -s "$tmp/bad" ]; then
        echo "ok $n $1: $(wc -l <"$2") slots agree with objdump"
    else
        echo "not ok $n $1: $(wc -l <"$tmp/bad") slots differ from objdump (ours | objdump)"
        head -"${DIFFMAX:-12}" "$tmp/bad" | sed 's/^/#   /'
        failed=1
    fi
}

elfs=${DECODE_ELFS:-$(find "$build/ia64/tests" -name '*.elf' | sort)}
for elf in $elfs; do
    base=$($od -h "$elf" | awk '$2 == ".text" { print "0x" $4 }')
    $oc -O binary -j .text "$elf" "$tmp/text.bin"
    "$dis" "$tmp/text.bin" "$base" | norm >"$tmp/ours"
    theirs "$elf" >"$tmp/theirs"
    result "${elf#"$build/ia64/tests/"}" "$tmp/ours" "$tmp/theirs"
done

if [ -n "${DECODE_ELFS:-}" ]; then
    echo "1..$n"
    exit $failed
fi

# Random bundles, wrapped in an object so objdump prints branch targets as
# it does for programs.
for seed in 1 2; do
    "$dis" --random "$RANDOM_BUNDLES" "$seed" >"$tmp/r.bin"
    $oc -I binary -O elf64-ia64-little -B ia64 \
        --rename-section .data=.text,code,alloc,load,readonly,contents "$tmp/r.bin" "$tmp/r.o"
    "$dis" "$tmp/r.bin" 0 | norm >"$tmp/ours"
    theirs "$tmp/r.o" >"$tmp/theirs"
    result "$RANDOM_BUNDLES random bundles (seed $seed)" "$tmp/ours" "$tmp/theirs"
done
echo "1..$n"
exit $failed
