#!/usr/bin/env bash
# Every slot of the built vmlinux's .text through the model's decoder against
# ia64-linux-gnu-objdump, strictly (hw-ia64-sal/tests/run-decode.sh with
# DECODE_ELFS): all must read the same and none may be an Illegal Operation
# except reserved encodings. On failure, the diagnostics count the
# mnemonics the model still lacks. Skips without the cached kernel.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
vmlinux=$("$here/build-kernel.sh" --cached 2>/dev/null | tail -n1)
if [ -z "$vmlinux" ] || [ ! -f "$vmlinux" ]; then
    echo "1..0 # SKIP no cached kernel (make ia64-linux builds it, about 15 minutes)"
    exit 77
fi
out=$(DECODE_ELFS=$vmlinux DIFFMAX=100000 bash "$root/hw-ia64-sal/tests/run-decode.sh")
rc=$?
grep -v '^#' <<<"$out"
if [ $rc -ne 0 ]; then
    echo "# slots that differ, by objdump's mnemonic:"
    grep '^#   ' <<<"$out" | sed -E 's/.*\| [0-9a-f]+ (\(p[0-9]+\) )?//; s/[ ;].*//' |
        sort | uniq -c | sort -rn | head -40 | sed 's/^/#   /'
fi
exit $rc
