// Errors: the shape of SocketError, EBADF after close, close-on-exec, and
// bad arguments rejected before any system call, through lib/ and through
// the raw binding.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';
import { native } from '../lib/native';
import { rejection, thrown, unusedPort, useSockets } from './helpers/sockets';

const s = useSockets();

describe('SocketError', () => {
  test('code, errno, syscall, address, port and a perror-like message', async () => {
    const port = unusedPort();
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    const err = await rejection(P.connect(fd, { family: P.AF_INET, address: '127.0.0.1', port }));
    expect(err).toBeInstanceOf(P.SocketError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('SocketError');
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.errno).toBe(os.constants.errno.ECONNREFUSED);
    expect(err.syscall).toBe('connect');
    expect(err.address).toBe('127.0.0.1');
    expect(err.port).toBe(port);
    expect(err.message).toBe(`connect: Connection refused (ECONNREFUSED) 127.0.0.1:${port}`);
    expect(String(err.stack)).toContain('SocketError: connect: Connection refused');
  });

  test('errno always equals os.constants.errno[code]', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const errors = [
      thrown(() => P.getpeername(fd)),
      thrown(() => P.listen(123456, 1)),
      thrown(() => P.recvSync(a, 1, P.MSG_DONTWAIT)),
      thrown(() => P.socket(P.AF_INET, 12345)),
    ];
    expect(errors.map((e) => e.code)).toEqual(['ENOTCONN', 'EBADF', 'EAGAIN', 'EINVAL']);
    for (const e of errors) expect(e.errno).toBe((os.constants.errno as Record<string, number>)[e.code]);
  });

  test('instanceof holds for an error made by another copy of the module', () => {
    let other: typeof P | undefined;
    jest.isolateModules(() => {
      other = require('../lib');
    });
    expect(other!.SocketError).not.toBe(P.SocketError);
    const err = thrown(() => other!.close(987654));
    expect(err).toBeInstanceOf(P.SocketError);
    expect(new Error('plain')).not.toBeInstanceOf(P.SocketError);
  });

  test('strerror and errnoName', () => {
    expect(P.strerror(os.constants.errno.EADDRINUSE)).toBe('Address already in use');
    expect(P.errnoName(os.constants.errno.EAGAIN)).toBe('EAGAIN');
    expect(P.errnoName(os.constants.errno.ECANCELED)).toBe('ECANCELED');
  });
});

describe('closed and wrong descriptors', () => {
  test('double close → EBADF on the second', () => {
    const fd = P.socket(P.AF_INET, P.SOCK_STREAM);
    P.close(fd);
    const err = thrown(() => P.close(fd));
    expect(err.code).toBe('EBADF');
    expect(err.syscall).toBe('close');
  });

  test('send and recv on a closed fd → EBADF, sync and promise', async () => {
    const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    P.close(a);
    P.close(b);
    expect(thrown(() => P.sendSync(a, 'x')).code).toBe('EBADF');
    expect((await rejection(P.send(a, 'x'))).code).toBe('EBADF');
    expect((await rejection(P.recv(a, 1))).code).toBe('EBADF');
    expect((await rejection(P.accept(a))).code).toBe('EBADF');
  });

  test('socket calls on a regular file or a pipe → ENOTSOCK', async () => {
    const file = fs.openSync(__filename, 'r');
    const [rd, wr] = pipe();
    try {
      expect(thrown(() => P.recvSync(file, 1)).code).toBe('ENOTSOCK');
      expect((await rejection(P.recv(rd, 1))).code).toBe('ENOTSOCK');
      expect((await rejection(P.accept(file))).code).toBe('ENOTSOCK');
      expect(thrown(() => P.getsockname(wr)).code).toBe('ENOTSOCK');
    } finally {
      fs.closeSync(file);
      fs.closeSync(rd);
      fs.closeSync(wr);
    }
  });
});

/** A pipe's two fds, from a child that cannot give us one: use /dev/fd trick via fs. */
function pipe(): [number, number] {
  // Node has no pipe() call; a FIFO in a temp dir gives a real pipe.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-fifo-'));
  const fifo = path.join(dir, 'f');
  execFileSync('mkfifo', [fifo]);
  const rd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const wr = fs.openSync(fifo, fs.constants.O_WRONLY);
  fs.rmSync(dir, { recursive: true });
  return [rd, wr];
}

describe('close-on-exec', () => {
  function childSees(fd: number): boolean {
    const r = spawnSync(
      process.execPath,
      ['-e', `try { require('fs').fstatSync(${fd}); console.log('open') } catch { console.log('closed') }`],
      { encoding: 'utf8' },
    );
    return r.stdout.trim() === 'open';
  }

  test('a spawned child does not inherit a socket; it would without FD_CLOEXEC', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    expect(P.fcntl(fd, P.F_GETFD) & P.FD_CLOEXEC).toBe(P.FD_CLOEXEC);
    expect(childSees(fd)).toBe(false);
    // The control: clear the flag and the same child does see it.
    P.fcntl(fd, P.F_SETFD, 0);
    expect(childSees(fd)).toBe(true);
  });

  test('accepted and socketpair fds are close-on-exec too', async () => {
    const { server } = await s.tcpPair();
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_DGRAM);
    for (const fd of [server, a]) expect(P.fcntl(fd, P.F_GETFD) & P.FD_CLOEXEC).toBe(P.FD_CLOEXEC);
  });
});

