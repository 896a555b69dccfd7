// Control messages (ancillary data) for sendmsg/recvmsg: their types, the
// payloads this package encodes to send, and the fields it decodes from what
// the kernel returns. The headers (struct cmsghdr, its alignment and
// padding) are laid out and walked by native/msg.cc with the platform's
// CMSG_* macros; this file only knows the payload structs (an int, an fd
// array, in_pktinfo, sock_extended_err, ...).
//
// Every received message keeps its raw bytes (`data`, CPython's view), and a
// message whose struct is known also carries decoded fields and a `name`
// that tells them apart: `switch (c.name) { case 'SCM_RIGHTS': c.fds ... }`.
import * as os from 'node:os';
import * as C from './constants';
import { errnoName } from './errors';
import { handedOut } from './fd';
import { native } from './native';
import { inet_ntop, inet_pton, Sockaddr } from './sockaddr';
import { toBytes } from './validate';

/** A control message whose payload this package does not decode: CPython's (level, type, data). */
export interface CmsgRaw {
  name?: undefined;
  level: number;
  type: number;
  /** The payload, exactly as the kernel returned it. */
  data: Buffer;
}

interface Decoded<N extends string> {
  /** Which decoded shape this is (the option's C name). */
  name: N;
  level: number;
  type: number;
  /** The payload, exactly as the kernel returned it. */
  data: Buffer;
}

/** SOL_SOCKET/SCM_RIGHTS: descriptors, now open in this process (close-on-exec, owned like an accepted fd). */
export interface CmsgRights extends Decoded<'SCM_RIGHTS'> {
  fds: number[];
}

/** SOL_SOCKET/SCM_CREDENTIALS (Linux, with SO_PASSCRED): the sender's struct ucred. */
export interface CmsgCredentials extends Decoded<'SCM_CREDENTIALS'> {
  pid: number;
  uid: number;
  gid: number;
}

/** IPPROTO_IP/IP_PKTINFO: the interface and local address a datagram arrived on (struct in_pktinfo). */
export interface CmsgPktinfo extends Decoded<'IP_PKTINFO'> {
  ifindex: number;
  /** The local address the kernel would answer from (ipi_spec_dst). */
  specDst: string;
  /** The datagram's destination address, from its IP header (ipi_addr). */
  addr: string;
}

/** IPPROTO_IPV6/IPV6_PKTINFO: the interface and destination address (struct in6_pktinfo). */
export interface CmsgPktinfo6 extends Decoded<'IPV6_PKTINFO'> {
  ifindex: number;
  addr: string;
}

/** One integer: TTL, TOS, hop limit, traffic class, the GRO segment size, or SO_RXQ_OVFL's drop count. */
export interface CmsgValue
  extends Decoded<'IP_TTL' | 'IP_TOS' | 'IPV6_HOPLIMIT' | 'IPV6_TCLASS' | 'UDP_GRO' | 'SO_RXQ_OVFL'> {
  value: number;
}

/** SO_TIMESTAMP / SO_TIMESTAMPNS: when the kernel received the datagram (wall clock). */
export interface CmsgTimestamp extends Decoded<'SO_TIMESTAMP' | 'SO_TIMESTAMPNS'> {
  sec: number;
  /** Nanoseconds; SO_TIMESTAMP's microseconds times 1000. */
  nsec: number;
}

/** IP_RECVERR / IPV6_RECVERR (Linux): an error-queue message, struct sock_extended_err. */
export interface CmsgRecverr extends Decoded<'IP_RECVERR' | 'IPV6_RECVERR'> {
  /** ee_errno, e.g. ECONNREFUSED for an ICMP port unreachable. */
  errno: number;
  /** errno's name: 'ECONNREFUSED'. */
  code: string;
  /** ee_origin: SO_EE_ORIGIN_ICMP, SO_EE_ORIGIN_ICMP6, SO_EE_ORIGIN_LOCAL, ... */
  origin: number;
  icmpType: number;
  icmpCode: number;
  /** ee_info (the MTU for EMSGSIZE). */
  info: number;
  /** ee_data. */
  extData: number;
  /** Who sent the error (SO_EE_OFFENDER): the router or host, or undefined when the kernel names none. */
  offender: Sockaddr | undefined;
}

