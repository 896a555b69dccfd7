#!/bin/sh
# The linux-x64 musl prebuild, run on musl: scripts/prebuild-smoke.js under
# Bun's musl build (scripts/musl-runtime.sh says why Bun and how). Bun
# implements N-API but not libuv's uv_poll, so the promise calls are skipped
# there (the smoke names each); module init, the blocking calls, errno
# errors, fd passing, typed options, the threadpool lookups and C++
# exceptions run against musl's libc.
set -eu
cd "$(dirname "$0")/.."

node_file=prebuilds/linux-x64/posix-sockets.musl.node
if [ ! -f "$node_file" ]; then echo "test-musl: no $node_file (npm run prebuild)" >&2; exit 1; fi
. scripts/musl-runtime.sh
# shellcheck disable=SC2086 # the command with its environment
PREBUILDS_ONLY=1 $POSIX_SOCKETS_MUSL_RUN scripts/prebuild-smoke.js
