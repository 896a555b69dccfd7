// AF_UNIX: paths, Linux abstract names, unnamed sockets, socketpair,
// SOCK_SEQPACKET and SOCK_DGRAM.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';
import { isLinux, thrown, useSockets } from './helpers/sockets';

const s = useSockets();
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-unix-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a path name round-trips through bind, getsockname, accept and getpeername', async () => {
  const sockPath = path.join(dir, 'server.sock');
  const server = s.socket(P.AF_UNIX, P.SOCK_STREAM);
  P.bind(server, { family: P.AF_UNIX, path: sockPath });
  expect(fs.statSync(sockPath).isSocket()).toBe(true);
  expect(P.getsockname(server)).toEqual({ family: P.AF_UNIX, path: sockPath });
  P.listen(server, 4);
  const client = s.socket(P.AF_UNIX, P.SOCK_STREAM);
  const accepted = P.accept(server);
  await P.connect(client, { family: P.AF_UNIX, path: sockPath });
  const { fd, address } = await accepted;
  s.adopt(fd);
  // The client never bound: the kernel reports it unnamed.
  expect(address).toEqual({ family: P.AF_UNIX, path: '' });
  expect(P.getpeername(client)).toEqual({ family: P.AF_UNIX, path: sockPath });
  await P.send(client, 'over unix');
  expect((await P.recv(fd, 100)).toString()).toBe('over unix');
});

test('a second bind to an existing path → EADDRINUSE with the path in the error', () => {
  const sockPath = path.join(dir, 'taken.sock');
  P.bind(s.socket(P.AF_UNIX, P.SOCK_STREAM), { family: P.AF_UNIX, path: sockPath });
  const err = thrown(() => P.bind(s.socket(P.AF_UNIX, P.SOCK_STREAM), { family: P.AF_UNIX, path: sockPath }));
  expect(err.code).toBe('EADDRINUSE');
  expect(err.path).toBe(sockPath);
  expect(err.message).toBe(`bind: Address already in use (EADDRINUSE) ${sockPath}`);
});

test('connect to a path nobody listens on → ENOENT, or ECONNREFUSED once a socket file exists', async () => {
  const sockPath = path.join(dir, 'nobody.sock');
  const c = s.socket(P.AF_UNIX, P.SOCK_STREAM);
  expect((await P.connect(c, { family: P.AF_UNIX, path: sockPath }).catch((e) => e)).code).toBe('ENOENT');
  P.bind(s.socket(P.AF_UNIX, P.SOCK_STREAM), { family: P.AF_UNIX, path: sockPath }); // bound, not listening
  const c2 = s.socket(P.AF_UNIX, P.SOCK_STREAM);
  expect((await P.connect(c2, { family: P.AF_UNIX, path: sockPath }).catch((e) => e)).code).toBe('ECONNREFUSED');
});

test('the longest path that fits works; one byte more is a RangeError before any syscall', () => {
  const sunPath = os.platform() === 'linux' ? 108 : 104;
  const base = dir + '/';
  const fits = base + 'x'.repeat(sunPath - 1 - base.length);
  const fd = s.socket(P.AF_UNIX, P.SOCK_STREAM);
  P.bind(fd, { family: P.AF_UNIX, path: fits });
  expect(P.getsockname(fd)).toEqual({ family: P.AF_UNIX, path: fits });
  const tooLong = fits + 'x';
  const err = thrown(() => P.bind(s.socket(P.AF_UNIX, P.SOCK_STREAM), { family: P.AF_UNIX, path: tooLong }));
  expect(err).toBeInstanceOf(RangeError);
  expect(err.message).toContain(`${sunPath}`);
  expect(fs.existsSync(tooLong)).toBe(false);
});

