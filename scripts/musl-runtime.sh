# Sourced (POSIX sh) by scripts/test-musl.sh and scripts/test-install.sh:
# a musl runtime with N-API to run the linux-x64 musl prebuild. Sets
# POSIX_SOCKETS_MUSL_RUN to the command that runs a script under it.
#
# It is Bun's musl build (@oven/bun-linux-x64-musl from the npm registry,
# pinned, cached outside the tree and re-fetched when missing): no musl Node
# exists on the npm registry or in Debian. It runs with musl's dynamic linker
# from Debian's musl package. Bun links libstdc++.so.6, which Debian has only
# for glibc: one is linked here for musl from Debian's libstdc++.a with
# scripts/musl-libstdcxx.c. The caller has cd'd to the repository root.

ldso=/lib/ld-musl-x86_64.so.1
musl_libc=/usr/lib/x86_64-linux-musl/libc.so
if [ ! -x "$ldso" ] || [ ! -f "$musl_libc" ]; then echo "musl-runtime: no musl (apt-get install musl)" >&2; exit 1; fi

. scripts/zig-common.sh
bun_version=1.4.5
runtime="${XDG_CACHE_HOME:-$HOME/.cache}/posix-sockets-node/bun-linux-x64-musl-$bun_version"
. scripts/npm-fetch.sh
npm_fetch "@oven/bun-linux-x64-musl@$bun_version" "$runtime/bun"
bun="$runtime/bun/bin/bun"

# libstdc++.so.6 for musl: the members of Debian's static C++ runtime that
# Bun's undefined symbols (less what musl's libc defines) pull in.
lib="$runtime/lib"
rm -rf "$lib"
mkdir -p "$lib"
nm -D --defined-only "$musl_libc" | awk '{print $3}' | sort -u >"$lib/musl.txt"
nm -D --undefined-only "$bun" | awk '{print $2}' | sort -u | comm -23 - "$lib/musl.txt" |
  grep -E '^(_Z|__cxa_|__dynamic_cast|__once_)' | sed 's/^/-Wl,-u,/' >"$lib/undefined.txt"
gcc_file() { g++ -print-file-name="$1"; }
# shellcheck disable=SC2046 # one -Wl,-u,<symbol> per line
"$zig" cc -target x86_64-linux-musl -shared -O1 -o "$lib/libstdc++.so.6" -Wl,-soname,libstdc++.so.6 \
  $(cat "$lib/undefined.txt") scripts/musl-libstdcxx.c \
  -Wl,--whole-archive "$(gcc_file libsupc++.a)" -Wl,--no-whole-archive \
  -Wl,--start-group "$(gcc_file libstdc++.a)" "$(gcc_file libgcc_eh.a)" -Wl,--end-group "$musl_libc"
# Alpine's name for musl's libc, which Bun asks for.
ln -s "$ldso" "$lib/libc.musl-x86_64.so.1"

POSIX_SOCKETS_MUSL_RUN="$(command -v env) LD_LIBRARY_PATH=$lib LIBC=musl $bun"
export POSIX_SOCKETS_MUSL_RUN
