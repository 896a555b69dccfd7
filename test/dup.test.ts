// dup, dup2, dup3: a second number for the same open file description,
// adopted by the package like an accepted fd; and what happens to calls
// waiting on the number dup2/dup3 replace (rejected as by close, never
// handed the next file's data).
import * as P from '../lib';
import { dist, report, runChild } from './helpers/child';
import { isLinux, rejection, thrown, useSockets } from './helpers/sockets';

const s = useSockets();
const NEVER_OPENED = 987654; // beyond RLIMIT_NOFILE: always EBADF

/** Resolves after two check phases, so a poll phase has registered waiting fds with epoll. */
const afterPoll = () => new Promise<void>((r) => setImmediate(() => setImmediate(r)));

/** A number that is free now (a socket's, closed): dup2's target in tests that need one. */
function freeNumber(): number {
  const fd = P.socket(P.AF_UNIX, P.SOCK_STREAM);
  P.close(fd);
  return fd;
}

const cloexec = (fd: number) => (P.fcntl(fd, P.F_GETFD) & P.FD_CLOEXEC) !== 0;

describe('dup', () => {
  test('the copy shares the open file description: O_NONBLOCK set through one shows through the other', () => {
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const d = s.adopt(P.dup(a));
    expect(d).not.toBe(a);
    expect(P.isNonBlocking(d)).toBe(false);
    P.setNonBlocking(a);
    expect(P.isNonBlocking(d)).toBe(true);
    P.setNonBlocking(d, false);
    expect(P.isNonBlocking(a)).toBe(false);
  });

  test('data sent to the peer is read through the copy, and the copy works after the original is closed', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const d = s.adopt(P.dup(a));
    P.sendSync(b, 'one');
    expect(P.recvSync(d, 10).toString()).toBe('one');
    s.close(a);
    P.sendSync(b, 'two');
    expect((await P.recv(d, 10)).toString()).toBe('two');
    await P.send(d, 'back');
    expect(P.recvSync(b, 10).toString()).toBe('back');
    // Closing the last number closes the socket: the peer sees EOF.
    s.close(d);
    expect(P.recvSync(b, 10).length).toBe(0);
  });

  test('the copy is close-on-exec (F_DUPFD_CLOEXEC) whatever the original is', () => {
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    P.fcntl(a, P.F_SETFD, 0);
    expect(cloexec(a)).toBe(false);
    expect(cloexec(s.adopt(P.dup(a)))).toBe(true);
  });

  test('EBADF for a number that is not open; RangeError/TypeError before any call', () => {
    expect(thrown(() => P.dup(NEVER_OPENED)).code).toBe('EBADF');
    expect(thrown(() => P.dup(-1))).toBeInstanceOf(RangeError);
    expect(thrown(() => P.dup('3' as unknown as number))).toBeInstanceOf(TypeError);
  });
});

describe('dup2', () => {
  test('newfd becomes a copy of oldfd, not close-on-exec (as C), and is returned', () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const n = freeNumber();
    expect(P.dup2(a, n)).toBe(n);
    s.adopt(n);
    expect(cloexec(n)).toBe(false);
    P.sendSync(b, 'via dup2');
    expect(P.recvSync(n, 20).toString()).toBe('via dup2');
    P.setNonBlocking(n);
    expect(P.isNonBlocking(a)).toBe(true);
  });

  test('onto an open fd: its file is closed first (the old peer sees EOF), silently', () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const [c, d] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    expect(P.dup2(a, c)).toBe(c);
    expect(P.recvSync(d, 10).length).toBe(0); // c's old socket is gone
    P.sendSync(b, 'x');
    expect(P.recvSync(c, 10).toString()).toBe('x');
  });

  test('dup2(fd, fd) does nothing and returns fd; EBADF when fd is not open', () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const pending = P.recv(a, 10);
    expect(P.dup2(a, a)).toBe(a);
    P.sendSync(b, 'same');
    return pending.then((data) => {
      expect(data.toString()).toBe('same');
      expect(thrown(() => P.dup2(NEVER_OPENED, NEVER_OPENED)).code).toBe('EBADF');
    });
  });

  test('EBADF for a bad oldfd, and for a newfd beyond the fd limit; newfd is left as it was', () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const e = thrown(() => P.dup2(NEVER_OPENED, a));
    expect(e).toBeInstanceOf(P.SocketError);
    expect([e.code, e.syscall]).toEqual(['EBADF', 'dup2']);
    P.sendSync(b, 'still');
    expect(P.recvSync(a, 10).toString()).toBe('still');
    expect(thrown(() => P.dup2(a, NEVER_OPENED)).code).toBe('EBADF');
  });

  test('a recv waiting on newfd is rejected (ECANCELED, as by close) and never gets the new file’s data', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const [c, d] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const old = P.recv(a, 10);
    await afterPoll(); // its watcher is registered
    P.sendSync(d, 'new file');
    P.dup2(c, a); // a is now c's socket, with data queued
    const e = await rejection(old);
    expect(e.code).toBe('ECANCELED');
    expect(e.syscall).toBe('recv');
    // The new file's data is still there for a new call on the number.
    expect((await P.recv(a, 20)).toString()).toBe('new file');
    expect(() => P.sendSync(b, 'x')).toThrow(); // a's old socket is closed: EPIPE
  });

  test('when the replaced file lives on under another number, it wakes only its own calls', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const [c, d] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const keep = s.adopt(P.dup(a)); // keeps a's socket open after dup2 replaces the number
    const old = P.recv(a, 10);
    await afterPoll();
    P.dup2(c, a);
    expect((await rejection(old)).code).toBe('ECANCELED');
    const fresh = P.recv(a, 20);
    fresh.catch(() => undefined); // if an expect below fails, closing `a` rejects it: not unhandled
    const kept = P.recv(keep, 20);
    await afterPoll();
    // The old file's registration went with dup2: had it stayed in the
    // poll set under the number, its readiness would wake the new file's
    // recv, which would try (EAGAIN) and wait again.
    const lines: string[] = [];
    P.trace(true, (l) => lines.push(l));
    try {
      P.sendSync(b, 'old file'); // readable under `keep`, not under `a`
      expect((await kept).toString()).toBe('old file');
      await afterPoll();
    } finally {
      P.trace(false);
    }
    expect(lines.filter((l) => l.startsWith(`recv(${a},`))).toEqual([]);
    P.sendSync(d, 'new file');
    expect((await fresh).toString()).toBe('new file');
  });

  test('a dup2 that fails still rejects newfd’s waiting calls first (documented); the fd works after', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const old = P.recv(a, 10);
    await afterPoll();
    expect(thrown(() => P.dup2(NEVER_OPENED, a)).code).toBe('EBADF');
    expect((await rejection(old)).code).toBe('ECANCELED');
    const again = P.recv(a, 10);
    await afterPoll();
    P.sendSync(b, 'after');
    expect((await again).toString()).toBe('after');
  });

  test('calls waiting on oldfd are untouched', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const pending = P.recv(a, 10);
    await afterPoll();
    const n = s.adopt(P.dup2(a, freeNumber()));
    P.sendSync(b, 'oldfd');
    expect((await pending).toString()).toBe('oldfd');
    expect(n).not.toBe(a);
  });

  test('RangeError/TypeError before any call (and before any waiter is touched)', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const pending = P.recv(a, 10);
    expect(thrown(() => P.dup2(a, -1))).toBeInstanceOf(RangeError);
    expect(thrown(() => P.dup2(1.5, a))).toBeInstanceOf(RangeError);
    expect(thrown(() => P.dup2(a, null as unknown as number))).toBeInstanceOf(TypeError);
    P.sendSync(b, 'ok');
    expect((await pending).toString()).toBe('ok');
  });
});

