// Promise calls that wait: timeouts, AbortSignal, close while pending, and
// the event loop (and threadpool) staying free while many calls wait.
import * as dns from 'node:dns';
import * as fs from 'node:fs';
import * as P from '../lib';
import { testNeedingFds } from './helpers/limits';
import { fillSendBuffer, isLinux, rejection, useSockets } from './helpers/sockets';

const s = useSockets();

describe('timeout', () => {
  test('accept with nobody connecting → ETIMEDOUT; the listener still works after', async () => {
    const l = s.listener();
    const err = await rejection(P.accept(l.fd, { timeout: 20 }));
    expect(err).toBeInstanceOf(P.SocketError);
    expect(err.code).toBe('ETIMEDOUT');
    expect(err.syscall).toBe('accept');
    // The timed-out waiter is gone: the next accept gets the next connection.
    const client = s.socket(P.AF_INET, P.SOCK_STREAM);
    const accepted = P.accept(l.fd);
    await P.connect(client, l.address);
    s.adopt((await accepted).fd);
  });

  test('recv with nothing sent → ETIMEDOUT, and data sent later is still there', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    expect((await rejection(P.recv(a, 10, 0, { timeout: 20 }))).code).toBe('ETIMEDOUT');
    await P.send(b, 'kept');
    expect((await P.recv(a, 10)).toString()).toBe('kept');
  });

  (isLinux ? test : test.skip)('connect that never completes (full listen backlog) → ETIMEDOUT', async () => {
    // backlog 0: Linux queues one connection and then drops further SYNs,
    // so a later connect stays in SYN_SENT, retransmitting.
    const l = s.listener(P.AF_INET, P.SOCK_STREAM, 0);
    let err: any;
    // Bounded: with the queue full, at most a couple of connects complete.
    for (let i = 0; i < 8 && !err; i++) {
      const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
      err = await P.connect(fd, l.address, { timeout: 200 }).then(
        () => undefined,
        (e) => e,
      );
    }
    expect(err).toBeDefined();
    expect(err.code).toBe('ETIMEDOUT');
    expect(err.syscall).toBe('connect');
  });
});

describe('AbortSignal', () => {
  test('aborting a pending accept rejects it with AbortError', async () => {
    const l = s.listener();
    const ac = new AbortController();
    const pending = P.accept(l.fd, { signal: ac.signal });
    ac.abort();
    const err = await rejection(pending);
    expect(err.name).toBe('AbortError');
    expect(err.code).toBe('ABORT_ERR');
    expect(err).toBeInstanceOf(P.AbortError);
  });

  test('aborting a pending recv leaves the data for the next reader', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const ac = new AbortController();
    const pending = P.recv(a, 10, 0, { signal: ac.signal });
    ac.abort(new Error('user gave up'));
    const err = await rejection(pending);
    expect(err).toBeInstanceOf(P.AbortError);
    expect(err.cause.message).toBe('user gave up');
    await P.send(b, 'still here');
    expect((await P.recv(a, 100)).toString()).toBe('still here');
  });

  test('an already-aborted signal rejects without making the call', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    await P.send(b, 'unread');
    const err = await rejection(P.recv(a, 10, 0, { signal: AbortSignal.abort() }));
    expect(err.name).toBe('AbortError');
    // The data was not consumed.
    expect(P.recvSync(a, 10).toString()).toBe('unread');
  });

  (isLinux ? test : test.skip)('aborting a pending connect', async () => {
    const l = s.listener(P.AF_INET, P.SOCK_STREAM, 0);
    let err: any;
    for (let i = 0; i < 8 && !err; i++) {
      const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
      const ac = new AbortController();
      const t = setTimeout(() => ac.abort(), 200);
      err = await P.connect(fd, l.address, { signal: ac.signal }).then(
        () => undefined,
        (e) => e,
      );
      clearTimeout(t);
    }
    expect(err.name).toBe('AbortError');
  });
});

describe('close while calls are pending', () => {
  test('pending recv, recvfrom and send are rejected with ECANCELED before the fd is released', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    P.setsockopt(a, P.SOL_SOCKET, P.SO_SNDBUF, 4096);
    fillSendBuffer(a);
    const calls = [P.recv(a, 10), P.recvfrom(a, 10), P.send(a, 'blocked')];
    s.close(a);
    const errors = await Promise.all(calls.map(rejection));
    expect(errors.map((e) => [e.code, e.syscall])).toEqual([
      ['ECANCELED', 'recv'],
      ['ECANCELED', 'recvfrom'],
      ['ECANCELED', 'send'],
    ]);
    // The number is free for reuse; a new socket that gets it sees no old waiter.
    const [c, d] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    await P.send(d, 'fresh');
    expect((await P.recv(c, 10)).toString()).toBe('fresh');
    expect((await P.recv(b, 4096)).length).toBeGreaterThan(0); // b still holds what a sent
  });

  test('a pending accept is rejected with ECANCELED', async () => {
    const l = s.listener();
    const pending = P.accept(l.fd);
    s.close(l.fd);
    expect((await rejection(pending)).code).toBe('ECANCELED');
  });
});

describe('many pending calls leave the event loop and the threadpool free', () => {
  // 200 socketpairs and a few more sockets in this process, beside jest's own fds.
  testNeedingFds(512, 'soft', '1,000 pending accepts and 200 pending recvs: timers fire, dns.lookup and fs.readFile complete', async () => {
    const l = s.listener(P.AF_INET, P.SOCK_STREAM, 128);
    const pending = Array.from({ length: 1000 }, () => P.accept(l.fd));
    const pairs = Array.from({ length: 200 }, () => s.socketpair(P.AF_UNIX, P.SOCK_STREAM));
    const reads = pairs.map(([a]) => P.recv(a, 16));
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (++ticks === 3) {
          clearInterval(t);
          resolve();
        }
      }, 1);
    });
    expect(ticks).toBe(3);
    // Both run on the libuv threadpool: nothing of ours is parked there.
    const looked = await dns.promises.lookup('localhost', { family: 4 });
    expect(looked.address).toBe('127.0.0.1');
    expect((await fs.promises.readFile(__filename, 'utf8')).length).toBeGreaterThan(0);
    // Serve the first three in FIFO order, then cancel the rest by closing.
    for (let i = 0; i < 3; i++) {
      const c = s.socket(P.AF_INET, P.SOCK_STREAM);
      await P.connect(c, l.address);
      const got = await pending[i];
      s.adopt(got.fd);
      expect(got.address).toEqual(P.getsockname(c));
    }
    // Every recv is woken by its own peer.
    pairs.forEach(([, b], i) => P.sendSync(b, `pair ${i}`));
    expect((await Promise.all(reads)).map(String)).toEqual(pairs.map((_, i) => `pair ${i}`));
    s.close(l.fd);
    const rest = await Promise.allSettled(pending.slice(3));
    expect(rest.every((r) => r.status === 'rejected' && (r.reason as P.SocketError).code === 'ECANCELED')).toBe(true);
  });
});
