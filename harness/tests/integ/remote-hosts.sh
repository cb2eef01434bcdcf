# Sourced by the --connect tests: two libvirt hosts on this machine that
# share nothing with the machine's own libvirtd or with each other. Each is
# a privileged libvirtd in its own mount namespace whose /run/libvirt,
# /var/lib/libvirt, /var/cache/libvirt, /var/log/libvirt and /etc/libvirt
# are private folders (its domains, pools and volumes are invisible from
# outside), with its sockets in a folder of ours. Host 2 is reached through
# qemu+ssh:// to an sshd of ours on 127.0.0.1 with keys made for the test.
#
#   remote_hosts_start DIR   sets URI1 (qemu+unix) and URI2 (qemu+ssh)
#   remote_hosts_stop        ends the daemons it started (by their pids)

remote_host_start() { # remote_host_start DIR NAME
    local d=$1/$2
    mkdir -p "$d"/{run,lib,cache,log,etc/qemu,sock}
    chmod 700 "$d"
    cat >"$d/libvirtd.conf" <<CONF
unix_sock_dir = "$d/sock"
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
listen_tls = 0
listen_tcp = 0
log_outputs = "3:file:$d/libvirtd.log"
CONF
    # QEMU's stdout and stderr go to files: no virtlogd in the namespace.
    printf 'stdio_handler = "file"\n' >"$d/etc/qemu.conf"
    unshare -m --propagation private -- bash -c '
        d=$1
        mount --bind "$d/run" /run/libvirt &&
        mount --bind "$d/lib" /var/lib/libvirt &&
        mount --bind "$d/cache" /var/cache/libvirt &&
        mount --bind "$d/log" /var/log/libvirt &&
        mount --bind "$d/etc" /etc/libvirt &&
        exec libvirtd --config "$d/libvirtd.conf" --pid-file "$d/libvirtd.pid"' _ "$d" \
        >"$d/stdout" 2>&1 &
    echo $! >"$d/pid"
    local i
    for i in $(seq 1 120); do
        virsh -c "qemu+unix:///system?socket=$d/sock/libvirt-sock" -q version >/dev/null 2>&1 &&
            return 0
        sleep 0.5
    done
    echo "# $2: libvirtd did not answer within 60 s"; sed 's/^/# /' "$d/stdout" | tail -5
    return 1
}

remote_sshd_start() { # remote_sshd_start DIR PORT
    local d=$1/ssh
    mkdir -p "$d" /run/sshd
    chmod 700 "$d"
    ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" </dev/null
    ssh-keygen -q -t ed25519 -N '' -f "$d/id_ed25519" </dev/null
    cp "$d/id_ed25519.pub" "$d/authorized_keys"
    cat >"$d/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $2
HostKey $d/host_key
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $d/sshd.pid
CONF
    /usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
    local i
    for i in $(seq 1 40); do
        [ -s "$d/sshd.pid" ] && return 0
        sleep 0.25
    done
    echo "# sshd did not start"; tail -5 "$d/sshd.log" | sed 's/^/# /'
    return 1
}

remote_hosts_start() {
    REMOTE_DIR=$1
    local port=$((20000 + $$ % 20000))
    remote_host_start "$REMOTE_DIR" host1 && remote_host_start "$REMOTE_DIR" host2 &&
        remote_sshd_start "$REMOTE_DIR" "$port" || return 1
    URI1="qemu+unix:///system?socket=$REMOTE_DIR/host1/sock/libvirt-sock"
    URI2="qemu+ssh://root@127.0.0.1:$port/system?socket=$REMOTE_DIR/host2/sock/libvirt-sock&keyfile=$REMOTE_DIR/ssh/id_ed25519&no_verify=1&no_tty=1&proxy=netcat"
}

remote_hosts_stop() {
    local f pid
    for f in "$REMOTE_DIR"/host1/libvirtd.pid "$REMOTE_DIR"/host2/libvirtd.pid "$REMOTE_DIR"/ssh/sshd.pid; do
        [ -s "$f" ] || continue
        pid=$(cat "$f")
        kill "$pid" 2>/dev/null
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    done
}
