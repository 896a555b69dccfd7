// Control messages (ancillary data) against the real kernel on loopback:
// what recvmsg decodes (packet info, credentials, timestamps, TTL/TOS/hop
// limit, the error queue, the original destination, the drop count), what a
// typed or raw control message given to sendmsg makes the kernel do, and the
// TypeError/RangeError a bad one gets before any system call.
import * as os from 'node:os';
import * as P from '../lib';
import { isLinux, isRoot, rejection, thrown, unusedPort, useSockets } from './helpers/sockets';

const s = useSockets();

type TestFn = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;
/** `test` when `ok`; otherwise a skipped test whose title says why. */
function testIf(ok: boolean, reason: string): TestFn {
  return ok ? test : (name, fn, timeout) => test.skip(`${name} [skipped: ${reason}]`, fn, timeout);
}

/** Whether a UDP socket can bind `address` here (probed once, closed at once). */
function canBind(family: number, address: string): boolean {
  let fd: number | undefined;
  try {
    fd = P.socket(family, P.SOCK_DGRAM);
    P.bind(fd, { family, address, port: 0 } as P.SockaddrInput);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) P.close(fd);
  }
}

const have6 = canBind(P.AF_INET6, '::1');
// Linux answers for all of 127.0.0.0/8 on lo; macOS only for 127.0.0.1.
const have127two = canBind(P.AF_INET, '127.0.0.2');
const NO_V6 = 'no IPv6 loopback (::1) here';
const LINUX = 'a Linux control message';
const E = os.constants.errno;

/** A UDP socket bound to `address` port 0 (loopback by default). */
function udp(family: number = P.AF_INET, address = family === P.AF_INET6 ? '::1' : '127.0.0.1') {
  const fd = s.socket(family, P.SOCK_DGRAM);
  P.bind(fd, { family, address, port: 0 } as P.SockaddrInput);
  return { fd, address: P.getsockname(fd) as P.SockaddrIn | P.SockaddrIn6 };
}

/** The one control message named `name` in a result (fails if there is not exactly one). */
function cmsg<N extends NonNullable<P.Cmsg['name']>>(r: { control: P.Cmsg[] }, name: N): P.Cmsg & { name: N } {
  const found = r.control.filter((c) => c.name === name);
  expect(found.map((c) => c.name)).toEqual([name]);
  return found[0] as P.Cmsg & { name: N };
}

const ROOM = 512; // control buffer room for several messages

// ---- packet info ----------------------------------------------------------

testIf(isLinux && have127two, 'needs Linux, whose lo answers for all of 127.0.0.0/8')(
  'IP_PKTINFO: the destination of each datagram to a 0.0.0.0 socket, and a reply sent from the address it names',
  async () => {
    const server = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.setsockopt(server, P.IPPROTO_IP, P.IP_PKTINFO, 1);
    P.bind(server, { family: P.AF_INET, address: '0.0.0.0', port: 0 });
    const port = (P.getsockname(server) as P.SockaddrIn).port;
    const client = udp();
    const lo = P.if_nametoindex('lo');
    expect(lo).toBeGreaterThan(0);

    for (const to of ['127.0.0.1', '127.0.0.2']) {
      await P.sendto(client.fd, `to ${to}`, 0, { family: P.AF_INET, address: to, port });
      const got = await P.recvmsg(server, 100, P.CMSG_SPACE(12));
      expect(got.data.toString()).toBe(`to ${to}`);
      expect(got.address).toEqual(client.address);
      expect(got.flags & P.MSG_CTRUNC).toBe(0);
      const info = cmsg(got, 'IP_PKTINFO');
      expect(info).toMatchObject({ level: P.IPPROTO_IP, type: P.IP_PKTINFO, ifindex: lo, specDst: to, addr: to });
      expect(info.data.length).toBe(12); // struct in_pktinfo
    }

    // Without packet info the reply leaves from the route's source, 127.0.0.1 ...
    await P.sendmsg(server, { iov: ['plain'], name: client.address });
    expect((await P.recvfrom(client.fd, 100)).address).toEqual({ family: P.AF_INET, address: '127.0.0.1', port });
    // ... with ipi_spec_dst it leaves from 127.0.0.2.
    const sent = await P.sendmsg(server, {
      iov: ['from .2'],
      name: client.address,
      control: [{ level: P.IPPROTO_IP, type: P.IP_PKTINFO, specDst: '127.0.0.2' }],
    });
    expect(sent).toBe(7);
    const reply = await P.recvfrom(client.fd, 100);
    expect(reply.data.toString()).toBe('from .2');
    expect(reply.address).toEqual({ family: P.AF_INET, address: '127.0.0.2', port });
    // The kernel ignores ipi_addr when sending: only spec_dst picks the source.
    P.sendmsgSync(server, { iov: ['addr only'], name: client.address, control: [{ level: P.IPPROTO_IP, type: P.IP_PKTINFO, addr: '127.0.0.2' }] });
    expect((await P.recvfrom(client.fd, 100)).address).toEqual({ family: P.AF_INET, address: '127.0.0.1', port });
  },
);

