// A worker that ends while a readiness callback runs its JavaScript — by
// process.exit() or an uncaught exception in a promise continuation, or by
// worker.terminate() in the middle of promise I/O — ends only that worker,
// as plain Node would: never the process (node-addon-api used to turn the
// failed callback of a terminating env into "FATAL ERROR ... napi_define_properties").
// Each scenario runs in a spawned process so a crash is a failed test.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const dist = path.join(__dirname, '..', 'dist');

function inWorker(workerCode: string, parent = ''): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const script = `
    const { Worker } = require('node:worker_threads');
    const w = new Worker(${JSON.stringify(`const P = require(${JSON.stringify(dist)});\n${workerCode}`)}, { eval: true });
    w.on('error', (e) => console.log('error', e.message));
    w.on('exit', (code) => console.log('exit', code));
    ${parent}`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// A promise recv that is served 20 ms later, by a send from a timer.
const SERVED_RECV = `
  const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const p = P.recv(a, 10);
  setTimeout(() => P.sendSync(b, 'hi'), 20);`;

test('process.exit() in the continuation of a promise recv ends the worker with that code', () => {
  const r = inWorker(`${SERVED_RECV}
    p.then(() => process.exit(3));`);
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('exit 3');
  expect(r.status).toBe(0);
});

test('an uncaught exception in that continuation is the worker\u2019s error event, not a crash', () => {
  const r = inWorker(`${SERVED_RECV}
    p.then(() => { throw new Error('boom in continuation'); });`);
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.stdout.trim().split('\n')).toEqual(['error boom in continuation', 'exit 1']);
  expect(r.status).toBe(0);
});

test('an exception in the continuation on the main thread is an ordinary uncaught exception', () => {
  const r = spawnSync(
    process.execPath,
    ['-e', `const P = require(${JSON.stringify(dist)});${SERVED_RECV}
      process.on('uncaughtException', (e) => { console.log('caught', e.message); P.close(a); P.close(b); });
      p.then(() => { throw new Error('main boom'); });`],
    { encoding: 'utf8', timeout: 30000 },
  );
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('caught main boom');
  expect(r.status).toBe(0);
});

test('worker.terminate() in the middle of promise ping-pongs, 30 times at varying moments: no crash', () => {
  const worker = `
    const { parentPort } = require('node:worker_threads');
    const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const [c, d] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    (async () => { for (;;) { const p = P.recv(a, 10); await P.send(b, 'x'); await p; } })();
    (async () => { for (;;) { const p = P.recv(c, 10); setImmediate(() => P.sendSync(d, 'y')); await p; } })();
    parentPort.postMessage('go');`;
  const script = `
    const { Worker } = require('node:worker_threads');
    let n = 0;
    function one() {
      if (n++ === 30) return console.log('terminated', n - 1);
      const w = new Worker(${JSON.stringify(`const P = require(${JSON.stringify(dist)});\n${worker}`)}, { eval: true });
      w.on('error', (e) => console.log('error', e.message));
      w.on('message', () => setTimeout(() => w.terminate().then(one), n % 7));
    }
    one();`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120000 });
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('terminated 30');
  expect(r.status).toBe(0);
}, 130000);
