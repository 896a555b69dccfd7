#!/bin/sh
# The consumer's install, proven: `npm pack`, then the tarball installed into
# a fresh project by an npm whose PATH has node, npm and sh, nothing else (no
# cc/gcc/g++/make/python3, and no Node headers), once with its install script
# and once with --ignore-scripts; each then runs the echo example and the core
# calls (scripts/prebuild-smoke.js) from the installed package. Only the npm
# registry is reached (node-addon-api, node-gyp-build), through npm's cache.
#
# Needs the prebuild for this host in prebuilds/ (npm run prebuild) and dist/.
# Environment: POSIX_SOCKETS_ARM64_NODE and QEMU_ARM64 (see below), optional.
# On a Linux x64 host with Debian's musl, the installed tree is also run on
# musl (scripts/musl-runtime.sh).
set -eu
cd "$(dirname "$0")/.."

if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] && [ -x /lib/ld-musl-x86_64.so.1 ]; then
  . scripts/musl-runtime.sh
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/posix-sockets-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT

tarball="$(npm pack --silent --pack-destination "$work" 2>/dev/null | tail -1)"
tarball="$work/$tarball"
echo "test-install: $(basename "$tarball") $(wc -c <"$tarball") bytes"
listing="$(tar tzf "$tarball")"
for f in prebuilds/linux-x64/posix-sockets.glibc.node prebuilds/linux-x64/posix-sockets.musl.node \
  prebuilds/linux-arm64/posix-sockets.glibc.node dist/index.js; do
  if ! printf '%s\n' "$listing" | grep -qx "package/$f"; then
    echo "test-install: the tarball lacks $f" >&2
    exit 1
  fi
done

# A PATH with node, npm and sh (npm runs install scripts with it) only.
mkdir -p "$work/bin" "$work/home"
ln -s "$(command -v node)" "$work/bin/node"
ln -s "$(command -v npm)" "$work/bin/npm"
ln -s "$(command -v sh)" "$work/bin/sh"
for tool in cc gcc g++ c++ clang make python3 python; do
  if PATH="$work/bin" command -v "$tool" >/dev/null 2>&1; then
    echo "test-install: $tool is on the restricted PATH" >&2
    exit 1
  fi
done
cache="$(npm config get cache)"
bare() {
  # The machine's environment less everything but what npm needs to reach
  # the registry: no nodedir, no compiler variables.
  env -i PATH="$work/bin" HOME="$work/home" npm_config_cache="$cache" \
    ${http_proxy:+http_proxy="$http_proxy"} ${https_proxy:+https_proxy="$https_proxy"} \
    ${HTTP_PROXY:+HTTP_PROXY="$HTTP_PROXY"} ${HTTPS_PROXY:+HTTPS_PROXY="$HTTPS_PROXY"} \
    ${no_proxy:+no_proxy="$no_proxy"} ${NO_PROXY:+NO_PROXY="$NO_PROXY"} "$@"
}

# The echo example (examples/echo.ts, which a test keeps equal to the README's),
# as a consumer's CommonJS program: its types stripped by the repository's
# TypeScript, its import pointed at the installed package.
node -e '
  const ts = require("typescript");
  const src = require("fs").readFileSync("examples/echo.ts", "utf8").replace(/from \x27\.\.\/lib\x27/, "from \x27posix-sockets\x27");
  if (!src.includes("from \x27posix-sockets\x27")) throw new Error("examples/echo.ts no longer imports ../lib");
  process.stdout.write(ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
' >"$work/echo.js"

status=0
for mode in scripts ignore-scripts; do
  app="$work/app-$mode"
  mkdir -p "$app"
  printf '{ "name": "app-%s", "version": "1.0.0", "private": true }\n' "$mode" >"$app/package.json"
  flags="--no-audit --no-fund --loglevel=error"
  [ $mode = ignore-scripts ] && flags="$flags --ignore-scripts"
  started=$(date +%s)
  # shellcheck disable=SC2086 # $flags is a list of options
  if ! (cd "$app" && bare npm install $flags "$tarball"); then
    echo "test-install: $mode: npm install failed" >&2
    status=1
    continue
  fi
  pkg="$app/node_modules/posix-sockets"
  if [ -e "$pkg/build" ]; then
    echo "test-install: $mode: the install compiled (build/ exists): no prebuild was taken" >&2
    status=1
  fi
  cp "$work/echo.js" "$app/echo.js"
  out="$(cd "$app" && bare node echo.js)" || status=1
  printf '%s\n' "$out" | sed "s/^/test-install: $mode: /"
  if ! printf '%s\n' "$out" | grep -qF 'client: echoed "hello, kernel\n"'; then
    echo "test-install: $mode: the echo example did not echo" >&2
    status=1
  fi
  (cd "$app" && bare node "$OLDPWD/scripts/prebuild-smoke.js" "$pkg") || status=1
  # The learners' bin, as `npx posix-sockets` runs it in the project: a line
  # typed into the REPL comes back traced (the trace is on stderr).
  trace="$(cd "$app" && printf 's = socket(AF_INET, SOCK_STREAM)\nclose(s)\n.exit\n' |
    bare npm exec --offline --no -- posix-sockets 2>&1 >/dev/null)" || status=1
  if printf '%s\n' "$trace" | grep -qE '^socket\(AF_INET, SOCK_STREAM\|SOCK_CLOEXEC, 0\) = [0-9]+$'; then
    echo "test-install: $mode: npx posix-sockets traced socket()"
  else
    printf '%s\n' "$trace" >&2
    echo "test-install: $mode: npx posix-sockets did not trace socket()" >&2
    status=1
  fi
  # The same installed tree on linux-arm64, when .ci/run hands over an arm64
  # Node and its qemu-user command (QEMU_ARM64="qemu-aarch64 -L <sysroot>").
  if [ -n "${POSIX_SOCKETS_ARM64_NODE:-}" ]; then
    # shellcheck disable=SC2086 # $QEMU_ARM64 is a command with its options
    (cd "$app" && bare $QEMU_ARM64 "$POSIX_SOCKETS_ARM64_NODE" "$OLDPWD/scripts/prebuild-smoke.js" "$pkg") || status=1
  fi
  # And on musl: the same tree, the musl prebuild chosen at load (LIBC=musl,
  # as on Alpine), under Bun's musl build (no musl Node exists).
  if [ -n "${POSIX_SOCKETS_MUSL_RUN:-}" ]; then
    # shellcheck disable=SC2086 # the command with its environment
    (cd "$app" && bare $POSIX_SOCKETS_MUSL_RUN "$OLDPWD/scripts/prebuild-smoke.js" "$pkg") || status=1
  fi
  echo "test-install: $mode: installed and ran in $(($(date +%s) - started)) s"
done
[ $status = 0 ] && echo "test-install: ok"
exit $status
