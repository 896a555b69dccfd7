// One side of a benchmark workload, in one of three implementations:
//   promise — this package's promise calls;  sync — its ...Sync calls;
//   node    — Node's own net/dgram.
// The wire protocol matches bench/c/bench.c, so any client can meet any server.
// Usage: node --import tsx bench/peer.ts <impl> server|client <workload> <addr> [arg] [arg2]
// A server prints "ready" once it listens; each side prints one JSON line of results.
//
// The "flood" workload (UDP, 64-byte datagrams, as fast as they go): the
// server is the receiver, the client the sender. This package batches:
// recvmmsg / recvmmsgSync and sendmmsg / sendmmsgSync, FLOOD_BATCH
// datagrams a call; node:dgram has one 'message' event and one send() a
// datagram. bench/c/bench.c's "flood" is C's per-datagram loop and
// "flood-mmsg" C's own batched one.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as P from '../lib';

const MSG = 64;
const BULK = 64 * 1024;
/** The floods, as in bench/c/bench.c: datagrams per call, room per datagram, every receiver's SO_RCVBUF. */
const FLOOD_BATCH = 64;
const FLOOD_ROOM = 2048;
const FLOOD_RCVBUF = 4 << 20;
/** A flood receiver stops once no datagram has come for this long (the sender is done). */
const FLOOD_IDLE_MS = 300;
const now = () => performance.now() / 1000;

type Impl = 'promise' | 'sync' | 'node';
const [impl, role, workload, addr, argText] = process.argv.slice(2) as [Impl, string, string, string, string];
const arg = Number(argText ?? 2);
const isUnix = addr.startsWith('/');

const peerAddress: P.SockaddrInput = isUnix
  ? { family: P.AF_UNIX, path: addr }
  : { family: P.AF_INET, address: '127.0.0.1', port: Number(addr) };
function sockaddr(): P.SockaddrInput {
  return peerAddress;
}

function out(result: object): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}

// ---------------------------------------------------------------- this package

function psListener(type: number): number {
  const fd = P.socket(isUnix ? P.AF_UNIX : P.AF_INET, type | (impl === 'promise' ? P.SOCK_NONBLOCK ?? 0 : 0));
  if (!isUnix) P.setsockopt(fd, P.SOL_SOCKET, P.SO_REUSEADDR, 1);
  else require('node:fs').rmSync(addr, { force: true });
  P.bind(fd, sockaddr());
  if (type === P.SOCK_STREAM) P.listen(fd, 4096);
  return fd;
}

async function psConnect(): Promise<number> {
  const fd = P.socket(isUnix ? P.AF_UNIX : P.AF_INET, P.SOCK_STREAM);
  if (impl === 'sync') P.connectSync(fd, sockaddr());
  else await P.connect(fd, sockaddr());
  if (!isUnix) P.setsockopt(fd, P.IPPROTO_TCP, P.TCP_NODELAY, 1);
  return fd;
}

async function psAccept(lfd: number): Promise<number> {
  const fd = impl === 'sync' ? P.acceptSync(lfd).fd : (await P.accept(lfd)).fd;
  if (!isUnix) P.setsockopt(fd, P.IPPROTO_TCP, P.TCP_NODELAY, 1);
  return fd;
}

/** Reads exactly buf.length bytes into buf; false at EOF. */
async function readFull(fd: number, buf: Buffer): Promise<boolean> {
  let got = 0;
  while (got < buf.length) {
    const view = got === 0 ? buf : buf.subarray(got);
    const n = impl === 'sync' ? P.recvIntoSync(fd, view) : await P.recvInto(fd, view);
    if (n === 0) return false;
    got += n;
  }
  return true;
}

async function write(fd: number, buf: Buffer): Promise<void> {
  let sent = 0;
  while (sent < buf.length) {
    const view = sent === 0 ? buf : buf.subarray(sent);
    sent += impl === 'sync' ? P.sendSync(fd, view) : await P.send(fd, view);
  }
}

/** struct timeval on 64-bit Linux: two longs. */
function timeval(ms: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigInt64LE(BigInt(Math.floor(ms / 1000)), 0);
  b.writeBigInt64LE(BigInt((ms % 1000) * 1000), 8);
  return b;
}

/**
 * The flood receiver: counts datagrams until none has come for
 * FLOOD_IDLE_MS. sync: recvmmsgSync (MSG_WAITFORONE) bounded by
 * SO_RCVTIMEO, as the C receiver is; promise: recvmmsg with { timeout },
 * which arms a timer only when it has to wait.
 */
