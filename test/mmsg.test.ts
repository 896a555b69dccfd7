// sendmmsg/recvmmsg (Linux) on loopback: many datagrams in one system call
// with their boundaries, sizes, destinations and sender addresses kept;
// how recvmmsg waits (the promise for the first message only; the Sync form
// with MSG_WAITFORONE); per-message control messages; UDP GSO and GRO.
import * as P from '../lib';
import { report, runChild } from './helpers/child';
import { thrown, useSockets } from './helpers/sockets';

const s = useSockets();

type TestFn = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;
/** `test` unless `skip` gives a reason; then a skipped test whose title says why. */
function testUnless(skip: string | undefined): TestFn {
  return skip === undefined ? test : (name, fn, timeout) => test.skip(`${name} [skipped: ${skip}]`, fn, timeout);
}

const NO_MMSG = P.sendmmsg === undefined || P.recvmmsg === undefined ? 'no sendmmsg/recvmmsg on this platform' : undefined;

function udp(family: number = P.AF_INET, address = '127.0.0.1'): { fd: number; address: P.SockaddrIn } {
  const fd = s.socket(family, P.SOCK_DGRAM);
  P.bind(fd, { family, address, port: 0 } as P.SockaddrInput);
  return { fd, address: P.getsockname(fd) as P.SockaddrIn };
}