testIf(isLinux && have127two, 'needs Linux, whose lo answers for all of 127.0.0.0/8')(
  'a received IP_PKTINFO sent back as it is (its data) answers from the address the datagram was sent to',
  async () => {
    const server = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.setsockopt(server, P.IPPROTO_IP, P.IP_PKTINFO, 1);
    P.bind(server, { family: P.AF_INET, address: '0.0.0.0', port: 0 });
    const port = (P.getsockname(server) as P.SockaddrIn).port;
    const client = udp();
    await P.sendto(client.fd, 'ping', 0, { family: P.AF_INET, address: '127.0.0.3', port });
    const got = await P.recvmsg(server, 100, P.CMSG_SPACE(12));
    await P.sendmsg(server, { iov: ['pong'], name: got.address, control: got.control });
    expect((await P.recvfrom(client.fd, 100)).address).toEqual({ family: P.AF_INET, address: '127.0.0.3', port });
  },
);

testIf(isLinux && have6, have6 ? LINUX : NO_V6)('IPV6_PKTINFO on a :: socket reports ::1 and the loopback index; a typed one sends from ::1', async () => {
  const server = s.socket(P.AF_INET6, P.SOCK_DGRAM);
  P.setsockopt(server, P.IPPROTO_IPV6, P.IPV6_RECVPKTINFO, 1);
  P.bind(server, { family: P.AF_INET6, address: '::', port: 0 });
  const port = (P.getsockname(server) as P.SockaddrIn6).port;
  const client = udp(P.AF_INET6);
  await P.sendto(client.fd, 'six', 0, { family: P.AF_INET6, address: '::1', port });
  const got = await P.recvmsg(server, 100, P.CMSG_SPACE(20));
  expect(got.data.toString()).toBe('six');
  expect(got.address).toEqual(client.address);
  expect(cmsg(got, 'IPV6_PKTINFO')).toMatchObject({
    level: P.IPPROTO_IPV6,
    type: P.IPV6_PKTINFO,
    addr: '::1',
    ifindex: P.if_nametoindex('lo'),
  });

  await P.sendmsg(server, {
    iov: ['back'],
    name: client.address,
    control: [{ level: P.IPPROTO_IPV6, type: P.IPV6_PKTINFO, addr: '::1', ifindex: P.if_nametoindex('lo') }],
  });
  const reply = await P.recvfrom(client.fd, 100);
  expect(reply.data.toString()).toBe('back');
  expect(reply.address).toMatchObject({ family: P.AF_INET6, address: '::1', port });
});

// ---- credentials ------------------------------------------------------------

for (const [label, type] of [
  ['datagram', P.SOCK_DGRAM],
  ['stream', P.SOCK_STREAM],
] as const) {
  testIf(isLinux, LINUX)(`SO_PASSCRED on an AF_UNIX ${label} socketpair: SCM_CREDENTIALS is this process`, async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, type);
    P.setsockopt(b, P.SOL_SOCKET, P.SO_PASSCRED!, 1);
    expect(await P.sendmsg(a, { iov: ['who'] })).toBe(3);
    const got = await P.recvmsg(b, 100, P.CMSG_SPACE(12));
    expect(got.data.toString()).toBe('who');
    expect(got.address).toBeUndefined();
    expect(cmsg(got, 'SCM_CREDENTIALS')).toMatchObject({
      level: P.SOL_SOCKET,
      type: P.SCM_CREDENTIALS,
      pid: process.pid,
      uid: process.getuid!(),
      gid: process.getgid!(),
    });

    // Explicit credentials: your own are always allowed.
    const mine = { pid: process.pid, uid: process.getuid!(), gid: process.getgid!() };
    P.sendmsgSync(a, { iov: ['me'], control: [{ level: P.SOL_SOCKET, type: P.SCM_CREDENTIALS!, ...mine }] });
    const again = P.recvmsgSync(b, 100, P.CMSG_SPACE(12));
    expect(again.data.toString()).toBe('me');
    expect(cmsg(again, 'SCM_CREDENTIALS')).toMatchObject(mine);
  });
}

