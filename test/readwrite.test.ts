// read(2) and write(2) on sockets, as the course programs use them, and on
// a pipe: the promise forms wait like recv/send without blocking the loop
// (or leaving a blocking fd non-blocking); the Sync forms are the C calls.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';
import { rejection, thrown, useSockets } from './helpers/sockets';

const s = useSockets();

test('write then read over a stream socketpair; 0 bytes (an empty Buffer) once the peer shuts down', async () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  expect(await P.write(a, 'hello')).toBe(5);
  expect((await P.read(b, 100)).toString()).toBe('hello');
  P.shutdown(a, P.SHUT_WR);
  expect((await P.read(b, 100)).length).toBe(0);
});

test('a promise read on a blocking fd waits without blocking the loop, and leaves the fd blocking', async () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  expect(P.isNonBlocking(b)).toBe(false);
  const got = P.read(b, 10);
  // The loop runs while the read waits: this timer's write is what it reads.
  setTimeout(() => P.writeSync(a, 'later'), 20);
  expect((await got).toString()).toBe('later');
  expect(P.isNonBlocking(b)).toBe(false);
});

test('readSync/writeSync are the C calls: EAGAIN at once on an empty non-blocking socket', () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_DGRAM);
  P.setNonBlocking(b);
  expect(thrown(() => P.readSync(b, 10)).code).toBe('EAGAIN');
  expect(P.writeSync(a, Buffer.from('dgram'))).toBe(5);
  expect(P.readSync(b, 3).toString()).toBe('dgr'); // a datagram longer than the buffer is truncated
});

test('write to a socket whose peer is closed: EPIPE, and the process lives on', async () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  s.close(b);
  expect(thrown(() => P.writeSync(a, 'x')).code).toBe('EPIPE');
  expect((await rejection(P.write(a, 'x'))).code).toBe('EPIPE');
});

test('read and write work on a pipe too (read(2) is not a socket call)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-rw-'));
  try {
    const fifo = path.join(dir, 'f');
    execFileSync('mkfifo', [fifo]);
    const r = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const w = fs.openSync(fifo, fs.constants.O_WRONLY);
    try {
      const got = P.read(r, 10);
      expect(P.writeSync(w, 'piped')).toBe(5);
      expect((await got).toString()).toBe('piped');
    } finally {
      P.release(r); // stop watching before fs closes it
      fs.closeSync(r);
      fs.closeSync(w);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad arguments are TypeError/RangeError before any system call', () => {
  expect(thrown(() => P.read(-1, 10)).name).toBe('RangeError');
  expect(thrown(() => P.read(0, -1)).name).toBe('RangeError');
  expect(thrown(() => P.write(0, 5 as never)).name).toBe('TypeError');
  expect(thrown(() => P.readSync('3' as never, 1)).name).toBe('TypeError');
});

test('the trace shows read and write as strace does', async () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const lines: string[] = [];
  P.trace(true, (l) => lines.push(l));
  try {
    P.writeSync(a, 'hi');
    P.readSync(b, 10);
  } finally {
    P.trace(false);
  }
  expect(lines).toContain(`write(${a}, "hi", 2) = 2`);
  expect(lines).toContain(`read(${b}, "hi", 10) = 2`);
});
