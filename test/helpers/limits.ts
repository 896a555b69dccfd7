// File-descriptor limits, for the tests that need many fds at once: where the
// environment cannot give them, the test is skipped, and says why (in its
// name and on the console) rather than failing with EMFILE.
import { execFileSync } from 'node:child_process';

export interface FdLimits {
  /** RLIMIT_NOFILE soft limit of this process (Infinity when unlimited). */
  soft: number;
  /** RLIMIT_NOFILE hard limit: how far any process started from here may raise its soft limit. */
  hard: number;
}

/** This process's RLIMIT_NOFILE, as `ulimit` reads it (a child shell inherits it), on Linux and macOS. */
export function fdLimits(): FdLimits {
  const out = execFileSync('sh', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' });
  const [soft, hard] = out.trim().split('\n').map((l) => (l.trim() === 'unlimited' ? Infinity : Number(l)));
  return { soft, hard };
}

/**
 * `test`, or `test.skip` with the reason when fewer than `needed` fds may be
 * open at once in one process. `which` is the limit that applies: 'soft' for
 * fds opened in the jest worker itself, 'hard' for a spawned node process
 * (node raises its soft limit to the hard one at startup).
 */
export function testNeedingFds(
  needed: number,
  which: keyof FdLimits,
  name: string,
  fn: jest.ProvidesCallback,
  timeout?: number,
): void {
  const limit = fdLimits()[which];
  if (limit >= needed) {
    test(name, fn, timeout);
    return;
  }
  const reason = `needs ${needed} fds in one process, but the ${which} RLIMIT_NOFILE is ${limit} (ulimit -${which === 'soft' ? 'S' : 'H'}n)`;
  // Straight to stderr: jest drops the console output of a file whose tests were all skipped.
  process.stderr.write(`skipped "${name}": ${reason}\n`);
  test.skip(`${name} [skipped: ${reason}]`, fn, timeout);
}