/** IP_ORIGDSTADDR / IPV6_ORIGDSTADDR (Linux): the datagram's original destination. */
export interface CmsgOrigDstAddr extends Decoded<'IP_ORIGDSTADDR' | 'IPV6_ORIGDSTADDR'> {
  address: Sockaddr;
}

/** A control message received by recvmsg/recvmmsg/recvFds. */
export type Cmsg =
  | CmsgRights
  | CmsgCredentials
  | CmsgPktinfo
  | CmsgPktinfo6
  | CmsgValue
  | CmsgTimestamp
  | CmsgRecverr
  | CmsgOrigDstAddr
  | CmsgRaw;

/**
 * A control message to send: raw (`data`, sent as given), or typed by its
 * level and type with the fields recvmsg decodes: `{ level: SOL_SOCKET,
 * type: SCM_RIGHTS, fds }`, `{ level: IPPROTO_IP, type: IP_PKTINFO, ifindex,
 * specDst, addr }`, `{ level: IPPROTO_IPV6, type: IPV6_PKTINFO, ifindex, addr }`,
 * `{ level: SOL_SOCKET, type: SCM_CREDENTIALS, pid, uid, gid }`, and
 * `{ level, type, value }` for IP_TTL, IP_TOS, IPV6_HOPLIMIT, IPV6_TCLASS and
 * UDP_SEGMENT (GSO). When `data` is present it is what is sent, so a
 * received message can be sent back as it is.
 */
export type CmsgInput =
  | { level: number; type: number; data: ArrayBufferView | string }
  | { level: number; type: number; fds: readonly number[] }
  | { level: number; type: number; pid: number; uid: number; gid: number }
  | { level: number; type: number; ifindex?: number; specDst?: string; addr?: string }
  | { level: number; type: number; value: number };

const LE = os.endianness() === 'LE';
const i32 = (d: Buffer, o: number) => (LE ? d.readInt32LE(o) : d.readInt32BE(o));
const u32 = (d: Buffer, o: number) => (LE ? d.readUInt32LE(o) : d.readUInt32BE(o));
const u16 = (d: Buffer, o: number) => (LE ? d.readUInt16LE(o) : d.readUInt16BE(o));
const i64 = (d: Buffer, o: number) => Number(LE ? d.readBigInt64LE(o) : d.readBigInt64BE(o));

function key(level: number, type: number): string {
  return `${level} ${type}`;
}

type Decoder = (c: Record<string, unknown>, d: Buffer) => boolean;
const decoders = new Map<string, { name: string; decode: Decoder }>();
function decoder(level: number | undefined, type: number | undefined, name: string, decode: Decoder): void {
  if (level === undefined || type === undefined) return;
  const k = key(level, type);
  if (!decoders.has(k)) decoders.set(k, { name, decode });
}

/** An integer payload: TOS and (macOS) TTL are one byte, the rest a C int. */
const intValue: Decoder = (c, d) => {
  if (d.length >= 4) c.value = i32(d, 0);
  else if (d.length === 2) c.value = u16(d, 0);
  else if (d.length === 1) c.value = d[0];
  else return false;
  return true;
};

function address(bytes: Buffer): Sockaddr | undefined {
  if (bytes.length < native.SOCKADDR_FAMILY_END) return undefined;
  const out = {} as Sockaddr;
  native.sockaddrFromBytes(bytes, out);
  return out.family === C.AF_UNSPEC ? undefined : out;
}

