// IPv6 on ::1, scope ids, and the v4-mapped view of a dual-stack socket.
import * as P from '../lib';
import { isLinux, useSockets } from './helpers/sockets';

const s = useSockets();

test('TCP exchange on ::1 with full sockaddr_in6 addresses', async () => {
  const { server, client, listener } = await s.tcpPair(P.AF_INET6);
  const bound = P.getsockname(listener) as P.SockaddrIn6;
  expect(bound).toEqual({ family: P.AF_INET6, address: '::1', port: bound.port, flowinfo: 0, scopeId: 0 });
  expect(P.getpeername(client)).toEqual(bound);
  await P.send(client, 'v6');
  expect((await P.recv(server, 10)).toString()).toBe('v6');
});

test('UDP on ::1 reports the sender as sockaddr_in6', async () => {
  const a = s.socket(P.AF_INET6, P.SOCK_DGRAM);
  const b = s.socket(P.AF_INET6, P.SOCK_DGRAM);
  P.bind(a, { family: P.AF_INET6, address: '::1', port: 0 });
  P.bind(b, { family: P.AF_INET6, address: '::1', port: 0 });
  await P.sendto(a, 'six', 0, P.getsockname(b));
  const got = await P.recvfrom(b, 10);
  expect(got.data.toString()).toBe('six');
  expect(got.address).toEqual(P.getsockname(a));
});

test('an IPv4 client reaching a dual-stack listener appears as ::ffff:127.0.0.1', async () => {
  const l = s.socket(P.AF_INET6, P.SOCK_STREAM);
  P.setsockopt(l, P.IPPROTO_IPV6, P.IPV6_V6ONLY, 0);
  P.bind(l, { family: P.AF_INET6, address: '::', port: 0 });
  P.listen(l, 1);
  const port = (P.getsockname(l) as P.SockaddrIn6).port;
  const c = s.socket(P.AF_INET, P.SOCK_STREAM);
  const accepted = P.accept(l);
  await P.connect(c, { family: P.AF_INET, address: '127.0.0.1', port });
  const { fd, address } = await accepted;
  s.adopt(fd);
  expect(address.family).toBe(P.AF_INET6);
  expect((address as P.SockaddrIn6).address).toBe('::ffff:127.0.0.1');
});

(isLinux ? test : test.skip)('a link-local address takes its scope id from "%lo" or scopeId', () => {
  const fromName = P.sockaddrFromBytes(P.sockaddrToBytes({ family: P.AF_INET6, address: 'fe80::1%lo', port: 7 }));
  expect(fromName).toEqual({ family: P.AF_INET6, address: 'fe80::1', port: 7, flowinfo: 0, scopeId: 1 });
  const fromField = P.sockaddrFromBytes(
    P.sockaddrToBytes({ family: P.AF_INET6, address: 'fe80::1', port: 7, scopeId: 1, flowinfo: 0x12345 }),
  );
  expect(fromField).toEqual({ family: P.AF_INET6, address: 'fe80::1', port: 7, flowinfo: 0x12345, scopeId: 1 });
});

test('an unknown interface name is a RangeError', () => {
  expect(() => P.sockaddrToBytes({ family: P.AF_INET6, address: 'fe80::1%no-such-if0', port: 1 })).toThrow(
    RangeError,
  );
});