testIf(isLinux && isRoot, isLinux ? 'needs root (CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID)' : LINUX)(
  'as root: SCM_CREDENTIALS may name another existing pid and any uid/gid',
  async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_DGRAM);
    P.setsockopt(b, P.SOL_SOCKET, P.SO_PASSCRED!, 1);
    const other = { pid: 1, uid: 1000, gid: 1001 };
    await P.sendmsg(a, { iov: ['other'], control: [{ level: P.SOL_SOCKET, type: P.SCM_CREDENTIALS!, ...other }] });
    expect(cmsg(await P.recvmsg(b, 100, P.CMSG_SPACE(12)), 'SCM_CREDENTIALS')).toMatchObject(other);
    // A pid that names no process is refused even for root.
    const err = await rejection(
      P.sendmsg(a, { iov: ['x'], control: [{ level: P.SOL_SOCKET, type: P.SCM_CREDENTIALS!, pid: 0x7ffffff0, uid: 0, gid: 0 }] }),
    );
    expect(err.code).toBe('ESRCH');
    expect(err.syscall).toBe('sendmsg');
  },
);

// ---- timestamps -------------------------------------------------------------

for (const name of ['SO_TIMESTAMPNS', 'SO_TIMESTAMP'] as const) {
  testIf(isLinux, LINUX)(`${name}: the kernel's receive time lies between the send and the receive`, async () => {
    const r = udp();
    const t = udp();
    P.setsockopt(r.fd, P.SOL_SOCKET, P[name]!, 1);
    const before = Date.now();
    await P.sendto(t.fd, 'when', 0, r.address);
    const got = await P.recvmsg(r.fd, 100, P.CMSG_SPACE(16));
    const after = Date.now();
    const ts = cmsg(got, name);
    expect(ts.level).toBe(P.SOL_SOCKET);
    expect(ts.type).toBe(name === 'SO_TIMESTAMPNS' ? P.SCM_TIMESTAMPNS : P.SCM_TIMESTAMP);
    expect(ts.nsec).toBeGreaterThanOrEqual(0);
    expect(ts.nsec).toBeLessThan(1e9);
    // struct timeval carries microseconds.
    if (name === 'SO_TIMESTAMP') expect(ts.nsec % 1000).toBe(0);
    const ms = ts.sec * 1000 + ts.nsec / 1e6;
    // Date.now() truncates to the millisecond: allow one either side.
    expect(ms).toBeGreaterThanOrEqual(before - 1);
    expect(ms).toBeLessThanOrEqual(after + 1);
  });
}

testIf(isLinux, LINUX)('a control buffer too small sets MSG_CTRUNC; the cut message comes raw, with the bytes that fit', async () => {
  const r = udp();
  const t = udp();
  P.setsockopt(r.fd, P.SOL_SOCKET, P.SO_TIMESTAMPNS!, 1);
  await P.sendto(t.fd, 'tight', 0, r.address);
  // Room for a header and 8 bytes, not the 16-byte timespec: Linux writes
  // what fits (cmsg_len = the room left), too short to decode.
  const got = await P.recvmsg(r.fd, 100, P.CMSG_SPACE(8));
  expect(got.data.toString()).toBe('tight');
  expect(got.flags & P.MSG_CTRUNC).toBe(P.MSG_CTRUNC);
  expect(got.control).toHaveLength(1);
  const cut = got.control[0];
  expect(cut.name).toBeUndefined();
  expect([cut.level, cut.type, cut.data.length]).toEqual([P.SOL_SOCKET, P.SCM_TIMESTAMPNS, P.CMSG_SPACE(8) - P.CMSG_LEN(0)]);
  // No room at all: only the flag.
  await P.sendto(t.fd, 'none', 0, r.address);
  const none = await P.recvmsg(r.fd, 100, 0);
  expect(none.flags & P.MSG_CTRUNC).toBe(P.MSG_CTRUNC);
  expect(none.control).toEqual([]);
});

// ---- TTL, TOS, hop limit, traffic class --------------------------------------

