// Passing file descriptors (SCM_RIGHTS) with sendFds/recvFds and
// sendmsg/recvmsg: a FIFO, a socket and a file over each AF_UNIX socket
// type, between two processes over a named socket, at the kernel's limits,
// with too little room for them (MSG_CTRUNC), and what a received fd is:
// the sender's open file, close-on-exec, owned by the package.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';
import { fdTarget, openFdCount, preadAll, sameFile, useFiles } from './helpers/fds';
import { testNeedingFds } from './helpers/limits';
import { nodePeer, peerReport } from './helpers/peers';
import { isLinux, rejection, thrown, useSockets } from './helpers/sockets';

const s = useSockets();
const files = useFiles();
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-fdpass-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Received fds are the package's (adopted like an accepted fd): closed through `s` after the test. */
function adopt(fds: number[]): number[] {
  for (const fd of fds) s.adopt(fd);
  return fds;
}

const noCtrunc = (flags: number) => flags & P.MSG_CTRUNC;

describe.each([
  ['SOCK_STREAM', P.SOCK_STREAM],
  ['SOCK_DGRAM', P.SOCK_DGRAM],
  ['SOCK_SEQPACKET', P.SOCK_SEQPACKET],
])('over an AF_UNIX %s socketpair', (_name, type) => {
  test("a FIFO's read end: what is written into the FIFO is read through the received fd", async () => {
    const fifo = files.fifo(dir);
    const [a, b] = s.socketpair(P.AF_UNIX, type);
    expect(await P.sendFds(a, 'fifo', [fifo.r])).toBe(4);
    const got = await P.recvFds(b, 100, 4);
    const [r] = adopt(got.fds);
    expect(got.data.toString()).toBe('fifo');
    expect(got.fds).toHaveLength(1);
    expect(noCtrunc(got.flags)).toBe(0);
    expect(r).not.toBe(fifo.r);
    if (isLinux) expect(fdTarget(r)).toBe(fifo.path);
    // The sender's fd closed: the received one alone holds the read end open.
    files.close(fifo.r);
    fs.writeSync(fifo.w, 'through the fifo');
    expect(P.readSync(r, 100).toString()).toBe('through the fifo');
  });

  test('a socket: the received fd sends and receives as the original did, after the original is closed', async () => {
    const [x, y] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const [a, b] = s.socketpair(P.AF_UNIX, type);
    await P.sendFds(a, 'sock', [x]);
    const got = await P.recvFds(b, 100, 4);
    const [x2] = adopt(got.fds);
    expect(got.data.toString()).toBe('sock');
    expect(got.fds).toHaveLength(1);
    expect(sameFile(x2, x)).toBe(true);
    s.close(x);
    await P.send(x2, 'from the copy');
    expect((await P.recv(y, 100)).toString()).toBe('from the copy');
    await P.send(y, 'to the copy');
    expect((await P.recv(x2, 100)).toString()).toBe('to the copy');
    expect(P.getsockopt(x2, P.SOL_SOCKET, P.SO_TYPE)).toBe(P.SOCK_STREAM);
  });

  test('a regular file: the received fd reads its content, and shares the open file (and its offset) with the sender', async () => {
    const file = files.file(dir, 'known.txt', 'known content\n');
    const [a, b] = s.socketpair(P.AF_UNIX, type);
    await P.sendFds(a, 'file', [file.fd]);
    const got = await P.recvFds(b, 100, 4);
    const [f] = adopt(got.fds);
    expect(got.data.toString()).toBe('file');
    expect(sameFile(f, file.fd)).toBe(true);
    if (isLinux) expect(fdTarget(f)).toBe(file.path);
    expect(P.readSync(f, 100).toString()).toBe('known content\n');
    // Not a reopened copy: the one file offset moved to the end for the sender too.
    expect(fs.readSync(file.fd, Buffer.alloc(100), 0, 100, null)).toBe(0);
  });
});

