#!/usr/bin/env bash
# tap-timeout: 2400
# Linux/ia64 6.1 (Debian's linux-source-6.1, built by
# guest-kernel/ia64/linux/build-kernel.sh) kdumps with its own code through
# `dumplab run`: scenarios/ia64-linux/*.scn, on the model (platform = sim)
# and in qemu-system-ia64 under libvirt (platform = qemu: INIT by
# virDomainInjectNMI), 2 and 4 CPUs, sysrq-c and INIT, with CPUs spinning
# with interrupts off. Each run must PASS: the capture kernel's vmcore is
# there, 0600, dumplab's checker finds no defect, eu-readelf sees an
# EM_IA_64 core with one NT_PRSTATUS per CPU, the vmcore says INIT stopped
# each spinning CPU inside lkdtm_HARDLOCKUP with PSR.i = 0, the marker
# frames are intact and (qemu) libvirt's dump of the machine equals the
# vmcore frame by frame; no domain of the run is left. Skips, saying why, without the kernel
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
    # Where INIT found each CPU, from Linux's own records in the vmcore: a
    # CPU spinning with interrupts off inside lkdtm_HARDLOCKUP, PSR.i = 0.
    irqoff=$(sed -n 's/^irqoff_cpus *= *//p' "$scn" | tr ',' ' ')
    regs=$(jq -r '.checks[] | select(.name == "register-proof") | select(.ok) | .summary' "$REPORT")
    bad=
    for c in $irqoff; do
        grep -q "cpu$c: lkdtm_HARDLOCKUP+0x[0-9a-f]* psr.i=0" <<<"$regs" || bad="$bad $c"
    done
    tap "$name: INIT stopped cpu(s) $irqoff inside lkdtm_HARDLOCKUP with PSR.i = 0" \
        eval '[ -n "$regs" ] && [ -z "$bad" ]'
    markers=$(sed -n 's/^markers *= *//p' "$scn")
    tap "$name: all $markers marker frames intact" \
        eval 'jq -e ".checks[] | select(.name == \"markers\") | .ok and (.summary | test(\"all $markers marker frames intact\"))" "$REPORT"'
    if grep -q '^platform *= *qemu' "$scn"; then
        tap "$name: libvirt's dump equals the vmcore frame by frame outside the crashkernel" \
            eval 'jq -e ".checks[] | select(.name == \"cross-check\") | .ok and (.summary | test(\"^[1-9][0-9]* frames of 4 KiB compared, 0 differ\"))" "$REPORT"'
    fi
    tap "$name: no domain of the run is left" \
        eval '! virsh -q list --all --name 2>/dev/null | grep -q -- "-$name\$"'
    rm -f "$WORKDIR/vmcore" "$WORKDIR/hv-dump.elf"
done
finish
