#!/usr/bin/env bash
# kdump.conf targets as RHEL users write them (scenarios/kdump/): each run
# saves the dump where kdump.conf says, dumplab fetches it from that target
# (makedumpfile -R for raw, debugfs for ext4, xfs_db for xfs, the per-run
# sshd's folder for ssh) and proves it; failure actions are taken and verified on the console.
# make test runs scenarios/kdump/*.scn and one of scenarios/kdump/catalog/
# (rotating by day); DUMPLAB_KDUMP_ALL=1 runs the whole catalog.
# tap-timeout: 3600
. "$(dirname "$0")/lib.sh"
dir=$ROOT/scenarios/kdump
# Refused before any guest starts, naming FILE:LINE as kdumpctl does.
bad=$(mktemp -d)
printf 'raw /dev/vdb\nbogus x\n' >"$bad/k.conf"
printf 'fault = sysrq-c\nkdump_conf = k.conf\n' >"$bad/s.scn"
"$DUMPLAB" run --runs-dir "$bad/runs" "$bad/s.scn" >"$bad/out" 2>&1
tap "an unknown kdump.conf directive: exit 2" test $? -eq 2
tap "... naming FILE:LINE as kdumpctl does" grep -q "k.conf:2: Invalid kdump config option bogus" "$bad/out"
tap "... and no guest was started" test ! -e "$bad/runs"
rm -rf "$bad"
set -- "$dir"/*.scn
cat=("$dir"/catalog/*.scn)
if [ "${DUMPLAB_KDUMP_ALL:-0}" = 1 ]; then
    set -- "$@" "${cat[@]}"
elif [ ${#cat[@]} -gt 0 ]; then
    set -- "$@" "${cat[$((10#$(date +%j) % ${#cat[@]}))]}"
fi
for scn in "$@"; do
    name=$(basename "$scn" .scn)
    conf=$(sed -n 's/^kdump_conf *= *//p' "$scn")
    conf=$(cd "$(dirname "$scn")" && realpath "$conf")
    target=$(awk '$1 ~ /^(raw|ext4|xfs|nfs|ssh)$/ { print $1 }' "$conf")
    action=$(sed -n 's/^expect failure_action *= *//p' "$scn")
    run_scenario "$scn"
    tap "$name: run as its scenario expects (exit 0)" test "$RUN_RC" -eq 0
    tap "$name: verdict PASS" jqt '.verdict == "PASS"'
    if [ -n "$action" ]; then
        tap "$name: report says 'target unreachable: failure_action $action taken'" \
            jqt 'any(.checks[]; .name == "failure_action" and .ok and
                (.summary == "target unreachable: failure_action " + $a + " taken"))' --arg a "$action"
        if [ "$action" = dump_to_rootfs ]; then
            tap "$name: the dump kept on the rootfs passes the checker" \
                jqt 'any(.checks[]; .name == "vmcore" and .ok)'
        else
            tap "$name: no dump, as the action promises none" jqt '.dump_source == null'
        fi
    else
        tap "$name: the verdict names the $target target and the dated folder" \
            jqt 'any(.checks[]; .name == "kdump-target" and .ok and
                (.summary | startswith($t + " ")) and
                (.summary | test("folder ([^ ]*/[0-9.]+-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}:[0-9]{2}:[0-9]{2}|-)")))' \
                --arg t "$target"
        tap "$name: crash id tagged on the crash kernel's command line came back" \
            jqt 'any(.checks[]; .name == "kdump-target" and (.summary | test("crash id [0-9a-f]{16}")))'
        tap "$name: the checker finds no defect in the fetched dump" \
            jqt 'any(.checks[]; .name == "vmcore" and .ok)'
        tap "$name: kdump's vmcore and the hypervisor's dump agree" \
            jqt 'any(.checks[]; .name == "cross-check" and .ok)'
        vm=$(dump_path kdump)
        tap "$name: the fetched vmcore is mode 0600" mode_is 600 "$vm"
        coll=$(sed -n 's/^core_collector *//p' "$conf")
        case " $coll " in
        *" cp "*) tap "$name: cp gives an ELF vmcore" sh -c "file -b '$vm' | grep -q ELF" ;;
        *" -c "* | *" -l "*) tap "$name: makedumpfile gives a kdump-compressed vmcore" \
            sh -c "head -c 8 '$vm' | grep -q KDUMP" ;;
        esac
        tap "$name: vmcore-dmesg.txt holds the panic" grep -q "sysrq triggered crash" "$WORKDIR/dmesg.txt"
    fi
    # [s]shd: the pattern must not match this sh -c's own command line.
    tap "$name: no domain, QEMU or sshd left behind" \
        sh -c "! pgrep -f '[s]shd.*$WORKDIR' >/dev/null && ! pgrep -f 'guest=dumplab-[0-9]+-[0-9]+-$name,' >/dev/null"
    if [ "$RUN_RC" -eq 0 ] && [ -n "$WORKDIR" ]; then rm -f "$WORKDIR"/*vmcore* "$WORKDIR"/*.img; fi
done
finish
