// The Linux address families typed beyond IPv4, IPv6 and unix: netlink
// (sockaddr_nl), packet (sockaddr_ll) and vsock (sockaddr_vm). Each encodes
// to the bytes of the kernel's struct and decodes back; and the kernel
// agrees: a netlink socket binds and is told its port id, dumps the links
// (RTM_GETLINK) and finds lo; a packet socket on lo (root) sees a UDP
// datagram sent to 127.0.0.1 and sends a frame of its own; a vsock socket binds
// where the kernel has vsock. Families the package does not decode stay
// { family, bytes }.
import * as os from 'node:os';
import * as P from '../lib';
import { native } from '../lib/native';
import { isLinux, isRoot, thrown, useSockets } from './helpers/sockets';

const s = useSockets();
const LE = os.endianness() === 'LE';

type TestFn = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;
/** `test` unless `skip` gives a reason; then a skipped test whose title says why. */
function testUnless(skip: string | undefined): TestFn {
  return skip === undefined ? test : (name, fn, timeout) => test.skip(`${name} [skipped: ${skip}]`, fn, timeout);
}

const NOT_LINUX = isLinux ? undefined : 'netlink, packet and vsock addresses are Linux only';
const NOT_ROOT = NOT_LINUX ?? (isRoot ? undefined : 'a packet socket needs CAP_NET_RAW: run as root');

/** Why socket(AF_VSOCK) cannot be made here, or undefined when it can (probed once, closed at once). */
function vsockUnavailable(): string | undefined {
  if (NOT_LINUX !== undefined) return NOT_LINUX;
  try {
    P.close(P.socket(P.AF_VSOCK!, P.SOCK_STREAM));
    return undefined;
  } catch (e) {
    return `socket(AF_VSOCK, SOCK_STREAM) fails on this kernel: ${(e as P.SocketError).code}`;
  }
}
const NO_VSOCK = vsockUnavailable();

/** Why a vsock socket cannot bind VMADDR_CID_LOCAL (the loopback transport), or undefined. */
function vsockLoopbackUnavailable(): string | undefined {
  if (NO_VSOCK !== undefined) return NO_VSOCK;
  const fd = P.socket(P.AF_VSOCK!, P.SOCK_STREAM);
  try {
    P.bind(fd, { family: P.AF_VSOCK!, cid: P.VMADDR_CID_LOCAL!, port: P.VMADDR_PORT_ANY! });
    return undefined;
  } catch (e) {
    return `bind to VMADDR_CID_LOCAL fails: ${(e as P.SocketError).code} (no vsock loopback transport: the vsock_loopback module is not loaded)`;
  } finally {
    P.close(fd);
  }
}
const NO_VSOCK_LOOPBACK = vsockLoopbackUnavailable();

/** A struct built field by field in host byte order, as C lays it out here. */
class Struct {
  readonly bytes: Buffer;
  constructor(size: number) {
    this.bytes = Buffer.alloc(size);
  }
  u8(at: number, v: number): this {
    this.bytes[at] = v;
    return this;
  }
  u16(at: number, v: number): this {
    if (LE) this.bytes.writeUInt16LE(v, at);
    else this.bytes.writeUInt16BE(v, at);
    return this;
  }
  /** Network byte order, as sll_protocol holds it. */
  be16(at: number, v: number): this {
    this.bytes.writeUInt16BE(v, at);
    return this;
  }
  u32(at: number, v: number): this {
    if (LE) this.bytes.writeUInt32LE(v, at);
    else this.bytes.writeUInt32BE(v, at);
    return this;
  }
}