test('a path with an embedded NUL is a TypeError, never a silently shorter path', () => {
  const err = thrown(() => P.bind(s.socket(P.AF_UNIX, P.SOCK_STREAM), { family: P.AF_UNIX, path: dir + '/a\0b' }));
  expect(err).toBeInstanceOf(TypeError);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('a path with a lone surrogate is a TypeError, never a socket bound at the U+FFFD name; a pair is a real name', () => {
  const err = thrown(() => P.bind(s.socket(P.AF_UNIX, P.SOCK_STREAM), { family: P.AF_UNIX, path: dir + '/a\uD800b' }));
  expect(err).toBeInstanceOf(TypeError);
  expect(err.message).toMatch(/lone surrogate/);
  expect(fs.readdirSync(dir)).toEqual([]);
  const fd = s.socket(P.AF_UNIX, P.SOCK_STREAM);
  P.bind(fd, { family: P.AF_UNIX, path: dir + '/\u{1F600}' });
  expect(fs.readdirSync(dir)).toEqual(['\u{1F600}']);
  expect(P.getsockname(fd)).toEqual({ family: P.AF_UNIX, path: dir + '/\u{1F600}' });
});

(isLinux ? describe : describe.skip)('Linux abstract names', () => {
  test('an abstract name round-trips at its exact length', async () => {
    const name = `\0posix-sockets-test-${process.pid}-${Date.now()}`;
    const server = s.socket(P.AF_UNIX, P.SOCK_STREAM);
    P.bind(server, { family: P.AF_UNIX, path: name });
    expect(P.getsockname(server)).toEqual({ family: P.AF_UNIX, path: name });
    P.listen(server, 1);
    const client = s.socket(P.AF_UNIX, P.SOCK_STREAM);
    const accepted = P.accept(server);
    await P.connect(client, { family: P.AF_UNIX, path: name });
    s.adopt((await accepted).fd);
    expect(P.getpeername(client)).toEqual({ family: P.AF_UNIX, path: name });
    // A name differing only by a trailing NUL is a different name.
    const other = s.socket(P.AF_UNIX, P.SOCK_STREAM);
    expect((await P.connect(other, { family: P.AF_UNIX, path: name + '\0' }).catch((e) => e)).code).toBe(
      'ECONNREFUSED',
    );
  });

  test('the bytes: family, then NUL and the name, and no terminator', () => {
    const bytes = P.sockaddrToBytes({ family: P.AF_UNIX, path: '\0abc' });
    expect([...bytes]).toEqual([...Buffer.from(Uint16Array.of(P.AF_UNIX).buffer), 0, 0x61, 0x62, 0x63]);
  });

  test('an abstract name that is not UTF-8 comes back as a Buffer', () => {
    const name = Buffer.from([0, 0xff, 0xfe, 0x01]);
    const fd = s.socket(P.AF_UNIX, P.SOCK_DGRAM);
    P.bind(fd, { family: P.AF_UNIX, path: name });
    const back = P.getsockname(fd) as P.SockaddrUn;
    expect(Buffer.isBuffer(back.path)).toBe(true);
    expect(back.path).toEqual(name);
  });

  test('binding the unnamed address autobinds to a 5-hex-digit abstract name', () => {
    const fd = s.socket(P.AF_UNIX, P.SOCK_DGRAM);
    P.bind(fd, { family: P.AF_UNIX, path: '' });
    const got = P.getsockname(fd) as P.SockaddrUn;
    expect(got.path).toMatch(/^\0[0-9a-f]{5}$/);
  });
});

test('socketpair: both ends connected, unnamed, close-on-exec', async () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  expect(a).not.toBe(b);
  await P.send(a, 'ping');
  expect((await P.recv(b, 10)).toString()).toBe('ping');
  await P.send(b, 'pong');
  expect((await P.recv(a, 10)).toString()).toBe('pong');
  expect(P.fcntl(a, P.F_GETFD) & P.FD_CLOEXEC).toBe(P.FD_CLOEXEC);
  expect(P.getpeername(a)).toEqual({ family: P.AF_UNIX, path: '' });
});

test('SOCK_SEQPACKET keeps message boundaries; a short read truncates the message', async () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_SEQPACKET);
  await P.send(a, 'one');
  await P.send(a, 'two two');
  await P.send(a, 'three');
  expect((await P.recv(b, 100)).toString()).toBe('one');
  expect((await P.recv(b, 3)).toString()).toBe('two');
  expect((await P.recv(b, 100)).toString()).toBe('three');
});

test('SOCK_SEQPACKET listener: accept, messages, EOF', async () => {
  const sockPath = path.join(dir, 'seq.sock');
  const server = s.socket(P.AF_UNIX, P.SOCK_SEQPACKET);
  P.bind(server, { family: P.AF_UNIX, path: sockPath });
  P.listen(server, 1);
  const client = s.socket(P.AF_UNIX, P.SOCK_SEQPACKET);
  const accepted = P.accept(server);
  await P.connect(client, { family: P.AF_UNIX, path: sockPath });
  const conn = s.adopt((await accepted).fd);
  await P.send(client, 'ab');
  await P.send(client, 'cd');
  expect((await P.recv(conn, 100)).toString()).toBe('ab');
  expect((await P.recv(conn, 100)).toString()).toBe('cd');
  s.close(client);
  expect((await P.recv(conn, 100)).length).toBe(0);
});

test('unix datagrams: sendto a path, recvfrom reports the sender path', async () => {
  const a = path.join(dir, 'a.sock');
  const b = path.join(dir, 'b.sock');
  const fa = s.socket(P.AF_UNIX, P.SOCK_DGRAM);
  const fb = s.socket(P.AF_UNIX, P.SOCK_DGRAM);
  P.bind(fa, { family: P.AF_UNIX, path: a });
  P.bind(fb, { family: P.AF_UNIX, path: b });
  await P.sendto(fa, 'dgram 1', 0, { family: P.AF_UNIX, path: b });
  await P.sendto(fa, 'dgram 2', 0, { family: P.AF_UNIX, path: b });
  const one = await P.recvfrom(fb, 100);
  expect(one).toEqual({ data: Buffer.from('dgram 1'), address: { family: P.AF_UNIX, path: a } });
  expect((await P.recvfrom(fb, 100)).data.toString()).toBe('dgram 2');
});
