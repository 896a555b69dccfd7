#!/bin/sh
# npm run compile:macos — the addon compiled and linked for macOS, x86_64 and
# arm64, against the macOS SDK headers that Zig bundles, on a Linux x64 host.
# Nothing is run: this proves the sources build on macOS, not that they work.
#
# Flags are those node-gyp's Xcode emulation makes on a Mac from binding.gyp
# (sources, defines, xcode_settings) and Node's common.gypi, plus -Werror:
# the sources build clean with -Wall -Wextra -Werror on Linux gcc too.
#
# The link has no -undefined dynamic_lookup first, so the linker lists every
# symbol that macOS's libSystem does not have: anything but Node's own
# napi_*/uv_* and the C++ runtime's fails. Then it links for real with
# dynamic_lookup, as node-gyp does. The C++ runtime is left out of both
# (-nostdlib++): on a Mac it is the system's libc++ dylib, and building Zig's
# copy would add three minutes to a cold run.
#
# The toolchain, binding.gyp and the headers: scripts/zig-common.sh.
set -eu
cd "$(dirname "$0")/.."

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "compile-macos: needs a Linux x86_64 host (the pinned Zig is built for it); on a Mac, npx node-gyp rebuild" >&2
  exit 2
fi

. scripts/zig-common.sh
echo "compile-macos: zig $("$zig" version)"

# node-gyp's and common.gypi's part: Release is -O3; RTTI is off; the
# defines node-gyp adds to every addon on a Mac.
common="-std=$gyp_std $gyp_exceptions -fno-rtti $gyp_visibility -fno-strict-aliasing -O3
  $gyp_warnings -Wall -Wextra -Werror
  -DNODE_GYP_MODULE_NAME=$gyp_name -DUSING_UV_SHARED=1 -DUSING_V8_SHARED=1
  -DV8_DEPRECATION_WARNINGS=1 -D_DARWIN_USE_64_BIT_INODE=1 -D_LARGEFILE_SOURCE
  -D_FILE_OFFSET_BITS=64 -DBUILDING_NODE_EXTENSION $gyp_defines
  -I$addon_api -I$node_inc"

# One output directory per checkout: two checkouts compiling at once must
# not link each other's objects.
out="${TMPDIR:-/tmp}/posix-sockets-macos-$(printf %s "$PWD" | cksum | cut -d' ' -f1)"
rm -rf "$out"
status=0
for arch in x86_64 aarch64; do
  # Apple silicon starts at macOS 11: Xcode's clang raises an older
  # deployment target to it for arm64 the same way.
  min="$gyp_min"
  [ "$arch" = aarch64 ] && min=11.0
  target="$arch-macos.$min"
  mkdir -p "$out/$arch"
  started=$(date +%s)
  failed=0
  for src in $gyp_sources; do
    obj="$out/$arch/$(basename "$src" .cc).o"
    # shellcheck disable=SC2086 # $common is a list of flags
    "$zig" c++ -target "$target" $common -c "$src" -o "$obj" || failed=1
  done
  if [ $failed = 0 ]; then
    # Without dynamic_lookup, every symbol not found is listed. Node provides
    # napi_*/uv_* when it loads the addon; libc++/libc++abi provide std::
    # (mangled St), operator new/delete, typeinfo vtables, __cxa_*, _Unwind_*.
    "$zig" c++ -target "$target" -shared -nostdlib++ -o "$out/$arch/check.node" "$out/$arch"/*.o >"$out/$arch/link.log" 2>&1 || true
    foreign="$(sed -n 's/^error: undefined symbol: //p' "$out/$arch/link.log" |
      grep -v -E '^_(napi|uv)_|^__Z(N?K?St|T[VIS]St|T[VIS]N10__cxxabiv|nw|na|dl|da)|^___cxa_|^___gxx_personality|^__Unwind_' || true)"
    if [ -n "$foreign" ]; then
      echo "compile-macos: $target: symbols macOS does not have:" >&2
      echo "$foreign" >&2
      failed=1
    elif ! "$zig" c++ -target "$target" -shared -nostdlib++ -Wl,-undefined,dynamic_lookup -o "$out/$arch/$gyp_name.node" "$out/$arch"/*.o; then
      failed=1
    fi
  fi
  if [ $failed = 0 ]; then
    echo "compile-macos: $target ok: $out/$arch/$gyp_name.node ($(($(date +%s) - started)) s)"
  else
    echo "compile-macos: $target FAILED" >&2
    status=1
  fi
done
exit $status