(NOT_LINUX ? describe.skip : describe)('each family encodes to its struct and decodes back', () => {
  test('sockaddr_nl: family, a pad, nl_pid, nl_groups; 12 bytes', () => {
    const addr: P.SockaddrNl = { family: P.AF_NETLINK!, pid: 0x01020304, groups: 0x80000001 };
    // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
    const want = new Struct(12).u16(0, P.AF_NETLINK!).u32(4, 0x01020304).u32(8, 0x80000001).bytes;
    expect(P.sockaddrToBytes(addr)).toEqual(want);
    expect(P.sockaddrFromBytes(want)).toEqual(addr);
  });

  test('sockaddr_ll: the protocol in network order, sll_halen from addr; always the whole 20 bytes', () => {
    const addr: P.SockaddrLl = {
      family: P.AF_PACKET!,
      protocol: P.ETH_P_IPV6!,
      ifindex: 0x7fffffff,
      hatype: P.ARPHRD_ETHER!,
      pkttype: P.PACKET_BROADCAST!,
      addr: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]),
    };
    // struct sockaddr_ll { unsigned short sll_family; __be16 sll_protocol; int sll_ifindex;
    //   unsigned short sll_hatype; unsigned char sll_pkttype, sll_halen, sll_addr[8]; }
    const want = new Struct(20).u16(0, P.AF_PACKET!).be16(2, 0x86dd).u32(4, 0x7fffffff).u16(8, P.ARPHRD_ETHER!)
      .u8(10, P.PACKET_BROADCAST!).u8(11, 6).bytes;
    want.set(addr.addr!, 12);
    expect(P.sockaddrToBytes(addr)).toEqual(want);
    expect(P.sockaddrFromBytes(want)).toEqual(addr);
    // The optional fields default to zero, and come back (an empty addr: sll_halen 0).
    const bare = P.sockaddrToBytes({ family: P.AF_PACKET!, protocol: P.ETH_P_ALL!, ifindex: 1 });
    expect(bare).toEqual(new Struct(20).u16(0, P.AF_PACKET!).be16(2, 3).u32(4, 1).bytes);
    expect(P.sockaddrFromBytes(bare)).toEqual({ family: P.AF_PACKET, protocol: P.ETH_P_ALL, ifindex: 1, hatype: 0, pkttype: 0, addr: Buffer.alloc(0) });
    // Eight bytes fill sll_addr.
    const eight = Buffer.from('0102030405060708', 'hex');
    expect(P.sockaddrFromBytes(P.sockaddrToBytes({ family: P.AF_PACKET!, protocol: 0, ifindex: 0, addr: eight }))).toMatchObject({ addr: eight });
  });

  test('sockaddr_ll cut short after sll_halen bytes of address, as getsockname hands it back, still decodes', () => {
    const short = new Struct(18).u16(0, P.AF_PACKET!).be16(2, P.ETH_P_IP!).u32(4, 1).u16(8, P.ARPHRD_LOOPBACK!).u8(11, 6).bytes;
    expect(P.sockaddrFromBytes(short)).toEqual({
      family: P.AF_PACKET, protocol: P.ETH_P_IP, ifindex: 1, hatype: P.ARPHRD_LOOPBACK, pkttype: 0, addr: Buffer.alloc(6),
    });
    // sll_halen larger than the bytes there: only what is there.
    expect((P.sockaddrFromBytes(short.subarray(0, 14)) as P.SockaddrLl).addr).toEqual(Buffer.alloc(2));
    // sll_halen larger than sll_addr: at most its 8 bytes.
    const long = new Struct(20).u16(0, P.AF_PACKET!).u8(11, 200).bytes;
    expect((P.sockaddrFromBytes(long) as P.SockaddrLl).addr).toEqual(Buffer.alloc(8));
  });

  test('sockaddr_vm: family, a reserved half-word, svm_port, svm_cid, svm_flags; 16 bytes', () => {
    const addr: P.SockaddrVm = { family: P.AF_VSOCK!, cid: P.VMADDR_CID_HOST!, port: 0x01020304, flags: P.VMADDR_FLAG_TO_HOST ?? 0 };
    // struct sockaddr_vm { sa_family_t svm_family; unsigned short svm_reserved1; unsigned int svm_port;
    //   unsigned int svm_cid; __u8 svm_flags; unsigned char svm_zero[3]; }
    const want = new Struct(16).u16(0, P.AF_VSOCK!).u32(4, 0x01020304).u32(8, 2).u8(12, P.VMADDR_FLAG_TO_HOST ?? 0).bytes;
    expect(P.sockaddrToBytes(addr)).toEqual(want);
    expect(P.sockaddrFromBytes(want)).toEqual(P.VMADDR_FLAG_TO_HOST === undefined ? { ...addr, flags: undefined } : addr);
    expect(P.sockaddrFromBytes(P.sockaddrToBytes({ family: P.AF_VSOCK!, cid: P.VMADDR_CID_ANY!, port: P.VMADDR_PORT_ANY! }))).toMatchObject({
      cid: 0xffffffff,
      port: 0xffffffff,
    });
  });

  test('too short for its struct, or of a family the package does not decode: { family, bytes }', () => {
    const nl = new Struct(8).u16(0, P.AF_NETLINK!).bytes;
    const vm = new Struct(12).u16(0, P.AF_VSOCK!).bytes;
    const ll = new Struct(11).u16(0, P.AF_PACKET!).bytes;
    const can = new Struct(24).u16(0, P.AF_CAN!).u32(4, 1).bytes;
    for (const raw of [nl, vm, ll, can]) {
      const a = P.sockaddrFromBytes(raw) as unknown as P.SockaddrRaw;
      expect(a).toEqual({ family: raw[LE ? 0 : 1], bytes: raw });
    }
    // And back: the bytes as they were.
    expect(P.sockaddrToBytes({ family: P.AF_CAN!, bytes: can })).toEqual(can);
  });

  test('lib/ and the raw binding refuse the same malformed addresses, with the same class of error', () => {
    const lo = { family: P.AF_PACKET!, protocol: P.ETH_P_IP!, ifindex: 1 };
    const cases: [object, 'TypeError' | 'RangeError'][] = [
      [{ family: P.AF_NETLINK!, pid: 0 }, 'TypeError'],
      [{ family: P.AF_NETLINK!, pid: -1, groups: 0 }, 'RangeError'],
      [{ family: P.AF_NETLINK!, pid: 2 ** 32, groups: 0 }, 'RangeError'],
      [{ family: P.AF_NETLINK!, pid: 0, groups: 1.5 }, 'RangeError'],
      [{ family: P.AF_NETLINK!, pid: '0', groups: 0 }, 'TypeError'],
      [{ ...lo, protocol: 0x10000 }, 'RangeError'],
      [{ ...lo, protocol: undefined }, 'TypeError'],
      [{ ...lo, ifindex: -1 }, 'RangeError'],
      [{ ...lo, ifindex: 2 ** 31 }, 'RangeError'],
      [{ ...lo, hatype: 0x10000 }, 'RangeError'],
      [{ ...lo, pkttype: 256 }, 'RangeError'],
      [{ ...lo, pkttype: NaN }, 'RangeError'],
      [{ ...lo, addr: Buffer.alloc(9) }, 'RangeError'],
      [{ ...lo, addr: Buffer.alloc(4096) }, 'RangeError'],
      [{ ...lo, addr: 'aa:bb:cc:dd:ee:ff' }, 'TypeError'],
      [{ ...lo, addr: [1, 2, 3] }, 'TypeError'],
      [{ ...lo, addr: new Uint16Array(2) }, 'TypeError'],
      [{ family: P.AF_VSOCK!, cid: -1, port: 0 }, 'RangeError'],
      [{ family: P.AF_VSOCK!, cid: 2, port: 2 ** 32 }, 'RangeError'],
      [{ family: P.AF_VSOCK!, cid: 2, port: Infinity }, 'RangeError'],
      [{ family: P.AF_VSOCK!, cid: 2n, port: 1 }, 'TypeError'],
      [{ family: P.AF_VSOCK!, cid: 2, port: 1, flags: 256 }, 'RangeError'],
      [{ family: P.AF_VSOCK!, port: 1 }, 'TypeError'],
    ];
    for (const [addr, name] of cases) {
      expect([addr, thrown(() => P.sockaddrToBytes(addr as P.SockaddrInput)).name]).toEqual([addr, name]);
      expect([addr, thrown(() => native.sockaddrToBytes(addr as P.SockaddrInput)).name]).toEqual([addr, name]);
    }
  });

  test('a getter on addr that detaches another buffer cannot make the encoder read freed memory', () => {
    const ab = new ArrayBuffer(6);
    const hw = new Uint8Array(ab).fill(0xaa);
    const addr = {
      family: P.AF_PACKET!,
      protocol: P.ETH_P_IP!,
      ifindex: 1,
      get addr() {
        structuredClone(ab, { transfer: [ab] });
        return hw;
      },
    };
    // lib/ reads addr once, after the detach: a TypeError, not an empty address.
    expect(thrown(() => P.sockaddrToBytes(addr as unknown as P.SockaddrLl))).toBeInstanceOf(TypeError);
    // The raw binding refuses the detached buffer it is handed likewise
    // (not `{ ...addr }`: that runs the getter again, and transferring a
    // detached buffer throws DataCloneError from Node 22 on).
    const again = { family: addr.family, protocol: addr.protocol, ifindex: addr.ifindex, addr: hw };
    expect(thrown(() => native.sockaddrToBytes(again)).name).toBe('TypeError');
  });
});