/** Runs `f` on a fresh sender/receiver pair closed at once; returns why it cannot, if the kernel says so. */
function probe(f: (t: number, to: P.Sockaddr, r: number) => void, unsupported: string[]): string | undefined {
  const t = P.socket(P.AF_INET, P.SOCK_DGRAM);
  const r = P.socket(P.AF_INET, P.SOCK_DGRAM);
  try {
    P.bind(r, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    f(t, P.getsockname(r), r);
    return undefined;
  } catch (e) {
    const code = (e as P.SocketError).code;
    if (unsupported.includes(code)) return `the kernel answers ${code}`;
    throw e;
  } finally {
    P.close(t);
    P.close(r);
  }
}

const NO_GSO =
  NO_MMSG ??
  (P.SOL_UDP === undefined || P.UDP_SEGMENT === undefined
    ? 'UDP_SEGMENT is not defined on this platform'
    : probe(
        (t, to) =>
          P.sendmsgSync(t, { iov: [Buffer.alloc(2000)], name: to, control: [{ level: P.SOL_UDP!, type: P.UDP_SEGMENT!, value: 1000 }] }),
        ['ENOPROTOOPT', 'EINVAL', 'EIO', 'EOPNOTSUPP'],
      )?.replace(/^/, 'UDP_SEGMENT: '));
const NO_GRO =
  NO_GSO ??
  (P.UDP_GRO === undefined
    ? 'UDP_GRO is not defined on this platform'
    : probe((_t, _to, r) => P.setsockopt(r, P.SOL_UDP!, P.UDP_GRO!, 1), ['ENOPROTOOPT', 'EINVAL'])?.replace(/^/, 'UDP_GRO: '));

const have127two = (() => {
  const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
  try {
    P.bind(fd, { family: P.AF_INET, address: '127.0.0.2', port: 0 });
    return true;
  } catch {
    return false;
  } finally {
    P.close(fd);
  }
})();

/**
 * recvmmsg until `count` messages have come (bounded: each call returns at
 * least one, so at most `count` calls), then checks that no more are queued.
 */
async function collect(fd: number, count: number, length: number, controlLength = 0): Promise<P.RecvmsgResult[]> {
  const got: P.RecvmsgResult[] = [];
  for (let calls = 0; calls < count && got.length < count; calls++) {
    const batch = await P.recvmmsg!(fd, 64, length, controlLength);
    expect(batch.length).toBeGreaterThan(0);
    got.push(...batch);
  }
  expect(got.length).toBe(count);
  expect(thrown(() => P.recvmmsgSync!(fd, 64, length, 0, P.MSG_DONTWAIT)).code).toBe('EAGAIN');
  return got;
}

/** Message i's payload: a distinct size from 1 to 500 bytes, filled with i. */
function payload(i: number): Buffer {
  return Buffer.alloc(1 + ((i * 37) % 500), i);
}

testUnless(NO_MMSG)('sendmmsg sends 64 datagrams of different sizes to two sockets in one call; recvmmsg keeps each boundary and sender', async () => {
  const even = udp();
  const odd = udp();
  const t = udp();
  const msgs: P.Msghdr[] = Array.from({ length: 64 }, (_, i) => ({ iov: [payload(i)], name: i % 2 === 0 ? even.address : odd.address }));
  expect(await P.sendmmsg!(t.fd, msgs)).toBe(64);

  for (const [r, parity] of [
    [even, 0],
    [odd, 1],
  ] as const) {
    const got = await collect(r.fd, 32, 1024);
    got.forEach((m, k) => {
      const i = 2 * k + parity; // one sender, one path: in order
      expect(m.data).toEqual(payload(i));
      expect(m.address).toEqual(t.address);
      expect(m.flags & P.MSG_TRUNC).toBe(0);
      expect(m.control).toEqual([]);
    });
  }
});

testUnless(NO_MMSG)('recvmmsg gives each message its own sender address', async () => {
  const r = udp();
  const a = udp();
  const b = udp();
  P.sendtoSync(a.fd, 'a1', 0, r.address);
  P.sendtoSync(b.fd, 'b1', 0, r.address);
  P.sendmmsgSync!(a.fd, [{ iov: ['a2'], name: r.address }]);
  P.sendmmsgSync!(b.fd, [
    { iov: ['b2'], name: r.address },
    { iov: ['b', '3'], name: r.address },
  ]);
  const got = await P.recvmmsg!(r.fd, 64, 100);
  expect(got.map((m) => [m.data.toString(), m.address])).toEqual([
    ['a1', a.address],
    ['b1', b.address],
    ['a2', a.address],
    ['b2', b.address],
    ['b3', b.address],
  ]);
});

testUnless(NO_MMSG)('a recvmmsg promise waits for the first message, then returns what is queued without waiting for vlen', async () => {
  const r = udp();
  const t = udp();
  const pending = P.recvmmsg!(r.fd, 64, 100);
  // One sendmmsg: on loopback all three are queued before it returns.
  expect(P.sendmmsgSync!(t.fd, ['one', 'two', 'three'].map((d) => ({ iov: [d], name: r.address })))).toBe(3);
  expect((await pending).map((m) => m.data.toString())).toEqual(['one', 'two', 'three']);

  // Already queued: 3 back at once, with vlen 64.
  for (const d of ['four', 'five', 'six']) P.sendtoSync(t.fd, d, 0, r.address);
  const got = await P.recvmmsg!(r.fd, 64, 100);
  expect(got.map((m) => m.data.toString())).toEqual(['four', 'five', 'six']);
  // vlen caps the batch; the rest stay queued.
  for (const d of ['7', '8', '9']) P.sendtoSync(t.fd, d, 0, r.address);
  expect((await P.recvmmsg!(r.fd, 2, 100)).map((m) => m.data.toString())).toEqual(['7', '8']);
  expect((await P.recvmmsg!(r.fd, 2, 100)).map((m) => m.data.toString())).toEqual(['9']);
});

testUnless(NO_MMSG)('a recvmmsg promise with MSG_DONTWAIT on an empty socket rejects with EAGAIN', async () => {
  const r = udp();
  const err = await P.recvmmsg!(r.fd, 8, 100, 0, P.MSG_DONTWAIT).then(
    () => undefined,
    (e: P.SocketError) => e,
  );
  expect(err?.code).toBe('EAGAIN');
  expect(err?.syscall).toBe('recvmmsg');
});

testUnless(NO_MMSG)('recvmmsgSync on a blocking socket with 5 queued returns the 5 (MSG_WAITFORONE: it does not block for vlen)', () => {
  // In a child: without MSG_WAITFORONE the call would block this process for good.
  const r = runChild(`
    const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
    P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const t = P.socket(P.AF_INET, P.SOCK_DGRAM);
    for (let i = 0; i < 5; i++) P.sendtoSync(t, 'm' + i, 0, P.getsockname(fd));
    const blocking = !P.isNonBlocking(fd);
    const got = P.recvmmsgSync(fd, 64, 100).map((m) => m.data.toString());
    console.log(JSON.stringify({ blocking, got }));
  `);
  expect(r.signal).toBeNull();
  expect(report(r)).toEqual({ blocking: true, got: ['m0', 'm1', 'm2', 'm3', 'm4'] });
  expect(r.status).toBe(0);
});

testUnless(NO_MMSG)('recvmmsgSync on an empty non-blocking socket throws EAGAIN at once', () => {
  const r = udp();
  P.setNonBlocking(r.fd);
  const err = thrown(() => P.recvmmsgSync!(r.fd, 8, 100));
  expect(err.code).toBe('EAGAIN');
  expect(err.syscall).toBe('recvmmsg');
});

testUnless(NO_MMSG ?? (have127two ? undefined : 'needs Linux, whose lo answers for all of 127.0.0.0/8'))(
  'recvmmsg with controlLength decodes each message’s own control messages (IP_PKTINFO, IP_TTL set per message by sendmmsg)',
  async () => {
    const server = udp(P.AF_INET, '0.0.0.0');
    P.setsockopt(server.fd, P.IPPROTO_IP, P.IP_PKTINFO, 1);
    P.setsockopt(server.fd, P.IPPROTO_IP, P.IP_RECVTTL, 1);
    const t = udp();
    const dst = (i: number) => (i % 2 === 0 ? '127.0.0.1' : '127.0.0.2');
    const msgs: P.Msghdr[] = Array.from({ length: 6 }, (_, i) => ({
      iov: [`m${i}`],
      name: { family: P.AF_INET, address: dst(i), port: server.address.port },
      control: [{ level: P.IPPROTO_IP, type: P.IP_TTL, value: 10 + i }],
    }));
    expect(await P.sendmmsg!(t.fd, msgs)).toBe(6);
    const got = await collect(server.fd, 6, 100, P.CMSG_SPACE(12) + P.CMSG_SPACE(4));
    got.forEach((m, i) => {
      expect(m.data.toString()).toBe(`m${i}`);
      expect(m.address).toEqual(t.address);
      expect(m.flags & P.MSG_CTRUNC).toBe(0);
      expect(m.control.map((c) => c.name)).toEqual(['IP_PKTINFO', 'IP_TTL']);
      expect(m.control[0]).toMatchObject({ addr: dst(i), specDst: dst(i), ifindex: P.if_nametoindex('lo') });
      expect(m.control[1]).toMatchObject({ level: P.IPPROTO_IP, type: P.IP_TTL, value: 10 + i });
    });

    // Room for the packet info only: each message says MSG_CTRUNC on its own.
    P.sendmmsgSync!(t.fd, msgs.slice(0, 3));
    const tight = await collect(server.fd, 3, 100, P.CMSG_SPACE(12));
    tight.forEach((m, i) => {
      expect(m.flags & P.MSG_CTRUNC).toBe(P.MSG_CTRUNC);
      expect(m.control.map((c) => c.name)).toEqual(['IP_PKTINFO']);
      expect(m.control[0]).toMatchObject({ addr: dst(i) });
    });
  },
);

testUnless(NO_GSO)('UDP GSO: one 4000-byte sendmsg with UDP_SEGMENT 1000 arrives as four 1000-byte datagrams', async () => {
  const r = udp();
  const t = udp();
  const data = Buffer.concat([0, 1, 2, 3].map((i) => Buffer.alloc(1000, 0x30 + i)));
  const sent = await P.sendmsg(t.fd, { iov: [data], name: r.address, control: [{ level: P.SOL_UDP!, type: P.UDP_SEGMENT!, value: 1000 }] });
  expect(sent).toBe(4000);
  const got = await collect(r.fd, 4, 65536);
  got.forEach((m, i) => {
    expect(m.data).toEqual(data.subarray(i * 1000, (i + 1) * 1000));
    expect(m.address).toEqual(t.address);
    expect(m.control).toEqual([]);
  });
});

testUnless(NO_GRO)('UDP GRO on the receiver: the segments come as they are or coalesced, each coalesced one with UDP_GRO 1000', async () => {
  const r = udp();
  P.setsockopt(r.fd, P.SOL_UDP!, P.UDP_GRO!, 1);
  const t = udp();
  const data = Buffer.concat([0, 1, 2, 3].map((i) => Buffer.alloc(1000, 0x30 + i)));
  P.sendmsgSync(t.fd, { iov: [data], name: r.address, control: [{ level: P.SOL_UDP!, type: P.UDP_SEGMENT!, value: 1000 }] });
  // Bounded: at most one datagram per segment.
  const got: P.RecvmsgResult[] = [];
  let total = 0;
  for (let i = 0; i < 4 && total < 4000; i++) {
    const m = await P.recvmsg(r.fd, 65536, P.CMSG_SPACE(4));
    got.push(m);
    total += m.data.length;
  }
  expect(Buffer.concat(got.map((m) => m.data))).toEqual(data);
  for (const m of got) {
    expect(m.data.length % 1000).toBe(0);
    expect(m.address).toEqual(t.address);
    const gro = m.control.filter((c) => c.name === 'UDP_GRO');
    if (m.data.length > 1000) expect(gro).toEqual([expect.objectContaining({ level: P.SOL_UDP, type: P.UDP_GRO, value: 1000 })]);
    else expect(gro.every((c) => c.name === 'UDP_GRO' && c.value === 1000)).toBe(true);
  }
});

testUnless(NO_MMSG)('bad sendmmsg/recvmmsg arguments are TypeError/RangeError before any system call', async () => {
  const r = udp();
  const t = udp();
  const good = { iov: ['first'], name: r.address };
  const badControl = { iov: ['second'], name: r.address, control: [{ level: P.IPPROTO_IP, type: P.IP_TTL, value: 'x' }] };
  const e1 = thrown(() => P.sendmmsgSync!(t.fd, [good, badControl as never]));
  expect(e1).toBeInstanceOf(TypeError);
  expect(e1.message).toMatch(/msgs\[1\]\.control\[0\]\.value/);
  expect(thrown(() => P.sendmmsg!(t.fd, [good, { iov: 'x' } as never])).message).toMatch(/msgs\[1\]\.iov/);
  expect(thrown(() => P.sendmmsg!(t.fd, 'msgs' as never)).name).toBe('TypeError');
  expect(thrown(() => P.sendmmsg!(t.fd, [null as never])).name).toBe('TypeError');
  expect(thrown(() => P.sendmmsgSync!(t.fd, Array.from({ length: 1025 }, () => good))).name).toBe('RangeError');
  expect(thrown(() => P.recvmmsg!(r.fd, 0, 100)).name).toBe('RangeError');
  expect(thrown(() => P.recvmmsg!(r.fd, 1025, 100)).name).toBe('RangeError');
  expect(thrown(() => P.recvmmsgSync!(r.fd, 4, -1)).name).toBe('RangeError');
  expect(thrown(() => P.recvmmsgSync!(r.fd, 4, 100, 1.5)).name).toBe('RangeError');
  expect(thrown(() => P.recvmmsgSync!(r.fd, '4' as never, 100)).name).toBe('TypeError');
  // Not even the good first message was sent.
  P.sendtoSync(t.fd, 'marker', 0, r.address);
  expect((await P.recvmmsg!(r.fd, 8, 100)).map((m) => m.data.toString())).toEqual(['marker']);
});
