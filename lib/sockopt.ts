// Typed socket options: `sockopt.SO_LINGER`, `sockopt.TCP_INFO`, ... Each
// descriptor carries the option's level and name and the codec between a
// JavaScript value and the bytes the kernel takes, and exists only where the
// platform defines the option. setsockopt(fd, sockopt.X, value) and
// getsockopt(fd, sockopt.X) in lib/calls.ts use them; the trace uses the same
// codecs to print values as strace does.
//
// Struct layouts (offsets, sizes, signedness, bit-fields) come from the
// platform's headers through native/sockopt.cc: nothing here writes one down.
import * as os from 'node:os';
import * as C from './constants';
import { constantName } from './constants';
import { native } from './native';
import { decodeName } from './sockaddr';
import type { Sockaddr } from './sockaddr';
import { checkInt, LONE_SURROGATE } from './validate';

// ---- the descriptor types ----

/** What every option descriptor carries. */
export interface SockoptDescriptor {
  /** The option's C name, e.g. 'SO_LINGER'. */
  readonly label: string;
  /** The level setsockopt/getsockopt take (SOL_SOCKET, IPPROTO_TCP...). */
  readonly level: number;
  /** The option name (optname), this platform's value. */
  readonly name: number;
  /** The option's bytes as strace shows them. */
  format(bytes: Uint8Array): string;
}

/** An option getsockopt(fd, opt) can read: its value is a G. */
export interface GetSockopt<G> extends SockoptDescriptor {
  /** The buffer getsockopt offers the kernel, in bytes. */
  readonly size: number;
  /** The bytes the kernel wrote (as many as it reported) to the value. */
  decode(bytes: Uint8Array): G;
}

/** An option setsockopt(fd, opt, value) can set from an S. */
export interface SetSockopt<S> extends SockoptDescriptor {
  /** The value to the bytes setsockopt passes; TypeError/RangeError on a wrong shape. */
  encode(value: S): Uint8Array;
}

/** An option that is both read as a G and set from an S. */
export type Sockopt<G, S = G> = GetSockopt<G> & SetSockopt<S>;

/** SO_LINGER: whether close() lingers, and for how many seconds. */
export interface Linger {
  onoff: boolean;
  linger: number;
}

/** SO_RCVTIMEO/SO_SNDTIMEO: a struct timeval; { sec: 0, usec: 0 } waits forever. */
export interface Timeval {
  sec: number;
  usec: number;
}

/** SO_PEERCRED (Linux): the peer's credentials when it connected. */
export interface Ucred {
  pid: number;
  uid: number;
  gid: number;
}

/** LOCAL_PEERCRED (macOS): the peer's effective uid and groups (struct xucred). */
export interface Xucred {
  version: number;
  uid: number;
  groups: number[];
}

/** IP_ADD_MEMBERSHIP/IP_DROP_MEMBERSHIP: the group, and the interface by address or (Linux) index. */
export interface IpMreqn {
  multiaddr: string;
  address?: string;
  ifindex?: number;
}

/** IPV6_JOIN_GROUP/IPV6_LEAVE_GROUP: the group and the interface index (0: the kernel picks). */
export interface Ipv6Mreq {
  multiaddr: string;
  ifindex?: number;
}

/** MCAST_JOIN_GROUP/MCAST_LEAVE_GROUP (RFC 3678): v4 or v6. */
export interface GroupReq {
  ifindex: number;
  group: string;
}

/** MCAST_JOIN_SOURCE_GROUP/MCAST_LEAVE_SOURCE_GROUP...: a source-specific membership. */
export interface GroupSourceReq {
  ifindex: number;
  group: string;
  source: string;
}

/** One classic BPF instruction (struct sock_filter). */
export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/**
 * TCP_INFO (Linux): struct tcp_info with the `tcpi_` prefix dropped and the
 * names in camelCase. Times are in microseconds (rto, rtt...) or
 * milliseconds (lastDataSent...), as the kernel reports them; 64-bit
 * counters are bigints. Fields after `totalRetrans` appeared in later
 * kernels and are absent where the running kernel did not fill them.
 */
export interface TcpInfo {
  /** TCP_ESTABLISHED, TCP_SYN_SENT, ... */
  state: number;
  /** TCP_CA_Open, TCP_CA_Loss, ... */
  caState: number;
  retransmits: number;
  probes: number;
  backoff: number;
  /** TCPI_OPT_* bits. */
  options: number;
  sndWscale: number;
  rcvWscale: number;
  deliveryRateAppLimited: number;
  fastopenClientFail: number;
  rto: number;
  ato: number;
  sndMss: number;
  rcvMss: number;
  unacked: number;
  sacked: number;
  lost: number;
  retrans: number;
  fackets: number;
  lastDataSent: number;
  lastAckSent: number;
  lastDataRecv: number;
  lastAckRecv: number;
  pmtu: number;
  rcvSsthresh: number;
  rtt: number;
  rttvar: number;
  sndSsthresh: number;
  sndCwnd: number;
  advmss: number;
  reordering: number;
  rcvRtt: number;
  rcvSpace: number;
  totalRetrans: number;
  pacingRate?: bigint;
  maxPacingRate?: bigint;
  bytesAcked?: bigint;
  bytesReceived?: bigint;
  segsOut?: number;
  segsIn?: number;
  notsentBytes?: number;
  minRtt?: number;
  dataSegsIn?: number;
  dataSegsOut?: number;
  deliveryRate?: bigint;
  busyTime?: bigint;
  rwndLimited?: bigint;
  sndbufLimited?: bigint;
  delivered?: number;
  deliveredCe?: number;
  bytesSent?: bigint;
  bytesRetrans?: bigint;
  dsackDups?: number;
  reordSeen?: number;
  rcvOoopack?: number;
  sndWnd?: number;
}

// ---- layouts, from native/sockopt.cc ----

/** [offset, size, signed, shift?, width?]: one field of a C struct. */
type Field = [number, number, number, number?, number?];
type Layout = { size: number } & Record<string, Field | number>;
const layouts = native.sockoptLayouts as Record<string, Layout | undefined>;

function field(layout: Layout, name: string): Field {
  return layout[name] as Field;
}

