// Runs a scenario that could crash or hang the process (a libuv abort(), an
// uncaught exception thrown from a readiness callback, a worker's teardown)
// in a spawned node, so a failure shows up as a failed test rather than a
// dead test runner. The script sees `P` (the built package, dist/), `fs`,
// `os`, `path`, and `tmp(name)`: a path in the OS temp dir unique to the run.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const dist = path.join(__dirname, '..', '..', 'dist');

export interface ChildResult {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `body` in a new node process and returns how it ended. A hang is
 * ended by `killAfterMs` (SIGTERM): the test then sees signal 'SIGTERM'.
 * The trace environment variable is cleared so the child's stderr is its own.
 */
export function runChild(body: string, killAfterMs = 15000, prefix: readonly string[] = []): ChildResult {
  const script =
    `const P = require(${JSON.stringify(dist)});\n` +
    `const fs = require('node:fs'), os = require('node:os'), path = require('node:path');\n` +
    `const tmp = (name) => path.join(os.tmpdir(), 'posix-sockets-' + process.pid + '-' + name);\n` +
    body;
  const env = { ...process.env };
  delete env.POSIX_SOCKETS_TRACE;
  // `prefix` runs node under another command: ['unshare', '-n'] for a network namespace of its own.
  const [cmd, ...args] = [...prefix, process.execPath, '-e', script];
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: killAfterMs, env });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The last line of stdout parsed as JSON (the scenario's report). */
export function report(r: ChildResult): any {
  const lines = r.stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    throw new Error(`no JSON report from the child: status ${r.status}, signal ${r.signal}\n${r.stdout}\n${r.stderr}`);
  }
}

/**
 * Why a test cannot run in a network namespace of its own here (`unshare -n`
 * needs CAP_SYS_ADMIN and the `ip` tool), or undefined when it can.
 */
export function netnsUnavailable(): string | undefined {
  const r = spawnSync('unshare', ['-n', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (r.error) return `unshare or ip is missing (${r.error.message})`;
  if (r.status !== 0) return `unshare -n failed: ${r.stderr.trim()}`;
  return undefined;
}
