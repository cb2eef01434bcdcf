#!/usr/bin/env bash
# tap-timeout: 2400
# Linux/ia64 6.1 (Debian's linux-source-6.1, built by
# guest-kernel/ia64/linux/build-kernel.sh) kdumps with its own code through
# `dumplab run`: scenarios/ia64-linux/*.scn, on the model (platform = sim)
# and in qemu-system-ia64 under libvirt (platform = qemu: INIT by
# virDomainInjectNMI), 2 and 4 CPUs, sysrq-c and INIT. Each run must PASS:
# the capture kernel's vmcore is there, 0600, dumplab's checker finds no
# defect, and eu-readelf sees an EM_IA_64 core with one NT_PRSTATUS per
# CPU; no domain of the run is left. Skips, saying why, without the kernel
# or without qemu-system-ia64 (the qemu scenarios only).
. "$(dirname "$0")/lib.sh"
if ! bash "$ROOT/guest-kernel/ia64/linux/build-kernel.sh" --cached >/dev/null 2>&1; then
    echo "1..0 # SKIP no cached Linux/ia64 kernel (make ia64-linux)"
    exit 0
fi
qemu=${QEMU_IA64:-$(bash "$ROOT/qemu-patches/build.sh" --print-path 2>/dev/null)}
for scn in "$ROOT"/scenarios/ia64-linux/*.scn; do
    name=$(basename "$scn" .scn)
    if grep -q '^platform *= *qemu' "$scn" && { [ -z "$qemu" ] || [ ! -x "$qemu" ]; }; then
        skip "$name" "qemu-system-ia64 is not built (make qemu-ia64)"
        continue
    fi
    cpus=$(sed -n 's/^vcpus *= *//p' "$scn")
    run_scenario "$scn"
    tap "$name: dumplab run exits 0, verdict PASS" \
        eval '[ "$RUN_RC" = 0 ] && jq -e ".verdict == \"PASS\"" "$REPORT"'
    tap "$name: the capture kernel's vmcore, 0600" \
        eval '[ "$(stat -c %a "$WORKDIR/vmcore")" = 600 ]'
    tap "$name: eu-readelf sees $cpus NT_PRSTATUS notes" \
        eval '[ "$(eu-readelf -n "$WORKDIR/vmcore" | grep -c "CORE.*PRSTATUS")" = "$cpus" ]'
    tap "$name: no domain of the run is left" \
        eval '! virsh -q list --all --name 2>/dev/null | grep -q -- "-$name\$"'
    rm -f "$WORKDIR/vmcore"
done
finish