testIf(isLinux, LINUX)('IP_TTL: the sender’s IP_TTL (option or typed control message) is what IP_RECVTTL reports', async () => {
  const r = udp();
  const t = udp();
  P.setsockopt(r.fd, P.IPPROTO_IP, P.IP_RECVTTL, 1);
  P.setsockopt(t.fd, P.IPPROTO_IP, P.IP_TTL, 5);
  await P.sendto(t.fd, 'ttl', 0, r.address);
  const byOption = await P.recvmsg(r.fd, 100, P.CMSG_SPACE(4));
  expect(cmsg(byOption, 'IP_TTL')).toMatchObject({ level: P.IPPROTO_IP, type: P.IP_TTL, value: 5 });

  // The control message overrides the option for this datagram only.
  await P.sendmsg(t.fd, { iov: ['ttl'], name: r.address, control: [{ level: P.IPPROTO_IP, type: P.IP_TTL, value: 7 }] });
  expect(cmsg(await P.recvmsg(r.fd, 100, P.CMSG_SPACE(4)), 'IP_TTL').value).toBe(7);
  await P.sendto(t.fd, 'ttl', 0, r.address);
  expect(cmsg(await P.recvmsg(r.fd, 100, P.CMSG_SPACE(4)), 'IP_TTL').value).toBe(5);
});

testIf(isLinux, LINUX)('IP_TOS: the sender’s TOS (option or typed control message) is what IP_RECVTOS reports', async () => {
  const r = udp();
  const t = udp();
  P.setsockopt(r.fd, P.IPPROTO_IP, P.IP_RECVTOS, 1);
  P.setsockopt(t.fd, P.IPPROTO_IP, P.IP_TOS, 0x20);
  await P.sendto(t.fd, 'tos', 0, r.address);
  const got = await P.recvmsg(r.fd, 100, P.CMSG_SPACE(4));
  const tos = cmsg(got, 'IP_TOS');
  expect(tos).toMatchObject({ level: P.IPPROTO_IP, type: P.IP_TOS, value: 0x20 });
  expect(tos.data.length).toBe(1); // Linux reports the TOS as one byte
  await P.sendmsg(t.fd, { iov: ['tos'], name: r.address, control: [{ level: P.IPPROTO_IP, type: P.IP_TOS, value: 0x10 }] });
  expect(cmsg(await P.recvmsg(r.fd, 100, P.CMSG_SPACE(4)), 'IP_TOS').value).toBe(0x10);
});

testIf(isLinux && have6, have6 ? LINUX : NO_V6)(
  'IPv6 hop limit and traffic class: IPV6_UNICAST_HOPS/IPV6_TCLASS or typed control messages, as IPV6_RECVHOPLIMIT/IPV6_RECVTCLASS report them',
  async () => {
    const r = udp(P.AF_INET6);
    const t = udp(P.AF_INET6);
    P.setsockopt(r.fd, P.IPPROTO_IPV6, P.IPV6_RECVHOPLIMIT, 1);
    P.setsockopt(r.fd, P.IPPROTO_IPV6, P.IPV6_RECVTCLASS, 1);
    P.setsockopt(t.fd, P.IPPROTO_IPV6, P.IPV6_UNICAST_HOPS, 5);
    P.setsockopt(t.fd, P.IPPROTO_IPV6, P.IPV6_TCLASS, 0x20);
    await P.sendto(t.fd, 'hops', 0, r.address);
    const got = await P.recvmsg(r.fd, 100, ROOM);
    expect(cmsg(got, 'IPV6_HOPLIMIT')).toMatchObject({ level: P.IPPROTO_IPV6, type: P.IPV6_HOPLIMIT, value: 5 });
    expect(cmsg(got, 'IPV6_TCLASS')).toMatchObject({ level: P.IPPROTO_IPV6, type: P.IPV6_TCLASS, value: 0x20 });

    await P.sendmsg(t.fd, {
      iov: ['hops'],
      name: r.address,
      control: [
        { level: P.IPPROTO_IPV6, type: P.IPV6_HOPLIMIT, value: 9 },
        { level: P.IPPROTO_IPV6, type: P.IPV6_TCLASS, value: 0x10 },
      ],
    });
    const typed = await P.recvmsg(r.fd, 100, ROOM);
    expect(cmsg(typed, 'IPV6_HOPLIMIT').value).toBe(9);
    expect(cmsg(typed, 'IPV6_TCLASS').value).toBe(0x10);
  },
);

