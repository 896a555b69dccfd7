// TCP on 127.0.0.1: the classic exchange, the classic failures, options, half-close.
import * as P from '../lib';
import { rejection, thrown, unusedPort, useSockets } from './helpers/sockets';

const s = useSockets();

describe('the classic server/client exchange', () => {
  test('socket → bind(0) → getsockname → listen → accept | socket → connect, hello/0123456789, then EOF', async () => {
    const server = s.socket(P.AF_INET, P.SOCK_STREAM);
    P.bind(server, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const bound = P.getsockname(server) as P.SockaddrIn;
    expect(bound.family).toBe(P.AF_INET);
    expect(bound.address).toBe('127.0.0.1');
    expect(bound.port).toBeGreaterThan(0);
    P.listen(server, 5);

    const client = s.socket(P.AF_INET, P.SOCK_STREAM);
    const accepted = P.accept(server);
    await P.connect(client, bound);
    const { fd: conn, address: peer } = await accepted;
    s.adopt(conn);
    // The accepted peer is the client's own address.
    expect(peer).toEqual(P.getsockname(client));
    expect(P.getpeername(client)).toEqual(bound);

    expect(await P.send(conn, 'hello\r\n')).toBe(7);
    expect((await P.recv(client, 100)).toString()).toBe('hello\r\n');
    expect(await P.send(client, Buffer.from('0123456789'))).toBe(10);
    expect((await P.recv(conn, 10)).toString()).toBe('0123456789');

    s.close(conn);
    const eof = await P.recv(client, 100);
    expect(eof).toBeInstanceOf(Buffer);
    expect(eof.length).toBe(0);
  });

  test('the same exchange with the ...Sync calls on blocking fds', () => {
    const l = s.listener();
    const client = s.socket(P.AF_INET, P.SOCK_STREAM);
    // On loopback the handshake completes inside connect(), and the
    // connection then waits in the accept queue, so neither call blocks for long.
    P.connectSync(client, l.address);
    const { fd: conn, address } = P.acceptSync(l.fd);
    s.adopt(conn);
    expect(address).toEqual(P.getsockname(client));
    expect(P.sendSync(conn, 'hello\r\n')).toBe(7);
    expect(P.recvSync(client, 100).toString()).toBe('hello\r\n');
    const buf = Buffer.alloc(16);
    expect(P.sendSync(client, '0123456789')).toBe(10);
    expect(P.recvIntoSync(conn, buf)).toBe(10);
    expect(buf.subarray(0, 10).toString()).toBe('0123456789');
    s.close(client);
    expect(P.recvSync(conn, 10).length).toBe(0);
  });

  test('recvInto fills the caller buffer and reports the count', async () => {
    const { server, client } = await s.tcpPair();
    const buf = Buffer.alloc(8, 0x2e);
    const pending = P.recvInto(server, buf.subarray(2, 6));
    await P.send(client, 'abcdefgh');
    expect(await pending).toBe(4);
    expect(buf.toString()).toBe('..abcd..');
  });

  test('a partial read leaves the rest queued', async () => {
    const { server, client } = await s.tcpPair();
    await P.send(client, '0123456789');
    expect((await P.recv(server, 3)).toString()).toBe('012');
    expect((await P.recv(server, 100)).toString()).toBe('3456789');
  });
});

describe('what the kernel answers when things go wrong', () => {
  test('connect to a port with no listener → ECONNREFUSED (promise and sync)', async () => {
    const port = unusedPort();
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    const err = await rejection(P.connect(fd, { family: P.AF_INET, address: '127.0.0.1', port }));
    expect(err).toBeInstanceOf(P.SocketError);
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.syscall).toBe('connect');
    expect(err.address).toBe('127.0.0.1');
    expect(err.port).toBe(port);

    const fd2 = s.socket(P.AF_INET, P.SOCK_STREAM);
    const e2 = thrown(() => P.connectSync(fd2, { family: P.AF_INET, address: '127.0.0.1', port }));
    expect(e2.code).toBe('ECONNREFUSED');
  });

  test('connect after bind but before listen → ECONNREFUSED', async () => {
    const server = s.socket(P.AF_INET, P.SOCK_STREAM);
    P.bind(server, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const client = s.socket(P.AF_INET, P.SOCK_STREAM);
    const err = await rejection(P.connect(client, P.getsockname(server)));
    expect(err.code).toBe('ECONNREFUSED');
  });

  test('a second bind to the same address → EADDRINUSE', () => {
    const a = s.socket(P.AF_INET, P.SOCK_STREAM);
    P.bind(a, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    P.listen(a, 1);
    const addr = P.getsockname(a) as P.SockaddrIn;
    const b = s.socket(P.AF_INET, P.SOCK_STREAM);
    const err = thrown(() => P.bind(b, addr));
    expect(err.code).toBe('EADDRINUSE');
    expect(err.syscall).toBe('bind');
    expect(err.message).toBe(`bind: Address already in use (EADDRINUSE) 127.0.0.1:${addr.port}`);
  });

  test('with SO_REUSEPORT on both sockets the second bind succeeds', () => {
    const a = s.socket(P.AF_INET, P.SOCK_STREAM);
    P.setsockopt(a, P.SOL_SOCKET, P.SO_REUSEPORT, 1);
    P.bind(a, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    P.listen(a, 1);
    const addr = P.getsockname(a);
    const b = s.socket(P.AF_INET, P.SOCK_STREAM);
    P.setsockopt(b, P.SOL_SOCKET, P.SO_REUSEPORT, true);
    expect(() => P.bind(b, addr)).not.toThrow();
    P.listen(b, 1);
    expect(P.getsockname(b)).toEqual(addr);
  });

  test('SO_REUSEADDR round-trips through setsockopt/getsockopt', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    expect(P.getsockopt(fd, P.SOL_SOCKET, P.SO_REUSEADDR)).toBe(0);
    P.setsockopt(fd, P.SOL_SOCKET, P.SO_REUSEADDR, true);
    expect(P.getsockopt(fd, P.SOL_SOCKET, P.SO_REUSEADDR)).not.toBe(0);
    P.setsockopt(fd, P.SOL_SOCKET, P.SO_REUSEADDR, 0);
    expect(P.getsockopt(fd, P.SOL_SOCKET, P.SO_REUSEADDR)).toBe(0);
  });

  test('getsockopt reads SO_TYPE and the raw bytes of SO_LINGER', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    expect(P.getsockopt(fd, P.SOL_SOCKET, P.SO_TYPE)).toBe(P.SOCK_STREAM);
    // struct linger { int l_onoff; int l_linger; }
    P.setsockopt(fd, P.SOL_SOCKET, P.SO_LINGER, Int32Array.of(1, 7));
    const back = P.getsockopt(fd, P.SOL_SOCKET, P.SO_LINGER, 8);
    expect(back.length).toBe(8);
    expect(new Int32Array(back.buffer, back.byteOffset, 2)[1]).toBe(7);
  });

  test('getpeername on an unconnected socket → ENOTCONN', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    expect(thrown(() => P.getpeername(fd)).code).toBe('ENOTCONN');
  });

  test('SO_LINGER 0 then close resets the connection: the peer sees ECONNRESET', async () => {
    const { server, client } = await s.tcpPair();
    P.setsockopt(client, P.SOL_SOCKET, P.SO_LINGER, Int32Array.of(1, 0)); // struct linger {1, 0}
    const pending = P.recv(server, 10);
    s.close(client);
    const err = await rejection(pending);
    expect(err.code).toBe('ECONNRESET');
  });

  test('send after the peer has gone → EPIPE, and the process keeps running', async () => {
    const { server, client } = await s.tcpPair();
    s.close(server);
    // The first send may be accepted and answered with a RST; a later one fails.
    let err: any;
    for (let i = 0; i < 10 && !err; i++) {
      err = await P.send(client, 'x').then(
        () => undefined,
        (e) => e,
      );
      if (!err) await new Promise((r) => setTimeout(r, 10));
    }
    expect(['EPIPE', 'ECONNRESET']).toContain(err.code);
    // The next one is EPIPE for certain: the connection is reset.
    expect((await rejection(P.send(client, 'x'))).code).toBe('EPIPE');
  });
});