describe('between two processes over a named socket', () => {
  test('a child opens (and unlinks) a file and sends its fd; the parent reads the content through it', async () => {
    const sockPath = path.join(dir, 'parent.sock');
    const filePath = path.join(dir, 'child.txt');
    const l = s.socket(P.AF_UNIX, P.SOCK_STREAM);
    P.bind(l, { family: P.AF_UNIX, path: sockPath });
    P.listen(l, 1);
    const accepted = P.accept(l);
    const child = nodePeer(
      `
      const c = P.socket(P.AF_UNIX, P.SOCK_STREAM);
      await P.connect(c, { family: P.AF_UNIX, path: A.sockPath });
      fs.writeFileSync(A.filePath, 'written by ' + process.pid);
      const f = fs.openSync(A.filePath, 'r');
      fs.unlinkSync(A.filePath); // from now on only the fd reaches the file
      report({ sent: await P.sendFds(c, 'fd from ' + process.pid, [f]) });
      fs.closeSync(f);
      P.close(c);
      `,
      { sockPath, filePath },
    );
    const conn = s.adopt((await accepted).fd);
    const got = await P.recvFds(conn, 100, 4);
    const [f] = adopt(got.fds);
    const pid = child.proc.pid;
    expect(await peerReport(child)).toEqual({ sent: `fd from ${pid}`.length });
    expect(got.data.toString()).toBe(`fd from ${pid}`);
    expect(got.fds).toHaveLength(1);
    expect(fs.existsSync(filePath)).toBe(false);
    // The child has exited and closed its fd: the file lives on through ours.
    expect(preadAll(f)).toBe(`written by ${pid}`);
  });

  test('the parent sends the fd of a file it opened (and unlinked); the child reads the content through it', async () => {
    const sockPath = path.join(dir, 'child.sock');
    const child = nodePeer(
      `
      const l = P.socket(P.AF_UNIX, P.SOCK_STREAM);
      P.bind(l, { family: P.AF_UNIX, path: A.sockPath });
      P.listen(l, 1);
      console.log('listening');
      const { fd } = await P.accept(l);
      const got = await P.recvFds(fd, 100, 4);
      const buf = Buffer.alloc(100);
      const n = fs.readSync(got.fds[0], buf, 0, 100, 0);
      report({
        data: got.data.toString(),
        count: got.fds.length,
        content: buf.toString('utf8', 0, n),
        cloexec: (P.fcntl(got.fds[0], P.F_GETFD) & P.FD_CLOEXEC) !== 0,
      });
      for (const x of [...got.fds, fd, l]) P.close(x);
      `,
      { sockPath },
    );
    await child.waitFor(/listening/);
    const file = files.file(dir, 'parent.txt', `written by ${process.pid}`);
    fs.unlinkSync(file.path);
    const c = s.socket(P.AF_UNIX, P.SOCK_STREAM);
    await P.connect(c, { family: P.AF_UNIX, path: sockPath });
    await P.sendFds(c, 'fd from the parent', [file.fd]);
    expect(await peerReport(child)).toEqual({
      data: 'fd from the parent',
      count: 1,
      content: `written by ${process.pid}`,
      cloexec: true,
    });
  });
});

describe('many fds in one message', () => {
  test('64 distinct sockets arrive in order, each received fd the socket sent at its place', async () => {
    const pairs = Array.from({ length: 64 }, () => s.socketpair(P.AF_UNIX, P.SOCK_STREAM));
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_SEQPACKET);
    await P.sendFds(a, '64', pairs.map(([x]) => x));
    const got = await P.recvFds(b, 100, 64);
    adopt(got.fds);
    expect(got.fds).toHaveLength(64);
    expect(noCtrunc(got.flags)).toBe(0);
    expect(new Set(got.fds).size).toBe(64);
    got.fds.forEach((fd, i) => P.sendSync(fd, `through ${i}`));
    expect(pairs.map(([, y]) => P.recvSync(y, 100).toString())).toEqual(pairs.map((_, i) => `through ${i}`));
  });

  (isLinux ? describe : describe.skip)('Linux: SCM_MAX_FD is 253', () => {
    testNeedingFds(600, 'soft', '253 fds in one message arrive; 254 → EINVAL from sendmsg, and nothing is queued', async () => {
      const file = files.file(dir, 'many.txt', 'many');
      const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
      expect(await P.sendFds(a, 'x', new Array(253).fill(file.fd))).toBe(1);
      const got = await P.recvFds(b, 100, 300);
      adopt(got.fds);
      expect(got.fds).toHaveLength(253);
      expect(new Set(got.fds).size).toBe(253);
      expect(got.fds.every((fd) => sameFile(fd, file.fd))).toBe(true);
      expect(noCtrunc(got.flags)).toBe(0);

      const err = await rejection(P.sendFds(a, 'y', new Array(254).fill(file.fd)));
      expect(err.code).toBe('EINVAL');
      expect(err.syscall).toBe('sendmsg');
      expect(thrown(() => P.sendFdsSync(a, 'y', new Array(254).fill(file.fd))).code).toBe('EINVAL');
      expect(thrown(() => P.recvFdsSync(b, 100, 300, P.MSG_DONTWAIT)).code).toBe('EAGAIN');
    });
  });
});

