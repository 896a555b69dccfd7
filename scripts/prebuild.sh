#!/bin/sh
# npm run prebuild — the N-API prebuilds the package ships, made by
# prebuildify (node-gyp on binding.gyp, so the flags are node-gyp's and
# binding.gyp's, with -Werror) with the pinned Zig as the cross compiler
# (CC/CXX; scripts/zig-common.sh, the toolchain compile-macos.sh uses), on a
# Linux x64 host:
#
#   prebuilds/linux-x64/posix-sockets.glibc.node    x86_64-linux-gnu.2.17
#   prebuilds/linux-arm64/posix-sockets.glibc.node  aarch64-linux-gnu.2.17
#   prebuilds/linux-x64/posix-sockets.musl.node     x86_64-linux-musl
#
# The names are prebuildify's for `--napi --tag-libc` and what node-gyp-build's
# parseTags/matchTags read: no ABI tag (any Node with N-API 8), then the libc.
# node-gyp-build takes musl when /etc/alpine-release exists or LIBC=musl,
# glibc otherwise. glibc 2.17 is the oldest glibc Zig targets and older than
# any distribution Node 20+ runs on (Node 22's own binaries need 2.28).
#
# The C++ runtime: Zig links its libc++, libc++abi and libunwind statically,
# and a version script exports only N-API's two entry points, so nothing of
# that runtime is visible to (or bound to) the libstdc++ Node itself loads.
# Each result is checked: no symbol version above GLIBC_2.17, no C++ runtime
# symbol left undefined, nothing exported but the N-API entry points.
#
# Usage: sh scripts/prebuild.sh [linux-x64-glibc] [linux-arm64-glibc] [linux-x64-musl]
# (all three when none is named). Environment: as scripts/zig-common.sh;
# JOBS (node-gyp's parallel compiles, default 2).
set -eu
cd "$(dirname "$0")/.."

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "prebuild: needs a Linux x86_64 host (the pinned Zig is built for it)" >&2
  exit 2
fi

. scripts/zig-common.sh
echo "prebuild: zig $("$zig" version)"

targets="${*:-linux-x64-glibc linux-arm64-glibc linux-x64-musl}"
glibc_baseline=2.17

out="${TMPDIR:-/tmp}/posix-sockets-prebuild-$(printf %s "$PWD" | cksum | cut -d' ' -f1)"
rm -rf "$out"
mkdir -p "$out"
# node-gyp builds in the directory it is given (build/), so prebuildify runs
# in a copy of what it reads, leaving this checkout's build/Release alone.
mkdir -p "$out/src"
cp -R package.json binding.gyp native "$out/src/"
ln -s "$PWD/node_modules" "$out/src/node_modules"
# node-gyp must not download headers: the ones zig-common.sh found.
npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$node_inc")")}"
export npm_config_nodedir
# Only what Node's N-API looks up is exported.
printf '{\n  global: napi_register_module_v1; node_api_module_get_api_version_v1;\n  local: *;\n};\n' >"$out/exports.map"

status=0
for t in $targets; do
  case "$t" in
    linux-x64-glibc) zt="x86_64-linux-gnu.$glibc_baseline"; extra=; arch=x64; libc=glibc ;;
    linux-arm64-glibc) zt="aarch64-linux-gnu.$glibc_baseline"; extra=; arch=arm64; libc=glibc ;;
    # musl's CMSG_NXTHDR macro compares signed with unsigned in the
    # caller's code (native/msg.cc): its warning is the header's, not ours.
    linux-x64-musl) zt=x86_64-linux-musl; extra=-Wno-sign-compare; arch=x64; libc=musl ;;
    *) echo "prebuild: unknown target $t" >&2; exit 2 ;;
  esac
  started=$(date +%s)
  failed=0
  # -s strips at link time (prebuildify's --strip would run the host's strip,
  # which cannot read an arm64 object).
  (cd "$out/src" && rm -rf build &&
    CC="$zig cc -target $zt" CXX="$zig c++ -target $zt" CXXFLAGS="-Werror $extra" \
      LDFLAGS="-s -Wl,--version-script=$out/exports.map" PREBUILD_LIBC=$libc JOBS="${JOBS:-2}" \
      npx --no-install prebuildify --napi --tag-libc --arch "$arch" --out "$out/$t" >"$out/$t.log" 2>&1) ||
    { failed=1; cat "$out/$t.log" >&2; }
  node="$out/$t/prebuilds/linux-$arch/posix-sockets.$libc.node"
  if [ $failed = 0 ]; then
    # What the dynamic linker will have to find: N-API and libuv from Node,
    # the rest from libc, nothing from a C++ runtime.
    exported="$(nm -D --defined-only "$node" | awk '{print $3}' | sort | tr '\n' ' ')"
    if [ "$exported" != "napi_register_module_v1 node_api_module_get_api_version_v1 " ]; then
      echo "prebuild: $t exports more than N-API's entry points: $exported" >&2
      failed=1
    fi
    cxx="$(nm -D --undefined-only "$node" | awk '{print $2}' | grep -E '^_Z|^__cxa_|^__gxx_|^_Unwind_' || true)"
    if [ -n "$cxx" ]; then
      echo "prebuild: $t needs C++ runtime symbols:" $cxx >&2
      failed=1
    fi
    if [ $libc = glibc ]; then
      newest="$(objdump -T "$node" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
      if [ "$(printf '%s\n%s\n' "$newest" "$glibc_baseline" | sort -V | tail -1)" != "$glibc_baseline" ]; then
        echo "prebuild: $t needs GLIBC_$newest, above the $glibc_baseline baseline:" >&2
        objdump -T "$node" | grep "GLIBC_$newest" >&2
        failed=1
      fi
      echo "prebuild: $t newest glibc symbol version: GLIBC_$newest"
    else
      # musl is linked dynamically (Node's own libc), never a static copy.
      needed="$(readelf -d "$node" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
      case "$needed" in
        *libc.so*) echo "prebuild: $t needs: $needed" ;;
        *) echo "prebuild: $t does not link musl's libc.so dynamically (NEEDED: $needed)" >&2; failed=1 ;;
      esac
    fi
  fi
  if [ $failed = 0 ]; then
    mkdir -p "prebuilds/linux-$arch"
    cp "$node" "prebuilds/linux-$arch/posix-sockets.$libc.node"
    echo "prebuild: $t ok: prebuilds/linux-$arch/posix-sockets.$libc.node ($(wc -c <"$node") bytes, $(($(date +%s) - started)) s)"
  else
    echo "prebuild: $t FAILED" >&2
    status=1
  fi
done
exit $status
