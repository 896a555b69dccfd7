// Preloaded (node --require) by scripts/test-arm64.sh into the arm64 Node
// that qemu-user runs. This host's kernel cannot exec an arm64 binary itself
// (no binfmt_misc handler is registered, and registering one needs a mount
// the sandbox may not allow), so a test that spawns a child Node
// (process.execPath, directly or as strace's command) would fail with
// ENOEXEC. This runs such a child under the same emulator instead. Only the
// spawning changes: the child is the same arm64 Node with the same
// arguments, and it preloads this file too (NODE_OPTIONS is inherited).
'use strict';
const childProcess = require('node:child_process');

const prefix = (process.env.QEMU_ARM64 || '').split(' ').filter(Boolean);
// Only in the emulated Node: a host (x64) Node that inherits NODE_OPTIONS spawns as usual.
if (prefix.length > 0 && process.arch === 'arm64') {
  /** [command, args] with the emulator put before process.execPath wherever it is the program run. */
  const viaQemu = (command, args) => {
    if (command === process.execPath) return [prefix[0], [...prefix.slice(1), command, ...(args || [])]];
    // strace/sh/unshare … node …: the first argument that is this Node is the program they run.
    const i = Array.isArray(args) ? args.indexOf(process.execPath) : -1;
    if (i >= 0) return [command, [...args.slice(0, i), ...prefix, ...args.slice(i)]];
    return [command, args];
  };
  for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync']) {
    const original = childProcess[name];
    childProcess[name] = function (command, args, ...rest) {
      if (!Array.isArray(args)) return original.call(this, command, args, ...rest);
      const [c, a] = viaQemu(command, args);
      return original.call(this, c, a, ...rest);
    };
  }
}