testIf(isLinux, LINUX)('a raw control message ({ level, type, data }) for IP_TTL works like the typed form', async () => {
  const r = udp();
  const t = udp();
  P.setsockopt(r.fd, P.IPPROTO_IP, P.IP_RECVTTL, 1);
  await P.sendmsg(t.fd, { iov: ['raw'], name: r.address, control: [{ level: P.IPPROTO_IP, type: P.IP_TTL, data: Int32Array.of(9) }] });
  const got = await P.recvmsg(r.fd, 100, P.CMSG_SPACE(4));
  const ttl = cmsg(got, 'IP_TTL');
  expect(ttl.value).toBe(9);
  // A received message sent back as it is: its data is what is sent (value is ignored).
  P.sendmsgSync(t.fd, { iov: ['echo'], name: r.address, control: [{ ...ttl, value: 200 }] });
  expect(cmsg(P.recvmsgSync(r.fd, 100, P.CMSG_SPACE(4)), 'IP_TTL').value).toBe(9);
  // The kernel checks a raw payload itself: a TTL of 0 is EINVAL.
  const err = thrown(() =>
    P.sendmsgSync(t.fd, { iov: ['bad'], name: r.address, control: [{ level: P.IPPROTO_IP, type: P.IP_TTL, data: Int32Array.of(0) }] }),
  );
  expect(err.code).toBe('EINVAL');
  expect(err.syscall).toBe('sendmsg');
});

// ---- the error queue --------------------------------------------------------

testIf(isLinux, LINUX)('IP_RECVERR: a port unreachable is read from the error queue, fully decoded', async () => {
  const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
  P.setsockopt(fd, P.IPPROTO_IP, P.IP_RECVERR!, 1);
  P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const to: P.SockaddrIn = { family: P.AF_INET, address: '127.0.0.1', port: unusedPort() };
  await P.sendto(fd, 'to nobody', 0, to);
  const got = await P.recvmsg(fd, 100, ROOM, P.MSG_ERRQUEUE!);
  // The error queue returns the datagram that caused the error, and its destination.
  expect(got.data.toString()).toBe('to nobody');
  expect(got.address).toEqual(to);
  expect(got.flags & P.MSG_ERRQUEUE!).toBe(P.MSG_ERRQUEUE);
  const err = cmsg(got, 'IP_RECVERR');
  expect(err).toMatchObject({
    level: P.IPPROTO_IP,
    type: P.IP_RECVERR,
    errno: E.ECONNREFUSED,
    code: 'ECONNREFUSED',
    origin: P.SO_EE_ORIGIN_ICMP,
    icmpType: 3, // ICMP_DEST_UNREACH
    icmpCode: 3, // ICMP_PORT_UNREACH
    info: 0,
    extData: 0,
  });
  expect(err.offender).toEqual({ family: P.AF_INET, address: '127.0.0.1', port: 0 });
  // Now empty: the synchronous read answers EAGAIN at once, on a blocking socket too.
  expect(P.isNonBlocking(fd)).toBe(false);
  expect(thrown(() => P.recvmsgSync(fd, 100, ROOM, P.MSG_ERRQUEUE!)).code).toBe('EAGAIN');
});

testIf(isLinux, LINUX)(
  'an error-queue read never blocks an ordinary read: a pending recvmsg gets the datagram that arrives after the error',
  async () => {
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.setsockopt(fd, P.IPPROTO_IP, P.IP_RECVERR!, 1);
    P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const peer = udp();

    const plain = P.recvmsg(fd, 100);
    plain.catch(() => {}); // awaited below
    P.sendtoSync(fd, 'bounce', 0, { family: P.AF_INET, address: '127.0.0.1', port: unusedPort() });
    // On loopback the ICMP error is queued before sendto returns. Reading it
    // also clears the socket's pending error (sk_err), which would otherwise
    // be the answer to the waiting plain read.
    const errq = await P.recvmsg(fd, 100, ROOM, P.MSG_ERRQUEUE!);
    expect(errq.data.toString()).toBe('bounce');
    expect(cmsg(errq, 'IP_RECVERR').code).toBe('ECONNREFUSED');

    P.sendtoSync(peer.fd, 'real', 0, P.getsockname(fd));
    const got = await plain;
    expect(got.data.toString()).toBe('real');
    expect(got.address).toEqual(peer.address);
    expect(got.flags & P.MSG_ERRQUEUE!).toBe(0);
  },
);

