// getaddrinfo/getnameinfo. Only names from /etc/hosts and numeric hosts are
// used, so no test sends a DNS query off this machine.
import * as P from '../lib';
import { rejection } from './helpers/sockets';

test("getaddrinfo('localhost', '1234', {family: AF_INET, socktype: SOCK_STREAM})", async () => {
  const list = await P.getaddrinfo('localhost', '1234', { family: P.AF_INET, socktype: P.SOCK_STREAM });
  expect(list).toEqual([
    {
      flags: 0,
      family: P.AF_INET,
      socktype: P.SOCK_STREAM,
      protocol: P.IPPROTO_TCP,
      address: { family: P.AF_INET, address: '127.0.0.1', port: 1234 },
    },
  ]);
});

test('without a socktype each address comes once per socket type', async () => {
  const list = await P.getaddrinfo('127.0.0.1', '53', { flags: P.AI_NUMERICHOST });
  const types = list.map((e) => e.socktype).sort();
  expect(types).toEqual(expect.arrayContaining([P.SOCK_STREAM, P.SOCK_DGRAM]));
  for (const e of list) expect(e.address).toEqual({ family: P.AF_INET, address: '127.0.0.1', port: 53 });
});

test('AI_PASSIVE with a null node gives the wildcard addresses to bind', async () => {
  const list = await P.getaddrinfo(null, '8080', { flags: P.AI_PASSIVE, socktype: P.SOCK_STREAM });
  const addresses = list.map((e) => (e.address as P.SockaddrIn).address);
  expect(addresses).toContain('0.0.0.0');
  for (const e of list) expect((e.address as P.SockaddrIn).port).toBe(8080);
  // Without AI_PASSIVE a null node means loopback.
  const active = await P.getaddrinfo(null, '8080', { family: P.AF_INET, socktype: P.SOCK_STREAM });
  expect((active[0].address as P.SockaddrIn).address).toBe('127.0.0.1');
});

test('AI_NUMERICHOST accepts a numeric IPv6 address and refuses a name with EAI_NONAME', async () => {
  const [v6] = await P.getaddrinfo('::1', '80', { flags: P.AI_NUMERICHOST, socktype: P.SOCK_STREAM });
  expect(v6.address).toEqual({ family: P.AF_INET6, address: '::1', port: 80, flowinfo: 0, scopeId: 0 });

  const err = await rejection(P.getaddrinfo('nonexistent.invalid', '80', { flags: P.AI_NUMERICHOST }));
  expect(err).toBeInstanceOf(P.SocketError);
  expect(err.code).toBe('EAI_NONAME');
  expect(err.eai).toBe(P.EAI_NONAME);
  expect(err.errno).toBe(P.EAI_NONAME);
  expect(err.syscall).toBe('getaddrinfo');
  expect(err.hostname).toBe('nonexistent.invalid');
  expect(err.message).toMatch(/^getaddrinfo: .+ \(EAI_NONAME\) nonexistent\.invalid$/);
});

test('an unknown service name for a socket type → EAI_SERVICE', async () => {
  const err = await rejection(P.getaddrinfo(null, 'no-such-service', { socktype: P.SOCK_STREAM }));
  expect(err.code).toBe('EAI_SERVICE');
});

test('AI_CANONNAME puts the canonical name on the first entry', async () => {
  const list = await P.getaddrinfo('localhost', null, { flags: P.AI_CANONNAME, family: P.AF_INET });
  expect(list[0].canonname).toBe('localhost');
});

test('getnameinfo with NI_NUMERICHOST|NI_NUMERICSERV', async () => {
  expect(
    await P.getnameinfo({ family: P.AF_INET, address: '127.0.0.1', port: 1234 }, P.NI_NUMERICHOST | P.NI_NUMERICSERV),
  ).toEqual({ host: '127.0.0.1', service: '1234' });
  expect(
    await P.getnameinfo({ family: P.AF_INET6, address: '::1', port: 80 }, P.NI_NUMERICHOST | P.NI_NUMERICSERV),
  ).toEqual({ host: '::1', service: '80' });
});

test('argument errors are thrown before the lookup starts', () => {
  expect(() => P.getaddrinfo(42 as unknown as string, null)).toThrow(TypeError);
  expect(() => P.getaddrinfo('local\0host', null)).toThrow(TypeError);
  // A lone surrogate: UTF-8 would hand C U+FFFD, another name.
  expect(() => P.getaddrinfo('local\uD800host', null)).toThrow(/node contains a lone surrogate/);
  expect(() => P.getaddrinfo('localhost', 'ht\uDC00tp')).toThrow(/service contains a lone surrogate/);
  expect(() => P.getaddrinfo('localhost', null, { family: 1.5 })).toThrow(RangeError);
});

test('an aborted lookup rejects with AbortError', async () => {
  const err = await rejection(P.getaddrinfo('localhost', '1', {}, { signal: AbortSignal.abort() }));
  expect(err.name).toBe('AbortError');
});

test('the promise belongs to the caller realm', () => {
  const p = P.getaddrinfo('127.0.0.1', '1', { flags: P.AI_NUMERICHOST });
  expect(p).toBeInstanceOf(Promise);
  return p;
});
