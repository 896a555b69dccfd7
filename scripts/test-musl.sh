#!/bin/sh
# The linux-x64 musl prebuild on a glibc host, as far as it can run here:
# loaded by musl's dynamic linker (Debian's musl package) through
# scripts/musl-load.c. No musl Node exists on the npm registry or in Debian
# (and Bun's musl build needs a musl libstdc++ Debian does not have), so
# N-API module init and the socket calls on musl are NOT run: this proves the
# addon links against musl's libc and its C++ runtime starts, nothing more.
set -eu
cd "$(dirname "$0")/.."

node_file=prebuilds/linux-x64/posix-sockets.napi.musl.node
ldso=/lib/ld-musl-x86_64.so.1
if [ ! -f "$node_file" ]; then echo "test-musl: no $node_file (npm run prebuild)" >&2; exit 1; fi
if [ ! -x "$ldso" ] || [ ! -f /usr/lib/x86_64-linux-musl/libc.so ]; then echo "test-musl: no musl runtime (apt-get install musl)" >&2; exit 1; fi

. scripts/zig-common.sh
work="$(mktemp -d "${TMPDIR:-/tmp}/posix-sockets-musl.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Stand-ins for what Node provides: every napi_*/uv_* the addon imports.
nm -D --undefined-only "$node_file" | awk '{print $2}' | grep -E '^(napi|node_api|uv)_' |
  sed 's/.*/int &(void) { return 0; }/' >"$work/stubs.c"
# Linked against Debian's musl libc.so, so the run binds the addon to that
# musl (1.2.3), not to Zig's; Zig alone would make a static, dlopen-less exe.
"$zig" cc -target x86_64-linux-musl -rdynamic -O1 -Wl,-dynamic-linker,"$ldso" -o "$work/musl-load" \
  scripts/musl-load.c "$work/stubs.c" /usr/lib/x86_64-linux-musl/libc.so
"$work/musl-load" "$PWD/$node_file"
echo "test-musl: not run: N-API init and the calls under a musl Node (none can be had here)"
