#!/bin/sh
# npm run prebuild — the N-API prebuilds the package ships, cross-compiled on a
# Linux x64 host with the pinned Zig (scripts/zig-common.sh, the toolchain
# compile-macos.sh uses):
#
#   prebuilds/linux-x64/posix-sockets.napi.glibc.node    x86_64-linux-gnu.2.17
#   prebuilds/linux-arm64/posix-sockets.napi.glibc.node  aarch64-linux-gnu.2.17
#   prebuilds/linux-x64/posix-sockets.napi.musl.node     x86_64-linux-musl
#
# The names are what node-gyp-build's parseTags/matchTags read: "napi" (any
# Node with N-API 8), then the libc. node-gyp-build takes musl when
# /etc/alpine-release exists or LIBC=musl, glibc otherwise. glibc 2.17 is the
# oldest glibc Zig targets and older than any distribution Node 20+ runs on
# (Node 22's own binaries need 2.28).
#
# Flags are node-gyp's on Linux (Node's common.gypi: -fPIC -pthread -O3,
# no RTTI; its defines) plus binding.gyp's cflags/cflags_cc, plus -Werror.
# The C++ runtime: Zig links its libc++, libc++abi and libunwind statically,
# and a version script exports only N-API's two entry points, so nothing of
# that runtime is visible to (or bound to) the libstdc++ Node itself loads.
# Each result is checked: no symbol version above GLIBC_2.17, no C++ runtime
# symbol left undefined, nothing exported but the N-API entry points.
#
# Usage: sh scripts/prebuild.sh [linux-x64-glibc] [linux-arm64-glibc] [linux-x64-musl]
# (all three when none is named). Environment: as scripts/zig-common.sh;
# JOBS (parallel compiles, default 2).
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

common="$gyp_cflags_cc -fno-rtti -fPIC -pthread -O3 -fno-omit-frame-pointer
  -Wno-unused-parameter -Werror
  -DNODE_GYP_MODULE_NAME=$gyp_name -DUSING_UV_SHARED=1 -DUSING_V8_SHARED=1
  -DV8_DEPRECATION_WARNINGS=1 -D_FILE_OFFSET_BITS=64 -D_LARGEFILE_SOURCE
  -D__STDC_FORMAT_MACROS -DBUILDING_NODE_EXTENSION $gyp_defines
  -I$addon_api -I$node_inc"

out="${TMPDIR:-/tmp}/posix-sockets-prebuild-$(printf %s "$PWD" | cksum | cut -d' ' -f1)"
rm -rf "$out"
mkdir -p "$out"
# Only what Node's N-API looks up is exported.
printf '{\n  global: napi_register_module_v1; node_api_module_get_api_version_v1;\n  local: *;\n};\n' >"$out/exports.map"

status=0
for t in $targets; do
  case "$t" in
    linux-x64-glibc) zt="x86_64-linux-gnu.$glibc_baseline"; extra=; dir=linux-x64; libc=glibc ;;
    linux-arm64-glibc) zt="aarch64-linux-gnu.$glibc_baseline"; extra=; dir=linux-arm64; libc=glibc ;;
    # musl's CMSG_NXTHDR macro compares signed with unsigned in the
    # caller's code (native/msg.cc): its warning is the header's, not ours.
    linux-x64-musl) zt=x86_64-linux-musl; extra=-Wno-sign-compare; dir=linux-x64; libc=musl ;;
    *) echo "prebuild: unknown target $t" >&2; exit 2 ;;
  esac
  started=$(date +%s)
  mkdir -p "$out/$t"
  failed=0
  # shellcheck disable=SC2086 # $common and $extra are lists of flags
  printf '%s\n' $gyp_sources | xargs -P "${JOBS:-2}" -I{} sh -c '
    src="$1"; shift; obj="$1"; shift
    "$@" -c "$src" -o "$obj/$(basename "$src" .cc).o"' sh {} "$out/$t" \
    "$zig" c++ -target "$zt" $common $extra || failed=1
  node="$out/$t/$gyp_name.node"
  if [ $failed = 0 ]; then
    "$zig" c++ -target "$zt" -shared -pthread -s -Wl,--version-script="$out/exports.map" \
      -o "$node" "$out/$t"/*.o || failed=1
  fi
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
    mkdir -p "prebuilds/$dir"
    cp "$node" "prebuilds/$dir/posix-sockets.napi.$libc.node"
    echo "prebuild: $t ok: prebuilds/$dir/posix-sockets.napi.$libc.node ($(wc -c <"$node") bytes, $(($(date +%s) - started)) s)"
  else
    echo "prebuild: $t FAILED" >&2
    status=1
  fi
done
exit $status
