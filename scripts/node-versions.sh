#!/bin/sh
# npm run test:node-versions [-- majors...] — the test suite under every
# Node line package.json's engines names other than the one running it
# (`npm test` covers that), each against the same N-API build of the addon
# (build/Release) and the same dist/.
#
#   sh scripts/node-versions.sh            every other major in engines.node
#   sh scripts/node-versions.sh 26         only Node 26
#   JEST_ARGS="test/tcp.test.ts" sh scripts/node-versions.sh   a subset
#
# The Node binaries are the official builds the npm registry carries as
# node-linux-<arch>@<version> (their tarball holds bin/node). The newest
# release of each major is looked up at every run and fetched with
# `npm pack` (which checks the registry's integrity hash) into a cache
# outside the tree:
#   ${POSIX_SOCKETS_NODE_CACHE:-~/.cache/posix-sockets-node}/linux-<arch>/<version>/bin/node
# Nothing is kept there that cannot be fetched again: delete it at will.
# Offline, the newest version already in the cache for that major is used.
set -eu
cd "$(dirname "$0")/.."

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) arch=x64 ;;
  Linux-aarch64) arch=arm64 ;;
  *)
    echo "node-versions: skipped, the registry's Node builds used here are Linux x64/arm64 (this is $(uname -s)-$(uname -m))"
    exit 0
    ;;
esac
pkg="node-linux-$arch"
cache="${POSIX_SOCKETS_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/posix-sockets-node}/linux-$arch"
mkdir -p "$cache"

own=$(node -p 'process.versions.node.split(".")[0]')
if [ $# -gt 0 ]; then
  majors="$*"
else
  # Every major engines.node names (`^22.0.0 || ...`), except the running one.
  majors=$(node -e '
    const range = require("./package.json").engines.node;
    const majors = [...range.matchAll(/\^(\d+)\./g)].map((m) => m[1]);
    if (majors.length === 0) throw new Error("engines.node names no ^major: " + range);
    console.log(majors.filter((m) => m !== process.argv[1]).join(" "));' "$own")
fi

# dist/ and build/Release up to date, built by the node that runs the build
# (its headers); the N-API addon then loads in every Node tested.
node scripts/incremental-build.js

# The newest published version of a major; offline, the newest cached one.
resolve() {
  v=$(npm view "$pkg@$1" version --json 2>/dev/null |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const v = [].concat(JSON.parse(s)).filter((x) => /^\d+\.\d+\.\d+$/.test(x));
      const n = (x) => x.split(".").map(Number);
      v.sort((a, b) => { const [p, q] = [n(a), n(b)]; return p[0] - q[0] || p[1] - q[1] || p[2] - q[2]; });
      if (v.length) console.log(v[v.length - 1]);
    })' 2>/dev/null) || v=""
  if [ -z "$v" ]; then
    v=$(ls "$cache" 2>/dev/null | grep "^$1\.[0-9]*\.[0-9]*$" | sort -t. -k2,2n -k3,3n | tail -n 1 || true)
    [ -n "$v" ] && echo "node-versions: registry not reachable, using the cached $pkg@$v" >&2
  fi
  echo "$v"
}

. scripts/npm-fetch.sh
fetch() {
  [ -d "$cache/$1" ] || echo "node-versions: fetching $pkg@$1"
  npm_fetch "$pkg@$1" "$cache/$1" package/bin/node package/LICENSE
}

failed=""
summary=""
for major in $majors; do
  version=$(resolve "$major")
  if [ -z "$version" ]; then
    echo "node-versions: no $pkg@$major on the registry and none cached" >&2
    failed="$failed $major"
    continue
  fi
  fetch "$version"
  bin="$cache/$version/bin"
  got=$("$bin/node" --version)
  [ "$got" = "v$version" ] || { echo "node-versions: $bin/node says $got, not v$version" >&2; exit 1; }
  echo "node-versions: the suite under Node $version"
  started=$(date +%s)
  status=0
  # That node first on PATH: jest, and every `node` the tests spawn, run on it.
  # shellcheck disable=SC2086
  PATH="$bin:$PATH" "$bin/node" node_modules/jest/bin/jest.js ${JEST_ARGS:-} || status=$?
  took=$(( $(date +%s) - started ))
  summary="$summary
  Node $version: $( [ $status = 0 ] && echo passed || echo "FAILED ($status)" ) in ${took} s"
  [ $status = 0 ] || failed="$failed $version"
done

echo "node-versions:$summary"
if [ -n "$failed" ]; then
  echo "node-versions: failed under:$failed" >&2
  exit 1
fi
