// Descriptor numbers are not identities: an fd closed behind the package's
// back (fs.closeSync, a child, another library) is reused by the next open
// in the process. A call that waited on the old file must fail (EBADF),
// never read the new file's data, never make libuv epoll a regular file
// (abort()), and never stop another handle's socket from being polled.
// Scenarios that can abort or hang run in a spawned child.
import * as fs from 'node:fs';
import * as P from '../lib';
import { dist, report, runChild } from './helpers/child';
import { useSockets } from './helpers/sockets';

const s = useSockets();

async function outcome(p: Promise<Buffer>): Promise<string> {
  try {
    return `data=${(await p).toString()}`;
  } catch (e) {
    return `error=${(e as { code?: string }).code}`;
  }
}

/** Resolves after two check phases, so a poll phase has registered waiting fds with epoll. */
const afterPoll = () => new Promise<void>((r) => setImmediate(() => setImmediate(r)));

/** A socketpair whose first end waits in a promise recv; the second end is tracked for cleanup. */
function waitingPair(type = P.SOCK_STREAM): { a: number; b: number; old: Promise<string> } {
  const [a, b] = P.socketpair(P.AF_UNIX, type);
  s.adopt(b);
  const old = outcome(P.recv(a, 10));
  return { a, b, old };
}

describe('a number reused by a socket this package makes', () => {
  test('socketpair: the old waiter fails EBADF, the new socket wakes with its own data', async () => {
    const { a, b, old } = waitingPair();
    await afterPoll(); // the old watcher is registered with epoll
    fs.closeSync(a);
    const [c, d] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    expect(c).toBe(a); // the kernel handed the number out again
    expect(await old).toBe('error=EBADF');
    const fresh = outcome(P.recv(c, 10));
    P.sendSync(d, 'new');
    expect(() => P.sendSync(b, 'stale')).toThrow(); // the old peer is gone
    expect(await fresh).toBe('data=new');
  });

  test('socket: a UDP socket on the reused number receives its own datagram', async () => {
    const { a, b, old } = waitingPair(P.SOCK_DGRAM);
    await afterPoll();
    fs.closeSync(a);
    const u = s.socket(P.AF_INET, P.SOCK_DGRAM);
    expect(u).toBe(a);
    expect(await old).toBe('error=EBADF');
    P.bind(u, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const fresh = outcome(P.recv(u, 10));
    const tx = s.socket(P.AF_INET, P.SOCK_DGRAM);
    await P.sendto(tx, 'udp', 0, P.getsockname(u) as P.SockaddrIn);
    expect(await fresh).toBe('data=udp');
    expect(() => P.sendSync(b, 'x')).toThrow(); // the old peer is gone (ECONNREFUSED/ENOTCONN)
  });

  test('accept: the accepted connection on the reused number gets its own bytes', async () => {
    const l = s.listener();
    const client = s.socket(P.AF_INET, P.SOCK_STREAM);
    await P.connect(client, l.address); // queued on the listener: the accept below answers at once
    const { a, old } = waitingPair();
    await afterPoll();
    // Closed and reused in one synchronous block, so nothing else in this
    // process can take the number in between.
    fs.closeSync(a);
    const accepted = P.accept(l.fd);
    const conn = s.adopt((await accepted).fd);
    expect(conn).toBe(a);
    expect(await old).toBe('error=EBADF');
    const fresh = outcome(P.recv(conn, 10));
    await P.send(client, 'accepted');
    expect(await fresh).toBe('data=accepted');
  });

  test('same tick: recv, close behind our back, socketpair on the same number, before the loop runs', async () => {
    const { a, old } = waitingPair();
    fs.closeSync(a);
    const [c, d] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    expect(c).toBe(a);
    const fresh = outcome(P.recv(c, 10));
    P.sendSync(d, 'mine');
    expect(await old).toBe('error=EBADF');
    expect(await fresh).toBe('data=mine');
  });
});

describe('a number reused by something else (child process)', () => {
  const regularFile = `
    const file = tmp('file');
    fs.writeFileSync(file, 'not a socket');
    process.on('exit', () => { try { fs.unlinkSync(file); } catch {} });
    const settle = (p) => p.then((v) => 'data=' + v, (e) => 'error=' + (e.code || e.name));
    // After two check phases a poll phase has run: waiting fds are registered with epoll.
    const afterPoll = (f) => setImmediate(() => setImmediate(f));
  `;

  // The abort scenarios race the engine's sweep, which every 100 ms fails
  // the calls on a number that is now another file. When a sweep lands
  // between the close and the abort (a few ms here, tens of ms under qemu),
  // the recv fails EBADF first and the abort has nothing left to re-arm: that
  // round did not exercise the path under test. So the child repeats the
  // scenario, up to 10 rounds, until the abort came first, and reports every
  // round.
  const untilAborted = `
    // A socketpair whose first end has a full send buffer, a send waiting on
    // it, and a recv waiting with an abort signal.
    const stuckPair = () => {
      const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
      const chunk = Buffer.alloc(4096, 97);
      for (let i = 0; i < 10000; i++) { try { P.sendSync(a, chunk, P.MSG_DONTWAIT); } catch { break; } }
      const ac = new AbortController();
      const send = settle(P.send(a, 'x'));
      const recv = settle(P.recv(a, 10, 0, { signal: ac.signal }));
      return { a, b, ac, send, recv };
    };
    const untilAborted = async (round) => {
      const rounds = [];
      for (let i = 0; i < 10; i++) {
        const out = await round();
        rounds.push(out);
        if (out.recv === 'error=ABORT_ERR') break;
      }
      console.log(JSON.stringify(rounds));
    };
  `;
  const expectAbortExercised = (rounds: { reused: boolean; recv: string; send: string }[]) => {
    for (const out of rounds) {
      expect(out).toEqual({ reused: true, recv: expect.stringMatching(/^error=(ABORT_ERR|EBADF)$/), send: 'error=EBADF' });
    }
    expect(rounds[rounds.length - 1]).toEqual({ reused: true, recv: 'error=ABORT_ERR', send: 'error=EBADF' });
  };

  test('a regular file takes the number; a timeout and another wait re-arm the fd: no abort, EBADF', () => {
    // The recv's timeout leaves the send waiting: the engine asks for
    // POLLOUT alone, which must notice the number is now a file (on the old
    // engine libuv epoll_ctl'd the file and abort()ed).
    const r = runChild(`${regularFile}
      const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
      const chunk = Buffer.alloc(4096, 97);
      for (let i = 0; i < 10000; i++) { try { P.sendSync(a, chunk, P.MSG_DONTWAIT); } catch { break; } }
      const send = settle(P.send(a, 'x'));
      const recv = settle(P.recv(a, 10, 0, { timeout: 50 }));
      afterPoll(async () => {
        fs.closeSync(a);
        const f = fs.openSync(file, 'r');
        const out = { reused: f === a, recv: await recv, send: await send, fileOpen: fs.fstatSync(f).isFile() };
        fs.closeSync(f); P.close(b);
        console.log(JSON.stringify(out));
      });`);
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(report(r)).toEqual({ reused: true, recv: 'error=ETIMEDOUT', send: 'error=EBADF', fileOpen: true });
  });

  test('an abort from a timer leaves a send waiting on a number now a file: no abort, EBADF', () => {
    const r = runChild(`${regularFile}
      ${untilAborted}
      untilAborted(() => new Promise((done) => {
        const { a, b, ac, send, recv } = stuckPair();
        afterPoll(async () => {
          fs.closeSync(a);
          const f = fs.openSync(file, 'r');
          setTimeout(() => ac.abort(), 0);
          const out = { reused: f === a, recv: await recv, send: await send };
          fs.closeSync(f); P.close(b);
          done(out);
        });
      }));`);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expectAbortExercised(report(r));
  });

  test('recv, then close and reopen as a file in the same tick: no abort, EBADF then ENOTSOCK', () => {
    // Observed: SIGABRT. watch() checked the identity when arming, but libuv
    // only calls epoll_ctl(ADD) on the next loop iteration, by when the
    // number is a regular file: EPERM, and libuv abort()s.
    const r = runChild(`${regularFile}
      const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
      const recv = settle(P.recv(a, 10));
      fs.closeSync(a);
      const f = fs.openSync(file, 'r');
      const later = settle(P.recv(a, 10));
      Promise.all([recv, later]).then((got) => {
        fs.closeSync(f); P.close(b);
        console.log(JSON.stringify({ reused: f === a, got }));
      });`);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    const out = report(r);
    expect(out.reused).toBe(true);
    expect(out.got[0]).toBe('error=EBADF');
    expect(['error=EBADF', 'error=ENOTSOCK']).toContain(out.got[1]);
  });

  test('a recv waiting on a number now a file, and a second recv: both settle and the process exits', () => {
    // Observed: both recvs stay pending forever and the armed uv_poll keeps
    // the loop alive (the child is killed by the test's SIGTERM). The
    // second recv queues behind the first without a first try, and the
    // interest does not change, so nothing ever checks the identity.
    const r = runChild(
      `${regularFile}
      const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
      const recv = settle(P.recv(a, 10));
      afterPoll(() => {
        fs.closeSync(a);
        const f = fs.openSync(file, 'r');
        const later = settle(P.recv(a, 10));
        Promise.all([recv, later]).then((got) => {
          fs.closeSync(f); P.close(b);
          console.log(JSON.stringify({ reused: f === a, got }));
        });
      });`,
      8000,
    );
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    const out = report(r);
    expect(out.reused).toBe(true);
    expect(out.got[0]).toBe('error=EBADF');
    expect(['error=EBADF', 'error=ENOTSOCK']).toContain(out.got[1]);
  });

  test('an abort in a continuation of another fd\'s wake-up leaves a send on a number now a file: no abort, EBADF', () => {
    // Observed: SIGABRT. The abort runs while another fd's readiness callback
    // dispatches (its microtasks), so watch() treats POLLIN|POLLOUT ->
    // POLLOUT as a deferred reduction and skips the identity check;
    // ApplyDirty then uv_poll_start()s the regular file and libuv's
    // epoll_ctl(ADD) fails EPERM: abort().
    const r = runChild(`${regularFile}
      ${untilAborted}
      untilAborted(() => new Promise((done) => {
        const { a, b, ac, send, recv } = stuckPair();
        const [x, y] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
        P.recv(x, 10).then(() => ac.abort());
        afterPoll(async () => {
          fs.closeSync(a);
          const f = fs.openSync(file, 'r');
          P.sendSync(y, 'go');
          const out = { reused: f === a, recv: await recv, send: await send };
          fs.closeSync(f); P.close(b); P.close(x); P.close(y);
          done(out);
        });
      }));`);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expectAbortExercised(report(r));
  });

  test('a net.Socket that takes the number of a waiting fd still connects and reads; the old recv fails EBADF', () => {
    // Observed: the net connection never completes, the loop spins (epoll
    // reports the new socket every turn) and the old recv never settles.
    // libuv routes the number's events to the stale uv_poll (it is still
    // loop->watchers[fd]), masked to its POLLIN: the net socket's POLLOUT
    // never reaches it, and OnPoll's identity check never runs.
    const r = runChild(
      `
      const net = require('node:net');
      const server = net.createServer((c) => c.end('hello'));
      server.listen(0, '127.0.0.1', () => {
        const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
        let old = 'pending';
        P.recv(a, 10).then((v) => (old = 'data=' + v), (e) => (old = 'error=' + e.code));
        setImmediate(() => setImmediate(() => {
          fs.closeSync(a);
          const c = net.connect(server.address().port, '127.0.0.1');
          let got = '', fd;
          c.on('connect', () => (fd = c._handle.fd));
          c.on('data', (d) => (got += d));
          // The old recv fails once the engine's sweep (about a second)
          // finds its number refers to another file.
          const settled = new Promise((r) => { const t = setInterval(() => { if (old !== 'pending') { clearInterval(t); r(); } }, 20); });
          c.on('end', () => settled.then(() => {
            server.close(); P.close(b);
            console.log(JSON.stringify({ reused: fd === a, got, old }));
          }));
        }));
      });`,
      8000,
    );
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(report(r)).toEqual({ reused: true, got: 'hello', old: 'error=EBADF' });
  });
});

describe('a worker ending after its number was reused', () => {
  function run(pendingRecv: boolean, ending: 'terminate' | 'natural', reuse: 'file' | 'net') {
    return runChild(`
      const { Worker } = require('node:worker_threads');
      const net = require('node:net');
      const file = tmp('file');
      fs.writeFileSync(file, 'main thread file');
      process.on('exit', () => { try { fs.unlinkSync(file); } catch {} });
      const distPath = ${JSON.stringify(dist)};
      const w = new Worker(\`
        const { parentPort } = require('node:worker_threads');
        const P = require(\${JSON.stringify(distPath)});
        const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
        ${pendingRecv ? 'P.recv(fd, 10).catch(() => {});' : ''}
        // Two check phases, so a poll phase has registered the waiting recv's
        // fd with epoll (this script itself runs inside a poll phase; the
        // window before that registration is the race tested below).
        setImmediate(() => setImmediate(() => parentPort.postMessage(fd)));
        parentPort.once('message', () => process.exit(0));
      \`, { eval: true });
      w.once('message', (fd) => setImmediate(async () => {
        fs.closeSync(fd);
        let check, done;
        if (${JSON.stringify(reuse)} === 'file') {
          const f = fs.openSync(file, 'r');
          check = () => ({ reused: f === fd, still: fs.fstatSync(f).isFile() && fs.readFileSync(f, 'utf8') === 'main thread file' });
          done = () => fs.closeSync(f);
        } else {
          const fds = [];
          const server = net.createServer((c) => { fds.push(c._handle.fd); c.on('data', (d) => c.end('echo:' + d)); });
          await new Promise((r) => server.listen(0, '127.0.0.1', r));
          const c = net.connect(server.address().port, '127.0.0.1');
          await new Promise((r) => c.once('connect', r));
          fds.push(server._handle.fd, c._handle.fd);
          check = async () => {
            c.write('ping');
            let got = '';
            c.on('data', (d) => (got += d));
            await new Promise((r) => c.once('end', r));
            return { reused: fds.includes(fd), still: got === 'echo:ping' };
          };
          done = () => server.close();
        }
        const ino = () => { try { return fs.fstatSync(fd).ino; } catch (e) { return e.code; } };
        const before = ino();
        const exited = new Promise((r) => w.once('exit', r));
        if (${JSON.stringify(ending)} === 'terminate') await w.terminate(); else { w.postMessage('end'); await exited; }
        const sameFile = ino() === before;
        const out = { ...(await check()), sameFile };
        done();
        console.log(JSON.stringify(out));
      }));`);
  }

  for (const pendingRecv of [false, true]) {
    for (const ending of ['terminate', 'natural'] as const) {
      for (const reuse of ['file', 'net'] as const) {
        test(`${reuse} on the number, worker ${ending === 'terminate' ? 'terminated' : 'exits on its own'}${pendingRecv ? ' with a recv waiting' : ''}: still open afterwards`, () => {
          const r = run(pendingRecv, ending, reuse);
          expect(r.signal).toBeNull();
          expect(r.stderr).toBe('');
          expect(r.status).toBe(0);
          expect(report(r)).toEqual({ reused: true, still: true, sameFile: true });
        });
      }
    }
  }

  test('a worker blocked between its recv and its next loop turn while the main thread reuses the number for a file: no abort, EBADF', () => {
    // Observed: SIGABRT in the worker's uv__io_poll (epoll_ctl ADD of the
    // regular file, EPERM). The identity is checked when watch() arms, but
    // libuv registers the fd on the loop's next turn; another thread can
    // close and reuse the number in between. Expected: the worker's recv
    // fails EBADF, the main thread's file stays open, exit 0.
    const r = runChild(`
      const { Worker } = require('node:worker_threads');
      const file = tmp('file');
      fs.writeFileSync(file, 'main thread file');
      process.on('exit', () => { try { fs.unlinkSync(file); } catch {} });
      const gate = new Int32Array(new SharedArrayBuffer(4));
      const w = new Worker(\`
        const { parentPort, workerData } = require('node:worker_threads');
        const P = require(\${JSON.stringify(${JSON.stringify(dist)})});
        const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
        const recv = P.recv(fd, 10).then(() => 'data', (e) => 'error=' + e.code);
        parentPort.postMessage(fd);
        Atomics.wait(workerData, 0, 0); // until the main thread has reused the number
        recv.then((got) => parentPort.postMessage(got));
      \`, { eval: true, workerData: gate });
      w.once('message', (fd) => {
        fs.closeSync(fd);
        const f = fs.openSync(file, 'r');
        Atomics.store(gate, 0, 1);
        Atomics.notify(gate, 0);
        w.once('message', async (got) => {
          await w.terminate();
          console.log(JSON.stringify({ reused: f === fd, got, fileOpen: fs.fstatSync(f).isFile() }));
          fs.closeSync(f);
        });
      });`, 8000);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(report(r)).toEqual({ reused: true, got: 'error=EBADF', fileOpen: true });
  });
});
