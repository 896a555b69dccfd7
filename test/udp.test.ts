// UDP on 127.0.0.1: datagram boundaries, sender addresses, truncation.
import * as P from '../lib';
import { isLinux, rejection, thrown, unusedPort, useSockets } from './helpers/sockets';

const s = useSockets();

function udpSocket(): { fd: number; address: P.SockaddrIn } {
  const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
  P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  return { fd, address: P.getsockname(fd) as P.SockaddrIn };
}

test('two sendto calls arrive as two datagrams, each with the sender address', async () => {
  const listener = udpSocket();
  const talker = udpSocket();
  expect(await P.sendto(talker.fd, 'first', 0, listener.address)).toBe(5);
  expect(P.sendtoSync(talker.fd, 'second datagram', 0, listener.address)).toBe(15);

  const one = await P.recvfrom(listener.fd, 100);
  expect(one.data.toString()).toBe('first');
  expect(one.address).toEqual(talker.address);
  const two = P.recvfromSync(listener.fd, 100);
  expect(two.data.toString()).toBe('second datagram');
  expect(two.address).toEqual(talker.address);
});

test('a pending recvfrom is woken by the datagram', async () => {
  const listener = udpSocket();
  const talker = udpSocket();
  const pending = P.recvfrom(listener.fd, 100);
  await P.sendto(talker.fd, 'late', 0, listener.address);
  const got = await pending;
  expect(got.data.toString()).toBe('late');
  expect(got.address.family).toBe(P.AF_INET);
});

test('an oversize datagram is truncated to the buffer and the rest discarded', async () => {
  const listener = udpSocket();
  const talker = udpSocket();
  await P.sendto(talker.fd, '0123456789', 0, listener.address);
  await P.sendto(talker.fd, 'next', 0, listener.address);
  expect((await P.recvfrom(listener.fd, 4)).data.toString()).toBe('0123');
  // The remaining 6 bytes of the first datagram are gone.
  expect((await P.recvfrom(listener.fd, 100)).data.toString()).toBe('next');
});

(isLinux ? test : test.skip)('MSG_TRUNC (Linux) reports the real length of a truncated datagram', async () => {
  const listener = udpSocket();
  const talker = udpSocket();
  await P.sendto(talker.fd, '0123456789', 0, listener.address);
  const buf = Buffer.alloc(4);
  expect(await P.recvInto(listener.fd, buf, P.MSG_TRUNC!)).toBe(10);
  expect(buf.toString()).toBe('0123');
});

(isLinux ? test : test.skip)('MSG_TRUNC (Linux) with recv/recvfrom: the Buffer holds only the bytes received, not the real length', async () => {
  const listener = udpSocket();
  const talker = udpSocket();
  for (let i = 0; i < 4; i++) await P.sendto(talker.fd, '0123456789', 0, listener.address);
  expect((await P.recv(listener.fd, 4, P.MSG_TRUNC!)).toString()).toBe('0123');
  expect(P.recvSync(listener.fd, 4, P.MSG_TRUNC!).toString()).toBe('0123');
  expect((await P.recvfrom(listener.fd, 4, P.MSG_TRUNC!)).data.toString()).toBe('0123');
  expect(P.recvfromSync(listener.fd, 4, P.MSG_TRUNC!).data.toString()).toBe('0123');
});

test('a zero-length datagram is a datagram: recv returns an empty Buffer', async () => {
  const listener = udpSocket();
  const talker = udpSocket();
  expect(await P.sendto(talker.fd, Buffer.alloc(0), 0, listener.address)).toBe(0);
  const got = await P.recvfrom(listener.fd, 100);
  expect(got.data.length).toBe(0);
  expect(got.address).toEqual(talker.address);
});

test('connected UDP: send/recv, and ECONNREFUSED from the ICMP port unreachable', async () => {
  const a = udpSocket();
  const b = udpSocket();
  await P.connect(a.fd, b.address);
  await P.send(a.fd, 'via connect');
  expect((await P.recv(b.fd, 100)).toString()).toBe('via connect');

  const lonely = s.socket(P.AF_INET, P.SOCK_DGRAM);
  P.connectSync(lonely, { family: P.AF_INET, address: '127.0.0.1', port: unusedPort() });
  P.sendSync(lonely, 'anyone?');
  // The ICMP error is queued on the socket and returned by the next call.
  const err = await rejection(P.recv(lonely, 10));
  expect(err.code).toBe('ECONNREFUSED');
});

test('sendto a port outside 0-65535 is a RangeError before any syscall', () => {
  const t = udpSocket();
  const err = thrown(() => P.sendtoSync(t.fd, 'x', 0, { family: P.AF_INET, address: '127.0.0.1', port: 65536 }));
  expect(err).toBeInstanceOf(RangeError);
});

test('an address object changed between calls is sent to where it points now', async () => {
  const a = udpSocket();
  const b = udpSocket();
  const t = udpSocket();
  const to: P.SockaddrIn = { ...a.address };
  await P.sendto(t.fd, 'to a', 0, to);
  to.port = b.address.port; // the same object, pointed elsewhere
  P.sendtoSync(t.fd, 'to b', 0, to);
  expect((await P.recvfrom(a.fd, 10)).data.toString()).toBe('to a');
  expect((await P.recvfrom(b.fd, 10)).data.toString()).toBe('to b');
  to.port = 70000;
  expect(() => P.sendtoSync(t.fd, 'x', 0, to)).toThrow(RangeError);
});