(isLinux ? describe : describe.skip)('MSG_CTRUNC: more fds sent than there is room for (Linux: counted in /proc/self/fd)', () => {
  /** Six files holding 'file 0' ... 'file 5', their fds queued in one message on `b`. */
  function sixQueued(): { b: number; sent: number[] } {
    const sent = Array.from({ length: 6 }, (_, i) => files.file(dir, `f${i}`, `file ${i}`).fd);
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    P.sendFdsSync(a, 'six', sent);
    return { b, sent };
  }

  test('recvFds with maxFds 2: MSG_CTRUNC, the first two arrive open and valid, the kernel closed the rest', () => {
    const { b } = sixQueued();
    const before = openFdCount();
    const got = P.recvFdsSync(b, 100, 2);
    const opened = openFdCount() - before;
    adopt(got.fds);
    expect(got.data.toString()).toBe('six');
    expect(got.flags & P.MSG_CTRUNC).toBe(P.MSG_CTRUNC);
    expect(got.fds).toHaveLength(2);
    expect(opened).toBe(2);
    expect(got.fds.map((fd) => preadAll(fd))).toEqual(['file 0', 'file 1']);
    for (const fd of got.fds) s.close(fd);
    expect(openFdCount()).toBe(before);
  });

  test('recvmsg with controlLength CMSG_LEN(4): one fd fits, MSG_CTRUNC, nothing else installed', () => {
    const { b } = sixQueued();
    const before = openFdCount();
    const got = P.recvmsgSync(b, 100, P.CMSG_LEN(4));
    const opened = openFdCount() - before;
    expect(got.control).toHaveLength(1);
    const c = got.control[0];
    expect(c).toMatchObject({ level: P.SOL_SOCKET, type: P.SCM_RIGHTS, name: 'SCM_RIGHTS' });
    const fds = adopt((c as P.CmsgRights).fds);
    expect(c.data).toHaveLength(4);
    expect(got.flags & P.MSG_CTRUNC).toBe(P.MSG_CTRUNC);
    expect(fds).toHaveLength(1);
    expect(opened).toBe(1);
    expect(preadAll(fds[0])).toBe('file 0');
    s.close(fds[0]);
    expect(openFdCount()).toBe(before);
  });

  test('recvmsg with controlLength smaller than a cmsghdr: no control message, MSG_CTRUNC, no fd installed', () => {
    const { b } = sixQueued();
    const before = openFdCount();
    const got = P.recvmsgSync(b, 100, 8);
    expect(openFdCount()).toBe(before);
    expect(got.data.toString()).toBe('six');
    expect(got.control).toEqual([]);
    expect(got.flags & P.MSG_CTRUNC).toBe(P.MSG_CTRUNC);
  });

  // CMSG_SPACE(maxFds * 4) pads to 8 bytes on Linux, so with an odd maxFds
  // it would leave room for one fd more; recvFds sizes the buffer with
  // CMSG_LEN(maxFds * 4), as CPython's recv_fds does.
  test('recvFds returns at most maxFds fds, as CPython recv_fds does (odd maxFds too)', () => {
    const { b } = sixQueued();
    const before = openFdCount();
    const got = P.recvFdsSync(b, 100, 1);
    const opened = openFdCount() - before;
    adopt(got.fds);
    expect(opened).toBe(got.fds.length); // whatever arrived is returned: no leak either way
    expect(got.fds).toHaveLength(1);
  });
});