// ---- netlink against the kernel

/** struct nlmsghdr: 16 bytes, host byte order. */
interface Nlmsg {
  type: number;
  flags: number;
  seq: number;
  pid: number;
  /** The payload after the header. */
  body: Buffer;
}

/** The netlink messages in one datagram (NLMSG_OK / NLMSG_NEXT by hand). */
function nlmsgs(data: Buffer): Nlmsg[] {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: Nlmsg[] = [];
  let at = 0;
  while (at + P.NLMSG_HDRLEN! <= data.length) {
    const len = v.getUint32(at, LE);
    if (len < P.NLMSG_HDRLEN! || at + len > data.length) throw new Error(`a netlink message of length ${len} at ${at} of ${data.length}`);
    out.push({
      type: v.getUint16(at + 4, LE),
      flags: v.getUint16(at + 6, LE),
      seq: v.getUint32(at + 8, LE),
      pid: v.getUint32(at + 12, LE),
      body: data.subarray(at + P.NLMSG_HDRLEN!, at + len),
    });
    at += (len + P.NLMSG_ALIGNTO! - 1) & ~(P.NLMSG_ALIGNTO! - 1);
  }
  return out;
}

/** A dump request: nlmsghdr then a zeroed family header of `bodyLength` bytes (ifinfomsg, ifaddrmsg: 16, 8). */
function dumpRequest(type: number, seq: number, bodyLength: number): Buffer {
  const b = Buffer.alloc(P.NLMSG_HDRLEN! + bodyLength);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setUint32(0, b.length, LE);
  v.setUint16(4, type, LE);
  v.setUint16(6, P.NLM_F_REQUEST! | P.NLM_F_DUMP!, LE);
  v.setUint32(8, seq, LE);
  v.setUint32(12, 0, LE); // nlmsg_pid 0: the kernel fills in the sender
  return b;
}