const LE = os.endianness() === 'LE';

/** An integer field in host byte order (bit-fields included), as a number. */
function readInt(b: Buffer, [at, size, signed, shift, width]: Field): number {
  let v: number;
  if (size === 1) v = signed ? b.readInt8(at) : b.readUInt8(at);
  else if (size === 2) v = signed ? (LE ? b.readInt16LE(at) : b.readInt16BE(at)) : LE ? b.readUInt16LE(at) : b.readUInt16BE(at);
  else if (size === 4) v = signed ? (LE ? b.readInt32LE(at) : b.readInt32BE(at)) : LE ? b.readUInt32LE(at) : b.readUInt32BE(at);
  else v = Number(readBig([at, 8, signed], b));
  return width === undefined ? v : (v >> shift!) & ((1 << width) - 1);
}

function readBig([at, , signed]: Field, b: Buffer): bigint {
  if (signed) return LE ? b.readBigInt64LE(at) : b.readBigInt64BE(at);
  return LE ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
}

/** Writes an integer the caller's value was checked to fit. */
function writeInt(b: Buffer, [at, size, signed]: Field, v: number): void {
  if (size === 1) b.writeUInt8(v & 0xff, at);
  else if (size === 2) LE ? b.writeUInt16LE(v & 0xffff, at) : b.writeUInt16BE(v & 0xffff, at);
  else if (size === 4) {
    if (signed) LE ? b.writeInt32LE(v, at) : b.writeInt32BE(v, at);
    else LE ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at);
  } else if (signed) LE ? b.writeBigInt64LE(BigInt(v), at) : b.writeBigInt64BE(BigInt(v), at);
  else LE ? b.writeBigUInt64LE(BigInt(v), at) : b.writeBigUInt64BE(BigInt(v), at);
}

/** The range of integers a field holds (capped at JavaScript's safe integers). */
function rangeOf([, size, signed]: Field): [number, number] {
  if (size >= 7) return signed ? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : [0, Number.MAX_SAFE_INTEGER];
  const bits = size * 8;
  return signed ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
}

function checkField(value: unknown, f: Field, what: string): number {
  const [min, max] = rangeOf(f);
  return checkInt(value, what, min, max);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The fields of a value object, each read once (a getter cannot answer twice). */
function snapshot(value: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`the value of ${what} must be an object with ${keys.join(', ')}`);
  }
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = v[k];
  return out;
}

/** An IPv4 or IPv6 address in text to its bytes; TypeError when it is neither. */
function addressBytes(text: unknown, what: string, family?: number): { family: number; bytes: Buffer } {
  if (typeof text !== 'string') throw new TypeError(`${what} must be an address string, got ${typeof text}`);
  const fam = family ?? (text.includes(':') ? C.AF_INET6 : C.AF_INET);
  const r = native.inet_pton(fam, text);
  if (typeof r === 'number') {
    throw new TypeError(`${what} must be an ${fam === C.AF_INET ? 'IPv4' : 'IPv6'} address, got ${JSON.stringify(text.slice(0, 64))}`);
  }
  return { family: fam, bytes: r };
}

function ntop(family: number, bytes: Buffer): string {
  const r = native.inet_ntop(family, bytes);
  return typeof r === 'string' ? r : '?';
}

// ---- the codecs ----

/** How one kind of option value is read, written and shown. */
interface Codec<G, S> {
  size?: number;
  decode?(b: Buffer): G;
  encode?(value: S, label: string): Uint8Array;
  format(b: Buffer): string;
}

function intValue(b: Buffer): number {
  // A few options are a single byte on some platforms (IP_MULTICAST_TTL on macOS).
  if (b.length >= 4) return LE ? b.readInt32LE(0) : b.readInt32BE(0);
  return b.length >= 1 ? b[0] : 0;
}

/** A C int; booleans are accepted on set (true = 1). */
const intCodec: Codec<number, number | boolean> = {
  size: 4,
  decode: intValue,
  encode(value, label) {
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : checkInt(value, `the value of ${label}`);
    return new Uint8Array(Int32Array.of(v).buffer);
  },
  // As strace: an int only when the length is an int's (or the one-byte form); else the bytes.
  format: (b) => (b.length === 4 || b.length === 1 ? `[${intValue(b)}]` : quote(b)),
};

/** A 64-bit unsigned value, read only (SO_COOKIE). */
const u64Codec: Codec<bigint, never> = {
  size: 8,
  decode: (b) => (b.length >= 8 ? (LE ? b.readBigUInt64LE(0) : b.readBigUInt64BE(0)) : 0n),
  format: (b) => (b.length >= 8 ? `[${LE ? b.readBigUInt64LE(0) : b.readBigUInt64BE(0)}]` : quote(b)),
};

function quote(b: Uint8Array): string {
  let out = '"';
  for (const c of b.subarray(0, 32)) out += c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? String.fromCharCode(c) : `\\${c.toString(8)}`;
  return out + (b.length > 32 ? '"...' : '"');
}

/** A name such as an interface or congestion-control algorithm: a C string, UTF-8. */
function stringCodec(size: number): Codec<string, string> {
  return {
    size,
    decode(b) {
      const end = b.indexOf(0);
      return b.toString('utf8', 0, end === -1 ? b.length : end);
    },
    encode(value, label) {
      if (typeof value !== 'string') throw new TypeError(`the value of ${label} must be a string, got ${typeof value}`);
      // A lone surrogate would be encoded as U+FFFD: the kernel would get another name.
      if (LONE_SURROGATE.test(value)) throw new TypeError(`the value of ${label} must be a name without a lone surrogate (not valid UTF-16)`);
      const bytes = Buffer.from(value, 'utf8');
      // C would stop at the NUL: refused rather than silently cut.
      if (bytes.includes(0)) throw new TypeError(`the value of ${label} must be a name without a NUL character`);
      if (bytes.length >= size) throw new RangeError(`the value of ${label} must be shorter than ${size} bytes, got ${bytes.length}`);
      return bytes;
    },
    format: (b) => quote(b),
  };
}