describe('received fds are close-on-exec', () => {
  test('F_GETFD has FD_CLOEXEC on every received fd (Linux: MSG_CMSG_CLOEXEC echoed in flags)', async () => {
    const file = files.file(dir, 'cloexec.txt', 'x');
    const [x] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_DGRAM);
    // The flag is per fd, not per file: clearing it on the sender's fd changes nothing received.
    P.fcntl(file.fd, P.F_SETFD, 0);
    await P.sendFds(a, 'two', [file.fd, x]);
    const got = await P.recvFds(b, 100, 2);
    adopt(got.fds);
    expect(got.fds).toHaveLength(2);
    for (const fd of got.fds) expect(P.fcntl(fd, P.F_GETFD) & P.FD_CLOEXEC).toBe(P.FD_CLOEXEC);
    if (isLinux) expect(got.flags & P.MSG_CMSG_CLOEXEC!).toBe(P.MSG_CMSG_CLOEXEC);
  });

  (isLinux ? test : test.skip)('Linux: a spawned process does not inherit a received fd, but does once FD_CLOEXEC is cleared', () => {
    const kept = files.file(dir, 'kept-across-exec.txt', 'kept');
    const dropped = files.file(dir, 'dropped-at-exec.txt', 'dropped');
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    P.sendFdsSync(a, 'two', [kept.fd, dropped.fd]);
    const [keptFd, droppedFd] = adopt(P.recvFdsSync(b, 100, 2).fds);
    // The control: the same check sees an fd that is inherited.
    P.fcntl(keptFd, P.F_SETFD, 0);
    const r = spawnSync('sh', ['-c', 'ls -l /proc/$$/fd'], { encoding: 'utf8', timeout: 10000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${keptFd} -> ${kept.path}`);
    expect(r.stdout).not.toContain(dropped.path);
    expect(P.fcntl(droppedFd, P.F_GETFD) & P.FD_CLOEXEC).toBe(P.FD_CLOEXEC);
  });
});

test('a message with no fds: recvFds gives fds [] and recvmsg an empty control list, no MSG_CTRUNC', async () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_SEQPACKET);
  await P.send(a, 'plain');
  expect(await P.recvFds(b, 100, 4)).toEqual({ data: Buffer.from('plain'), fds: [], flags: expect.any(Number) });
  // sendFds with no fds sends no control message at all.
  expect(await P.sendFds(a, 'none', [])).toBe(4);
  const got = await P.recvmsg(b, 100, P.CMSG_SPACE(16));
  expect(got.data.toString()).toBe('none');
  expect(got.control).toEqual([]);
  expect(noCtrunc(got.flags)).toBe(0);
});

test('a promise recvFds started before anything is sent waits, then resolves once the fd is sent', async () => {
  const file = files.file(dir, 'later.txt', 'sent later');
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  let settled = false;
  const pending = P.recvFds(b, 100, 4).finally(() => (settled = true));
  // A turn of the loop with nothing queued: still waiting.
  await new Promise((resolve) => setImmediate(resolve));
  expect(settled).toBe(false);
  P.sendFdsSync(a, 'now', [file.fd]);
  const got = await pending;
  const [f] = adopt(got.fds);
  expect(got.data.toString()).toBe('now');
  expect(preadAll(f)).toBe('sent later');
});

describe('the Sync twins', () => {
  test('sendFdsSync returns the bytes sent; recvFdsSync returns the data, the fds and the flags', () => {
    const file = files.file(dir, 'sync.txt', 'synchronous');
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_DGRAM);
    expect(P.sendFdsSync(a, Buffer.from('sync'), [file.fd, file.fd])).toBe(4);
    const got = P.recvFdsSync(b, 100, 4);
    adopt(got.fds);
    expect(got.data.toString()).toBe('sync');
    expect(got.fds).toHaveLength(2);
    expect(got.fds[0]).not.toBe(got.fds[1]);
    expect(got.fds.map((fd) => preadAll(fd))).toEqual(['synchronous', 'synchronous']);
    expect(noCtrunc(got.flags)).toBe(0);
  });

  test('recvFdsSync with MSG_DONTWAIT on an empty socket → EAGAIN from recvmsg', () => {
    const [, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const err = thrown(() => P.recvFdsSync(b, 100, 4, P.MSG_DONTWAIT));
    expect(err.code).toBe('EAGAIN');
    expect(err.syscall).toBe('recvmsg');
  });
});

describe('bad fds to send', () => {
  test('a closed fd → EBADF from sendmsg (promise and Sync), and nothing reaches the peer', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const closed = s.socket(P.AF_UNIX, P.SOCK_STREAM);
    s.close(closed);
    // Both calls made before anything else can run and reuse the number (the promise form tries at once).
    const syncErr = thrown(() => P.sendFdsSync(a, 'x', [closed]));
    const err = await rejection(P.sendFds(a, 'x', [closed]));
    expect(syncErr.code).toBe('EBADF');
    expect(syncErr.syscall).toBe('sendmsg');
    expect(err).toBeInstanceOf(P.SocketError);
    expect(err.code).toBe('EBADF');
    expect(err.syscall).toBe('sendmsg');
    expect(thrown(() => P.recvFdsSync(b, 100, 4, P.MSG_DONTWAIT)).code).toBe('EAGAIN');
  });

  test('a negative or fractional fd is a RangeError/TypeError before any system call', () => {
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    expect(thrown(() => P.sendFdsSync(a, 'x', [-1]))).toBeInstanceOf(RangeError);
    expect(thrown(() => P.sendFds(a, 'x', [1.5]))).toBeInstanceOf(TypeError);
  });
});
