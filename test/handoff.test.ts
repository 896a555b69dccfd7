// toNetSocket, toNetServer, toDgramSocket: sockets made here handed to
// Node's net and dgram, with real traffic; what they refuse (a call still
// waiting, a socket Node cannot wrap) and the backlog a server keeps.
import { execFileSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import * as P from '../lib';
import { dist, report, runChild } from './helpers/child';
import { isLinux, isRoot, rejection, thrown, useSockets } from './helpers/sockets';

const s = useSockets();

// What Node was handed; each is closed after the test (closing the fd).
const handed: { close(): void }[] = [];
afterEach(() => {
  for (const h of handed.splice(0)) h.close();
});

/** Forgets `fd` in the Sockets set: Node owns (and closes) it now. */
function given(fd: number): number {
  (s as unknown as { open: Set<number> }).open.delete(fd);
  return fd;
}

/** The listen backlog `ss` reports for the listening socket on `port` (Send-Q), or on the unix `path`. */
function ssBacklog(args: string[], filter: string): number {
  const out = execFileSync('ss', [...args, '-H', filter], { encoding: 'utf8' }).trim();
  const fields = out.split(/\s+/);
  // -ltn: State Recv-Q Send-Q Local Peer; -lx: Netid State Recv-Q Send-Q Local ...
  const sendQ = args[0] === '-lx' ? fields[3] : fields[2];
  return Number(sendQ);
}
const haveSs = (() => {
  try {
    execFileSync('ss', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('toNetServer', () => {
  test('a listening socket made here accepts a net client and echoes through net', async () => {
    const l = s.listener(P.AF_INET, P.SOCK_STREAM, 8);
    const server = toServer(l.fd);
    server.on('connection', (c) => c.pipe(c));
    expect(server.listening).toBe(true);
    expect(server.address()).toEqual({ address: '127.0.0.1', family: 'IPv4', port: l.address.port });

    const client = net.connect(l.address.port, '127.0.0.1');
    handed.push({ close: () => client.destroy() });
    await once(client, 'connect');
    client.write('through net');
    const [data] = await once(client, 'data');
    expect(data.toString()).toBe('through net');
  });

  test('the server keeps the backlog listen() gave (Node would re-listen with 511)', () => {
    if (!haveSs) return console.warn('skipped: no ss (iproute2) to read the kernel backlog');
    const l = s.listener(P.AF_INET, P.SOCK_STREAM, 7);
    const filter = `sport = :${l.address.port}`;
    expect(ssBacklog(['-ltn'], filter)).toBe(7);
    toServer(l.fd);
    expect(ssBacklog(['-ltn'], filter)).toBe(7);
  });

  test('why: Node itself re-listens on a given fd with 511, whatever listen({ fd, backlog }) says', async () => {
    if (!haveSs) return console.warn('skipped: no ss (iproute2) to read the kernel backlog');
    const l = s.listener(P.AF_INET, P.SOCK_STREAM, 7);
    P.release(given(l.fd));
    const server = net.createServer().listen({ fd: l.fd, backlog: 3 });
    handed.push({ close: () => server.close() });
    const somaxconn = Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    expect(ssBacklog(['-ltn'], `sport = :${l.address.port}`)).toBe(Math.min(511, somaxconn));
  });

  test('a backlog of 0 stays 0 (Node would pass `0 || 511`)', () => {
    if (!haveSs) return console.warn('skipped: no ss (iproute2) to read the kernel backlog');
    const l = s.listener(P.AF_INET, P.SOCK_STREAM, 0);
    toServer(l.fd);
    expect(ssBacklog(['-ltn'], `sport = :${l.address.port}`)).toBe(0);
  });

  test('a connected socket is refused (use toNetSocket), a listening one by toNetSocket (use toNetServer)', async () => {
    const { client, listener } = await s.tcpPair();
    expect(thrown(() => P.toNetServer(client)).message).toBe(`toNetServer: fd ${client} is connected: hand it over with toNetSocket`);
    expect(thrown(() => P.toNetSocket(listener)).message).toBe(`toNetSocket: fd ${listener} is listening: hand it over with toNetServer`);
  });

  test('options.backlog chooses another backlog', () => {
    if (!haveSs) return console.warn('skipped: no ss (iproute2) to read the kernel backlog');
    const l = s.listener(P.AF_INET6, P.SOCK_STREAM, 7);
    toServer(l.fd, { backlog: 3 });
    expect(ssBacklog(['-ltn'], `sport = :${l.address.port}`)).toBe(3);
  });

  test('a unix stream listener keeps its backlog and accepts a net client', async () => {
    if (!haveSs) return console.warn('skipped: no ss (iproute2) to read the kernel backlog');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-sockets-handoff-'));
    const sock = path.join(dir, 's');
    try {
      const fd = s.socket(P.AF_UNIX, P.SOCK_STREAM);
      P.bind(fd, { family: P.AF_UNIX, path: sock });
      P.listen(fd, 5);
      const server = toServer(fd);
      expect(ssBacklog(['-lx'], `src ${sock}`)).toBe(5);
      const accepted = once(server, 'connection');
      const client = net.connect(sock);
      handed.push({ close: () => client.destroy() });
      await once(client, 'connect');
      const [conn] = (await accepted) as [net.Socket];
      handed.push({ close: () => conn.destroy() });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a listening unix socket whose backlog is unknown needs options.backlog', () => {
    // The kernel has no getsockopt for a unix listener's backlog; a dup() of
    // one this package did not see listen has none recorded.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-sockets-handoff-'));
    try {
      const fd = s.socket(P.AF_UNIX, P.SOCK_STREAM);
      P.bind(fd, { family: P.AF_UNIX, path: path.join(dir, 's') });
      P.listen(fd, 5);
      const copy = s.adopt(P.dup(fd));
      const e = thrown(() => P.toNetServer(copy));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(/pass options.backlog/);
      // Nothing was released: the package still closes it (afterEach).
      toServer(copy, { backlog: 5 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('toNetServer: a number that refers to another listener now', () => {
  // The backlog listen() gave is recorded by number (the kernel has no
  // getsockopt for a unix listener's); a number that now refers to another
  // listener must not lend it the old one's, which toNetServer would then
  // impose on it.
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-sockets-handoff-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  function unixListener(name: string, backlog: number): number {
    const fd = s.socket(P.AF_UNIX, P.SOCK_STREAM);
    P.bind(fd, { family: P.AF_UNIX, path: path.join(dir, name) });
    P.listen(fd, backlog);
    return fd;
  }

  test('after dup2() onto it', () => {
    if (!haveSs) return console.warn('skipped: no ss (iproute2) to read the kernel backlog');
    const a = unixListener('a', 5);
    const b = unixListener('b', 100);
    P.dup2(b, a); // a is b's listener now
    expect(thrown(() => P.toNetServer(a)).message).toMatch(/pass options.backlog/);
    expect(ssBacklog(['-lx'], `src ${path.join(dir, 'b')}`)).toBe(100);
  });

  test('a listener received (SCM_RIGHTS) under the number of one closed behind the package\'s back', () => {
    if (!haveSs) return console.warn('skipped: no ss (iproute2) to read the kernel backlog');
    const d = unixListener('d', 50);
    const [x, y] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    // socket() took the lowest free number: closed, c is the lowest again.
    const c = unixListener('c', 7);
    fs.closeSync(given(c));
    P.sendFdsSync(x, 'f', [d]);
    const { fds } = P.recvFdsSync(y, 10, 1);
    s.adopt(fds[0]);
    expect(fds[0]).toBe(c);
    expect(thrown(() => P.toNetServer(c)).message).toMatch(/pass options.backlog/);
    expect(ssBacklog(['-lx'], `src ${path.join(dir, 'd')}`)).toBe(50);
  });
});

function toServer(fd: number, opts?: P.ToNetServerOptions): net.Server {
  const server = P.toNetServer(fd, opts);
  given(fd);
  handed.push({ close: () => server.close() });
  return server;
}

describe('toNetSocket', () => {
  test('a connected socket made here exchanges data with a package peer through net', async () => {
    const { server, client } = await s.tcpPair();
    const sock = P.toNetSocket(given(client));
    handed.push({ close: () => sock.destroy() });
    expect(sock.remotePort).toBe((P.getsockname(server) as P.SockaddrIn).port);

    await P.send(server, 'from the package');
    const [data] = await once(sock, 'data');
    expect(data.toString()).toBe('from the package');
    sock.end('from net');
    expect((await P.recv(server, 100)).toString()).toBe('from net');
    expect((await P.recv(server, 100)).length).toBe(0); // net's end() shut the fd down
    const closed = once(sock, 'close');
    s.close(server); // the peer's EOF: net (allowHalfOpen false) destroys the socket
    await closed;
    // net closed the fd: the number is free (or someone else's) now.
    expect(thrown(() => P.getsockopt(client, P.SOL_SOCKET, P.SO_TYPE)).code).toMatch(/EBADF|ENOTSOCK/);
  });

  test('a unix stream socketpair end works as a net.Socket', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const sock = P.toNetSocket(given(a));
    handed.push({ close: () => sock.destroy() });
    P.sendSync(b, 'pair');
    const [data] = await once(sock, 'data');
    expect(data.toString()).toBe('pair');
  });

  test('a call still waiting on the fd is an EBUSY error, thrown before anything is released', async () => {
    const { server, client } = await s.tcpPair();
    const ac = new AbortController();
    const pending = P.recv(client, 10, 0, { signal: ac.signal });
    const e = thrown(() => P.toNetSocket(client));
    expect(e).toBeInstanceOf(P.SocketError);
    expect(e.code).toBe('EBUSY');
    expect(e.syscall).toBe('toNetSocket');
    expect(e.message).toMatch(/1 call of this package waiting \(recv\)/);
    // Not cancelled, still the package's: it gets the data.
    await P.send(server, 'x');
    expect((await pending).toString()).toBe('x');
    // Settled: now it can go.
    const sock = P.toNetSocket(given(client));
    handed.push({ close: () => sock.destroy() });
  });

  test('an option Node checks after opening the fd (a bad signal) is thrown with nothing released; a `handle` option does not replace the fd', async () => {
    const { server, client } = await s.tcpPair();
    const e = thrown(() => P.toNetSocket(client, { signal: {} as AbortSignal }));
    expect(e.code).toBe('ERR_INVALID_ARG_TYPE');
    // net would wrap the handle and leave the fd released and owned by nobody.
    const sock = P.toNetSocket(given(client), { handle: { readStart: () => 0 } } as never);
    handed.push({ close: () => sock.destroy() });
    expect(sock.remotePort).toBe((P.getsockname(server) as P.SockaddrIn).port);
    await P.send(server, 'to the fd');
    const [data] = await once(sock, 'data');
    expect(data.toString()).toBe('to the fd');
  });

  test('AF_UNIX SOCK_DGRAM and SOCK_SEQPACKET fds are refused with the limit named, and stay the package\'s', () => {
    for (const type of [P.SOCK_DGRAM, P.SOCK_SEQPACKET]) {
      const [a] = s.socketpair(P.AF_UNIX, type);
      for (const f of [P.toNetSocket, P.toNetServer]) {
        const e = thrown(() => f(a));
        expect(e).toBeInstanceOf(TypeError);
        expect(e.code).toBe('ERR_INVALID_FD_TYPE');
        expect(e.message).toContain(`AF_UNIX ${type === P.SOCK_DGRAM ? 'SOCK_DGRAM' : 'SOCK_SEQPACKET'} socket`);
        expect(e.message).toMatch(/AF_UNIX datagram and SOCK_SEQPACKET sockets/);
      }
      const e = thrown(() => P.toDgramSocket(a));
      expect(e.code).toBe('ERR_INVALID_FD_TYPE');
      // Still open, and still the package's (closed by afterEach).
      expect(P.getsockopt(a, P.SOL_SOCKET, P.SO_TYPE)).toBe(type);
    }
  });

  test('a UDP fd is refused by net, a TCP fd by dgram', () => {
    const udp = s.socket(P.AF_INET, P.SOCK_DGRAM);
    expect(thrown(() => P.toNetSocket(udp)).message).toMatch(/AF_INET SOCK_DGRAM socket; net needs/);
    const tcp = s.socket(P.AF_INET, P.SOCK_STREAM);
    expect(thrown(() => P.toDgramSocket(tcp)).message).toMatch(/AF_INET SOCK_STREAM socket; dgram needs/);
  });

  test('a closed fd is the kernel\'s EBADF', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    s.close(fd);
    expect(thrown(() => P.toNetSocket(fd)).code).toBe('EBADF');
  });
});

describe('toDgramSocket', () => {
  test('a UDP socket made here receives a datagram through dgram', async () => {
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const port = (P.getsockname(fd) as P.SockaddrIn).port;
    const sock = P.toDgramSocket(given(fd));
    handed.push({ close: () => sock.close() });
    expect(sock.address()).toEqual({ address: '127.0.0.1', family: 'IPv4', port });

    const peer = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.bind(peer, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const message = once(sock, 'message');
    await P.sendto(peer, 'to dgram', 0, { family: P.AF_INET, address: '127.0.0.1', port });
    const [data, rinfo] = (await message) as [Buffer, dgram.RemoteInfo];
    expect(data.toString()).toBe('to dgram');
    expect(rinfo.port).toBe((P.getsockname(peer) as P.SockaddrIn).port);
    // And back, from dgram to the package.
    sock.send('back', rinfo.port, '127.0.0.1');
    expect((await P.recv(peer, 100)).toString()).toBe('back');
  });

  test('type is the fd\'s own; another is a TypeError', () => {
    const fd = s.socket(P.AF_INET6, P.SOCK_DGRAM);
    expect(thrown(() => P.toDgramSocket(fd, 'udp4')).message).toMatch(/which is 'udp6', not 'udp4'/);
    const sock = P.toDgramSocket(given(fd), 'udp6');
    handed.push({ close: () => sock.close() });
    expect(sock.address().family).toBe('IPv6');
  });

  test('a pending recvfrom is EBUSY; aborted, the fd can go', async () => {
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const ac = new AbortController();
    const pending = P.recvfrom(fd, 10, 0, { signal: ac.signal });
    expect(thrown(() => P.toDgramSocket(fd)).code).toBe('EBUSY');
    ac.abort();
    expect((await rejection(pending)).code).toBe('ABORT_ERR');
    const sock = P.toDgramSocket(given(fd));
    handed.push({ close: () => sock.close() });
  });

  test('an option Node checks only after it opened the fd (a buffer size the kernel refuses): the error, and nothing left receiving to hold the process open', () => {
    // dgram applies recvBufferSize after adopting the fd and starting to
    // receive; its error used to leave that socket out of the caller's
    // reach, holding the process open for ever. Run where a hang shows.
    const r = runChild(`
      const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
      P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
      let code;
      try { P.toDgramSocket(fd, undefined, { recvBufferSize: 2 ** 31 }); } catch (e) { code = e.code; }
      // Node had the fd and closed it with its socket.
      let after = 'open';
      try { fs.fstatSync(fd); } catch { after = 'closed'; }
      console.log(JSON.stringify({ code, after }));
    `);
    expect({ status: r.status, signal: r.signal }).toEqual({ status: 0, signal: null });
    expect(report(r)).toEqual({ code: 'ERR_SOCKET_BUFFER_SIZE', after: 'closed' });
  });

  test('an aborted options.signal is an AbortError with the fd still the package\'s (Node\'s socket would be closed before adopting it)', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const e = thrown(() => P.toDgramSocket(fd, undefined, { signal: AbortSignal.abort() }));
    expect(e.code).toBe('ABORT_ERR');
    // Not released: it can still be handed over.
    const sock = P.toDgramSocket(given(fd));
    handed.push({ close: () => sock.close() });
    expect(sock.address().port).toBe((P.getsockname(fd) as P.SockaddrIn).port);
  });

  test('toNetSocket: an aborted options.signal is an AbortError with nothing released (Node would destroy its socket next tick, with an unheard error event)', async () => {
    const { server, client } = await s.tcpPair();
    const e = thrown(() => P.toNetSocket(client, { signal: AbortSignal.abort() }));
    expect(e.code).toBe('ABORT_ERR');
    // Not released: it can still be handed over, and carries data.
    const sock = P.toNetSocket(given(client));
    handed.push({ close: () => sock.destroy() });
    await P.send(server, 'still here');
    const [data] = await once(sock, 'data');
    expect(data.toString()).toBe('still here');
  });

  test('fd 0, which dgram cannot adopt (it would bind a new socket on 0.0.0.0 instead), is a RangeError and stays the package\'s', () => {
    const r = runChild(`
      fs.closeSync(0);
      const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
      P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
      let error;
      try { P.toDgramSocket(fd).close(); } catch (e) { error = e.constructor.name; }
      // Still the package's: a dup() of it goes over and is the same socket.
      const copy = P.dup(fd);
      P.close(fd);
      const sock = P.toDgramSocket(copy);
      console.log(JSON.stringify({ fd, error, same: sock.address().port === P.getsockname(copy).port }));
      sock.close();
    `);
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(report(r)).toEqual({ fd: 0, error: 'RangeError', same: true });
  });

  test('in a cluster worker, the worker\'s own fd is adopted (not one the primary has under that number)', () => {
    const worker = `
      const P = require(${JSON.stringify(dist)});
      const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
      P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
      const port = P.getsockname(fd).port;
      const sock = P.toDgramSocket(fd);
      const done = (m) => { process.send(m); sock.close(); process.disconnect(); };
      sock.on('error', (e) => done({ error: e.code }));
      sock.on('message', (m) => done({ got: String(m) }));
      const peer = P.socket(P.AF_INET, P.SOCK_DGRAM);
      P.sendtoSync(peer, 'hi', 0, { family: P.AF_INET, address: '127.0.0.1', port });
      P.close(peer);
    `;
    const r = runChild(`
      const cluster = require('node:cluster');
      const file = tmp('worker.js');
      fs.writeFileSync(file, ${JSON.stringify(worker)});
      cluster.setupPrimary({ exec: file, execArgv: [] }); // not this -e script's
      cluster.fork().on('message', (m) => console.log(JSON.stringify(m))).on('exit', () => fs.rmSync(file));
    `);
    expect(report(r)).toEqual({ got: 'hi' });
  });

  test('toNetServer in a cluster worker is refused before release (Node would ask the primary for its own fd of that number)', () => {
    const worker = `
      const P = require(${JSON.stringify(dist)});
      const fd = P.socket(P.AF_INET, P.SOCK_STREAM);
      P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
      P.listen(fd, 7);
      let error;
      try { P.toNetServer(fd); } catch (e) { error = { name: e.name, code: e.code, message: e.message }; }
      // Still the package's: its own accept() works on it.
      const port = P.getsockname(fd).port;
      const c = P.socket(P.AF_INET, P.SOCK_STREAM);
      P.connect(c, { family: P.AF_INET, address: '127.0.0.1', port })
        .then(() => P.accept(fd))
        .then((a) => { P.close(a.fd); P.close(c); P.close(fd); process.send({ error, accepted: true }); process.disconnect(); });
    `;
    const r = runChild(`
      const cluster = require('node:cluster');
      const file = tmp('worker.js');
      fs.writeFileSync(file, ${JSON.stringify(worker)});
      cluster.setupPrimary({ exec: file, execArgv: [] });
      cluster.fork().on('message', (m) => console.log(JSON.stringify(m))).on('exit', () => fs.rmSync(file));
    `);
    expect(report(r)).toEqual({
      error: { name: 'TypeError', code: 'ERR_INVALID_FD_TYPE', message: expect.stringMatching(/cannot be handed to net in a cluster worker/) },
      accepted: true,
    });
  });

  test('a raw socket is refused by all three (root)', () => {
    if (!isRoot) return console.warn('skipped: a raw socket needs root (CAP_NET_RAW)');
    const fd = s.socket(P.AF_INET, P.SOCK_RAW, P.IPPROTO_UDP);
    for (const f of [P.toNetSocket, P.toNetServer, P.toDgramSocket]) {
      expect(thrown(() => f(fd)).message).toMatch(/is an AF_INET SOCK_RAW socket \(protocol 17\)/);
    }
  });

  test('an ICMP datagram socket is not UDP (Linux)', () => {
    if (!isLinux) return console.warn('skipped: SO_PROTOCOL is Linux');
    let fd: number;
    try {
      fd = s.socket(P.AF_INET, P.SOCK_DGRAM, P.IPPROTO_ICMP);
    } catch (e) {
      // net.ipv4.ping_group_range does not include this process's group (its default, "1 0", includes none).
      return console.warn(`skipped: no ICMP datagram socket here (${(e as Error).message})`);
    }
    expect(thrown(() => P.toDgramSocket(fd)).message).toMatch(/protocol 1\); dgram needs a UDP socket/);
  });
});

test('bad arguments are TypeError/RangeError before any system call', () => {
  expect(() => P.toNetSocket(-1)).toThrow(RangeError);
  expect(() => P.toNetSocket(0, null as never)).toThrow(TypeError);
  expect(() => P.toNetServer(0, { backlog: 1.5 })).toThrow(RangeError);
  expect(() => P.toDgramSocket(0, 'udp5' as never)).toThrow(TypeError);
});
