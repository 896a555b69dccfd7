// Socket: the owning object. Its methods are the functions with the fd
// bound; it owns the fd (close once, `using`, detach) and iterates received
// chunks until EOF.
import * as fs from 'node:fs';
import { once } from 'node:events';
import * as util from 'node:util';
import * as P from '../lib';
import { Socket } from '../lib';
import { rejection, thrown } from './helpers/sockets';

// Every Socket a test makes, closed afterwards (close() is idempotent).
const made: Socket[] = [];
afterEach(() => {
  for (const s of made.splice(0)) s.close();
});
function track(s: Socket): Socket {
  made.push(s);
  return s;
}

/** Is `fd` open in this process? (fcntl F_GETFD answers EBADF otherwise.) */
function isOpen(fd: number): boolean {
  try {
    P.fcntl(fd, P.F_GETFD);
    return true;
  } catch (e) {
    if ((e as P.SocketError).code === 'EBADF') return false;
    throw e;
  }
}

async function tcpPair(): Promise<{ listener: Socket; server: Socket; client: Socket }> {
  const listener = track(new Socket(P.AF_INET, P.SOCK_STREAM));
  listener.bind({ family: P.AF_INET, address: '127.0.0.1', port: 0 });
  listener.listen(4);
  const client = track(new Socket(P.AF_INET, P.SOCK_STREAM));
  const accepted = listener.accept();
  await client.connect(listener.getsockname());
  const server = track(await accepted);
  return { listener, server, client };
}

test('bind, listen, accept → Socket, connect, send/recv, getpeername: the calls with the fd bound', async () => {
  const { listener, server, client } = await tcpPair();
  expect(server).toBeInstanceOf(Socket);
  expect(server.getpeername()).toEqual(client.getsockname());
  expect(listener.getsockopt(P.SOL_SOCKET, P.SO_ACCEPTCONN)).toBe(1);
  expect(await client.send('ping')).toBe(4);
  expect((await server.recv(10)).toString()).toBe('ping');
  expect(server.sendSync(Buffer.from('pong'))).toBe(4);
  expect(client.recvSync(10).toString()).toBe('pong');
  client.shutdown(P.SHUT_WR);
  expect((await server.recv(10)).length).toBe(0);
});

test('typed and raw setsockopt/getsockopt overloads', () => {
  const s = track(new Socket(P.AF_INET, P.SOCK_STREAM));
  s.setsockopt(P.sockopt.SO_LINGER, { onoff: true, linger: 3 });
  expect(s.getsockopt(P.sockopt.SO_LINGER)).toEqual({ onoff: true, linger: 3 });
  s.setsockopt(P.SOL_SOCKET, P.SO_REUSEADDR, true);
  expect(s.getsockopt(P.SOL_SOCKET, P.SO_REUSEADDR)).toBe(1);
  expect(s.getsockopt(P.SOL_SOCKET, P.SO_TYPE, 4)).toEqual(Buffer.from(Int32Array.of(P.SOCK_STREAM).buffer));
  expect(s.isNonBlocking()).toBe(false);
  s.setNonBlocking();
  expect(s.isNonBlocking()).toBe(true);
});

test('UDP: sendto/recvfrom and the msg calls', async () => {
  const a = track(new Socket(P.AF_INET, P.SOCK_DGRAM));
  const b = track(new Socket(P.AF_INET, P.SOCK_DGRAM));
  a.bind({ family: P.AF_INET, address: '127.0.0.1', port: 0 });
  b.bind({ family: P.AF_INET, address: '127.0.0.1', port: 0 });
  await a.sendto('one', 0, b.getsockname());
  const got = await b.recvfrom(10);
  expect(got.data.toString()).toBe('one');
  expect(got.address).toEqual(a.getsockname());
  a.sendmsgSync({ iov: ['t', 'wo'], name: b.getsockname() });
  expect((await b.recvmsg(10)).data.toString()).toBe('two');
});

test('close() is idempotent; afterwards every method is EBADF (thrown by Sync calls, a rejection by promise calls) with no system call', async () => {
  const s = new Socket(P.AF_INET, P.SOCK_STREAM);
  const fd = s.fd;
  expect(s.open).toBe(true);
  s.close();
  expect(isOpen(fd)).toBe(false);
  s.close(); // nothing
  expect(s.fd).toBe(-1);
  expect(s.open).toBe(false);
  const lines: string[] = [];
  P.trace(true, (line) => lines.push(line));
  try {
    const e = thrown(() => s.getsockname());
    expect(e).toBeInstanceOf(P.SocketError);
    expect(e).toMatchObject({ code: 'EBADF', syscall: 'getsockname' });
    expect(e.message).toBe('getsockname: Bad file descriptor (EBADF): this Socket was closed');
    const r = await rejection(s.recv(10));
    expect(r).toMatchObject({ code: 'EBADF', syscall: 'recv' });
    expect(thrown(() => s.detach()).code).toBe('EBADF');
    // The state is checked before the arguments: EBADF, not a TypeError.
    expect((await rejection(s.recv('x' as never))).code).toBe('EBADF');
  } finally {
    P.trace(false);
  }
  expect(lines).toEqual([]); // no system call was made
});

