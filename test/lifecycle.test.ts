// Loading the package (CommonJS, ESM, worker threads) and tearing it down
// with calls pending. Each scenario runs in a spawned process so a crash
// shows up as a failed test rather than a dead test runner.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const dist = path.join(__dirname, '..', 'dist', 'index.js');

function run(args: string[]): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

test('require() of the package entry gives every call', () => {
  const r = run(['-e', `const p = require(${JSON.stringify(path.join(__dirname, '..'))});
    console.log([typeof p.socket, typeof p.acceptSync, typeof p.getaddrinfo, p.AF_INET].join(' '))`]);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('function function function 2');
});

test('ESM import gets the named exports', () => {
  const r = run([
    '--input-type=module',
    '-e',
    `import { socket, close, SocketError, AF_INET, SOCK_STREAM } from ${JSON.stringify(dist)};
     const fd = socket(AF_INET, SOCK_STREAM); close(fd);
     try { close(fd) } catch (e) { console.log(e instanceof SocketError, e.code) }`,
  ]);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('true EBADF');
});

test('a worker with calls pending is terminated: no crash, and its fds are closed', () => {
  const script = `
    const { Worker } = require('node:worker_threads');
    const fs = require('node:fs');
    const w = new Worker(\`
      const { parentPort } = require('node:worker_threads');
      const P = require(${JSON.stringify(dist)});
      const l = P.socket(P.AF_INET, P.SOCK_STREAM);
      P.bind(l, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
      P.listen(l, 4);
      P.accept(l).catch(() => {});
      const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
      P.recv(a, 10).catch(() => {});
      P.getaddrinfo('localhost', '80').catch(() => {});
      parentPort.postMessage([l, a, b]);
    \`, { eval: true });
    w.once('message', async (fds) => {
      const before = fds.map((fd) => { try { fs.fstatSync(fd); return 'open'; } catch { return 'closed'; } });
      await w.terminate();
      const after = fds.map((fd) => { try { fs.fstatSync(fd); return 'open'; } catch { return 'closed'; } });
      console.log(JSON.stringify({ before, after }));
    });`;
  const r = run(['-e', script]);
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ before: ['open', 'open', 'open'], after: ['closed', 'closed', 'closed'] });
});

test('the addon loads in several workers at once, each with its own state', () => {
  const script = `
    const { Worker } = require('node:worker_threads');
    const code = \`
      const { parentPort } = require('node:worker_threads');
      const P = require(${JSON.stringify(dist)});
      (async () => {
        const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
        const got = P.recv(a, 10);
        await P.send(b, 'w');
        parentPort.postMessage((await got).toString());
        P.close(a); P.close(b);
      })();
    \`;
    Promise.all([1, 2, 3].map(() => new Promise((resolve) => new Worker(code, { eval: true }).once('message', resolve))))
      .then((r) => console.log(r.join(',')));`;
  const r = run(['-e', script]);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('w,w,w');
});

test('process.exit with calls pending exits cleanly', () => {
  const r = run([
    '-e',
    `const P = require(${JSON.stringify(dist)});
     const l = P.socket(P.AF_INET, P.SOCK_STREAM);
     P.bind(l, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
     P.listen(l, 1);
     P.accept(l);
     setTimeout(() => process.exit(0), 10);`,
  ]);
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

test('a pending accept keeps the process alive until it is served', () => {
  const r = run([
    '-e',
    `const P = require(${JSON.stringify(dist)});
     const l = P.socket(P.AF_INET, P.SOCK_STREAM);
     P.bind(l, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
     P.listen(l, 1);
     P.accept(l).then(({ fd }) => { console.log('served'); P.close(fd); P.close(l); });
     const c = P.socket(P.AF_INET, P.SOCK_STREAM);
     setTimeout(() => P.connect(c, P.getsockname(l)).then(() => P.close(c)), 50);`,
  ]);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('served');
});