decoder(C.SOL_SOCKET, C.SCM_RIGHTS, 'SCM_RIGHTS', (c, d) => {
  const fds: number[] = [];
  for (let o = 0; o + 4 <= d.length; o += 4) {
    const fd = i32(d, o);
    // native/msg.cc adopted it; what was known of the number (queues, a
    // backlog) by a file closed behind the package's back was that file's.
    handedOut(fd);
    fds.push(fd);
  }
  c.fds = fds;
  return true;
});
decoder(C.SOL_SOCKET, C.SCM_CREDENTIALS, 'SCM_CREDENTIALS', (c, d) => {
  if (d.length < 12) return false;
  c.pid = i32(d, 0);
  c.uid = u32(d, 4);
  c.gid = u32(d, 8);
  return true;
});
const pktinfo: Decoder = (c, d) => {
  if (d.length < 12) return false;
  c.ifindex = u32(d, 0);
  c.specDst = inet_ntop(C.AF_INET, d.subarray(4, 8));
  c.addr = inet_ntop(C.AF_INET, d.subarray(8, 12));
  return true;
};
decoder(C.IPPROTO_IP, C.IP_PKTINFO, 'IP_PKTINFO', pktinfo);
decoder(C.IPPROTO_IPV6, C.IPV6_PKTINFO, 'IPV6_PKTINFO', (c, d) => {
  if (d.length < 20) return false;
  c.addr = inet_ntop(C.AF_INET6, d.subarray(0, 16));
  c.ifindex = u32(d, 16);
  return true;
});
decoder(C.IPPROTO_IP, C.IP_TTL, 'IP_TTL', intValue);
decoder(C.IPPROTO_IP, C.IP_TOS, 'IP_TOS', intValue);
// macOS reports the TTL, TOS and packet info under the option that asked for
// them (IP_RECVTTL: one byte, IP_RECVTOS, IP_RECVPKTINFO); Linux never sends
// these types, so decoding them there changes nothing.
decoder(C.IPPROTO_IP, C.IP_RECVTTL, 'IP_TTL', intValue);
decoder(C.IPPROTO_IP, C.IP_RECVTOS, 'IP_TOS', intValue);
decoder(C.IPPROTO_IP, C.IP_RECVPKTINFO, 'IP_PKTINFO', pktinfo);
decoder(C.IPPROTO_IPV6, C.IPV6_HOPLIMIT, 'IPV6_HOPLIMIT', intValue);
decoder(C.IPPROTO_IPV6, C.IPV6_TCLASS, 'IPV6_TCLASS', intValue);
decoder(C.SOL_UDP, C.UDP_GRO, 'UDP_GRO', intValue);
decoder(C.SOL_SOCKET, C.SO_RXQ_OVFL, 'SO_RXQ_OVFL', (c, d) => {
  if (d.length < 4) return false;
  c.value = u32(d, 0);
  return true;
});
// struct timeval: Linux (64-bit) has two longs; macOS a 64-bit tv_sec and a
// 32-bit tv_usec (then padding). struct timespec is two 64-bit fields on both.
decoder(C.SOL_SOCKET, C.SCM_TIMESTAMP, 'SO_TIMESTAMP', (c, d) => {
  if (d.length < 12) return false;
  c.sec = i64(d, 0);
  c.nsec = (process.platform === 'darwin' || d.length < 16 ? i32(d, 8) : i64(d, 8)) * 1000;
  return true;
});
decoder(C.SOL_SOCKET, C.SCM_TIMESTAMPNS, 'SO_TIMESTAMPNS', (c, d) => {
  if (d.length < 16) return false;
  c.sec = i64(d, 0);
  c.nsec = i64(d, 8);
  return true;
});
// struct sock_extended_err, then the offender's sockaddr (SO_EE_OFFENDER).
const recverr: Decoder = (c, d) => {
  if (d.length < 16) return false;
  c.errno = u32(d, 0);
  c.code = errnoName(c.errno as number);
  c.origin = d[4];
  c.icmpType = d[5];
  c.icmpCode = d[6];
  c.info = u32(d, 8);
  c.extData = u32(d, 12);
  c.offender = address(d.subarray(16));
  return true;
};
decoder(C.IPPROTO_IP, C.IP_RECVERR, 'IP_RECVERR', recverr);
decoder(C.IPPROTO_IPV6, C.IPV6_RECVERR, 'IPV6_RECVERR', recverr);
const origDst: Decoder = (c, d) => {
  const a = address(d);
  if (a === undefined) return false;
  c.address = a;
  return true;
};
decoder(C.IPPROTO_IP, C.IP_ORIGDSTADDR, 'IP_ORIGDSTADDR', origDst);
decoder(C.IPPROTO_IPV6, C.IPV6_ORIGDSTADDR, 'IPV6_ORIGDSTADDR', origDst);

/**
 * The control messages native/msg.cc reported in `meta` (from `at`: count at
 * at+3, then level, type, offset, length per message), with their payloads
 * copied out of `control` (a buffer the next call reuses).
 */