describe('shutdown', () => {
  test('SHUT_WR half-close: the peer drains the data, sees EOF, and can still reply', async () => {
    const { server, client } = await s.tcpPair();
    await P.send(client, 'request');
    P.shutdown(client, P.SHUT_WR);
    expect((await P.recv(server, 100)).toString()).toBe('request');
    expect((await P.recv(server, 100)).length).toBe(0);
    await P.send(server, 'reply');
    P.shutdown(server, P.SHUT_WR);
    expect((await P.recv(client, 100)).toString()).toBe('reply');
    expect((await P.recv(client, 100)).length).toBe(0);
    // Writing after SHUT_WR is EPIPE.
    expect((await rejection(P.send(client, 'more'))).code).toBe('EPIPE');
  });
});

describe('MSG_ flags', () => {
  test('MSG_PEEK leaves the data queued', async () => {
    const { server, client } = await s.tcpPair();
    await P.send(client, 'peekaboo');
    expect((await P.recv(server, 4, P.MSG_PEEK)).toString()).toBe('peek');
    expect((await P.recv(server, 100)).toString()).toBe('peekaboo');
  });

  test('MSG_WAITALL on the sync call waits for the whole length', () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    P.sendSync(a, 'abc');
    P.sendSync(a, 'def');
    expect(P.recvSync(b, 6, P.MSG_WAITALL).toString()).toBe('abcdef');
  });
});
