// Gather and scatter with sendmsg/recvmsg/recvmsgInto on loopback: an iov
// is one message (one datagram, or its bytes in order on a stream), the
// caller's buffers are filled in order, and the flags and address are the
// kernel's (MSG_TRUNC, no address on a connected stream, EOF as 0 bytes).
import * as P from '../lib';
import { isLinux, thrown, useSockets } from './helpers/sockets';

const s = useSockets();

function udp(): { fd: number; address: P.SockaddrIn } {
  const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
  P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  return { fd, address: P.getsockname(fd) as P.SockaddrIn };
}

/** Buffers filled with a marker byte, so untouched bytes show. */
function marked(...sizes: number[]): Buffer[] {
  return sizes.map((n) => Buffer.alloc(n, 0xee));
}

/** A connected stream pair of each kind this file checks: [label, a, b]. */
async function streamPairs(): Promise<[string, number, number][]> {
  const [ua, ub] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const tcp = await s.tcpPair();
  return [
    ['AF_UNIX', ua, ub],
    ['TCP', tcp.client, tcp.server],
  ];
}

test('three buffers in one sendmsg arrive as one datagram: recvfrom sees them concatenated', async () => {
  const r = udp();
  const t = udp();
  expect(await P.sendmsg(t.fd, { iov: [Buffer.from('one,'), Buffer.from('two,'), Buffer.from('three')], name: r.address })).toBe(13);
  expect(P.sendmsgSync(t.fd, { iov: ['next'], name: r.address })).toBe(4);
  const first = await P.recvfrom(r.fd, 100);
  expect(first.data.toString()).toBe('one,two,three');
  expect(first.address).toEqual(t.address);
  expect((await P.recvfrom(r.fd, 100)).data.toString()).toBe('next');
});

test('strings, typed arrays, DataViews and views with an offset are gathered by their bytes, in order', async () => {
  const r = udp();
  const t = udp();
  const u16 = Uint16Array.of(0x1234, 0xabcd);
  const slab = Buffer.from('xxEFxx');
  const dv = Buffer.from('GH');
  const iov = [
    'AB',
    Uint8Array.of(0x43, 0x44), // 'CD'
    slab.subarray(2, 4), // 'EF': only the view's bytes, not its buffer's
    new DataView(dv.buffer, dv.byteOffset, dv.length),
    'é', // two bytes of UTF-8
    u16,
  ];
  const expected = Buffer.concat([Buffer.from('ABCDEFGHé'), Buffer.from(u16.buffer)]);
  expect(await P.sendmsg(t.fd, { iov, name: r.address })).toBe(expected.length);
  expect((await P.recvfrom(r.fd, 100)).data).toEqual(expected);
});

test('an empty iov sends a zero-length datagram', async () => {
  const r = udp();
  const t = udp();
  expect(await P.sendmsg(t.fd, { iov: [], name: r.address })).toBe(0);
  const got = await P.recvmsg(r.fd, 100);
  expect(got.data.length).toBe(0);
  expect(got.address).toEqual(t.address);
});

test('sendmsg with no name on an unconnected UDP socket: EDESTADDRREQ', async () => {
  const t = udp();
  const err = thrown(() => P.sendmsgSync(t.fd, { iov: ['nowhere'] }));
  expect(err.code).toBe('EDESTADDRREQ');
  expect(err.syscall).toBe('sendmsg');
});

test('recvmsgInto on UDP fills 3 + 5 + 100 byte buffers in order, with the sender address', async () => {
  const r = udp();
  const t = udp();
  await P.sendto(t.fd, 'abcdefghijkl', 0, r.address);
  const [a, b, c] = marked(3, 5, 100);
  const got = await P.recvmsgInto(r.fd, [a, b, c]);
  expect(got.bytes).toBe(12);
  expect(got.address).toEqual(t.address);
  expect(got.control).toEqual([]);
  expect(got.flags & P.MSG_TRUNC).toBe(0);
  expect(a.toString()).toBe('abc');
  expect(b.toString()).toBe('defgh');
  expect(c.subarray(0, 4).toString()).toBe('ijkl');
  expect(c.subarray(4).every((x) => x === 0xee)).toBe(true);

  // The Sync twin, into views with offsets and an empty buffer between.
  P.sendtoSync(t.fd, '0123456789', 0, r.address);
  const backing = Buffer.alloc(12, 0xee);
  const u16 = new Uint16Array(2);
  const sync = P.recvmsgIntoSync(r.fd, [backing.subarray(2, 6), Buffer.alloc(0), u16, backing.subarray(8, 12)]);
  expect(sync.bytes).toBe(10);
  expect(backing.toString('latin1', 2, 6)).toBe('0123');
  expect(Buffer.from(u16.buffer).toString()).toBe('4567');
  expect(backing.toString('latin1', 8, 10)).toBe('89');
  expect([...backing.subarray(0, 2), ...backing.subarray(6, 8), ...backing.subarray(10)]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee, 0xee]);
});

test('a pending recvmsgInto is woken by the datagram and fills the buffers it was given', async () => {
  const r = udp();
  const t = udp();
  const [a, b] = marked(4, 20);
  const pending = P.recvmsgInto(r.fd, [a, b]);
  await P.sendmsg(t.fd, { iov: ['late', ' datagram'], name: r.address });
  const got = await pending;
  expect(got.bytes).toBe(13);
  expect(a.toString()).toBe('late');
  expect(b.toString('latin1', 0, 9)).toBe(' datagram');
  expect(got.address).toEqual(t.address);
});

