#!/usr/bin/env bash
# Bad input gets a clear error naming the problem, a non-zero exit, and
# leaves nothing behind: a broken scenario file, a kernel that does not
# exist, a runs folder without room for the dump.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d "${RUNS:-/tmp}.bad.XXXXXX" 2>/dev/null || mktemp -d)
trap 'umount "$tmp/small" 2>/dev/null; rm -rf "$tmp"' EXIT

printf 'fault = sysrq-c\nvcpus = lots\n' >"$tmp/broken.scn"
out=$("$DUMPLAB" run --runs-dir "$tmp/runs" "$tmp/broken.scn" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
tap "a broken scenario exits 2" test $rc -eq 2
tap "the error names the file, the line and the reason" grep -q "broken.scn:2: vcpus: 'lots' is not a number" <<<"$out"
tap "nothing was started for it" test ! -e "$tmp/runs"

# A libvirt that does not answer: the error names the URI in use (not
# qemu:///system), and nothing tries to start a daemon for someone else's URI.
bad_uri='qemu+unix:///system?socket=/nonexistent/dumplab-test.sock'
out=$(DUMPLAB_LIBVIRT_URI=$bad_uri timeout 30 "$DUMPLAB" run --runs-dir "$tmp/runs" \
    "$ROOT/scenarios/default.scn" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
tap "an unreachable DUMPLAB_LIBVIRT_URI exits 2" test $rc -eq 2
tap "the error names that URI" grep -qF "libvirt connection to $bad_uri:" <<<"$out"
tap "and starts no daemon for it" not grep -q "starting libvirtd" <<<"$out"

printf 'kernel = linux-image-0.0.0-99-nosuch\nfault = sysrq-c\n' >"$tmp/nokernel.scn"
out=$("$DUMPLAB" run --runs-dir "$tmp/runs" "$tmp/nokernel.scn" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
tap "a kernel package that does not exist: exit 1" test $rc -eq 1
tap "the run fails in the image phase naming the package" grep -q "FAIL in image: .*linux-image-0.0.0-99-nosuch" <<<"$out"
tap "no domain or QEMU left behind" no_leftovers nokernel

mkdir -p "$tmp/small"
if mount -t tmpfs -o size=64m tmpfs "$tmp/small" 2>/dev/null; then
    out=$("$DUMPLAB" run --runs-dir "$tmp/small" "$ROOT/scenarios/default.scn" 2>&1)
    rc=$?
    echo "$out" | sed 's/^/# /'
    tap "a runs folder without room: exit 1" test $rc -eq 1
    tap "the error says how much room is free and needed" grep -q "MiB free; this run needs about" <<<"$out"
    tap "no half-made work folder is left" test -z "$(ls -A "$tmp/small")"
    tap "no domain or QEMU left behind" no_leftovers default
else
    skip "a runs folder without room" "cannot mount a small tmpfs here"
fi
finish
