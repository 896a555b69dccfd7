#!/bin/sh
# npm run test:asan — the addon built with -fsanitize=address,undefined, and
# the test suite (or the jest arguments given) run against it; then the
# normal build is put back. Linux with gcc (libasan) only.
#
# Node itself is not instrumented, so the ASan runtime is preloaded, and leak
# detection is off: LeakSanitizer would report V8's and Node's own
# allocations at exit. The fd and memory leak checks are test/leaks.test.ts.
set -eu
cd "$(dirname "$0")/.."
POSIX_SOCKETS_SANITIZE=1 npx node-gyp rebuild >/dev/null
status=0
LD_PRELOAD="$(gcc -print-file-name=libasan.so)" \
ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1" \
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
POSIX_SOCKETS_SANITIZED=1 \
  npx jest "$@" || status=$?
npx node-gyp rebuild >/dev/null
exit $status