async function psFloodReceiver(): Promise<void> {
  const fd = psListener(P.SOCK_DGRAM);
  P.setsockopt(fd, P.SOL_SOCKET, P.SO_RCVBUF, FLOOD_RCVBUF);
  if (impl === 'sync') P.setsockopt(fd, P.SOL_SOCKET, P.SO_RCVTIMEO, timeval(30000));
  console.log('ready');
  let n = 0;
  let calls = 0;
  let first = 0;
  let last = 0;
  for (;;) {
    let got: P.RecvmsgResult[];
    try {
      got =
        impl === 'sync'
          ? P.recvmmsgSync!(fd, FLOOD_BATCH, FLOOD_ROOM)
          : await P.recvmmsg!(fd, FLOOD_BATCH, FLOOD_ROOM, 0, 0, { timeout: n === 0 ? 30000 : FLOOD_IDLE_MS });
    } catch (e) {
      const code = (e as P.SocketError).code;
      if (code === 'ETIMEDOUT' || code === 'EAGAIN') break;
      throw e;
    }
    if (n === 0) {
      first = now();
      if (impl === 'sync') P.setsockopt(fd, P.SOL_SOCKET, P.SO_RCVTIMEO, timeval(FLOOD_IDLE_MS));
    }
    n += got.length;
    calls++;
    last = now();
  }
  out({ received: n, calls, seconds: last - first });
  P.close(fd);
}

/** The flood sender: FLOOD_BATCH datagrams a sendmmsg, each with the (encoded) address, for `arg` seconds. */
async function psFloodSender(): Promise<void> {
  const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
  const buf = Buffer.alloc(MSG, 0x66);
  const to = P.sockaddrToBytes(sockaddr());
  const msgs: P.Msghdr[] = Array.from({ length: FLOOD_BATCH }, () => ({ iov: [buf], name: to }));
  let n = 0;
  const start = now();
  const end = start + arg;
  let t = start;
  while (t < end) {
    n += impl === 'sync' ? P.sendmmsgSync!(fd, msgs) : await P.sendmmsg!(fd, msgs);
    t = now();
  }
  out({ sent: n, seconds: t - start });
  P.close(fd);
}

async function psServer(): Promise<void> {
  if (workload === 'flood') return psFloodReceiver();
  if (workload === 'udp') {
    const fd = psListener(P.SOCK_DGRAM);
    console.log('ready');
    const buf = Buffer.alloc(2048);
    let n = 0;
    let first = 0;
    let last = 0;
    for (;;) {
      try {
        if (impl === 'sync') {
          if (P.poll([{ fd, events: P.POLLIN }], n === 0 ? 30000 : 300) === 0) break;
          P.recvIntoSync(fd, buf);
        } else {
          await P.recvInto(fd, buf, 0, { timeout: n === 0 ? 30000 : 300 });
        }
      } catch (e) {
        if ((e as P.SocketError).code === 'ETIMEDOUT') break;
        throw e;
      }
      if (n === 0) first = now();
      n++;
      last = now();
    }
    out({ received: n, seconds: last - first });
    return;
  }
  const lfd = psListener(P.SOCK_STREAM);
  console.log('ready');
  if (workload === 'connect') {
    for (let i = 0; i < arg; i++) P.close(await psAccept(lfd));
  } else if (workload === 'bulk') {
    const fd = await psAccept(lfd);
    const buf = Buffer.alloc(BULK);
    let total = 0;
    let first = 0;
    let last = 0;
    for (;;) {
      const n = impl === 'sync' ? P.recvIntoSync(fd, buf) : await P.recvInto(fd, buf);
      if (n === 0) break;
      if (total === 0) first = now();
      total += n;
      last = now();
    }
    out({ bytes: total, seconds: last - first });
    P.close(fd);
  } else if (workload === 'fanin') {
    await psFaninServer(lfd, arg);
  } else {
    const fd = await psAccept(lfd);
    const buf = Buffer.alloc(MSG);
    while (await readFull(fd, buf)) await write(fd, buf);
    P.close(fd);
  }
  P.close(lfd);
}

async function psFaninServer(lfd: number, conns: number): Promise<void> {
  const fds: number[] = [];
  for (let i = 0; i < conns; i++) fds.push(await psAccept(lfd));
  if (impl === 'promise') {
    // One async loop per connection: each waits on its own fd.
    await Promise.all(
      fds.map(async (fd) => {
        const buf = Buffer.alloc(MSG);
        while (await readFull(fd, buf)) await write(fd, buf);
        P.close(fd);
      }),
    );
    return;
  }
  // sync: a poll() loop, as the C server does.
  const buf = Buffer.alloc(MSG);
  const polled: P.PollFd[] = fds.map((fd) => ({ fd, events: P.POLLIN }));
  let open = conns;
  while (open > 0) {
    P.poll(polled, -1);
    for (const p of polled) {
      if (p.fd < 0 || !p.revents) continue;
      if (!(await readFull(p.fd, buf))) {
        P.close(p.fd);
        p.fd = -1; // poll ignores negative fds, as in C
        open--;
        continue;
      }
      await write(p.fd, buf);
    }
  }
}

