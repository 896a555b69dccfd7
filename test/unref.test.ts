// { ref: false }: a call that waits without keeping the process alive, as
// an unref'd net.Socket or timer. Each scenario runs in a spawned node,
// since what is under test is whether that process exits by itself.
import * as P from '../lib';
import { dist } from './helpers/child';
import { start } from './helpers/processes';
import { useSockets } from './helpers/sockets';

const s = useSockets();

/**
 * Starts a child that loads the package, opens `n` UDP sockets on
 * 127.0.0.1, runs `body` (it sees P and fds[]), and prints
 * "ports <json>" then, on exit, "exit". Each settled call should print.
 */
function child(n: number, body: string) {
  const script =
    `const P = require(${JSON.stringify(dist)});\n` +
    `const fds = [];\n` +
    `for (let i = 0; i < ${n}; i++) {\n` +
    `  const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);\n` +
    `  P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });\n` +
    `  fds.push(fd);\n` +
    `}\n` +
    `process.on('exit', () => console.log('exit'));\n` +
    body +
    `\nconsole.log('ports ' + JSON.stringify(fds.map((fd) => P.getsockname(fd).port)));\n`;
  const env = { POSIX_SOCKETS_TRACE: '' };
  const c = start(process.execPath, ['-e', script], env);
  const ports = c.waitFor(/ports (\[.*\])/).then((out) => JSON.parse(/ports (\[.*\])/.exec(out)![1]) as number[]);
  return { ...c, ports };
}

/** Resolves after `ms` (the bounded wait before a live child is poked or killed). */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends one datagram to 127.0.0.1:port from a socket of the test's. */
async function poke(port: number, text: string): Promise<void> {
  const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
  await P.sendto(fd, text, 0, { family: P.AF_INET, address: '127.0.0.1', port });
}

// How long a child that should stay alive is watched before it is poked or
// killed. A lower bound only: no test fails because a machine is slow.
const WATCH_MS = 500;

test('a process waiting only on an unref\'d recv exits by itself, status 0, the call unsettled', async () => {
  const c = child(1, `P.recv(fds[0], 10, 0, { ref: false }).then(() => console.log('settled'), (e) => console.log('failed ' + e.code));`);
  const end = await c.done;
  expect({ code: end.code, signal: end.signal, stderr: end.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  expect(end.stdout).toMatch(/^ports \[\d+\]\nexit\n$/);
});

test('an unref\'d call with a timeout does not hold the process for the timeout', async () => {
  const c = child(1, `P.recvfrom(fds[0], 10, 0, { ref: false, timeout: 600000 }).then(() => console.log('settled'), (e) => console.log('failed ' + e.code));`);
  const end = await c.done;
  expect(end.code).toBe(0);
  expect(end.stdout).not.toMatch(/settled|failed/);
});

test('a ref\'d recv keeps the process alive until it is answered, then it exits by itself', async () => {
  const c = child(1, `P.recv(fds[0], 10).then((b) => console.log('got ' + b));`);
  const [port] = await c.ports;
  await pause(WATCH_MS);
  expect(c.proc.exitCode).toBeNull(); // still running
  await poke(port, 'hello');
  const end = await c.done;
  expect(end.code).toBe(0);
  expect(end.stdout).toMatch(/got hello\nexit\n$/);
});

test('a ref\'d recv keeps it alive until killed when nothing comes', async () => {
  const c = child(1, `P.recv(fds[0], 10);`);
  await c.ports;
  await pause(WATCH_MS);
  expect(c.proc.exitCode).toBeNull();
  c.proc.kill('SIGTERM');
  const end = await c.done;
  expect(end.signal).toBe('SIGTERM');
});

test('mixed fds: an unref\'d recv on one and a ref\'d one on another; once the ref\'d one settles, it exits', async () => {
  const c = child(
    2,
    `P.recv(fds[0], 10, 0, { ref: false }).then((b) => console.log('unref got ' + b));\n` +
      `P.recv(fds[1], 10, 0, { ref: true }).then((b) => console.log('ref got ' + b));`,
  );
  const ports = await c.ports;
  await pause(WATCH_MS);
  expect(c.proc.exitCode).toBeNull();
  await poke(ports[1], 'two');
  const end = await c.done;
  expect(end.code).toBe(0);
  expect(end.stdout).toMatch(/ref got two\nexit\n$/);
  expect(end.stdout).not.toMatch(/unref got/);
});

test('the same fd: a ref\'d call keeps it alive with an unref\'d one queued behind; answered, it exits', async () => {
  const c = child(
    1,
    `P.recv(fds[0], 10).then((b) => console.log('ref got ' + b));\n` +
      `P.recv(fds[0], 10, 0, { ref: false }).then((b) => console.log('unref got ' + b));`,
  );
  const [port] = await c.ports;
  await pause(WATCH_MS);
  expect(c.proc.exitCode).toBeNull();
  await poke(port, 'one'); // one datagram: the first call in the queue takes it
  const end = await c.done;
  expect(end.code).toBe(0);
  expect(end.stdout).toMatch(/ref got one\nexit\n$/);
  expect(end.stdout).not.toMatch(/unref got/);
});

test('the same fd: an unref\'d call first does not let the process go while a ref\'d one waits behind it', async () => {
  const c = child(
    1,
    `P.recv(fds[0], 10, 0, { ref: false }).then((b) => console.log('unref got ' + b));\n` +
      `P.recv(fds[0], 10).then((b) => console.log('ref got ' + b));`,
  );
  const [port] = await c.ports;
  await pause(WATCH_MS);
  expect(c.proc.exitCode).toBeNull();
  await poke(port, 'a');
  await c.waitFor(/unref got a/);
  await pause(WATCH_MS);
  expect(c.proc.exitCode).toBeNull(); // the ref'd one still waits
  await poke(port, 'b');
  const end = await c.done;
  expect(end.code).toBe(0);
  expect(end.stdout).toMatch(/unref got a\nref got b\nexit\n$/);
});

test('a ref\'d call aborted while an unref\'d one waits: then it exits by itself', async () => {
  const c = child(
    1,
    `const ac = new AbortController();\n` +
      `P.recv(fds[0], 10, 0, { ref: false }).then((b) => console.log('unref got ' + b));\n` +
      `P.recv(fds[0], 10, 0, { signal: ac.signal }).catch((e) => console.log('ref failed ' + e.code));\n` +
      `process.on('SIGUSR2', () => ac.abort());`,
  );
  await c.ports;
  await pause(WATCH_MS);
  expect(c.proc.exitCode).toBeNull();
  c.proc.kill('SIGUSR2'); // (a signal listener does not keep a process alive by itself)
  const end = await c.done;
  expect(end.code).toBe(0);
  expect(end.stdout).toMatch(/ref failed ABORT_ERR\nexit\n$/);
  expect(end.stdout).not.toMatch(/unref got/);
});

test('ref must be a boolean', () => {
  const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
  expect(() => P.recv(fd, 1, 0, { ref: 0 as never })).toThrow(new TypeError('options.ref must be a boolean'));
});
