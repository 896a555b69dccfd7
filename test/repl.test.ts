// The learners' REPL (dist/repl.js: `npm run repl`, the `posix-sockets`
// bin): driven through its stdin one line at a time, it must show the
// traced system calls and the kernel's answers.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unusedPort } from './helpers/sockets';

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

let proc: ChildProcess | undefined;
afterEach(() => {
  proc?.kill('SIGKILL');
  proc = undefined;
});

/** Starts the REPL with piped stdio; `until` waits for text on stdout+stderr (both, as a terminal shows them). */
function startRepl(script: string, args: string[] = []) {
  const env = { ...process.env };
  delete env.POSIX_SOCKETS_TRACE;
  const p = spawn(process.execPath, [script, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  proc = p;
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  p.stdout!.on('data', (d: Buffer) => ((out += d.toString()), poke()));
  p.stderr!.on('data', (d: Buffer) => ((err += d.toString()), poke()));
  const exited = new Promise<number | null>((resolve) => p.on('close', (code) => (poke(), resolve(code))));
  const until = (where: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const look = () => {
        const m = pattern.exec(where === 'stdout' ? out : err);
        if (m) return resolve(m);
        if (p.exitCode !== null) return reject(new Error(`the REPL exited before ${pattern}:\n${out}\n${err}`));
        waiters.push(look);
      };
      look();
    });
  const type = (line: string) => p.stdin!.write(line + '\n');
  return { until, type, exited, output: () => ({ out, err }) };
}

test('package.json: `npm run repl` and the posix-sockets bin run dist/repl.js, which starts with a shebang', () => {
  expect(pkg.bin).toEqual({ 'posix-sockets': 'dist/repl.js' });
  expect(pkg.scripts.repl).toBe('node dist/repl.js');
  expect(fs.readFileSync(path.join(root, 'dist', 'repl.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
});

test('every export in scope, tracing on, top-level await: socket() is traced and a refused connect shows ECONNREFUSED', async () => {
  const r = startRepl(path.join(root, pkg.bin['posix-sockets']));
  await r.until('stdout', /Try: s = socket\(AF_INET, SOCK_STREAM\)/);
  r.type('s = socket(AF_INET, SOCK_STREAM)');
  const [, fd] = await r.until('stderr', /^socket\(AF_INET, SOCK_STREAM\|SOCK_CLOEXEC, 0\) = (\d+)$/m);
  await r.until('stdout', new RegExp(`> ${fd}\\n`));
  const port = unusedPort();
  r.type(`await connect(s, { family: AF_INET, address: '127.0.0.1', port: ${port} })`);
  await r.until('stdout', new RegExp(`Uncaught SocketError: connect: Connection refused \\(ECONNREFUSED\\) 127\\.0\\.0\\.1:${port}`));
  // The trace shows the kernel's answer to the connect (at once, or through SO_ERROR).
  await r.until('stderr', /connect\(\d+, \{AF_INET, 127\.0\.0\.1:\d+\}, 16\) = -1 (ECONNREFUSED|EINPROGRESS)/);
  await r.until('stderr', /ECONNREFUSED|SO_ERROR, \[111\]/);
  r.type('close(s)');
  await r.until('stderr', new RegExp(`^close\\(${fd}\\) = 0$`, 'm'));
  r.type('.exit');
  expect(await r.exited).toBe(0);
});

test('the Socket class is in scope too, and --no-trace starts with the trace off', async () => {
  const r = startRepl(path.join(root, 'dist', 'repl.js'), ['--no-trace']);
  await r.until('stdout', /Try:/);
  r.type('using_ = new Socket(AF_INET, SOCK_DGRAM); using_.close(); tracing()');
  await r.until('stdout', /> false\n/);
  r.type('.exit');
  expect(await r.exited).toBe(0);
  expect(r.output().err).toBe('');
});