async function psClient(): Promise<void> {
  if (workload === 'flood') return psFloodSender();
  if (workload === 'udp') {
    const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
    const buf = Buffer.alloc(MSG, 0x75);
    // Encoded once, as a hot sendto loop should (addresses are not cached).
    const to = P.sockaddrToBytes(sockaddr());
    let n = 0;
    const end = now() + arg;
    while (now() < end) {
      for (let i = 0; i < 64; i++) {
        const r = impl === 'sync' ? P.sendtoSync(fd, buf, 0, to) : await P.sendto(fd, buf, 0, to);
        if (r === MSG) n++;
      }
    }
    out({ sent: n });
    P.close(fd);
    return;
  }
  if (workload === 'connect') {
    const start = now();
    for (let i = 0; i < arg; i++) {
      const fd = P.socket(P.AF_INET, P.SOCK_STREAM | (impl === 'promise' ? P.SOCK_NONBLOCK ?? 0 : 0));
      if (impl === 'sync') P.connectSync(fd, sockaddr());
      else await P.connect(fd, sockaddr());
      P.close(fd);
    }
    out({ ops: arg, seconds: now() - start });
    return;
  }
  const fd = await psConnect();
  if (workload === 'bulk') {
    const buf = Buffer.alloc(BULK, 0x62);
    let total = 0;
    const end = now() + arg;
    while (total < 2 ** 30 && now() < end) {
      for (let i = 0; i < 16; i++) total += impl === 'sync' ? P.sendSync(fd, buf) : await P.send(fd, buf);
    }
    out({ bytes: total });
    P.close(fd);
    return;
  }
  // pingpong and pingpong-count
  const buf = Buffer.alloc(MSG, 0x78);
  const byCount = workload === 'pingpong-count';
  if (!byCount) for (let i = 0; i < 1000; i++) await roundTrip(fd, buf);
  let n = 0;
  const start = now();
  let t = start;
  if (byCount) {
    for (; n < arg; n++) await roundTrip(fd, buf);
    t = now();
  } else {
    const end = start + arg;
    while (t < end) {
      for (let i = 0; i < 100; i++) await roundTrip(fd, buf);
      n += 100;
      t = now();
    }
  }
  out({ ops: n, seconds: t - start });
  P.close(fd);
}

async function roundTrip(fd: number, buf: Buffer): Promise<void> {
  if (impl === 'sync') {
    P.sendSync(fd, buf);
    let got = 0;
    while (got < MSG) got += P.recvIntoSync(fd, got === 0 ? buf : buf.subarray(got));
    return;
  }
  await P.send(fd, buf);
  let got = 0;
  while (got < MSG) got += await P.recvInto(fd, got === 0 ? buf : buf.subarray(got));
}

// ---------------------------------------------------------------- node:net / node:dgram

/** The flood receiver on node:dgram: one 'message' event a datagram; idleness checked on a timer, not per datagram. */
function nodeFloodReceiver(): void {
  const sock = dgram.createSocket('udp4');
  let n = 0;
  let first = 0;
  let last = 0;
  sock.on('message', () => {
    if (n === 0) first = now();
    n++;
    last = now();
  });
  let seen = -1;
  const tick = setInterval(() => {
    if (n > 0 && n === seen && now() - last >= FLOOD_IDLE_MS / 1000) {
      clearInterval(tick);
      out({ received: n, seconds: last - first });
      sock.close();
    }
    seen = n;
  }, FLOOD_IDLE_MS / 3);
  sock.bind(Number(addr), '127.0.0.1', () => {
    sock.setRecvBufferSize(FLOOD_RCVBUF);
    console.log('ready');
  });
}

/**
 * The flood sender on node:dgram: send() is asynchronous, so FLOOD_BATCH
 * are kept in flight (libuv may pass several queued sends to one sendmmsg).
 */
function nodeFloodSender(): void {
  const sock = dgram.createSocket('udp4');
  const buf = Buffer.alloc(MSG, 0x66);
  const port = Number(addr);
  let n = 0;
  const start = now();
  const end = start + arg;
  let inFlight = 0;
  let finished = false;
  const sent = (err: Error | null) => {
    inFlight--;
    if (!err) n++;
    pump();
  };
  const pump = () => {
    while (inFlight < FLOOD_BATCH && now() < end) {
      inFlight++;
      sock.send(buf, port, '127.0.0.1', sent);
    }
    if (inFlight === 0 && !finished) {
      finished = true;
      out({ sent: n, seconds: now() - start });
      sock.close();
    }
  };
  pump();
}