/** struct rtattr list (rta_len, rta_type, payload; 4-byte aligned) after a fixed header. */
function rtattrs(body: Buffer, headerLength: number): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let at = headerLength;
  while (at + 4 <= body.length) {
    const len = LE ? body.readUInt16LE(at) : body.readUInt16BE(at);
    const type = LE ? body.readUInt16LE(at + 2) : body.readUInt16BE(at + 2);
    if (len < 4 || at + len > body.length) break;
    out.set(type, body.subarray(at + 4, at + len));
    at += (len + 3) & ~3;
  }
  return out;
}

const kernel: P.SockaddrNl = { family: P.AF_NETLINK!, pid: 0, groups: 0 };

(NOT_LINUX ? describe.skip : describe)('netlink (NETLINK_ROUTE) against the kernel', () => {
  test('bind with pid 0: getsockname gives the port id the kernel assigned, and the groups', () => {
    const fd = s.socket(P.AF_NETLINK!, P.SOCK_RAW, P.NETLINK_ROUTE!);
    P.bind(fd, { family: P.AF_NETLINK!, pid: 0, groups: P.RTMGRP_LINK! });
    const name = P.getsockname(fd) as P.SockaddrNl;
    expect(name.family).toBe(P.AF_NETLINK);
    expect(name.pid).not.toBe(0);
    expect(name.groups).toBe(P.RTMGRP_LINK);
    // Joining one more group (RTNLGRP_IPV4_IFADDR, bit 5) shows in nl_groups too.
    P.setsockopt(fd, P.SOL_NETLINK!, P.NETLINK_ADD_MEMBERSHIP!, Math.log2(P.RTMGRP_IPV4_IFADDR!) + 1);
    expect(P.getsockname(fd)).toEqual({ ...name, groups: P.RTMGRP_LINK! | P.RTMGRP_IPV4_IFADDR! });
  });

  test('bind with a chosen pid: getsockname gives it back; a second bind of it is EADDRINUSE', () => {
    const pid = 0x40000000 + ((process.pid * 7919 + Date.now()) % 0x3fffffff);
    const a = s.socket(P.AF_NETLINK!, P.SOCK_RAW, P.NETLINK_ROUTE!);
    P.bind(a, { family: P.AF_NETLINK!, pid, groups: 0 });
    expect(P.getsockname(a)).toEqual({ family: P.AF_NETLINK, pid, groups: 0 });
    const b = s.socket(P.AF_NETLINK!, P.SOCK_RAW, P.NETLINK_ROUTE!);
    expect(thrown(() => P.bind(b, { family: P.AF_NETLINK!, pid, groups: 0 })).code).toBe('EADDRINUSE');
  });

  test('an RTM_GETLINK dump sent with sendto to the kernel, read with recvfrom until NLMSG_DONE, lists lo', async () => {
    const fd = s.socket(P.AF_NETLINK!, P.SOCK_RAW, P.NETLINK_ROUTE!);
    P.bind(fd, { family: P.AF_NETLINK!, pid: 0, groups: 0 });
    const me = (P.getsockname(fd) as P.SockaddrNl).pid;
    const seq = 4242;
    const req = dumpRequest(P.RTM_GETLINK!, seq, 16); // struct ifinfomsg: 16 bytes, all zero (any family)
    expect(await P.sendto(fd, req, 0, kernel)).toBe(req.length);

    const links = new Map<string, number>();
    let done = false;
    // Bounded: a machine with thousands of links still ends in a few hundred datagrams.
    for (let i = 0; i < 1000 && !done; i++) {
      const { data, address } = await P.recvfrom(fd, 65536, 0, { timeout: 10000 });
      expect(address).toEqual(kernel);
      for (const m of nlmsgs(data)) {
        // Each reply answers our request: our sequence number and our port id.
        expect([m.seq, m.pid]).toEqual([seq, me]);
        if (m.type === P.NLMSG_DONE) done = true;
        else if (m.type === P.NLMSG_ERROR) throw new Error(`NLMSG_ERROR ${m.body.readInt32LE(0)}`);
        else {
          expect(m.type).toBe(P.RTM_NEWLINK);
          expect(m.flags & P.NLM_F_MULTI!).toBe(P.NLM_F_MULTI);
          // struct ifinfomsg { u8 family, pad; u16 type; int index; u32 flags, change; } then attributes.
          const index = LE ? m.body.readInt32LE(4) : m.body.readInt32BE(4);
          const ifname = rtattrs(m.body, 16).get(P.IFLA_IFNAME!);
          expect(ifname).toBeDefined();
          links.set(ifname!.toString('latin1').replace(/\0.*$/s, ''), index);
        }
      }
    }
    expect(done).toBe(true);
    expect(links.get('lo')).toBe(P.if_nametoindex('lo'));
  });

  test('connect to the kernel, then sendmsg/recvmsg an RTM_GETADDR dump: getpeername and msg_name are the kernel, 127.0.0.1 is on lo', async () => {
    const fd = s.socket(P.AF_NETLINK!, P.SOCK_RAW, P.NETLINK_ROUTE!);
    P.connectSync(fd, kernel);
    expect(P.getpeername(fd)).toEqual(kernel);
    // connect autobinds: the socket has a port id of its own.
    expect((P.getsockname(fd) as P.SockaddrNl).pid).not.toBe(0);
    const seq = 77;
    // struct ifaddrmsg { u8 family, prefixlen, flags, scope; u32 index; }: AF_INET only.
    const req = dumpRequest(P.RTM_GETADDR!, seq, 8);
    req[P.NLMSG_HDRLEN!] = P.AF_INET;
    expect(P.sendmsgSync(fd, { iov: [req] })).toBe(req.length);

    const IFA_LOCAL = 2; // enum in <linux/if_addr.h>: IFA_UNSPEC, IFA_ADDRESS, IFA_LOCAL
    let loopback: number | undefined;
    let done = false;
    for (let i = 0; i < 1000 && !done; i++) {
      const got = await P.recvmsg(fd, 65536, 0, 0, { timeout: 10000 });
      expect(got.address).toEqual(kernel);
      for (const m of nlmsgs(got.data)) {
        expect(m.seq).toBe(seq);
        if (m.type === P.NLMSG_DONE) done = true;
        else if (m.type === P.RTM_NEWADDR) {
          const local = rtattrs(m.body, 8).get(IFA_LOCAL);
          if (local && P.inet_ntop(P.AF_INET, local) === '127.0.0.1') loopback = LE ? m.body.readUInt32LE(4) : m.body.readUInt32BE(4);
        }
      }
    }
    expect(done).toBe(true);
    expect(loopback).toBe(P.if_nametoindex('lo'));
  });
});