// A queued ICMP error is also the socket's pending error (sk_err): whoever
// reads first takes it. The engine serves the error-queue reader before
// plain readers on every wake-up, including the single-fd one whose events
// carry no ERROR bit (native/watcher.cc), so the plain read gets 'real'.
/** An error-queue read waits first, then an ordinary read; each must get its own message. */
async function errorQueueThenPlain(): Promise<void> {
  const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
  P.setsockopt(fd, P.IPPROTO_IP, P.IP_RECVERR!, 1);
  P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const peer = udp();
  const errq = P.recvmsg(fd, 100, ROOM, P.MSG_ERRQUEUE!);
  errq.catch(() => {});
  const plain = P.recvmsg(fd, 100);
  plain.catch(() => {});
  P.sendtoSync(fd, 'bounce', 0, { family: P.AF_INET, address: '127.0.0.1', port: unusedPort() });
  expect(cmsg(await errq, 'IP_RECVERR').code).toBe('ECONNREFUSED');
  P.sendtoSync(peer.fd, 'real', 0, P.getsockname(fd));
  expect((await plain).data.toString()).toBe('real');
}

testIf(isLinux, LINUX)('an error-queue read waiting first, then an ordinary read: each gets its own message', errorQueueThenPlain);

testIf(isLinux, LINUX)('the same, with another fd watched: the error-queue read goes first and the ordinary read gets the datagram', async () => {
  // Only the number of fds watched differs (epoll reports EPOLLERR then).
  const other = udp();
  const otherRead = P.recv(other.fd, 10);
  otherRead.catch(() => {}); // awaited at the end
  await errorQueueThenPlain();
  const peer = udp();
  P.sendtoSync(peer.fd, 'done', 0, other.address);
  expect((await otherRead).toString()).toBe('done');
});

testIf(isLinux && have6, have6 ? LINUX : NO_V6)('IPV6_RECVERR: a port unreachable on ::1 is ECONNREFUSED from ICMPv6', async () => {
  const fd = s.socket(P.AF_INET6, P.SOCK_DGRAM);
  P.setsockopt(fd, P.IPPROTO_IPV6, P.IPV6_RECVERR!, 1);
  P.bind(fd, { family: P.AF_INET6, address: '::1', port: 0 });
  const to: P.SockaddrIn6 = { family: P.AF_INET6, address: '::1', port: unusedPort(), flowinfo: 0, scopeId: 0 };
  await P.sendto(fd, 'six to nobody', 0, to);
  const got = await P.recvmsg(fd, 100, ROOM, P.MSG_ERRQUEUE!);
  expect(got.data.toString()).toBe('six to nobody');
  expect(got.flags & P.MSG_ERRQUEUE!).toBe(P.MSG_ERRQUEUE);
  const err = cmsg(got, 'IPV6_RECVERR');
  expect(err).toMatchObject({
    level: P.IPPROTO_IPV6,
    type: P.IPV6_RECVERR,
    errno: E.ECONNREFUSED,
    code: 'ECONNREFUSED',
    origin: P.SO_EE_ORIGIN_ICMP6,
    icmpType: 1, // ICMPV6_DEST_UNREACH
    icmpCode: 4, // ICMPV6_PORT_UNREACH
  });
  expect(err.offender).toMatchObject({ family: P.AF_INET6, address: '::1' });
});

// ---- original destination, drop count ----------------------------------------

testIf(isLinux && have127two, 'needs Linux, whose lo answers for all of 127.0.0.0/8')(
  'IP_ORIGDSTADDR: the address and port each datagram was sent to',
  async () => {
    const bound = udp();
    P.setsockopt(bound.fd, P.IPPROTO_IP, P.IP_RECVORIGDSTADDR!, 1);
    const t = udp();
    await P.sendto(t.fd, 'here', 0, bound.address);
    const got = await P.recvmsg(bound.fd, 100, ROOM);
    expect(cmsg(got, 'IP_ORIGDSTADDR')).toMatchObject({ level: P.IPPROTO_IP, type: P.IP_ORIGDSTADDR, address: bound.address });

    // On a 0.0.0.0 socket it tells the destinations apart.
    const any = udp(P.AF_INET, '0.0.0.0');
    P.setsockopt(any.fd, P.IPPROTO_IP, P.IP_RECVORIGDSTADDR!, 1);
    const to: P.SockaddrIn = { family: P.AF_INET, address: '127.0.0.2', port: any.address.port };
    await P.sendto(t.fd, 'there', 0, to);
    expect(cmsg(await P.recvmsg(any.fd, 100, ROOM), 'IP_ORIGDSTADDR').address).toEqual(to);
  },
);