test('close() rejects the calls still waiting with ECANCELED, as close(fd) does', async () => {
  const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const s = track(Socket.from(a));
  const pending = s.recv(10);
  s.close();
  expect((await rejection(pending)).code).toBe('ECANCELED');
  P.close(b);
});

test('detach() returns the fd; the object no longer owns it (close() leaves it open)', () => {
  const s = new Socket(P.AF_UNIX, P.SOCK_DGRAM);
  const fd = s.fd;
  expect(s.detach()).toBe(fd);
  s.close();
  expect(isOpen(fd)).toBe(true);
  expect(thrown(() => s.getsockopt(P.SOL_SOCKET, P.SO_TYPE)).message).toMatch(/this Socket was detached/);
  P.close(fd);
});

test('Socket.from(fd) owns an fd made by the functions', () => {
  const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_DGRAM);
  const s = Socket.from(a);
  const t = Socket.from(b);
  expect(s.fd).toBe(a);
  s.sendSync('x');
  expect(t.recvSync(1).toString()).toBe('x');
  s.close();
  t.close();
  expect(isOpen(a) || isOpen(b)).toBe(false);
  expect(() => Socket.from(-1)).toThrow(RangeError);
});

test('one owner per fd: Socket.from of a number another Socket owns takes it over; the other lets go and never closes it', () => {
  const s = track(new Socket(P.AF_UNIX, P.SOCK_DGRAM));
  const fd = s.fd;
  const t = track(Socket.from(fd));
  expect([s.open, t.open, t.fd]).toEqual([false, true, fd]);
  const e = thrown(() => s.getsockopt(P.SOL_SOCKET, P.SO_TYPE)) as P.SocketError;
  expect([e.code, e.syscall]).toEqual(['EBADF', 'getsockopt']);
  expect(e.message).toMatch(/another Socket owns its fd now/);
  s.close(); // nothing: t's fd stays open
  expect(isOpen(fd)).toBe(true);
  expect(t.getsockopt(P.SOL_SOCKET, P.SO_TYPE, 4).readInt32LE(0)).toBe(P.SOCK_DGRAM);
  // Detached, the number is free to be owned again (and closed by afterEach).
  expect(track(Socket.from(t.detach())).fd).toBe(fd);
});

test('close(s.fd) by the function: the Socket lets go, and never touches the socket the kernel gives that number next', () => {
  const s = track(new Socket(P.AF_UNIX, P.SOCK_DGRAM));
  const fd = s.fd;
  P.close(fd);
  expect(s.open).toBe(false);
  expect(s.fd).toBe(-1);
  // The kernel hands out the lowest free number: the same one, now another socket.
  const next = P.socket(P.AF_INET, P.SOCK_DGRAM);
  try {
    expect(next).toBe(fd);
    const e = thrown(() => s.getsockopt(P.SOL_SOCKET, P.SO_TYPE)) as P.SocketError;
    expect(e.code).toBe('EBADF');
    expect(e.message).toMatch(/closed by other means/);
    s.close(); // nothing: the object no longer owns a number
    expect(isOpen(next)).toBe(true);
  } finally {
    P.close(next);
  }
});

test('a Socket whose fd was closed behind the package’s back lets go when the kernel hands the number out again', () => {
  const s = track(new Socket(P.AF_UNIX, P.SOCK_DGRAM));
  const fd = s.fd;
  fs.closeSync(fd); // not through the package
  const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  try {
    expect([a, b]).toContain(fd);
    expect(s.open).toBe(false);
    expect(thrown(() => s.sendSync('x')).message).toMatch(/closed by other means/);
    s.close();
    expect(isOpen(a) && isOpen(b)).toBe(true);
    // And the new owner may own it.
    const t = Socket.from(fd);
    t.close();
  } finally {
    for (const x of [a, b]) if (isOpen(x)) P.close(x);
  }
});

test('release(s.fd) and dup2 onto s.fd: the Socket lets go (EBADF naming why), the fd stays open for its new owner', () => {
  const s = track(new Socket(P.AF_UNIX, P.SOCK_DGRAM));
  const fd = P.release(s.fd);
  expect(s.open).toBe(false);
  expect(thrown(() => s.getsockname()).message).toMatch(/was released/);
  s.close();
  expect(isOpen(fd)).toBe(true);
  P.close(fd);

  const t = track(new Socket(P.AF_UNIX, P.SOCK_DGRAM));
  const other = P.socket(P.AF_INET, P.SOCK_DGRAM);
  const target = t.fd;
  // A failing dup2 (EBADF: oldfd not open) replaces nothing: t still owns its fd.
  expect((thrown(() => P.dup2(987654, target)) as P.SocketError).code).toBe('EBADF');
  expect(t.open).toBe(true);
  expect(P.dup2(other, target)).toBe(target);
  expect(t.open).toBe(false);
  t.close(); // must not close target, which is now a copy of `other`
  expect(isOpen(target)).toBe(true);
  P.close(target);
  P.close(other);
});

