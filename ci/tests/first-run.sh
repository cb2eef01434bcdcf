#!/usr/bin/env bash
# The first `make run` on a fresh machine: the package install must come
# before any compile, and the compiler flags must be read after it. Works on
# a clean copy of the tracked files, so nothing of this checkout's build/
# helps. A fake pkg-config that fails until a stamp file exists plays the
# machine without its -dev packages; DEPS_CMD creates the stamp.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); echo "not ok $n $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }

echo "1..5"
copy=$tmp/clone
mkdir "$copy"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 tar cf - 2>/dev/null) | tar xf - -C "$copy"

# 1: make -n run lists the install step before any compile.
make -n -C "$copy" run >"$tmp/dry" 2>&1
inst=$(grep -n 'ci/install-deps.sh' "$tmp/dry" | head -1 | cut -d: -f1)
comp=$(grep -nE -- ' -c -o [^ ]+\.o ' "$tmp/dry" | head -1 | cut -d: -f1)
check "make -n run lists the install step (line ${inst:-none}) before the first compile (line ${comp:-none})" \
    '[ -n "$inst" ] && [ -n "$comp" ] && [ "$inst" -lt "$comp" ]'

# A machine without the -dev packages: pkg-config fails until "installed".
mkdir "$tmp/bin"
real_pc=$(command -v pkg-config)
cat >"$tmp/bin/pkg-config" <<PC
#!/bin/sh
[ -e "$tmp/installed" ] || exit 1
exec $real_pc "\$@"
PC
chmod +x "$tmp/bin/pkg-config"
export PATH=$tmp/bin:$PATH

# 2-3: plain make without the packages stops before compiling and names the
# command that installs them.
make -C "$copy" BUILD=b b/dumplab >"$tmp/plain" 2>&1
rc=$?
check "plain make without the packages fails (exit $rc)" '[ "$rc" -ne 0 ]'
check "and says to run 'make deps', naming what is missing, without compiling" \
    'grep -q "make deps" "$tmp/plain" && grep -q "glib-2.0" "$tmp/plain" &&
     ! grep -q "glib.h" "$tmp/plain" && [ -z "$(find "$copy/b" -name "*.o" 2>/dev/null)" ]'
sed 's/^/# /' "$tmp/plain" | head -5

# 4-5: the install-then-build path (what make run and make test take) builds
# on the first try, with the flags of the packages just installed.
make -C "$copy" -j2 BUILD=b DEPS_CMD="touch $tmp/installed" BUILD_GOALS=b/dumplab build \
    >"$tmp/build" 2>&1
rc=$?
check "make build (deps, then a new make) succeeds on the first try (exit $rc)" '[ "$rc" -eq 0 ]'
check "and its compiles carry pkg-config's flags" \
    'grep -q -- "-I/usr/include/glib-2.0" "$tmp/build" && [ -x "$copy/b/dumplab" ]'
[ "$rc" -eq 0 ] || tail -5 "$tmp/build" | sed 's/^/# /'
exit 0
