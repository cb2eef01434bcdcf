#!/usr/bin/env bash
# crashkernel= in every form (scenarios/crashkernel/): the run checks the
# first kernel's /proc/iomem against what the value means for the guest's
# RAM; "nothing reserved" is a FAIL in arm that names the reason.
# tap-timeout: 2400
. "$(dirname "$0")/lib.sh"
for scn in "$ROOT"/scenarios/crashkernel/*.scn; do
    name=$(basename "$scn" .scn)
    run_scenario "$scn"
    tap "$name: run as its scenario expects (exit 0)" test "$RUN_RC" -eq 0
    if grep -q '^expect verdict = fail' "$scn"; then
        tap "$name: FAIL in arm" jqt '.verdict == "FAIL" and .failed_phase == "arm"'
        tap "$name: the reason says nothing was reserved and why" \
            jqt '.reason | test("nothing reserved, as the kernel.s rules say: .*(no range holds it|alone it reserves nothing)")'
    else
        tap "$name: verdict PASS" jqt '.verdict == "PASS"'
        tap "$name: /proc/iomem holds the predicted reservation" \
            jqt 'any(.checks[]; .name == "crashkernel" and .ok and (.summary | test("as predicted")))'
        tap "$name: the checker finds no defect" jqt 'any(.checks[]; .name == "vmcore" and .ok)'
    fi
    case $name in
    at) tap "at: the reservation starts at 512M" jqt 'any(.checks[]; .name == "crashkernel" and (.summary | test("192 MiB at 0x20000000-0x2bffffff")))' ;;
    ranges) tap "ranges: 192M chosen for 1 GiB" jqt 'any(.checks[]; .name == "crashkernel" and (.summary | test("192 MiB at")))' ;;
    auto-above) tap "auto-above: 256M for 2 GiB" jqt 'any(.checks[]; .name == "crashkernel" and (.summary | test("\\(2G-64G:256M,64G-:512M\\): 256 MiB")))' ;;
    esac
    tap "$name: no domain or QEMU left behind" no_leftovers "$name"
    if [ "$RUN_RC" -eq 0 ] && [ -n "$WORKDIR" ]; then rm -f "$WORKDIR"/*vmcore* "$WORKDIR"/*.img; fi
done
finish