function structCodec<G, S>(
  layoutName: string,
  decode: ((b: Buffer, l: Layout) => G) | undefined,
  encode: ((value: S, label: string, l: Layout) => Buffer) | undefined,
  format: (b: Buffer, l: Layout) => string,
): Codec<G, S> | undefined {
  const l = layouts[layoutName];
  if (l === undefined) return undefined;
  const whole = (b: Buffer) => b.length >= l.size;
  return {
    size: l.size,
    decode: decode && ((b) => {
      if (!whole(b)) throw new RangeError(`the kernel returned ${b.length} bytes, fewer than a struct ${layoutName} (${l.size})`);
      return decode(b, l);
    }),
    encode: encode && ((v, label) => encode(v, label, l)),
    format: (b) => (whole(b) ? format(b, l) : quote(b)),
  };
}

const lingerCodec = structCodec<Linger, Linger>(
  'linger',
  (b, l) => ({ onoff: readInt(b, field(l, 'l_onoff')) !== 0, linger: readInt(b, field(l, 'l_linger')) }),
  (value, label, l) => {
    const v = snapshot(value, label, ['onoff', 'linger']);
    if (typeof v.onoff !== 'boolean' && typeof v.onoff !== 'number') {
      throw new TypeError(`${label}.onoff must be a boolean, got ${typeof v.onoff}`);
    }
    const onoff = typeof v.onoff === 'boolean' ? (v.onoff ? 1 : 0) : checkField(v.onoff, field(l, 'l_onoff'), `${label}.onoff`);
    const linger = checkField(v.linger, field(l, 'l_linger'), `${label}.linger`);
    const b = Buffer.alloc(l.size);
    writeInt(b, field(l, 'l_onoff'), onoff);
    writeInt(b, field(l, 'l_linger'), linger);
    return b;
  },
  (b, l) => `{l_onoff=${readInt(b, field(l, 'l_onoff'))}, l_linger=${readInt(b, field(l, 'l_linger'))}}`,
)!;

const timevalCodec = structCodec<Timeval, Timeval>(
  'timeval',
  (b, l) => ({ sec: readInt(b, field(l, 'tv_sec')), usec: readInt(b, field(l, 'tv_usec')) }),
  (value, label, l) => {
    // Any value the C types hold: the kernel answers one it refuses (EDOM
    // for a tv_usec of a million or more on Linux).
    const v = snapshot(value, label, ['sec', 'usec']);
    const sec = checkField(v.sec, field(l, 'tv_sec'), `${label}.sec`);
    const usec = checkField(v.usec, field(l, 'tv_usec'), `${label}.usec`);
    const b = Buffer.alloc(l.size);
    writeInt(b, field(l, 'tv_sec'), sec);
    writeInt(b, field(l, 'tv_usec'), usec);
    return b;
  },
  (b, l) => `{tv_sec=${readInt(b, field(l, 'tv_sec'))}, tv_usec=${readInt(b, field(l, 'tv_usec'))}}`,
)!;

const ucredCodec = structCodec<Ucred, never>(
  'ucred',
  (b, l) => ({ pid: readInt(b, field(l, 'pid')), uid: readInt(b, field(l, 'uid')), gid: readInt(b, field(l, 'gid')) }),
  undefined,
  (b, l) => `{pid=${readInt(b, field(l, 'pid'))}, uid=${readInt(b, field(l, 'uid'))}, gid=${readInt(b, field(l, 'gid'))}}`,
);

const xucredCodec = structCodec<Xucred, never>(
  'xucred',
  (b, l) => {
    const [at, size] = field(l, 'cr_groups');
    const n = Math.max(0, Math.min(readInt(b, field(l, 'cr_ngroups')), size / 4));
    const groups: number[] = [];
    for (let i = 0; i < n; i++) groups.push(readInt(b, [at + 4 * i, 4, 0]));
    return { version: readInt(b, field(l, 'cr_version')), uid: readInt(b, field(l, 'cr_uid')), groups };
  },
  undefined,
  (b, l) => `{cr_version=${readInt(b, field(l, 'cr_version'))}, cr_uid=${readInt(b, field(l, 'cr_uid'))}, cr_ngroups=${readInt(b, field(l, 'cr_ngroups'))}}`,
);