test('`using` closes the socket at the end of the block', () => {
  let fd = -1;
  {
    using s = new Socket(P.AF_INET, P.SOCK_DGRAM);
    fd = s.fd;
    expect(isOpen(fd)).toBe(true);
  }
  expect(isOpen(fd)).toBe(false);
});

test('`using` closes it when the block throws too', () => {
  let fd = -1;
  expect(() => {
    using s = new Socket(P.AF_INET, P.SOCK_DGRAM);
    fd = s.fd;
    throw new Error('inside');
  }).toThrow('inside');
  expect(isOpen(fd)).toBe(false);
});

test('[Symbol.dispose] is keyed by this runtime\'s Symbol.dispose (Node 20: Symbol.for(\'nodejs.dispose\'); 24 on: the language\'s)', () => {
  const s = new Socket(P.AF_INET, P.SOCK_DGRAM);
  const fd = s.fd;
  expect(typeof Symbol.dispose).toBe('symbol');
  expect(Object.getOwnPropertySymbols(Socket.prototype)).toContain(Symbol.dispose);
  s[Symbol.dispose]();
  expect(isOpen(fd)).toBe(false);
});

test('for await iterates received chunks until EOF', async () => {
  const { server, client } = await tcpPair();
  const sent = ['alpha', 'beta', 'gamma'];
  const writer = (async () => {
    for (const w of sent) {
      await client.send(w);
      // Let each arrive as its own chunk (the reader may still merge them).
      await new Promise((r) => setImmediate(r));
    }
    client.shutdown(P.SHUT_WR);
  })();
  const chunks: Buffer[] = [];
  for await (const chunk of server) chunks.push(chunk);
  await writer;
  expect(Buffer.concat(chunks).toString()).toBe('alphabetagamma');
});

test('chunks(length) reads at most length bytes at a time', async () => {
  const { server, client } = await tcpPair();
  client.sendSync('0123456789');
  client.shutdown(P.SHUT_WR);
  const sizes: number[] = [];
  for await (const chunk of server.chunks(4)) sizes.push(chunk.length);
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
  await expect(server.chunks(0).next()).rejects.toThrow(RangeError);
});

test('toNetSocket() hands the fd to net and detaches the object; refused, the object keeps it', async () => {
  const { server, client } = await tcpPair();
  const pending = client.recv(1);
  expect(thrown(() => client.toNetSocket()).code).toBe('EBUSY');
  expect(client.open).toBe(true);
  server.sendSync('x');
  await pending;
  const sock = client.toNetSocket();
  expect(client.open).toBe(false);
  server.sendSync('y');
  const [data] = await once(sock, 'data');
  expect(data.toString()).toBe('y');
  sock.destroy();
  await once(sock, 'close');
});

test('toNetSocket() refused by Node after the release (EEXIST: net already has the fd) leaves the object owning it', async () => {
  const { server, client } = await tcpPair();
  const fd = client.fd;
  const first = P.toNetSocket(fd); // careless: the number given to net by the function, the object kept
  expect(client.open).toBe(false); // released: the object let go
  const again = track(Socket.from(fd));
  const e = thrown(() => again.toNetSocket());
  expect(e.code).toBe('EEXIST');
  // The fd is still open, and the object still has the number (close() can close it).
  expect([again.open, again.fd, isOpen(fd)]).toEqual([true, fd, true]);
  again.detach(); // net's to close
  first.destroy();
  await once(first, 'close');
  expect(server.open).toBe(true);
});

test('toDgramSocket() refused by Node after it took the fd (a receive buffer the kernel refuses): Node closed it, the object lets go', () => {
  const s = track(new Socket(P.AF_INET, P.SOCK_DGRAM));
  s.bind({ family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const fd = s.fd;
  const e = thrown(() => s.toDgramSocket(undefined, { recvBufferSize: 2 ** 31 }));
  expect(e.code).toBe('ERR_SOCKET_BUFFER_SIZE');
  expect([s.open, s.fd, isOpen(fd)]).toEqual([false, -1, false]);
  expect(thrown(() => s.getsockname()).message).toMatch(/closed by other means/);
});

test('chunks() on a closed Socket is EBADF before its length is looked at', async () => {
  const s = new Socket(P.AF_UNIX, P.SOCK_DGRAM);
  s.close();
  const e = await rejection(s.chunks(0).next());
  expect(e.code).toBe('EBADF');
});

test('dup() and sendfile', async () => {
  const { server, client } = await tcpPair();
  const copy = track(client.dup());
  expect(copy.fd).not.toBe(client.fd);
  const file = `${__dirname}/socket.test.ts`;
  const fd = fs.openSync(file, 'r');
  try {
    expect(await copy.sendfile(fd, 0, 10)).toBe(10);
  } finally {
    fs.closeSync(fd);
  }
  expect((await server.recv(10)).toString()).toBe(fs.readFileSync(file, 'utf8').slice(0, 10));
});

test('util.inspect shows the fd or the state', () => {
  const s = new Socket(P.AF_INET, P.SOCK_DGRAM);
  expect(util.inspect(s)).toBe(`Socket { fd: ${s.fd} }`);
  s.close();
  expect(util.inspect(s)).toBe('Socket { closed }');
});
