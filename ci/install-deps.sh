#!/usr/bin/env bash
# Installs the host packages listed in ci/packages.txt that are missing.
# Quick when everything is there: it asks dpkg first and runs apt-get only
# for what is absent.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
missing=()
while read -r pkg; do
    case $pkg in ''|'#'*) continue ;; esac
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done <"$here/packages.txt"
[ ${#missing[@]} -eq 0 ] && exit 0
echo "dumplab: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "dumplab: need root to install packages: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