// ---- packet sockets against the kernel (root)

/** An IPv4 packet's UDP datagram: [source port, destination port, payload], or undefined. */
function udpIn(ip: Buffer): [number, number, Buffer] | undefined {
  if (ip.length < 20 || ip[0] >> 4 !== 4 || ip[9] !== P.IPPROTO_UDP) return undefined;
  const ihl = (ip[0] & 0x0f) * 4;
  const total = ip.readUInt16BE(2);
  return [ip.readUInt16BE(ihl), ip.readUInt16BE(ihl + 2), ip.subarray(ihl + 8, total)];
}

/**
 * Reads `fd` until the datagram with `payload` to `port` has been seen with
 * each of `pkttypes` (on lo: PACKET_OUTGOING on its way out, which only an
 * ETH_P_ALL socket sees, and PACKET_HOST on its way in), each with its frame
 * and the address recvfrom gave. Other traffic on lo is passed over; bounded
 * in packets, and each read in time (a hang guard).
 */
async function sniff(
  fd: number,
  port: number,
  payload: Buffer,
  ipAt: number,
  pkttypes: number[],
): Promise<Map<number, { frame: Buffer; address: P.Sockaddr }>> {
  const seen = new Map<number, { frame: Buffer; address: P.Sockaddr }>();
  for (let i = 0; i < 100000 && pkttypes.some((t) => !seen.has(t)); i++) {
    const { data, address } = await P.recvfrom(fd, 65536, 0, { timeout: 10000 });
    const udp = udpIn(data.subarray(ipAt));
    if (udp && udp[1] === port && udp[2].equals(payload)) seen.set((address as P.SockaddrLl).pkttype!, { frame: data, address });
  }
  return seen;
}