testIf(isLinux && have6, have6 ? LINUX : NO_V6)('IPV6_ORIGDSTADDR: the ::1 address and port the datagram was sent to', async () => {
  const r = udp(P.AF_INET6);
  P.setsockopt(r.fd, P.IPPROTO_IPV6, P.IPV6_RECVORIGDSTADDR!, 1);
  const t = udp(P.AF_INET6);
  await P.sendto(t.fd, 'here', 0, r.address);
  expect(cmsg(await P.recvmsg(r.fd, 100, ROOM), 'IPV6_ORIGDSTADDR').address).toEqual(r.address);
});

testIf(isLinux, LINUX)('SO_RXQ_OVFL: after a small receive queue overflows, the next datagram carries the drop count', async () => {
  const r = udp();
  P.setsockopt(r.fd, P.SOL_SOCKET, P.SO_RCVBUF, 1); // the kernel rounds up to its minimum
  P.setsockopt(r.fd, P.SOL_SOCKET, P.SO_RXQ_OVFL!, 1);
  const t = udp();
  const sent = 64;
  for (let i = 0; i < sent; i++) P.sendtoSync(t.fd, Buffer.alloc(1000, i), 0, r.address);
  // Drain what fit (bounded: at most what was sent). A datagram queued
  // before any drop has no SO_RXQ_OVFL message.
  let queued = 0;
  for (; queued <= sent; queued++) {
    try {
      P.recvmsgSync(r.fd, 2000, ROOM, P.MSG_DONTWAIT);
    } catch (e) {
      expect((e as P.SocketError).code).toBe('EAGAIN');
      break;
    }
  }
  expect(queued).toBeGreaterThan(0);
  expect(queued).toBeLessThan(sent);
  // The count is stamped on each datagram as it is queued: the next one has it.
  await P.sendto(t.fd, 'after', 0, r.address);
  const got = await P.recvmsg(r.fd, 100, ROOM);
  expect(got.data.toString()).toBe('after');
  const ovfl = cmsg(got, 'SO_RXQ_OVFL');
  expect(ovfl.level).toBe(P.SOL_SOCKET);
  expect(ovfl.type).toBe(P.SO_RXQ_OVFL);
  expect(ovfl.value).toBe(sent - queued);
});

// ---- sizes and bad arguments --------------------------------------------------

testIf(isLinux && (process.arch === 'x64' || process.arch === 'arm64'), 'the sizes asserted are 64-bit Linux’s')(
  'CMSG_LEN/CMSG_SPACE are the C macros: a 16-byte header, payload padded to 8',
  () => {
    expect(P.CMSG_LEN(0)).toBe(16);
    expect(P.CMSG_LEN(12)).toBe(28);
    expect(P.CMSG_SPACE(0)).toBe(16);
    expect(P.CMSG_SPACE(1)).toBe(24);
    expect(P.CMSG_SPACE(4)).toBe(24);
    expect(P.CMSG_SPACE(12)).toBe(32);
    expect(P.CMSG_SPACE(16)).toBe(32);
  },
);

