// Blocking vs non-blocking, as a learner sees it: EAGAIN, EINPROGRESS, poll(),
// and which calls touch the fd's O_NONBLOCK flag (none leave it changed).
import * as os from 'node:os';
import * as P from '../lib';
import { fillSendBuffer, isLinux, thrown, useSockets } from './helpers/sockets';

const s = useSockets();

test('a new socket is blocking; setNonBlocking flips O_NONBLOCK as F_GETFL shows', () => {
  const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
  expect(P.isNonBlocking(fd)).toBe(false);
  P.setNonBlocking(fd, true);
  expect(P.fcntl(fd, P.F_GETFL) & P.O_NONBLOCK).toBe(P.O_NONBLOCK);
  P.setNonBlocking(fd, false);
  expect(P.isNonBlocking(fd)).toBe(false);
});

(isLinux ? test : test.skip)('SOCK_NONBLOCK in the type makes a non-blocking socket (Linux)', () => {
  const fd = s.socket(P.AF_INET, P.SOCK_STREAM | P.SOCK_NONBLOCK!);
  expect(P.isNonBlocking(fd)).toBe(true);
  expect(P.getsockopt(fd, P.SOL_SOCKET, P.SO_TYPE)).toBe(P.SOCK_STREAM);
});

test('MSG_DONTWAIT on an empty socket → EAGAIN, sync and promise', async () => {
  const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const e1 = thrown(() => P.recvSync(a, 10, P.MSG_DONTWAIT));
  expect(e1.code).toBe('EAGAIN');
  expect(e1.syscall).toBe('recv');
  // The promise call waits for readiness, unless you pass MSG_DONTWAIT yourself.
  await expect(P.recv(a, 10, P.MSG_DONTWAIT)).rejects.toMatchObject({ code: 'EAGAIN' });
  // The fd itself stayed blocking.
  expect(P.isNonBlocking(a)).toBe(false);
});

test('non-blocking recv → EAGAIN, then ready after poll, then the data', () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  P.setNonBlocking(a);
  expect(thrown(() => P.recvSync(a, 10)).code).toBe('EAGAIN');
  const fds: P.PollFd[] = [{ fd: a, events: P.POLLIN }];
  expect(P.poll(fds, 0)).toBe(0);
  expect(fds[0].revents).toBe(0);
  P.sendSync(b, 'ready');
  expect(P.poll(fds, 1000)).toBe(1);
  expect(fds[0].revents! & P.POLLIN).toBe(P.POLLIN);
  expect(P.recvSync(a, 10).toString()).toBe('ready');
});

test('non-blocking accept → EAGAIN, then ready after poll', () => {
  const l = s.listener();
  P.setNonBlocking(l.fd);
  expect(thrown(() => P.acceptSync(l.fd)).code).toBe('EAGAIN');
  const client = s.socket(P.AF_INET, P.SOCK_STREAM);
  P.connectSync(client, l.address);
  const fds: P.PollFd[] = [{ fd: l.fd, events: P.POLLIN }];
  expect(P.poll(fds, 1000)).toBe(1);
  const { fd, address } = P.acceptSync(l.fd);
  s.adopt(fd);
  expect(address).toEqual(P.getsockname(client));
  // accept4 semantics everywhere: the new fd does not inherit O_NONBLOCK.
  expect(P.isNonBlocking(fd)).toBe(false);
});

test('non-blocking connect → EINPROGRESS, then POLLOUT and SO_ERROR 0', () => {
  const l = s.listener();
  const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
  P.setNonBlocking(fd);
  // Even on loopback, where the handshake finishes almost at once.
  expect(thrown(() => P.connectSync(fd, l.address)).code).toBe('EINPROGRESS');
  const fds: P.PollFd[] = [{ fd, events: P.POLLOUT }];
  expect(P.poll(fds, 1000)).toBe(1);
  expect(fds[0].revents).toBe(P.POLLOUT);
  expect(P.getsockopt(fd, P.SOL_SOCKET, P.SO_ERROR)).toBe(0);
  expect(P.getpeername(fd)).toEqual(l.address);
});

test('non-blocking connect refused: POLLOUT|POLLERR|POLLHUP and SO_ERROR = ECONNREFUSED', () => {
  const server = s.socket(P.AF_INET, P.SOCK_STREAM);
  P.bind(server, { family: P.AF_INET, address: '127.0.0.1', port: 0 }); // bound, not listening
  const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
  P.setNonBlocking(fd);
  expect(thrown(() => P.connectSync(fd, P.getsockname(server))).code).toBe('EINPROGRESS');
  const fds: P.PollFd[] = [{ fd, events: P.POLLOUT }];
  expect(P.poll(fds, 1000)).toBe(1);
  expect(fds[0].revents).toBe(P.POLLOUT | P.POLLERR | P.POLLHUP);
  expect(P.getsockopt(fd, P.SOL_SOCKET, P.SO_ERROR)).toBe(os.constants.errno.ECONNREFUSED);
  // Reading SO_ERROR clears it.
  expect(P.getsockopt(fd, P.SOL_SOCKET, P.SO_ERROR)).toBe(0);
});

test('promise calls on a blocking fd leave it blocking', async () => {
  const l = s.listener();
  const client = s.socket(P.AF_INET, P.SOCK_STREAM);
  const accepted = P.accept(l.fd);
  await P.connect(client, l.address);
  const conn = s.adopt((await accepted).fd);
  const pending = P.recv(conn, 10); // waits: registers the fd with the event loop
  await P.send(client, 'x');
  await pending;
  for (const fd of [l.fd, client, conn]) expect(P.isNonBlocking(fd)).toBe(false);
});

test('promise calls on a non-blocking fd leave it non-blocking', async () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  P.setNonBlocking(a);
  const pending = P.recv(a, 10);
  await P.send(b, 'y');
  expect((await pending).toString()).toBe('y');
  expect(P.isNonBlocking(a)).toBe(true);
});

test('a full send buffer: MSG_DONTWAIT → EAGAIN; the promise send completes once the peer drains', async () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  P.setsockopt(a, P.SOL_SOCKET, P.SO_SNDBUF, 4096);
  const queued = fillSendBuffer(a); // ends on EAGAIN from MSG_DONTWAIT
  expect(queued).toBeGreaterThan(0);
  expect(thrown(() => P.sendSync(a, 'x', P.MSG_DONTWAIT)).code).toBe('EAGAIN');
  const pending = P.send(a, 'tail');
  let drained = 0;
  while (drained < queued) drained += (await P.recv(b, 65536)).length;
  expect(await pending).toBe(4);
  expect((await P.recv(b, 100)).toString()).toBe('tail');
});