describe('packet sockets (AF_PACKET) on lo', () => {
  const lo = () => P.if_nametoindex('lo');
  /** The address every packet on lo comes from: the loopback device, its six-zero hardware address. */
  const fromLo = (pkttype: number): P.SockaddrLl => ({
    family: P.AF_PACKET!,
    protocol: P.ETH_P_IP!,
    ifindex: lo(),
    hatype: P.ARPHRD_LOOPBACK!,
    pkttype,
    addr: Buffer.alloc(P.ETH_ALEN!),
  });

  function udpReceiver(): { fd: number; port: number } {
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    return { fd, port: (P.getsockname(fd) as P.SockaddrIn).port };
  }

  testUnless(NOT_ROOT)('bound to lo: getsockname is lo (ARPHRD_LOOPBACK, a 6-byte zero address) and the protocol bound', () => {
    const fd = s.socket(P.AF_PACKET!, P.SOCK_DGRAM, P.htons(P.ETH_P_ALL!));
    P.bind(fd, { family: P.AF_PACKET!, protocol: P.ETH_P_ALL!, ifindex: lo() });
    expect(P.getsockname(fd)).toEqual({ ...fromLo(0), protocol: P.ETH_P_ALL });
  });

  testUnless(NOT_ROOT)('SOCK_DGRAM, ETH_P_ALL: recvfrom sees a UDP datagram to 127.0.0.1 leave and arrive, from lo, protocol ETH_P_IP', async () => {
    const fd = s.socket(P.AF_PACKET!, P.SOCK_DGRAM, P.htons(P.ETH_P_ALL!));
    P.bind(fd, { family: P.AF_PACKET!, protocol: P.ETH_P_ALL!, ifindex: lo() });
    const rx = udpReceiver();
    const tx = s.socket(P.AF_INET, P.SOCK_DGRAM);
    const payload = Buffer.from(`packet-socket-${process.pid}-${Date.now()}`);
    P.sendtoSync(tx, payload, 0, { family: P.AF_INET, address: '127.0.0.1', port: rx.port });
    // SOCK_DGRAM: the link-level header is removed; the frame starts at the IP header.
    const seen = await sniff(fd, rx.port, payload, 0, [P.PACKET_OUTGOING!, P.PACKET_HOST!]);
    expect(seen.get(P.PACKET_OUTGOING!)?.address).toEqual(fromLo(P.PACKET_OUTGOING!));
    expect(seen.get(P.PACKET_HOST!)?.address).toEqual(fromLo(P.PACKET_HOST!));
    const src = (P.getsockname(tx) as P.SockaddrIn).port;
    expect(udpIn(seen.get(P.PACKET_HOST!)!.frame)?.[0]).toBe(src);
    expect(P.recvfromSync(rx.fd, 100).data).toEqual(payload);
  });

  testUnless(NOT_ROOT)('SOCK_RAW: the frame has its Ethernet header, whose EtherType is the address’s protocol', async () => {
    const fd = s.socket(P.AF_PACKET!, P.SOCK_RAW, P.htons(P.ETH_P_IP!));
    P.bind(fd, { family: P.AF_PACKET!, protocol: P.ETH_P_IP!, ifindex: lo() });
    const rx = udpReceiver();
    const tx = s.socket(P.AF_INET, P.SOCK_DGRAM);
    const payload = Buffer.from(`raw-frame-${process.pid}-${Date.now()}`);
    P.sendtoSync(tx, payload, 0, { family: P.AF_INET, address: '127.0.0.1', port: rx.port });
    // Bound to ETH_P_IP rather than ETH_P_ALL: only the copy coming in.
    const seen = await sniff(fd, rx.port, payload, P.ETH_HLEN!, [P.PACKET_HOST!]);
    const { frame, address } = seen.get(P.PACKET_HOST!)!;
    expect(address).toEqual(fromLo(P.PACKET_HOST!));
    // destination and source MAC (lo's: zeros), then the EtherType in network order.
    expect(frame.subarray(0, 12)).toEqual(Buffer.alloc(12));
    expect(frame.readUInt16BE(12)).toBe((address as P.SockaddrLl).protocol);
  });

  testUnless(NOT_ROOT)('sendto with a sockaddr_ll: a frame of a local experimental EtherType sent on lo reaches a socket bound to it', async () => {
    // A type no stack in the kernel handles (ETH_P_802_EX1, 0x88B5): the frame
    // goes out on lo, comes back in, and only packet sockets see it.
    const rx = s.socket(P.AF_PACKET!, P.SOCK_DGRAM, P.htons(P.ETH_P_802_EX1!));
    P.bind(rx, { family: P.AF_PACKET!, protocol: P.ETH_P_802_EX1!, ifindex: lo() });
    const tx = s.socket(P.AF_PACKET!, P.SOCK_DGRAM, 0); // protocol 0: sends, receives nothing
    const payload = Buffer.from(`experimental-${process.pid}-${Date.now()}`);
    // The destination: lo, the EtherType, and the hardware address the kernel builds the Ethernet header with.
    const to: P.SockaddrLl = { family: P.AF_PACKET!, protocol: P.ETH_P_802_EX1!, ifindex: lo(), addr: Buffer.alloc(P.ETH_ALEN!) };
    expect(await P.sendto(tx, payload, 0, to)).toBe(payload.length);
    // Bounded: the only other frames of this type would be another run of this test.
    for (let i = 0; i < 1000; i++) {
      const got = await P.recvfrom(rx, 1500, 0, { timeout: 10000 });
      // lo pads nothing: the payload comes back exactly (Ethernet's 60-byte minimum is applied only by real NICs).
      if (!got.data.equals(payload)) continue;
      expect(got.address).toEqual({ ...fromLo(P.PACKET_HOST!), protocol: P.ETH_P_802_EX1 });
      return;
    }
    throw new Error('the frame never arrived');
  });
});

