#!/bin/bash
# dumplab run --connect: scenarios sharded over two libvirt hosts that
# share nothing with this machine's libvirtd (remote-hosts.sh), the second
# reached through qemu+ssh on 127.0.0.1. Images go up and dumps come back
# as storage volumes only: the hosts' pools are in their private
# /var/lib/libvirt. Prints the figures for 1 and 2 connections when
# CONNECT_BENCH=1 (then the same two scenarios also run over one).
. "$(dirname "$0")/lib.sh"
# Two guests at once on a shared 2-core machine: each phase may take several
# times its usual time. The test judges function, not speed.
export DUMPLAB_TIMEOUT_SCALE=${DUMPLAB_TIMEOUT_SCALE:-3}
. "$(dirname "$0")/remote-hosts.sh"
for p in unshare libvirtd /usr/sbin/sshd nc ssh-keygen; do
    command -v "$p" >/dev/null || { echo "1..0 # SKIP no $p (openssh-server, netcat-openbsd, libvirt-daemon-system)"; exit 0; }
done
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (private libvirtds in mount namespaces)"; exit 0; }
mkdir -p "$RUNS"
R=$(mktemp -d /var/tmp/dumplab-remote.XXXXXX)
trap 'remote_hosts_stop; rm -rf "$R"' EXIT
if ! remote_hosts_start "$R"; then
    echo "not ok 1 two private libvirt hosts start"
    echo "1..1"
    exit 1
fi
tap "two private libvirt hosts answer, one through qemu+ssh" \
    eval 'virsh -c "$URI1" -q version && virsh -c "$URI2" -q version'

# batch NAME URIS: runs default and nmi over URIS; sets DIRS, WALL, OUT.
batch() {
    local runs
    runs=$(mktemp -d "$RUNS/connect-$1.XXXXXX")
    RUNS_MADE+=("$runs")
    OUT=$runs.out
    local t0=$SECONDS
    "$DUMPLAB" run --runs-dir "$runs" --connect "$2" \
        "$ROOT/harness/tests/data/scenarios/busy-sysrq.scn" "$ROOT/harness/tests/data/scenarios/busy-nmi.scn" >"$OUT" 2>&1
    RC=$?
    WALL=$((SECONDS - t0))
    sed 's/^/# /' "$OUT"
    echo "# --connect over $1 took $WALL s, exit status $RC"
    mapfile -t DIRS < <(find "$runs" -mindepth 1 -maxdepth 1 -type d ! -name '*-catalog-*' | sort)
}

batch two "$URI1,$URI2"
tap "--connect URI1,URI2: exit 0, both runs as expected" test "$RC" -eq 0
both_pass() { [ "${#DIRS[@]}" -eq 2 ] || return 1; local d; for d in "${DIRS[@]}"; do jq -e '.verdict == "PASS"' "$d/report.json" || return 1; done; }
tap "both runs PASS with every check (checker, referee, registers, cross-check)" both_pass
hosts_differ() {
    local a b
    a=$(jq -r .host "${DIRS[0]}/report.json"); b=$(jq -r .host "${DIRS[1]}/report.json")
    echo "# $a"; echo "# $b"
    [ "${a%% *}" != "${b%% *}" ] && { [[ $a == qemu+ssh* ]] || [[ $b == qemu+ssh* ]]; }
}
tap "one run on each host, one of them through qemu+ssh" hosts_differ
tap "the images went up as volumes and the dumps came back (transfer figures in report.json)" \
    eval 'jq -e ".host | test(\"uploaded [1-9][0-9]* MiB.*downloaded [1-9][0-9]* MiB\")" "${DIRS[0]}/report.json"'
tap "the vmcores are here, 0600" eval 'mode_is 600 "${DIRS[0]}/vmcore" && mode_is 600 "${DIRS[1]}/hv.vmcore"'
none_left() {
    local u
    for u in "$URI1" "$URI2"; do
        [ -z "$(virsh -c "$u" -q list --all --name)" ] || return 1
        [ -z "$(virsh -c "$u" -q vol-list dumplab 2>/dev/null)" ] || return 1
    done
}
tap "no domain and no volume is left on either host" none_left
tap "the hosts' pools were private (nothing of theirs in this machine's /var/lib/libvirt)" \
    test ! -e /var/lib/libvirt/dumplab -o -z "$(ls -A /var/lib/libvirt/dumplab 2>/dev/null)"
tap "dispatch overhead is reported" grep -q 'dispatch to first worker line' "$OUT"
if [ -n "${CONNECT_BENCH:-}" ]; then
    wall2=$WALL
    batch one "$URI2"
    tap "--connect URI2 alone: both runs as expected" test "$RC" -eq 0
    echo "# figures: 2 runs over 1 connection $WALL s, over 2 connections $wall2 s"
fi
rm -f "${DIRS[@]/%//vmcore}" "${DIRS[@]/%//hv.vmcore}"
finish