test('a datagram larger than the buffers: MSG_TRUNC in flags, the rest discarded', async () => {
  const r = udp();
  const t = udp();
  await P.sendto(t.fd, 'abcdefghijklmnopqrst', 0, r.address); // 20 bytes
  await P.sendto(t.fd, 'next', 0, r.address);
  const [a, b] = marked(3, 5);
  const got = await P.recvmsgInto(r.fd, [a, b]);
  expect(got.bytes).toBe(8);
  expect(got.flags & P.MSG_TRUNC).toBe(P.MSG_TRUNC);
  expect(a.toString() + b.toString()).toBe('abcdefgh');
  const next = await P.recvmsg(r.fd, 100);
  expect(next.data.toString()).toBe('next');
  expect(next.flags & P.MSG_TRUNC).toBe(0);

  // recvmsg too: the data is what fit, and the flag says there was more.
  await P.sendto(t.fd, 'abcdefghijklmnopqrst', 0, r.address);
  const short = P.recvmsgSync(r.fd, 4);
  expect(short.data.toString()).toBe('abcd');
  expect(short.flags & P.MSG_TRUNC).toBe(P.MSG_TRUNC);
});

(isLinux ? test : test.skip)('MSG_TRUNC as a flag (Linux): bytes is the datagram’s real length; recvmsg’s data is still only what fit', async () => {
  const r = udp();
  const t = udp();
  await P.sendto(t.fd, 'abcdefghijklmnopqrst', 0, r.address);
  const [a, b] = marked(3, 5);
  const got = await P.recvmsgInto(r.fd, [a, b], 0, P.MSG_TRUNC);
  expect(got.bytes).toBe(20);
  expect(got.flags & P.MSG_TRUNC).toBe(P.MSG_TRUNC);
  expect(a.toString() + b.toString()).toBe('abcdefgh');

  // An empty iov still consumes the datagram and learns its length.
  P.sendtoSync(t.fd, '0123456789', 0, r.address);
  expect(P.recvmsgIntoSync(r.fd, [], 0, P.MSG_TRUNC).bytes).toBe(10);

  P.sendtoSync(t.fd, 'abcdefghijklmnopqrst', 0, r.address);
  const data = await P.recvmsg(r.fd, 4, 0, P.MSG_TRUNC);
  expect(data.data.toString()).toBe('abcd');
  expect(data.flags & P.MSG_TRUNC).toBe(P.MSG_TRUNC);
});

test('on connected stream sockets: iov bytes in order, scattered in order, and no address', async () => {
  for (const [label, a, b] of await streamPairs()) {
    expect(await P.sendmsg(a, { iov: ['abc', Buffer.from('defgh'), 'ijkl'] })).toBe(12);
    // 12 bytes from one sendmsg are one segment (or one skb): they arrive together.
    const [x, y, z] = marked(3, 5, 100);
    const got = await P.recvmsgInto(b, [x, y, z]);
    expect([label, got.bytes]).toEqual([label, 12]);
    expect(x.toString() + y.toString() + z.toString('latin1', 0, 4)).toBe('abcdefghijkl');
    expect(got.address).toBeUndefined();
    expect(got.flags & P.MSG_TRUNC).toBe(0);

    P.sendmsgSync(a, { iov: ['more'] });
    const more = await P.recvmsg(b, 100);
    expect(more.data.toString()).toBe('more');
    expect(more.address).toBeUndefined();
  }
});

test('recvmsg on a stream socket returns 0 bytes at EOF after the peer’s shutdown', async () => {
  for (const [label, a, b] of await streamPairs()) {
    P.sendmsgSync(a, { iov: ['last'] });
    P.shutdown(a, P.SHUT_WR);
    expect((await P.recvmsg(b, 100)).data.toString()).toBe('last');
    const eof = await P.recvmsg(b, 100);
    expect([label, eof.data.length]).toEqual([label, 0]);
    expect(eof.control).toEqual([]);
    // And again: EOF is not consumed.
    expect(P.recvmsgSync(b, 100).data.length).toBe(0);
    expect((await P.recvmsgInto(b, marked(4, 4))).bytes).toBe(0);
  }
});

test('a pending recvmsg on a stream socket resolves with 0 bytes when the peer shuts down', async () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const pending = P.recvmsg(b, 100);
  P.shutdown(a, P.SHUT_WR);
  expect((await pending).data.length).toBe(0);
});

test('bad recvmsgInto arguments are TypeError/RangeError before any system call', async () => {
  const r = udp();
  const t = udp();
  P.sendtoSync(t.fd, 'kept', 0, r.address);
  expect(thrown(() => P.recvmsgInto(r.fd, 'buf' as never)).name).toBe('TypeError');
  expect(thrown(() => P.recvmsgInto(r.fd, ['string' as never])).name).toBe('TypeError');
  expect(thrown(() => P.recvmsgIntoSync(r.fd, [Buffer.alloc(4), {} as never])).message).toMatch(/iov\[1\]/);
  expect(thrown(() => P.recvmsgIntoSync(r.fd, [Buffer.alloc(4)], -1)).name).toBe('RangeError');
  expect(thrown(() => P.recvmsgIntoSync(-1, [Buffer.alloc(4)])).name).toBe('RangeError');
  // The datagram is still queued.
  expect((await P.recvmsg(r.fd, 100)).data.toString()).toBe('kept');
});