// ---- vsock

describe('vsock (AF_VSOCK)', () => {
  testUnless(NO_VSOCK)('bind to any cid and any port: getsockname gives the port the kernel chose, which a second bind finds in use', () => {
    const a = s.socket(P.AF_VSOCK!, P.SOCK_STREAM);
    P.bind(a, { family: P.AF_VSOCK!, cid: P.VMADDR_CID_ANY!, port: P.VMADDR_PORT_ANY! });
    const name = P.getsockname(a) as P.SockaddrVm;
    expect(name).toMatchObject({ family: P.AF_VSOCK, cid: P.VMADDR_CID_ANY });
    expect(name.port).not.toBe(P.VMADDR_PORT_ANY);
    const b = s.socket(P.AF_VSOCK!, P.SOCK_STREAM);
    expect(thrown(() => P.bind(b, { family: P.AF_VSOCK!, cid: P.VMADDR_CID_ANY!, port: name.port })).code).toBe('EADDRINUSE');
  });

  testUnless(NO_VSOCK_LOOPBACK)('over the loopback transport (VMADDR_CID_LOCAL): connect, accept and getpeername give the typed addresses', async () => {
    const l = s.socket(P.AF_VSOCK!, P.SOCK_STREAM);
    P.bind(l, { family: P.AF_VSOCK!, cid: P.VMADDR_CID_LOCAL!, port: P.VMADDR_PORT_ANY! });
    P.listen(l, 4);
    const at = P.getsockname(l) as P.SockaddrVm;
    expect(at.cid).toBe(P.VMADDR_CID_LOCAL);
    const c = s.socket(P.AF_VSOCK!, P.SOCK_STREAM);
    const accepted = P.accept(l, { timeout: 10000 });
    await P.connect(c, { family: P.AF_VSOCK!, cid: P.VMADDR_CID_LOCAL!, port: at.port }, { timeout: 10000 });
    const { fd, address } = await accepted;
    s.adopt(fd);
    expect(P.getpeername(c)).toMatchObject({ family: P.AF_VSOCK, cid: P.VMADDR_CID_LOCAL, port: at.port });
    expect(address).toEqual(P.getpeername(fd));
    expect(address).toMatchObject({ family: P.AF_VSOCK, port: (P.getsockname(c) as P.SockaddrVm).port });
  });
});
