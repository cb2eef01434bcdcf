#!/usr/bin/env bash
# kdump not armed: pvpanic tells libvirt, which keeps the crashed domain;
# the run returns the hypervisor's dump of it, and says so.
. "$(dirname "$0")/lib.sh"
# makedumpfile 1.7.2 cannot read QEMU 7.2's ELF dumps; the referee then uses
# crash's log, which needs the debug vmlinux (cached after the first fetch).
kver=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }')
bash "$ROOT/vm-images/fetch-dbg.sh" "$kver" >/dev/null 2>&1 || echo "# no debug vmlinux for $kver: the referee may fail on a QEMU dump"
run_scenario "$ROOT/scenarios/unarmed-pvpanic.scn"
tap "dumplab run exits 0 (run as expected)" test "$RUN_RC" -eq 0
tap "verdict PASS" jqt '.verdict == "PASS"'
tap "the dump came through pvpanic" jqt '.dump_source == "pvpanic"'
dump=$(dump_path pvpanic)
tap "the dump is mode 0600" mode_is 600 "$dump"
tap "the checker reads it as a QEMU dump with no defect" jqt 'any(.checks[]; .name == "vmcore" and .ok and (.summary | test("qemu layout")))'
tap "a referee finds the panic text in it (VMCOREINFO came through fw_cfg)" jqt 'any(.checks[]; .name == "referee" and .ok)'
tap "no domain or QEMU left behind" no_leftovers unarmed-pvpanic
finish