(isLinux ? describe : describe.skip)('dup3 (Linux)', () => {
  test('O_CLOEXEC makes newfd close-on-exec; 0 does not', () => {
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const n = freeNumber();
    expect(P.dup3!(a, n, P.O_CLOEXEC)).toBe(n);
    s.adopt(n);
    expect(cloexec(n)).toBe(true);
    expect(P.dup3!(a, n, 0)).toBe(n);
    expect(cloexec(n)).toBe(false);
  });

  test('dup3(fd, fd) is EINVAL, as the kernel says, and leaves the calls waiting on fd alone', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const pending = P.recv(a, 10);
    const e = thrown(() => P.dup3!(a, a, 0));
    expect([e.code, e.syscall]).toEqual(['EINVAL', 'dup3']);
    P.sendSync(b, 'fine');
    expect((await pending).toString()).toBe('fine');
  });

  test('flags other than O_CLOEXEC are EINVAL; a bad oldfd is EBADF', () => {
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const n = freeNumber();
    expect(thrown(() => P.dup3!(a, n, P.O_NONBLOCK)).code).toBe('EINVAL');
    expect(thrown(() => P.dup3!(NEVER_OPENED, n, 0)).code).toBe('EBADF');
    expect(thrown(() => P.dup3!(a, n, 2 ** 31))).toBeInstanceOf(RangeError);
  });

  test('a recv waiting on newfd is rejected with ECANCELED', async () => {
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const [c, d] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const old = P.recv(a, 10);
    await afterPoll();
    P.sendSync(d, 'new');
    P.dup3!(c, a, P.O_CLOEXEC);
    expect((await rejection(old)).code).toBe('ECANCELED');
    expect(P.recvSync(a, 10).toString()).toBe('new');
  });
});

(isLinux ? test.skip : test)('dup3 is undefined where the platform has none (macOS)', () => {
  expect(P.dup3).toBeUndefined();
});

test('in a worker: fds made by dup and dup2 are closed when it ends; a dup2 onto stdio (0) is left open', () => {
  const r = runChild(`
    const { Worker } = require('node:worker_threads');
    const w = new Worker(\`
      const { parentPort } = require('node:worker_threads');
      const P = require(${JSON.stringify(dist)});
      const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
      const d = P.dup(a);
      const spare = P.socket(P.AF_UNIX, P.SOCK_STREAM);
      const n = P.dup2(b, spare);
      P.dup2(a, 0); // the process's stdin is now the socket
      setInterval(() => {}, 1000); // alive until terminated
      parentPort.postMessage([a, b, d, n]);
    \`, { eval: true });
    const state = (fd) => { try { return fs.fstatSync(fd).isSocket() ? 'socket' : 'other'; } catch { return 'closed'; } };
    w.once('message', async (fds) => {
      const before = fds.map(state);
      await w.terminate();
      console.log(JSON.stringify({ before, after: fds.map(state), stdin: state(0) }));
    });`);
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(report(r)).toEqual({
    before: ['socket', 'socket', 'socket', 'socket'],
    after: ['closed', 'closed', 'closed', 'closed'],
    stdin: 'socket',
  });
});