export function decodeControl(control: Buffer | null, meta: Int32Array, at: number): Cmsg[] {
  const count = meta[at + 3];
  const out: Cmsg[] = [];
  for (let i = 0; i < count; i++) {
    const q = at + 4 + 4 * i;
    const level = meta[q];
    const type = meta[q + 1];
    const data = Buffer.from(control!.subarray(meta[q + 2], meta[q + 2] + meta[q + 3]));
    const c: Record<string, unknown> = { level, type, data };
    const known = decoders.get(key(level, type));
    // A payload too short for its struct stays raw (no name, no fields).
    if (known !== undefined) {
      const fields: Record<string, unknown> = {};
      if (known.decode(fields, data)) Object.assign(c, { name: known.name }, fields);
    }
    out.push(c as unknown as Cmsg);
  }
  return out;
}

/**
 * The decoded fields of a payload, for the trace: no side effects (the
 * SCM_RIGHTS decoder's forgetting of stale queues is left out), undefined
 * when the struct is unknown or the payload too short.
 */
export function describeCmsg(level: number, type: number, data: Buffer): { name: string; fields: Record<string, unknown> } | undefined {
  const known = decoders.get(key(level, type));
  if (known === undefined || known.name === 'SCM_RIGHTS') return undefined;
  const fields: Record<string, unknown> = {};
  return known.decode(fields, data) ? { name: known.name, fields } : undefined;
}

type Encoder = (c: Record<string, unknown>, where: string) => Uint8Array;
const encoders = new Map<string, Encoder>();
function encoder(level: number | undefined, type: number | undefined, encode: Encoder): void {
  if (level === undefined || type === undefined) return;
  encoders.set(key(level, type), encode);
}

function intField(c: Record<string, unknown>, field: string, where: string, min: number, max: number, optional = false): number {
  const v = c[field];
  if (v === undefined && optional) return 0;
  if (typeof v !== 'number') throw new TypeError(`${where}.${field} must be a number, got ${typeof v}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${where}.${field} must be an integer from ${min} to ${max}, got ${v}`);
  }
  return v;
}

function ipField(c: Record<string, unknown>, field: string, where: string, family: number): Buffer {
  const v = c[field];
  const size = family === C.AF_INET ? 4 : 16;
  if (v === undefined) return Buffer.alloc(size);
  if (typeof v !== 'string') throw new TypeError(`${where}.${field} must be an address string, got ${typeof v}`);
  const b = inet_pton(family, v);
  if (b === null) throw new TypeError(`${where}.${field} '${v}' is not an IPv${size === 4 ? 4 : 6} address`);
  return b;
}

function words(values: number[], unsigned: boolean): Uint8Array {
  const a = unsigned ? new Uint32Array(values) : new Int32Array(values);
  return new Uint8Array(a.buffer);
}

