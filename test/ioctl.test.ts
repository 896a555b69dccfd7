// ioctl for the integer-result requests: bytes waiting to be read
// (FIONREAD/SIOCINQ), bytes not yet sent or acknowledged (SIOCOUTQ,
// SIOCOUTQNSD on Linux; FIONWRITE/FIONSPACE on macOS); anything else is a
// RangeError before any system call.
import * as P from '../lib';
import { fillSendBuffer, isLinux, thrown, useSockets } from './helpers/sockets';

const s = useSockets();
const NEVER_OPENED = 987654;
const isMac = process.platform === 'darwin';

/** Waits (poll, up to 5 s) until `fd` is readable: what was sent on loopback has arrived. */
function readable(fd: number): void {
  const fds: P.PollFd[] = [{ fd, events: P.POLLIN }];
  expect(P.poll(fds, 5000)).toBe(1);
}

test('FIONREAD: the bytes queued on a TCP socket', async () => {
  const { server, client } = await s.tcpPair();
  expect(P.ioctl(server, P.FIONREAD)).toBe(0);
  P.sendSync(client, 'hello');
  readable(server);
  expect(P.ioctl(server, P.FIONREAD)).toBe(5);
  if (P.SIOCINQ !== undefined) expect(P.ioctl(server, P.SIOCINQ)).toBe(5);
  P.recvSync(server, 2);
  expect(P.ioctl(server, P.FIONREAD)).toBe(3);
});

test('FIONREAD on UDP: the size of the next datagram (Linux), not the total', () => {
  const rx = s.socket(P.AF_INET, P.SOCK_DGRAM);
  P.bind(rx, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const to = P.getsockname(rx);
  const tx = s.socket(P.AF_INET, P.SOCK_DGRAM);
  expect(P.ioctl(rx, P.FIONREAD)).toBe(0);
  P.sendtoSync(tx, 'abc', 0, to);
  P.sendtoSync(tx, 'defghij', 0, to);
  readable(rx);
  // macOS counts every queued byte (and the senders' addresses): no exact figure there.
  if (isLinux) expect(P.ioctl(rx, P.FIONREAD)).toBe(3);
  else expect(P.ioctl(rx, P.FIONREAD)).toBeGreaterThanOrEqual(3);
  P.recvSync(rx, 100);
  if (isLinux) expect(P.ioctl(rx, P.FIONREAD)).toBe(7);
});

(isLinux ? test : test.skip)('SIOCOUTQ/SIOCOUTQNSD (Linux): what a peer that does not read leaves queued', async () => {
  const { server, client } = await s.tcpPair();
  expect(P.ioctl(client, P.SIOCOUTQ!)).toBe(0);
  P.setNonBlocking(client);
  const queued = fillSendBuffer(client);
  // Every byte is either unacknowledged (the sender's SIOCOUTQ) or in the
  // receiver's queue (its FIONREAD), which nothing reads: read the sender
  // first, so a byte moving between the two is counted twice, never missed.
  const outq = P.ioctl(client, P.SIOCOUTQ!);
  const notSent = P.ioctl(client, P.SIOCOUTQNSD!);
  const inq = P.ioctl(server, P.FIONREAD);
  expect(outq).toBeGreaterThan(0); // the peer's window is full
  expect(outq).toBeLessThanOrEqual(queued);
  expect(notSent).toBeLessThanOrEqual(queued);
  expect(inq).toBeLessThanOrEqual(queued);
  expect(outq + inq).toBeGreaterThanOrEqual(queued);
});

(isMac ? test : test.skip)('FIONWRITE/FIONSPACE (macOS): the send buffer’s bytes and free space', async () => {
  const { client } = await s.tcpPair();
  expect(P.ioctl(client, P.FIONWRITE!)).toBeGreaterThanOrEqual(0);
  expect(P.ioctl(client, P.FIONSPACE!)).toBeGreaterThan(0);
});

test('the platform’s constants: FIONREAD always, SIOC* on Linux only, FIONWRITE/FIONSPACE on macOS only', () => {
  expect(typeof P.FIONREAD).toBe('number');
  for (const c of [P.SIOCINQ, P.SIOCOUTQ, P.SIOCOUTQNSD]) expect(typeof c).toBe(isLinux ? 'number' : 'undefined');
  for (const c of [P.FIONWRITE, P.FIONSPACE]) expect(typeof c).toBe(isMac ? 'number' : 'undefined');
});

test('the kernel’s errors: EBADF, ENOTTY for a request the socket does not answer', () => {
  const e = thrown(() => P.ioctl(NEVER_OPENED, P.FIONREAD));
  expect(e).toBeInstanceOf(P.SocketError);
  expect([e.code, e.syscall]).toEqual(['EBADF', 'ioctl']);
  if (isLinux) {
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    expect(thrown(() => P.ioctl(a, P.SIOCOUTQNSD!)).code).toBe('ENOTTY'); // TCP only
  }
});

test('any other request is a RangeError, before any system call', () => {
  const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const lines: string[] = [];
  P.trace(true, (l) => lines.push(l));
  try {
    // TCGETS and FIONBIO (Linux numbers): requests that take a pointer to something else.
    for (const request of [0x5401, 0x5421, 0, 0xffffffff]) expect(thrown(() => P.ioctl(a, request))).toBeInstanceOf(RangeError);
    expect(thrown(() => P.ioctl(a, -1))).toBeInstanceOf(RangeError);
    expect(thrown(() => P.ioctl(a, 1.5))).toBeInstanceOf(RangeError);
    expect(thrown(() => P.ioctl(a, '21531' as unknown as number))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.ioctl(-1, P.FIONREAD))).toBeInstanceOf(RangeError);
  } finally {
    P.trace(false);
  }
  expect(lines).toEqual([]);
});
