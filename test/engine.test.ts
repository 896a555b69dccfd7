// The waiting engine (lib/readiness.ts) under the conditions that broke its
// predecessor: a connect and a read pending on one socket when the
// connection is refused; a level-triggered error no call consumes; an
// error-queue read ahead of a plain read; a wake-up for a number that now
// refers to another socket.
import * as P from '../lib';
import { pendingCount } from '../lib/readiness';
import { isLinux, rejection, unusedPort, useSockets } from './helpers/sockets';

const s = useSockets();

/** True while a non-blocking connect on `fd` is still in progress (not writable, no error). */
function connecting(fd: number): boolean {
  const fds = [{ fd, events: P.POLLOUT }];
  return P.poll(fds, 0) === 0;
}

(isLinux ? test : test.skip)('a refused connect rejects with its own error while a recv waits on the same socket', async () => {
  // backlog 0: Linux queues one connection and drops later SYNs, so a
  // connect stays in SYN_SENT until its SYN is sent again (1 s later).
  const l = s.listener(P.AF_INET, P.SOCK_STREAM, 0);
  let fd = -1;
  let pending: Promise<void> | undefined;
  for (let i = 0; i < 8 && pending === undefined; i++) {
    const c = s.socket(P.AF_INET, P.SOCK_STREAM);
    const p = P.connect(c, l.address);
    // Queued connections finish at once on loopback; the dropped SYN's
    // connect is the one still in progress a moment later.
    const settled = await Promise.race([p.then(() => true), new Promise((r) => setTimeout(r, 200, false))]);
    if (!settled && connecting(c)) {
      fd = c;
      pending = p;
    }
  }
  expect(pending).toBeDefined();
  pending!.catch(() => {});
  // A read waits on the connecting socket (recv answers EAGAIN in SYN_SENT).
  const read = P.recv(fd, 10);
  read.catch(() => {}); // awaited below; no unhandled rejection if an expect fails first
  expect(pendingCount(fd)).toBe(2);
  // No listener any more: the retransmitted SYN is answered with a reset.
  s.close(l.fd);
  const err = await rejection(pending!);
  expect(err.code).toBe('ECONNREFUSED');
  expect(err.syscall).toBe('connect');
  // The read, tried after the connect took the error, finds the socket
  // closed: 0 bytes, as recv(2) answers in TCP_CLOSE after a reset.
  expect((await read).length).toBe(0);
}, 15000);

/**
 * A UDP socket with IP_RECVERR, connected to a port nothing is bound to:
 * each send queues an ICMP port-unreachable. `answer()` binds a socket to
 * that port, so it can send to fd (a connected UDP socket takes datagrams
 * only from its peer).
 */
function erroringUdp(): { fd: number; answer(): number } {
  const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
  P.setsockopt(fd, P.IPPROTO_IP, P.IP_RECVERR!, 1);
  P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const to: P.SockaddrIn = { family: P.AF_INET, address: '127.0.0.1', port: unusedPort() };
  P.connectSync(fd, to);
  return {
    fd,
    answer() {
      const peer = s.socket(P.AF_INET, P.SOCK_DGRAM);
      P.bind(peer, to);
      P.connectSync(peer, P.getsockname(fd));
      return peer;
    },
  };
}

(isLinux ? test : test.skip)(
  'a queued ICMP error under a pending recv does not spin: the engine backs off, and data still arrives',
  async () => {
    const { fd, answer } = erroringUdp();
    P.sendSync(fd, 'to nobody');
    // The port-unreachable is reported to the next receive (sk_err), and
    // stays in the error queue: POLLERR from then on, until it is read.
    expect((await rejection(P.recv(fd, 100))).code).toBe('ECONNREFUSED');
    const lines: string[] = [];
    P.trace(true, (line) => lines.push(line));
    try {
      const got = P.recv(fd, 100);
      got.catch(() => {});
      await new Promise((r) => setTimeout(r, 400));
      const tries = lines.filter((l) => l.startsWith('recv(')).length;
      // Level-triggered POLLERR re-armed at once made many thousands of
      // tries in 400 ms; backing off 1, 2, 4 ... 100 ms apart makes about 12.
      expect(tries).toBeGreaterThan(0);
      expect(tries).toBeLessThan(40);
      P.sendSync(answer(), 'real data');
      expect((await got).toString()).toBe('real data');
    } finally {
      P.trace(false);
    }
  },
  15000,
);

(isLinux ? test : test.skip)('an error-queue read never holds up a plain read queued behind it', async () => {
  const { fd, answer } = erroringUdp();
  // Waits for POLLERR; nothing is in the error queue yet.
  const errq = P.recv(fd, 100, P.MSG_ERRQUEUE!);
  errq.catch(() => {});
  const plain = P.recv(fd, 100);
  const peer = answer();
  P.sendSync(peer, 'plain');
  expect((await plain).toString()).toBe('plain');
  expect(pendingCount(fd)).toBe(1);
  // Now an error: the peer goes away and fd sends to its closed port. The
  // error-queue read gets the offending datagram back.
  s.close(peer);
  P.sendSync(fd, 'bounced');
  expect((await errq).toString()).toBe('bounced');
}, 15000);
