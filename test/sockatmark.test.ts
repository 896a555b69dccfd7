// sockatmark: whether the next byte to read is at the urgent-data mark. A
// TCP peer's MSG_OOB byte sets the mark; reads stop there, sockatmark says
// so, and the urgent byte comes with MSG_OOB (or inline with SO_OOBINLINE).
import * as P from '../lib';
import { isLinux, thrown, useSockets } from './helpers/sockets';

const s = useSockets();

/** Waits (poll, up to 5 s) for `events` on `fd`. */
function ready(fd: number, events: number): void {
  const fds: P.PollFd[] = [{ fd, events }];
  expect(P.poll(fds, 5000)).toBe(1);
}

test('false on a connection that has seen no urgent data, with or without ordinary data', async () => {
  const { server, client } = await s.tcpPair();
  expect(P.sockatmark(server)).toBe(false);
  P.sendSync(client, 'plain');
  ready(server, P.POLLIN);
  expect(P.sockatmark(server)).toBe(false);
  expect(P.recvSync(server, 10).toString()).toBe('plain');
  expect(P.sockatmark(server)).toBe(false);
});

test('after the peer sends MSG_OOB: a read stops at the mark, sockatmark is then true, and false past it', async () => {
  const { server, client } = await s.tcpPair();
  P.sendSync(client, 'abcX', P.MSG_OOB); // the last byte, X, is the urgent one
  ready(server, P.POLLPRI);
  expect(P.sockatmark(server)).toBe(false); // abc come first
  expect(P.recvSync(server, 100).toString()).toBe('abc'); // never crosses the mark
  expect(P.sockatmark(server)).toBe(true);
  expect(P.recvSync(server, 1, P.MSG_OOB).toString()).toBe('X');
  P.sendSync(client, 'def');
  ready(server, P.POLLIN);
  expect(P.recvSync(server, 100).toString()).toBe('def');
  expect(P.sockatmark(server)).toBe(false);
});

test('with SO_OOBINLINE the urgent byte is the next one read at the mark', async () => {
  const { server, client } = await s.tcpPair();
  P.setsockopt(server, P.SOL_SOCKET, P.SO_OOBINLINE, 1);
  P.sendSync(client, 'abcX', P.MSG_OOB);
  ready(server, P.POLLPRI);
  expect(P.recvSync(server, 100).toString()).toBe('abc');
  expect(P.sockatmark(server)).toBe(true);
  expect(P.recvSync(server, 100).toString()).toBe('X');
});

test('the kernel’s errors: EBADF; on Linux ENOTTY where the protocol has no urgent data (UDP)', () => {
  const e = thrown(() => P.sockatmark(987654));
  expect(e).toBeInstanceOf(P.SocketError);
  expect([e.code, e.syscall]).toEqual(['EBADF', 'sockatmark']);
  const udp = s.socket(P.AF_INET, P.SOCK_DGRAM);
  // macOS answers SIOCATMARK for every socket (false here).
  if (isLinux) expect(thrown(() => P.sockatmark(udp)).code).toBe('ENOTTY');
  else expect(P.sockatmark(udp)).toBe(false);
  expect(thrown(() => P.sockatmark(-1))).toBeInstanceOf(RangeError);
});
