// Runs examples and C programs as child processes for the tests, and kills
// whatever is still running after each test.
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

export const root = path.join(__dirname, '..', '..');
export const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

export interface Running {
  proc: ChildProcess;
  /** Resolves once stdout has printed text matching `pattern` (within 20 s). */
  waitFor(pattern: RegExp): Promise<string>;
  /** Resolves when the process exits. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const p of running) p.kill('SIGKILL');
  running.clear();
});

export function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const proc = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (s: string) => void }[] = [];
  proc.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString('latin1');
    for (const w of [...waiters]) {
      if (w.pattern.test(stdout)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(stdout);
      }
    }
  });
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) =>
      proc.on('close', (code, signal) => {
        running.delete(proc);
        resolve({ code, signal, stdout, stderr });
      }),
  );
  return {
    proc,
    done,
    waitFor(pattern) {
      if (pattern.test(stdout)) return Promise.resolve(stdout);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${stdout}; stderr: ${stderr}`)), 20000);
        waiters.push({ pattern, resolve: (s) => (clearTimeout(t), resolve(s)) });
        void done.then(() => reject(new Error(`exited before printing ${pattern}; stdout: ${stdout}; stderr: ${stderr}`)));
      });
    },
  };
}

/** Starts examples/<name>.ts under tsx. */
export function example(name: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Running {
  return start(tsx, [path.join(root, 'examples', `${name}.ts`), ...args], env);
}