encoder(C.SOL_SOCKET, C.SCM_RIGHTS, (c, where) => {
  const fds = c.fds;
  if (!Array.isArray(fds)) throw new TypeError(`${where}.fds must be an array of file descriptors`);
  // The length first: a sparse array's is free, reading 2**32 holes is not.
  const max = Math.floor(native.CONTROL_MAX / 4);
  if ((fds as unknown[]).length > max) throw new RangeError(`${where}.fds may hold at most ${max} fds, got ${(fds as unknown[]).length}`);
  // Each element read once, into the copy that is checked and sent.
  const list = Array.from(fds as unknown[]);
  list.forEach((fd, i) => {
    if (typeof fd !== 'number' || !Number.isInteger(fd)) throw new TypeError(`${where}.fds[${i}] must be an integer fd, got ${String(fd)}`);
    if (fd < 0 || fd > 0x7fffffff) throw new RangeError(`${where}.fds[${i}] must be a non-negative 32-bit integer, got ${fd}`);
  });
  return words(list as number[], false);
});
encoder(C.SOL_SOCKET, C.SCM_CREDENTIALS, (c, where) =>
  concat(
    words([intField(c, 'pid', where, -0x80000000, 0x7fffffff)], false),
    words([intField(c, 'uid', where, 0, 0xffffffff), intField(c, 'gid', where, 0, 0xffffffff)], true),
  ),
);
const encodePktinfo: Encoder = (c, where) => {
  const ifindex = intField(c, 'ifindex', where, 0, 0xffffffff, true);
  return concat(words([ifindex], true), ipField(c, 'specDst', where, C.AF_INET), ipField(c, 'addr', where, C.AF_INET));
};
encoder(C.IPPROTO_IP, C.IP_PKTINFO, encodePktinfo);
encoder(C.IPPROTO_IPV6, C.IPV6_PKTINFO, (c, where) => {
  const ifindex = intField(c, 'ifindex', where, 0, 0xffffffff, true);
  return concat(ipField(c, 'addr', where, C.AF_INET6), words([ifindex], true));
});
const encodeInt: Encoder = (c, where) => words([intField(c, 'value', where, -0x80000000, 0x7fffffff)], false);
encoder(C.IPPROTO_IP, C.IP_TTL, encodeInt);
encoder(C.IPPROTO_IP, C.IP_TOS, encodeInt);
encoder(C.IPPROTO_IPV6, C.IPV6_HOPLIMIT, encodeInt);
encoder(C.IPPROTO_IPV6, C.IPV6_TCLASS, encodeInt);
// Linux takes the GSO segment size as a 16-bit value, and only that size.
encoder(C.SOL_UDP, C.UDP_SEGMENT, (c, where) => new Uint8Array(new Uint16Array([intField(c, 'value', where, 0, 0xffff)]).buffer));

function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/**
 * Control messages to send, checked and encoded before any system call, as
 * native/msg.cc takes them: [level, type, payload, ...], or null for none.
 * Each message's fields are read once.
 */
export function encodeControl(control: unknown, where = 'msg.control'): (number | Uint8Array)[] | null {
  if (control === undefined || control === null) return null;
  if (!Array.isArray(control)) throw new TypeError(`${where} must be an array of control messages`);
  // Each message takes at least CMSG_SPACE(0) bytes: the length is checked
  // before the list is read (a sparse array's length is free).
  const max = Math.floor(native.CONTROL_MAX / native.CMSG_SPACE(0));
  if ((control as unknown[]).length > max) {
    throw new RangeError(`${where} may hold at most ${max} control messages, got ${(control as unknown[]).length}`);
  }
  const list = Array.from(control as unknown[]);
  if (list.length === 0) return null;
  const out: (number | Uint8Array)[] = [];
  list.forEach((m, i) => {
    const at = `${where}[${i}]`;
    if (typeof m !== 'object' || m === null) throw new TypeError(`${at} must be an object like { level, type, data }`);
    const c = { ...(m as Record<string, unknown>) };
    const level = intField(c, 'level', at, -0x80000000, 0x7fffffff);
    const type = intField(c, 'type', at, -0x80000000, 0x7fffffff);
    let payload: Uint8Array;
    if (c.data !== undefined) {
      const d = toBytes(c.data, `${at}.data`);
      payload = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    } else {
      const encode = encoders.get(key(level, type));
      if (encode === undefined) {
        throw new TypeError(`${at}: no typed form for level ${level}, type ${type} on this platform; give its bytes as data`);
      }
      payload = encode(c, at);
    }
    if (payload.byteLength > native.CONTROL_MAX) {
      throw new RangeError(`${at} is ${payload.byteLength} bytes; control data is limited to ${native.CONTROL_MAX}`);
    }
    out.push(level, type, payload);
  });
  return out;
}

/** CMSG_SPACE(3): the bytes a control message with `length` payload bytes takes, padding included. */
export function CMSG_SPACE(length: number): number {
  checkCmsgLength(length);
  return native.CMSG_SPACE(length);
}

/** CMSG_LEN(3): the cmsg_len of a control message with `length` payload bytes. */
export function CMSG_LEN(length: number): number {
  checkCmsgLength(length);
  return native.CMSG_LEN(length);
}

function checkCmsgLength(length: unknown): void {
  if (typeof length !== 'number') throw new TypeError(`length must be a number, got ${typeof length}`);
  if (!Number.isInteger(length) || length < 0 || length > native.CONTROL_MAX) {
    throw new RangeError(`length must be an integer from 0 to ${native.CONTROL_MAX}, got ${length}`);
  }
}