function nodeServer(): void {
  if (workload === 'flood') return nodeFloodReceiver();
  if (workload === 'udp') {
    const sock = dgram.createSocket('udp4');
    let n = 0;
    let first = 0;
    let last = 0;
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      out({ received: n, seconds: last - first });
      sock.close();
    };
    sock.on('message', () => {
      if (n === 0) first = now();
      n++;
      last = now();
      clearTimeout(idle);
      idle = setTimeout(finish, 300);
    });
    sock.bind(Number(addr), '127.0.0.1', () => console.log('ready'));
    return;
  }
  let accepted = 0;
  const server = net.createServer({ noDelay: true }, (c) => {
    accepted++;
    if (workload === 'connect') {
      c.destroy();
      if (accepted === arg) server.close();
      return;
    }
    if (workload === 'bulk') {
      let total = 0;
      let first = 0;
      let last = 0;
      c.on('data', (d) => {
        if (total === 0) first = now();
        total += d.length;
        last = now();
      });
      c.on('end', () => {
        out({ bytes: total, seconds: last - first });
        server.close();
      });
      return;
    }
    // Echo in 64-byte messages.
    let pending = Buffer.alloc(0);
    c.on('data', (d) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      const whole = pending.length - (pending.length % MSG);
      if (whole > 0) c.write(pending.subarray(0, whole));
      pending = pending.subarray(whole);
    });
    c.on('end', () => {
      c.end();
      if (workload !== 'fanin' || accepted === arg) server.close();
    });
  });
  if (isUnix) require('node:fs').rmSync(addr, { force: true });
  server.listen(isUnix ? { path: addr, backlog: 4096 } : { port: Number(addr), host: '127.0.0.1', backlog: 4096 }, () =>
    console.log('ready'),
  );
}

function nodeClient(): void {
  if (workload === 'flood') return nodeFloodSender();
  const target = isUnix ? { path: addr } : { port: Number(addr), host: '127.0.0.1' };
  if (workload === 'udp') {
    const sock = dgram.createSocket('udp4');
    const buf = Buffer.alloc(MSG, 0x75);
    let n = 0;
    const end = now() + arg;
    // dgram.send is asynchronous: keep a bounded number in flight.
    let inFlight = 0;
    const pump = () => {
      while (inFlight < 64 && now() < end) {
        inFlight++;
        sock.send(buf, Number(addr), '127.0.0.1', (err) => {
          inFlight--;
          if (!err) n++;
          if (now() < end) pump();
          else if (inFlight === 0) {
            out({ sent: n });
            sock.close();
          }
        });
      }
    };
    pump();
    return;
  }
  if (workload === 'connect') {
    let done = 0;
    const start = now();
    const next = () => {
      if (done === arg) return out({ ops: arg, seconds: now() - start });
      const c = net.connect(target, () => {
        c.destroy();
        done++;
        next();
      });
    };
    next();
    return;
  }
  const c = net.connect({ ...target, noDelay: true });
  if (workload === 'bulk') {
    const buf = Buffer.alloc(BULK, 0x62);
    let total = 0;
    const end = now() + arg;
    const pump = () => {
      while (total < 2 ** 30 && now() < end) {
        total += BULK;
        if (!c.write(buf)) return void c.once('drain', pump);
      }
      out({ bytes: total });
      c.end();
    };
    c.on('connect', pump);
    return;
  }
  const buf = Buffer.alloc(MSG, 0x78);
  const byCount = workload === 'pingpong-count';
  let warm = byCount ? 0 : 1000;
  let n = 0;
  let start = 0;
  let end = 0;
  let got = 0;
  c.on('connect', () => {
    start = now();
    end = start + arg;
    c.write(buf);
  });
  c.on('data', (d) => {
    got += d.length;
    if (got < MSG) return;
    got -= MSG;
    if (warm > 0) {
      warm--;
      if (warm === 0) {
        start = now();
        end = start + arg;
      }
      return void c.write(buf);
    }
    n++;
    const t = byCount ? 0 : n % 100 === 0 ? now() : 0;
    if ((byCount && n === arg) || (!byCount && t >= end)) {
      out({ ops: n, seconds: now() - start });
      return void c.end();
    }
    c.write(buf);
  });
}

// ----------------------------------------------------------------

if (impl === 'node') {
  if (role === 'server') nodeServer();
  else nodeClient();
} else if (role === 'server') {
  void psServer();
} else {
  void psClient();
}