test('bad control messages are TypeError/RangeError before any system call', async () => {
  const r = udp();
  const t = udp();
  const ip = P.IPPROTO_IP;
  const bad: [unknown, string, RegExp][] = [
    ['not an array', 'TypeError', /msg\.control must be an array/],
    [[null], 'TypeError', /msg\.control\[0\] must be an object/],
    [[{ type: P.IP_TTL, value: 5 }], 'TypeError', /msg\.control\[0\]\.level must be a number/],
    [[{ level: ip, type: '2', value: 5 }], 'TypeError', /msg\.control\[0\]\.type must be a number/],
    [[{ level: 1.5, type: P.IP_TTL, value: 5 }], 'RangeError', /msg\.control\[0\]\.level/],
    [[{ level: ip, type: P.IP_TTL }], 'TypeError', /msg\.control\[0\]\.value must be a number/],
    [[{ level: ip, type: P.IP_TTL, value: '5' }], 'TypeError', /\.value must be a number/],
    [[{ level: ip, type: P.IP_TTL, value: 2 ** 31 }], 'RangeError', /\.value must be an integer/],
    [[{ level: ip, type: P.IP_TTL, value: 1.5 }], 'RangeError', /\.value/],
    [[{ level: ip, type: P.IP_PKTINFO, specDst: 5 }], 'TypeError', /\.specDst must be an address string/],
    [[{ level: ip, type: P.IP_PKTINFO, specDst: 'not-an-ip' }], 'TypeError', /'not-an-ip' is not an IPv4 address/],
    [[{ level: ip, type: P.IP_PKTINFO, addr: '::1' }], 'TypeError', /is not an IPv4 address/],
    [[{ level: ip, type: P.IP_PKTINFO, ifindex: -1 }], 'RangeError', /\.ifindex/],
    [[{ level: P.IPPROTO_IPV6, type: P.IPV6_PKTINFO, addr: '127.0.0.1' }], 'TypeError', /is not an IPv6 address/],
    [[{ level: 12345, type: 678 }], 'TypeError', /no typed form for level 12345, type 678/],
    [[{ level: ip, type: P.IP_TTL, data: 5 }], 'TypeError', /\.data must be a Buffer/],
    [[{ level: P.SOL_SOCKET, type: P.SCM_RIGHTS, fds: 3 }], 'TypeError', /\.fds must be an array/],
    [[{ level: P.SOL_SOCKET, type: P.SCM_RIGHTS, fds: [1.5] }], 'TypeError', /\.fds\[0\] must be an integer fd/],
    [[{ level: P.SOL_SOCKET, type: P.SCM_RIGHTS, fds: ['3'] }], 'TypeError', /\.fds\[0\]/],
    [[{ level: P.SOL_SOCKET, type: P.SCM_RIGHTS, fds: [r.fd, -1] }], 'RangeError', /\.fds\[1\] must be a non-negative/],
  ];
  if (isLinux) {
    const cred = { level: P.SOL_SOCKET, type: P.SCM_CREDENTIALS! };
    bad.push(
      [[{ ...cred, pid: process.pid, uid: 0 }], 'TypeError', /\.gid must be a number/],
      [[{ ...cred, pid: process.pid, uid: -1, gid: 0 }], 'RangeError', /\.uid/],
      [[{ level: P.SOL_UDP!, type: P.UDP_SEGMENT!, value: 70000 }], 'RangeError', /\.value must be an integer from 0 to 65535/],
    );
  }
  for (const [control, name, message] of bad) {
    const msg = { iov: ['never sent'], name: r.address, control } as unknown as P.Msghdr;
    const sync = thrown(() => P.sendmsgSync(t.fd, msg));
    expect([sync.name, sync.message]).toEqual([name, expect.stringMatching(message)]);
    // The promise form throws at the call, not as a rejection.
    const promised = thrown(() => P.sendmsg(t.fd, msg));
    expect(promised.name).toBe(name);
  }
  // Nothing reached the kernel: the first datagram to arrive is this one.
  await P.sendmsg(t.fd, { iov: ['first'], name: r.address });
  expect((await P.recvfrom(r.fd, 100)).data.toString()).toBe('first');

  // The other arguments.
  expect(thrown(() => P.sendmsgSync(t.fd, null as never)).name).toBe('TypeError');
  expect(thrown(() => P.sendmsgSync(t.fd, { iov: 'x' } as never)).name).toBe('TypeError');
  expect(thrown(() => P.sendmsgSync(t.fd, { iov: [5] } as never)).name).toBe('TypeError');
  expect(thrown(() => P.sendmsgSync(t.fd, { iov: ['x'], name: { family: P.AF_INET, address: '127.0.0.1', port: -1 } })).name).toBe(
    'RangeError',
  );
  expect(thrown(() => P.sendmsgSync(1.5, { iov: ['x'] })).name).toBe('RangeError');
  expect(thrown(() => P.sendmsg('3' as never, { iov: ['x'] })).name).toBe('TypeError');
  expect(thrown(() => P.recvmsgSync(r.fd, 100, -1)).name).toBe('RangeError');
  expect(thrown(() => P.recvmsg(r.fd, 100, '64' as never)).name).toBe('TypeError');
  expect(thrown(() => P.recvmsg(r.fd, -1)).name).toBe('RangeError');
  expect(thrown(() => P.recvmsg(r.fd, 100, 0, 1.5)).name).toBe('RangeError');
  expect(thrown(() => P.CMSG_SPACE(-1)).name).toBe('RangeError');
  expect(thrown(() => P.CMSG_LEN('4' as never)).name).toBe('TypeError');
});