/** tcpi_snd_cwnd -> sndCwnd. */
function camel(cName: string): string {
  return cName.replace(/^tcpi_/, '').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

const tcpInfoFields = (() => {
  const l = layouts.tcp_info;
  if (l === undefined) return [];
  return Object.keys(l)
    .filter((k) => k !== 'size')
    .map((k) => ({ key: camel(k), cName: k, f: field(l, k) }));
})();

/** TCP_INFO's bytes to an object: every field the kernel filled (an older kernel fills fewer). */
function decodeTcpInfo(b: Buffer): TcpInfo {
  const out: Record<string, number | bigint> = {};
  for (const { key, f } of tcpInfoFields) {
    if (f[0] + f[1] > b.length) continue;
    out[key] = f[1] === 8 ? readBig(f, b) : readInt(b, f);
  }
  return out as unknown as TcpInfo;
}

const TCP_STATES = ['TCP_ESTABLISHED', 'TCP_SYN_SENT', 'TCP_SYN_RECV', 'TCP_FIN_WAIT1', 'TCP_FIN_WAIT2', 'TCP_TIME_WAIT',
  'TCP_CLOSE', 'TCP_CLOSE_WAIT', 'TCP_LAST_ACK', 'TCP_LISTEN', 'TCP_CLOSING'] as const;
const TCP_CA_STATES = ['TCP_CA_Open', 'TCP_CA_Disorder', 'TCP_CA_CWR', 'TCP_CA_Recovery', 'TCP_CA_Loss'] as const;

/** The name of a TCP_INFO `state` (TCP_ESTABLISHED...), or undefined for a value this platform does not name. */
export function tcpStateName(state: number): string | undefined {
  return TCP_STATES.find((n) => C[n] === state);
}

/** As strace prints it: the state and the figures a reader looks for first. */
function formatTcpInfo(b: Buffer): string {
  const i = decodeTcpInfo(b);
  // Cut short (a C getsockopt with a small length): the bytes, not fields shown as undefined.
  if (i.totalRetrans === undefined) return quote(b);
  const ca = TCP_CA_STATES.find((n) => C[n] === i.caState) ?? String(i.caState);
  return `{tcpi_state=${tcpStateName(i.state) ?? i.state}, tcpi_ca_state=${ca}, tcpi_retransmits=${i.retransmits}, ` +
    `tcpi_rto=${i.rto}, tcpi_rtt=${i.rtt}, tcpi_rttvar=${i.rttvar}, tcpi_snd_cwnd=${i.sndCwnd}, ` +
    `tcpi_total_retrans=${i.totalRetrans}, ...}`;
}

const tcpInfoGet: Codec<TcpInfo, never> | undefined = layouts.tcp_info && {
  size: layouts.tcp_info.size,
  decode: decodeTcpInfo,
  format: formatTcpInfo,
};

/** An IPv4 address in a struct in_addr (IP_MULTICAST_IF). */
const inAddrCodec: Codec<string, string> = {
  size: 4,
  // Linux also accepts an ip_mreqn here, and answers with the in_addr it holds.
  decode: (b) => (b.length >= 4 ? ntop(C.AF_INET, b.subarray(0, 4)) : '0.0.0.0'),
  encode: (value, label) => addressBytes(value, `the value of ${label}`, C.AF_INET).bytes,
  format: (b) => (b.length === 4 ? `inet_addr("${ntop(C.AF_INET, b)}")` : quote(b)),
};

const membershipCodec: Codec<never, IpMreqn> = (() => {
  const mreqn = layouts.ip_mreqn;
  const mreq = layouts.ip_mreq!;
  return {
    encode(value, label) {
      const v = snapshot(value, label, ['multiaddr', 'address', 'ifindex']);
      const group = addressBytes(v.multiaddr, `${label}.multiaddr`, C.AF_INET).bytes;
      const address = v.address === undefined ? Buffer.alloc(4) : addressBytes(v.address, `${label}.address`, C.AF_INET).bytes;
      if (mreqn === undefined) {
        // macOS: IP_ADD_MEMBERSHIP copies in a struct ip_mreq, which names the interface by address only.
        if (v.ifindex !== undefined) {
          throw new RangeError(`${label}.ifindex is not supported on this platform (struct ip_mreq): give the interface's address, or use MCAST_JOIN_GROUP`);
        }
        const b = Buffer.alloc(mreq.size);
        group.copy(b, field(mreq, 'imr_multiaddr')[0]);
        address.copy(b, field(mreq, 'imr_interface')[0]);
        return b;
      }
      const ifindex = v.ifindex === undefined ? 0 : checkField(v.ifindex, field(mreqn, 'imr_ifindex'), `${label}.ifindex`);
      const b = Buffer.alloc(mreqn.size);
      group.copy(b, field(mreqn, 'imr_multiaddr')[0]);
      address.copy(b, field(mreqn, 'imr_address')[0]);
      writeInt(b, field(mreqn, 'imr_ifindex'), ifindex);
      return b;
    },
    format(b) {
      const a = (at: number) => `inet_addr("${ntop(C.AF_INET, b.subarray(at, at + 4))}")`;
      if (mreqn !== undefined && b.length === mreqn.size) {
        return `{imr_multiaddr=${a(field(mreqn, 'imr_multiaddr')[0])}, imr_address=${a(field(mreqn, 'imr_address')[0])}, ` +
          `imr_ifindex=${readInt(b, field(mreqn, 'imr_ifindex'))}}`;
      }
      if (b.length === mreq.size) return `{imr_multiaddr=${a(field(mreq, 'imr_multiaddr')[0])}, imr_interface=${a(field(mreq, 'imr_interface')[0])}}`;
      return quote(b);
    },
  };
})();

const ipv6MreqCodec: Codec<never, Ipv6Mreq> = (() => {
  const l = layouts.ipv6_mreq!;
  return {
    encode(value, label) {
      const v = snapshot(value, label, ['multiaddr', 'ifindex']);
      const group = addressBytes(v.multiaddr, `${label}.multiaddr`, C.AF_INET6).bytes;
      const ifindex = v.ifindex === undefined ? 0 : checkField(v.ifindex, field(l, 'ipv6mr_interface'), `${label}.ifindex`);
      const b = Buffer.alloc(l.size);
      group.copy(b, field(l, 'ipv6mr_multiaddr')[0]);
      writeInt(b, field(l, 'ipv6mr_interface'), ifindex);
      return b;
    },
    format(b) {
      if (b.length !== l.size) return quote(b);
      const at = field(l, 'ipv6mr_multiaddr')[0];
      return `{inet_pton(AF_INET6, "${ntop(C.AF_INET6, b.subarray(at, at + 16))}", &ipv6mr_multiaddr), ` +
        `ipv6mr_interface=${readInt(b, field(l, 'ipv6mr_interface'))}}`;
    },
  };
})();

/** A group_req/group_source_req address: a sockaddr_in/sockaddr_in6 in a sockaddr_storage. */
function storageOf(text: unknown, what: string, family?: number): { family: number; bytes: Buffer } {
  const a = addressBytes(text, what, family);
  const address = ntop(a.family, a.bytes);
  return { family: a.family, bytes: native.sockaddrToBytes({ family: a.family, address, port: 0 }) };
}

function formatStorage(b: Buffer, [at, size]: Field): string {
  const s: Sockaddr = decodeName(b, at, size);
  return 'address' in s ? `{sa_family=${constantName('AF', s.family)}, addr="${s.address}"}` : `{sa_family=${s.family}}`;
}

/** The level an RFC 3678 request goes to: the group's family decides. */
function mcastLevel(bytes: Uint8Array): number {
  const l = layouts.group_req!;
  const [at, size] = field(l, 'gr_group');
  const s = decodeName(asBuffer(bytes), at, size);
  return s.family === C.AF_INET6 ? C.IPPROTO_IPV6 : C.IPPROTO_IP;
}

const groupReqCodec: Codec<never, GroupReq> | undefined = layouts.group_req && (() => {
  const l = layouts.group_req;
  return {
    encode(value: GroupReq, label: string) {
      const v = snapshot(value, label, ['ifindex', 'group']);
      const ifindex = checkField(v.ifindex, field(l, 'gr_interface'), `${label}.ifindex`);
      const group = storageOf(v.group, `${label}.group`);
      const b = Buffer.alloc(l.size);
      writeInt(b, field(l, 'gr_interface'), ifindex);
      group.bytes.copy(b, field(l, 'gr_group')[0]);
      return b;
    },
    format: (b: Buffer) =>
      b.length === l.size ? `{gr_interface=${readInt(b, field(l, 'gr_interface'))}, gr_group=${formatStorage(b, field(l, 'gr_group'))}}` : quote(b),
  };
})();

const groupSourceReqCodec: Codec<never, GroupSourceReq> | undefined = layouts.group_source_req && (() => {
  const l = layouts.group_source_req;
  return {
    encode(value: GroupSourceReq, label: string) {
      const v = snapshot(value, label, ['ifindex', 'group', 'source']);
      const ifindex = checkField(v.ifindex, field(l, 'gsr_interface'), `${label}.ifindex`);
      const group = storageOf(v.group, `${label}.group`);
      const source = storageOf(v.source, `${label}.source`, group.family);
      const b = Buffer.alloc(l.size);
      writeInt(b, field(l, 'gsr_interface'), ifindex);
      group.bytes.copy(b, field(l, 'gsr_group')[0]);
      source.bytes.copy(b, field(l, 'gsr_source')[0]);
      return b;
    },
    format: (b: Buffer) =>
      b.length === l.size
        ? `{gsr_interface=${readInt(b, field(l, 'gsr_interface'))}, gsr_group=${formatStorage(b, field(l, 'gsr_group'))}, ` +
          `gsr_source=${formatStorage(b, field(l, 'gsr_source'))}}`
        : quote(b),
  };
})();

/** SO_ORIGINAL_DST/IP6T_SO_ORIGINAL_DST: a sockaddr_in or sockaddr_in6, read only. */
function sockaddrCodec(size: number): Codec<Sockaddr, never> {
  return {
    size,
    // The kernel writes at most the struct; more bytes (a caller's own) than a sockaddr_storage would be a RangeError.
    decode: (b) => decodeName(b, 0, Math.min(b.length, size)),
    format: (b) => {
      if (b.length > size) return quote(b);
      const s = decodeName(b, 0, b.length);
      return 'address' in s && 'port' in s ? `{sa_family=${constantName('AF', s.family)}, addr="${s.address}", port=${s.port}}` : quote(b);
    },
  };
}

/** The most instructions a classic BPF program may have (BPF_MAXINSNS; the kernel refuses more). */
const MAX_INSNS = C.BPF_MAXINSNS ?? 4096;

/** An array of { code, jt, jf, k } to struct sock_filter[] bytes; native/sockopt.cc makes the sock_fprog. */
const programCodec: Codec<never, readonly BpfInstruction[]> | undefined = layouts.sock_filter && (() => {
  const l = layouts.sock_filter;
  const [code, jt, jf, k] = ['code', 'jt', 'jf', 'k'].map((n) => field(l, n));
  return {
    encode(value: readonly BpfInstruction[], label: string) {
      if (!Array.isArray(value)) throw new TypeError(`the value of ${label} must be an array of { code, jt, jf, k }`);
      // Read once and checked before any element is read: a sparse array of
      // length 2**32-1 must not spin, and a Proxy's length (or an element
      // getter that pushes) must not grow the program past the check.
      const count = value.length;
      if (count > MAX_INSNS) throw new RangeError(`the value of ${label} must have at most ${MAX_INSNS} instructions, got ${count}`);
      const b = Buffer.alloc(l.size * count);
      for (let i = 0; i < count; i++) {
        const what = `${label}[${i}]`;
        const v = snapshot(value[i], what, ['code', 'jt', 'jf', 'k']);
        const at = i * l.size;
        const put = (f: Field, x: unknown, n: string) => writeInt(b, [f[0] + at, f[1], f[2]], checkField(x, f, `${what}.${n}`));
        put(code, v.code, 'code');
        put(jt, v.jt, 'jt');
        put(jf, v.jf, 'jf');
        // k is a __u32, but programs often write a negative offset (SKF_AD_OFF is -0x1000): both are taken.
        const kv = checkInt(v.k, `${what}.k`, -0x80000000, 0xffffffff);
        writeInt(b, [k[0] + at, 4, 0], kv >>> 0);
      }
      return b;
    },
    format(b: Buffer) {
      const n = Math.floor(b.length / l.size);
      const insns: string[] = [];
      for (let i = 0; i < Math.min(n, 4); i++) {
        const at = i * l.size;
        const r = (f: Field) => readInt(b, [f[0] + at, f[1], f[2]]);
        insns.push(bpfInstruction(r(code), r(jt), r(jf), r(k)));
      }
      return `{len=${n}, filter=[${insns.join(', ')}${n > 4 ? ', ...' : ''}]}`;
    },
  };
})();

/** BPF_STMT(BPF_RET|BPF_K, 0) or BPF_JUMP(BPF_JMP|BPF_JEQ|BPF_K, 0x800, 0, 1), as strace prints them. */
function bpfInstruction(code: number, jt: number, jf: number, k: number): string {
  const cls = code & 0x07;
  const parts = [bpfName('class', cls)];
  if (cls === C.BPF_LD || cls === C.BPF_LDX) parts.push(bpfName('size', code & 0x18), bpfName('mode', code & 0xe0));
  else if (cls === C.BPF_ALU || cls === C.BPF_JMP) parts.push(bpfName(cls === C.BPF_JMP ? 'jmp' : 'alu', code & 0xf0), bpfName('src', code & 0x08));
  else if (cls === C.BPF_RET) parts.push(bpfName('rval', code & 0x18));
  else if (cls === C.BPF_MISC) parts.push(bpfName('misc', code & 0xf8));
  const ks = k > 9 ? '0x' + k.toString(16) : String(k);
  const op = parts.filter((p) => p !== '').join('|');
  return cls === C.BPF_JMP && (code & 0xf0) !== C.BPF_JA ? `BPF_JUMP(${op}, ${ks}, ${jt}, ${jf})` : `BPF_STMT(${op}, ${ks})`;
}

const BPF_NAMES: Record<string, readonly string[]> = {
  class: ['BPF_LD', 'BPF_LDX', 'BPF_ST', 'BPF_STX', 'BPF_ALU', 'BPF_JMP', 'BPF_RET', 'BPF_MISC'],
  size: ['BPF_W', 'BPF_H', 'BPF_B'],
  mode: ['BPF_IMM', 'BPF_ABS', 'BPF_IND', 'BPF_MEM', 'BPF_LEN', 'BPF_MSH'],
  alu: ['BPF_ADD', 'BPF_SUB', 'BPF_MUL', 'BPF_DIV', 'BPF_OR', 'BPF_AND', 'BPF_LSH', 'BPF_RSH', 'BPF_NEG', 'BPF_MOD', 'BPF_XOR'],
  jmp: ['BPF_JA', 'BPF_JEQ', 'BPF_JGT', 'BPF_JGE', 'BPF_JSET'],
  src: ['BPF_K', 'BPF_X'],
  rval: ['BPF_K', 'BPF_X', 'BPF_A'],
  misc: ['BPF_TAX', 'BPF_TXA'],
};

function bpfName(kind: string, bits: number): string {
  const consts = C as unknown as Record<string, number | undefined>;
  const hit = BPF_NAMES[kind].find((n) => consts[n] === bits);
  return hit ?? (bits === 0 ? '' : '0x' + bits.toString(16));
}

/** SO_DETACH_FILTER and its kind: the kernel ignores the value; an int 0 is passed. */
const ignoredCodec: Codec<never, unknown> = {
  encode: () => new Uint8Array(4),
  format: intCodec.format,
};

// ---- descriptors ----

/** Every descriptor this module made: setsockopt/getsockopt take no other. */
const ours = new WeakSet<object>();
/** Descriptors by level and name, for the trace. */
const registry = new Map<string, SockoptDescriptor & Partial<Codec<unknown, unknown>>>();
/** Options whose value is a BPF program: set through native setsockoptFprog. */
const programs = new WeakSet<object>();
/** Options whose level follows the group's family (RFC 3678). */
const familyLevel = new WeakSet<object>();

function registryKey(level: number, name: number): string {
  return `${level}:${name}`;
}

function make<G, S>(label: string, level: number, name: number, codec: Codec<G, S>): Sockopt<G, S> {
  const d: Record<string, unknown> = { label, level, name, format: (bytes: Uint8Array) => codec.format(asBuffer(bytes)) };
  if (codec.decode) {
    d.size = codec.size;
    d.decode = (bytes: Uint8Array) => codec.decode!(asBuffer(bytes));
  }
  if (codec.encode) d.encode = (value: S) => codec.encode!(value, label);
  const desc = Object.freeze(d) as unknown as Sockopt<G, S>;
  ours.add(desc);
  if (!registry.has(registryKey(level, name))) registry.set(registryKey(level, name), desc);
  return desc;
}

type Consts = typeof C;
/** T where the constant K is always defined, T | undefined where the platform may lack it. */
type Where<K extends keyof Consts, T> = Consts[K] extends number ? T : T | undefined;

/** A descriptor where both the level and the option exist on this platform. */
function opt<G, S>(label: keyof Consts, level: number | undefined, codec: Codec<G, S> | undefined): Sockopt<G, S> | undefined {
  const name = (C as unknown as Record<string, number | undefined>)[label];
  if (level === undefined || name === undefined || codec === undefined) return undefined;
  return make(label, level, name, codec);
}

function ints<K extends keyof Consts>(level: number | undefined, names: readonly K[]): { [P in K]: Where<P, Sockopt<number, number | boolean>> } {
  const out: Record<string, unknown> = {};
  for (const n of names) {
    const d = opt(n, level, intCodec);
    if (d !== undefined) out[n] = d;
  }
  return out as { [P in K]: Where<P, Sockopt<number, number | boolean>> };
}

/** Typed descriptors of the int and boolean options, by their C names. */
const intOptions = {
  ...ints(C.SOL_SOCKET, [
    'SO_DEBUG', 'SO_ACCEPTCONN', 'SO_REUSEADDR', 'SO_REUSEPORT', 'SO_REUSEPORT_LB', 'SO_KEEPALIVE', 'SO_DONTROUTE',
    'SO_BROADCAST', 'SO_OOBINLINE', 'SO_SNDBUF', 'SO_RCVBUF', 'SO_SNDBUFFORCE', 'SO_RCVBUFFORCE', 'SO_SNDLOWAT',
    'SO_RCVLOWAT', 'SO_ERROR', 'SO_TYPE', 'SO_DOMAIN', 'SO_PROTOCOL', 'SO_PASSCRED', 'SO_PASSSEC', 'SO_PRIORITY',
    'SO_MARK', 'SO_BINDTOIFINDEX', 'SO_TIMESTAMP', 'SO_TIMESTAMPNS', 'SO_TIMESTAMPING', 'SO_TIMESTAMP_MONOTONIC',
    'SO_BUSY_POLL', 'SO_PREFER_BUSY_POLL', 'SO_INCOMING_CPU', 'SO_ZEROCOPY', 'SO_PEEK_OFF', 'SO_RXQ_OVFL',
    'SO_WIFI_STATUS', 'SO_LOCK_FILTER', 'SO_SELECT_ERR_QUEUE', 'SO_NOSIGPIPE', 'SO_NREAD', 'SO_NWRITE',
    'SO_NOADDRERR', 'SO_USELOOPBACK', 'SO_NET_SERVICE_TYPE', 'SO_NETSVC_MARKING_LEVEL',
  ] as const),
  ...ints(C.IPPROTO_IP, [
    'IP_TOS', 'IP_TTL', 'IP_HDRINCL', 'IP_RECVOPTS', 'IP_RECVRETOPTS', 'IP_PKTINFO', 'IP_MTU_DISCOVER', 'IP_RECVERR',
    'IP_RECVTTL', 'IP_RECVTOS', 'IP_MTU', 'IP_FREEBIND', 'IP_PASSSEC', 'IP_TRANSPARENT', 'IP_MINTTL', 'IP_NODEFRAG',
    'IP_CHECKSUM', 'IP_BIND_ADDRESS_NO_PORT', 'IP_RECVFRAGSIZE', 'IP_RECVERR_RFC4884', 'IP_LOCAL_PORT_RANGE',
    'IP_MULTICAST_TTL', 'IP_MULTICAST_LOOP', 'IP_MULTICAST_ALL', 'IP_MULTICAST_IFINDEX', 'IP_RECVORIGDSTADDR',
    'IP_RECVDSTADDR', 'IP_RECVIF', 'IP_BOUND_IF', 'IP_DONTFRAG', 'IP_STRIPHDR', 'IP_RECVPKTINFO',
  ] as const),
  ...ints(C.IPPROTO_IPV6, [
    'IPV6_ADDRFORM', 'IPV6_UNICAST_HOPS', 'IPV6_MULTICAST_IF', 'IPV6_MULTICAST_HOPS', 'IPV6_MULTICAST_LOOP',
    'IPV6_ROUTER_ALERT', 'IPV6_MTU_DISCOVER', 'IPV6_MTU', 'IPV6_RECVERR', 'IPV6_V6ONLY', 'IPV6_HDRINCL',
    'IPV6_RECVPKTINFO', 'IPV6_RECVHOPLIMIT', 'IPV6_RECVHOPOPTS', 'IPV6_RECVRTHDR', 'IPV6_RECVDSTOPTS',
    'IPV6_RECVPATHMTU', 'IPV6_DONTFRAG', 'IPV6_RECVTCLASS', 'IPV6_TCLASS', 'IPV6_AUTOFLOWLABEL',
    'IPV6_ADDR_PREFERENCES', 'IPV6_MINHOPCOUNT', 'IPV6_RECVORIGDSTADDR', 'IPV6_TRANSPARENT', 'IPV6_UNICAST_IF',
    'IPV6_MULTICAST_ALL', 'IPV6_FREEBIND', 'IPV6_BOUND_IF', 'IPV6_USE_MIN_MTU', 'IPV6_CHECKSUM', 'IPV6_PREFER_TEMPADDR',
  ] as const),
  ...ints(C.IPPROTO_TCP, [
    'TCP_NODELAY', 'TCP_MAXSEG', 'TCP_CORK', 'TCP_KEEPIDLE', 'TCP_KEEPINTVL', 'TCP_KEEPCNT', 'TCP_KEEPALIVE',
    'TCP_SYNCNT', 'TCP_LINGER2', 'TCP_DEFER_ACCEPT', 'TCP_WINDOW_CLAMP', 'TCP_QUICKACK', 'TCP_THIN_LINEAR_TIMEOUTS',
    'TCP_THIN_DUPACK', 'TCP_USER_TIMEOUT', 'TCP_FASTOPEN', 'TCP_TIMESTAMP', 'TCP_NOTSENT_LOWAT', 'TCP_SAVE_SYN',
    'TCP_FASTOPEN_CONNECT', 'TCP_FASTOPEN_NO_COOKIE', 'TCP_INQ', 'TCP_TX_DELAY', 'TCP_NOPUSH', 'TCP_NOOPT',
    'TCP_CONNECTIONTIMEOUT', 'TCP_SENDMOREACKS', 'TCP_ENABLE_ECN', 'TCP_RXT_CONNDROPTIME', 'TCP_REPAIR',
    'TCP_REPAIR_QUEUE', 'TCP_QUEUE_SEQ',
  ] as const),
  ...ints(C.IPPROTO_UDP, [
    'UDP_CORK', 'UDP_ENCAP', 'UDP_NO_CHECK6_TX', 'UDP_NO_CHECK6_RX', 'UDP_SEGMENT', 'UDP_GRO', 'UDP_NOCKSUM',
  ] as const),
};

/** IFNAMSIZ and TCP_CA_NAME_MAX: both 16 on Linux and macOS. */
const NAME_SIZE = 16;

function special<K extends keyof Consts, G, S>(label: K, level: number | undefined, codec: Codec<G, S> | undefined): Where<K, Sockopt<G, S>> {
  return opt(label, level, codec) as Where<K, Sockopt<G, S>>;
}

/** RFC 3678 requests: set at IPPROTO_IP or IPPROTO_IPV6 as the group's family says. */
function mcast<K extends keyof Consts, S>(label: K, codec: Codec<never, S> | undefined): Where<K, SetSockopt<S>> {
  const d = opt(label, C.IPPROTO_IP, codec);
  if (d !== undefined) {
    familyLevel.add(d);
    // Registered at both levels, so the trace knows it at either.
    registry.set(registryKey(C.IPPROTO_IPV6, d.name), d);
  }
  return d as Where<K, SetSockopt<S>>;
}

function program<K extends keyof Consts>(label: K): Where<K, SetSockopt<readonly BpfInstruction[]>> {
  const d = opt(label, C.SOL_SOCKET, programCodec);
  if (d !== undefined) programs.add(d);
  return d as Where<K, SetSockopt<readonly BpfInstruction[]>>;
}

/**
 * The typed options this platform defines, by their C names: pass one to
 * setsockopt(fd, sockopt.X, value) or getsockopt(fd, sockopt.X). An option
 * the platform lacks is undefined here.
 */
export const sockopt = Object.freeze({
  ...intOptions,
  SO_COOKIE: special('SO_COOKIE', C.SOL_SOCKET, u64Codec) as Where<'SO_COOKIE', GetSockopt<bigint>>,
  SO_NETNS_COOKIE: special('SO_NETNS_COOKIE', C.SOL_SOCKET, u64Codec) as Where<'SO_NETNS_COOKIE', GetSockopt<bigint>>,
  SO_LINGER: special('SO_LINGER', C.SOL_SOCKET, lingerCodec),
  /** macOS: SO_LINGER in seconds (SO_LINGER itself counts clock ticks there). */
  SO_LINGER_SEC: special('SO_LINGER_SEC', C.SOL_SOCKET, lingerCodec),
  SO_RCVTIMEO: special('SO_RCVTIMEO', C.SOL_SOCKET, timevalCodec),
  SO_SNDTIMEO: special('SO_SNDTIMEO', C.SOL_SOCKET, timevalCodec),
  SO_PEERCRED: special('SO_PEERCRED', C.SOL_SOCKET, ucredCodec) as Where<'SO_PEERCRED', GetSockopt<Ucred>>,
  LOCAL_PEERCRED: special('LOCAL_PEERCRED', C.SOL_LOCAL, xucredCodec) as Where<'LOCAL_PEERCRED', GetSockopt<Xucred>>,
  SO_BINDTODEVICE: special('SO_BINDTODEVICE', C.SOL_SOCKET, stringCodec(NAME_SIZE)),
  TCP_CONGESTION: special('TCP_CONGESTION', C.IPPROTO_TCP, stringCodec(NAME_SIZE)),
  TCP_ULP: special('TCP_ULP', C.IPPROTO_TCP, stringCodec(NAME_SIZE)),
  TCP_INFO: special('TCP_INFO', C.IPPROTO_TCP, tcpInfoGet) as Where<'TCP_INFO', GetSockopt<TcpInfo>>,
  IP_MULTICAST_IF: special('IP_MULTICAST_IF', C.IPPROTO_IP, inAddrCodec),
  IP_ADD_MEMBERSHIP: special('IP_ADD_MEMBERSHIP', C.IPPROTO_IP, membershipCodec) as Where<'IP_ADD_MEMBERSHIP', SetSockopt<IpMreqn>>,
  IP_DROP_MEMBERSHIP: special('IP_DROP_MEMBERSHIP', C.IPPROTO_IP, membershipCodec) as Where<'IP_DROP_MEMBERSHIP', SetSockopt<IpMreqn>>,
  IPV6_JOIN_GROUP: special('IPV6_JOIN_GROUP', C.IPPROTO_IPV6, ipv6MreqCodec) as Where<'IPV6_JOIN_GROUP', SetSockopt<Ipv6Mreq>>,
  IPV6_LEAVE_GROUP: special('IPV6_LEAVE_GROUP', C.IPPROTO_IPV6, ipv6MreqCodec) as Where<'IPV6_LEAVE_GROUP', SetSockopt<Ipv6Mreq>>,
  MCAST_JOIN_GROUP: mcast('MCAST_JOIN_GROUP', groupReqCodec),
  MCAST_LEAVE_GROUP: mcast('MCAST_LEAVE_GROUP', groupReqCodec),
  MCAST_JOIN_SOURCE_GROUP: mcast('MCAST_JOIN_SOURCE_GROUP', groupSourceReqCodec),
  MCAST_LEAVE_SOURCE_GROUP: mcast('MCAST_LEAVE_SOURCE_GROUP', groupSourceReqCodec),
  MCAST_BLOCK_SOURCE: mcast('MCAST_BLOCK_SOURCE', groupSourceReqCodec),
  MCAST_UNBLOCK_SOURCE: mcast('MCAST_UNBLOCK_SOURCE', groupSourceReqCodec),
  SO_ORIGINAL_DST: special('SO_ORIGINAL_DST', C.SOL_IP, sockaddrCodec(16)) as Where<'SO_ORIGINAL_DST', GetSockopt<Sockaddr>>,
  IP6T_SO_ORIGINAL_DST: special('IP6T_SO_ORIGINAL_DST', C.SOL_IPV6, sockaddrCodec(28)) as Where<'IP6T_SO_ORIGINAL_DST', GetSockopt<Sockaddr>>,
  SO_ATTACH_FILTER: program('SO_ATTACH_FILTER'),
  SO_ATTACH_REUSEPORT_CBPF: program('SO_ATTACH_REUSEPORT_CBPF'),
  SO_DETACH_FILTER: special('SO_DETACH_FILTER', C.SOL_SOCKET, ignoredCodec) as Where<'SO_DETACH_FILTER', SetSockopt<unknown>>,
  SO_DETACH_REUSEPORT_BPF: special('SO_DETACH_REUSEPORT_BPF', C.SOL_SOCKET, ignoredCodec) as Where<'SO_DETACH_REUSEPORT_BPF', SetSockopt<unknown>>,
});

// ---- what lib/calls.ts and lib/trace.ts use ----

/** A descriptor this module made, for the use asked; TypeError for anything else. */
export function checkSockopt(opt: unknown, use: 'get' | 'set'): SockoptDescriptor & Partial<GetSockopt<unknown> & SetSockopt<unknown>> {
  if (typeof opt !== 'object' || opt === null || !ours.has(opt)) {
    throw new TypeError('the option must be a descriptor from sockopt (e.g. sockopt.SO_LINGER), or give level and name as numbers');
  }
  const d = opt as SockoptDescriptor & Partial<GetSockopt<unknown> & SetSockopt<unknown>>;
  if (use === 'get' && d.decode === undefined) throw new TypeError(`${d.label} can only be set`);
  if (use === 'set' && d.encode === undefined) throw new TypeError(`${d.label} can only be read`);
  return d;
}

/** The level a set goes to (RFC 3678 requests: by the group's family), and whether it is a BPF program. */
export function setTarget(d: SockoptDescriptor, bytes: Uint8Array): { level: number; program: boolean } {
  return { level: familyLevel.has(d) ? mcastLevel(bytes) : d.level, program: programs.has(d) };
}

/** An option's bytes as strace shows them, when a descriptor knows the option; else undefined. */
export function formatOption(level: number, name: number, bytes: Uint8Array): string | undefined {
  try {
    return registry.get(registryKey(level, name))?.format(bytes);
  } catch {
    return undefined;  // bytes no struct of this option can be: the trace shows them raw
  }
}

/** The option's C name at this level, when a descriptor knows it (SO_ORIGINAL_DST at SOL_IP). */
export function optionLabel(level: number, name: number): string | undefined {
  return registry.get(registryKey(level, name))?.label;
}

/** BPF_STMT(code, k): a classic BPF instruction that does not jump. */
export function BPF_STMT(code: number, k: number): BpfInstruction {
  return { code, jt: 0, jf: 0, k };
}

/** BPF_JUMP(code, k, jt, jf): a conditional jump, jt/jf instructions ahead. */
export function BPF_JUMP(code: number, k: number, jt: number, jf: number): BpfInstruction {
  return { code, jt, jf, k };
}