describe('bad arguments throw TypeError/RangeError before any syscall', () => {
  const bads: [string, () => unknown, typeof TypeError | typeof RangeError][] = [
    ['fd 1.5', () => P.close(1.5), RangeError],
    ['fd -1', () => P.close(-1), RangeError],
    ['fd NaN', () => P.listen(NaN, 1), RangeError],
    ['fd Infinity', () => P.shutdown(Infinity, 0), RangeError],
    ['fd 2**31', () => P.getsockname(2 ** 31), RangeError],
    ["fd '3'", () => P.close('3' as unknown as number), TypeError],
    ['domain null', () => P.socket(null as unknown as number, 1), TypeError],
    ['length -1', () => P.recvSync(0, -1), RangeError],
    ['length 2**31', () => P.recv(0, 2 ** 31), RangeError],
    ['flags 0.5', () => P.send(0, 'x', 0.5), RangeError],
    ['data number', () => P.sendSync(0, 42 as unknown as string), TypeError],
    ['buffer string', () => P.recvIntoSync(0, 'abc' as unknown as Buffer), TypeError],
    ['timeout -1', () => P.recv(0, 1, 0, { timeout: -1 }), RangeError],
    ['timeout NaN', () => P.recv(0, 1, 0, { timeout: NaN }), RangeError],
    ['signal {}', () => P.accept(0, { signal: {} as AbortSignal }), TypeError],
    ['options 5', () => P.connect(0, { family: P.AF_INET, address: '1.2.3.4', port: 1 }, 5 as never), TypeError],
    ['setsockopt value', () => P.setsockopt(0, P.SOL_SOCKET, P.SO_REUSEADDR, 'yes' as never), TypeError],
    ['poll fds', () => P.poll('x' as never, 0), TypeError],
    ['poll timeout -2', () => P.poll([], -2), RangeError],
  ];
  test.each(bads)('%s', (_name, call, type) => {
    expect(thrown(call)).toBeInstanceOf(type);
  });
});

describe('the raw binding refuses hostile arguments without crashing', () => {
  // Errors thrown by native code belong to the main realm, not jest's: check the name.
  const cases: [string, () => unknown][] = [
    ['socket()', () => (native.socket as Function)()],
    ['close(-1)', () => native.close(-1)],
    ['close(1e20)', () => native.close(1e20)],
    ['send(buffer as number)', () => native.send(0, 5 as never, 0)],
    ['recv into a string', () => native.recv(0, 'x' as never, 0)],
    ['bind without address', () => native.bind(0, undefined as never)],
    ['bind port 70000', () => native.bind(0, { family: P.AF_INET, address: '1.1.1.1', port: 70000 })],
    ['bind bad ip', () => native.bind(0, { family: P.AF_INET, address: '1.1.1.1.1', port: 1 })],
    ['bind long unix path', () => native.bind(0, { family: P.AF_UNIX, path: 'x'.repeat(200) })],
    ['bind unix NUL', () => native.bind(0, { family: P.AF_UNIX, path: 'a\0b' })],
    ['bind huge raw', () => native.bind(0, { family: 77, bytes: Buffer.alloc(4096) })],
    ['fcntl F_DUPFD', () => native.fcntl(0, 0, 0)],
    ['poll short buffer', () => native.poll(new Int32Array(1), 5, 0)],
    ['socketpair short out', () => native.socketpair(1, 1, 0, new Int32Array(1))],
    ['watch events 8', () => native.watch(0, 8)],
    ['trackOwnership not a boolean', () => native.trackOwnership(1 as never)],
    ['setReadyCallback not a function', () => native.setReadyCallback(5 as never, new Int32Array(2))],
    ['setReadyCallback pairs not an Int32Array', () => native.setReadyCallback(() => {}, new Uint8Array(8) as never)],
    ['sockaddrFromBytes huge', () => native.sockaddrFromBytes(Buffer.alloc(1000), {})],
    ['getaddrinfo number', () => native.getaddrinfo(5 as never, null, 0, 0, 0, 0)],
  ];
  test.each(cases)('%s', (_name, call) => {
    const err = thrown(call);
    expect(['TypeError', 'RangeError']).toContain(err.name);
  });

  test('a detached buffer is a TypeError before any syscall, not a zero-length buffer', () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_DGRAM);
    const ab = new ArrayBuffer(8);
    const view = new Uint8Array(ab);
    structuredClone(ab, { transfer: [ab] });
    expect(view.byteLength).toBe(0);
    expect(thrown(() => native.send(a, view, 0)).name).toBe('TypeError');
    expect(thrown(() => native.recv(b, view, 0)).name).toBe('TypeError');
    // Nothing was sent: the socket has no datagram (a zero-length one would read as 0 bytes).
    expect(native.recv(b, Buffer.alloc(1), P.MSG_DONTWAIT)).toBe(-os.constants.errno.EAGAIN);
    // An empty buffer that was never detached is still a zero-length buffer.
    expect(native.send(a, new Uint8Array(0), 0)).toBe(0);
    expect(P.recvSync(b, 10).length).toBe(0);
  });
});
