// Socket addresses, typed after the C structs, and the conversions a learner
// uses to see what the kernel is handed: sockaddrToBytes/sockaddrFromBytes,
// inet_pton/inet_ntop. Encoding and decoding happen in native/sockaddr.cc;
// this file gives the types and the argument checks with friendly messages.
import * as net from 'node:net';
import * as os from 'node:os';
import { AF_INET, AF_INET6, AF_INET6_VALUE, AF_NETLINK, AF_PACKET, AF_UNIX, AF_UNSPEC, AF_VSOCK, VMADDR_CID_ANY } from './constants';
import { ErrorTarget, errnoError } from './errors';
import { native } from './native';
import { LONE_SURROGATE } from './validate';

/** struct sockaddr_in */
export interface SockaddrIn {
  family: 2;
  /** Dotted quad, as inet_ntop(AF_INET) writes it. */
  address: string;
  /** Host byte order; stored in sin_port as htons(port). */
  port: number;
}

/** struct sockaddr_in6 */
export interface SockaddrIn6 {
  family: AF_INET6_VALUE;
  /** As inet_ntop(AF_INET6) writes it. On input, "fe80::1%eth0" sets scopeId from the interface name. */
  address: string;
  port: number;
  /** sin6_flowinfo, host byte order. */
  flowinfo?: number;
  /** sin6_scope_id: the interface index of a link-local address. */
  scopeId?: number;
}

/**
 * struct sockaddr_un. `path` is a filesystem path; '' is an unnamed socket
 * (bind() with it autobinds on Linux); a path whose first byte is NUL is a
 * Linux abstract name, kept at its exact length. A path comes back as a
 * string when its bytes are valid UTF-8, else as a Buffer.
 */
export interface SockaddrUn {
  family: 1;
  path: string | Buffer;
}

/**
 * No address: what recvfrom reports on a connected stream socket. Given to
 * connect(), it dissolves a datagram socket's association (connect(2) with
 * AF_UNSPEC).
 */
export interface SockaddrUnspec {
  family: 0;
}

/**
 * struct sockaddr_nl (Linux): a netlink socket's address. To bind, pid 0
 * asks the kernel to assign a port id (getsockname then shows it) and groups
 * is the mask of multicast groups to join (RTMGRP_LINK | ...); as a
 * destination, pid 0 and groups 0 is the kernel.
 */
export interface SockaddrNl {
  /** AF_NETLINK (16). */
  family: 16;
  /** nl_pid: a port id (the process id of the first netlink socket a process binds, by default). */
  pid: number;
  /** nl_groups: a bit mask of multicast groups, 1 << (group - 1). */
  groups: number;
}

/**
 * struct sockaddr_ll (Linux): a packet socket's link-level address. bind
 * takes protocol and ifindex (0: every interface); a received frame's sender
 * also has hatype, pkttype and the hardware address. Calls return every field.
 */
export interface SockaddrLl {
  /** AF_PACKET (17). */
  family: 17;
  /** sll_protocol: the EtherType in host order (ETH_P_IP, ETH_P_ALL...); the struct holds htons(protocol). */
  protocol: number;
  /** sll_ifindex: the interface (if_nametoindex('lo')); 0 is any. */
  ifindex: number;
  /** sll_hatype: an ARPHRD_* type (ARPHRD_ETHER, ARPHRD_LOOPBACK). 0 when absent. */
  hatype?: number;
  /** sll_pkttype: PACKET_HOST, PACKET_BROADCAST, PACKET_OUTGOING... 0 when absent. */
  pkttype?: number;
  /** sll_addr, up to 8 bytes; its length is sll_halen. Empty when absent. */
  addr?: Buffer;
}

/**
 * struct sockaddr_vm (Linux): a VM socket's address, a context id (the
 * machine: VMADDR_CID_HOST, VMADDR_CID_LOCAL, VMADDR_CID_ANY) and a port.
 * macOS defines AF_VSOCK but not this struct: there its addresses are raw bytes.
 */
export interface SockaddrVm {
  /** AF_VSOCK (40). */
  family: 40;
  /** svm_cid, host order. */
  cid: number;
  /** svm_port, host order; VMADDR_PORT_ANY to bind to any. */
  port: number;
  /** svm_flags (VMADDR_FLAG_TO_HOST), where the headers have it (Linux 5.11). 0 when absent. */
  flags?: number;
}

declare const OTHER_FAMILY: unique symbol;

/**
 * The family of an address this package does not decode (AF_BLUETOOTH,
 * AF_CAN...): a number at run time, typed opaquely so that a switch over
 * Sockaddr narrows and its `default:` branch is SockaddrRaw. It is
 * assignable to number; compare it with the AF_* constants.
 */
export type OtherFamily = 0x10000 & { readonly [OTHER_FAMILY]: true };

/**
 * An address of a family this package does not decode, as calls return it:
 * the whole struct sockaddr as bytes, family included.
 */
export interface SockaddrRaw {
  family: OtherFamily;
  bytes: Buffer;
}

/**
 * What calls that return an address give: discriminated on family, so
 * `switch (addr.family)` with cases AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC,
 * AF_NETLINK!, AF_PACKET! and AF_VSOCK! narrows each branch, and `default:`
 * is SockaddrRaw. (The last three are undefined where the platform lacks
 * them, hence the `!`: a case that may be undefined does not narrow `default:`.)
 */
export type Sockaddr =
  | SockaddrIn
  | SockaddrIn6
  | SockaddrUn
  | SockaddrUnspec
  | SockaddrNl
  | SockaddrLl
  | SockaddrVm
  | SockaddrRaw;

/** An address of any other family, given as the bytes of the whole sockaddr. */
export interface SockaddrRawInput {
  family: number;
  bytes: Uint8Array;
}

/**
 * What calls that take an address accept: an address object, or the bytes
 * sockaddrToBytes made from one (encoded once, for a hot sendto loop).
 */
export type SockaddrInput = Sockaddr | SockaddrRawInput | Uint8Array;

function fail(message: string): never {
  throw new TypeError(message);
}

function checkPort(port: unknown): void {
  if (typeof port !== 'number') fail(`address.port must be a number, got ${typeof port}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`address.port must be an integer from 0 to 65535, got ${port}`);
  }
}

function checkUint32(value: unknown, name: string): void {
  if (value === undefined) return;
  checkInt(value, name, 0xffffffff);
}

/** An integer field from 0 to max (required unless `optional`). */
function checkInt(value: unknown, name: string, max: number, optional = false): void {
  if (value === undefined && optional) return;
  if (typeof value !== 'number') fail(`address.${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`address.${name} must be an integer from 0 to ${max}, got ${value}`);
  }
}

// The families native/sockaddr.cc encodes field by field beyond IPv4, IPv6
// and unix: only where it has their structs (Linux; undefined elsewhere).
// macOS defines AF_VSOCK but has no sockaddr_vm header, nor VMADDR_*.
const NETLINK = AF_NETLINK;
const PACKET = AF_PACKET;
const VSOCK = VMADDR_CID_ANY === undefined ? undefined : AF_VSOCK;
/** sockaddr_ll's sll_addr: 8 bytes. */
const SLL_ADDR_MAX = 8;

/**
 * Encoded IPv4, IPv6 and unix-path addresses, keyed by every value that goes
 * into the encoding (family, address, port, flowinfo, scope id, path): a
 * pure function of its key, so it cannot go stale when a caller changes an
 * object — a changed field is a different key. Not keyed on objects, nothing
 * stored on them. An address naming an interface ('%eth0') is not cached
 * (the name's index can change), nor one with a Buffer path or raw bytes.
 * The bytes never leave this module (sockaddrToBytes copies), so nobody
 * can change them. Bounded: cleared when it reaches ENCODED_MAX entries.
 */
const encoded = new Map<string, Uint8Array>();
const ENCODED_MAX = 1024;

/**
 * Throws TypeError/RangeError unless `addr` can be encoded, before any
 * system call, and returns what native code is handed: the encoded bytes
 * (native/sockaddr.cc checks again: the raw binding must be safe on its own).
 * Each field is read once, into a snapshot that is checked and encoded, so a
 * getter cannot hand one value to the check and another to the encoder. A
 * Buffer that sockaddrToBytes returned is used as it is.
 * An IPv6 address naming its interface ("fe80::1%eth0") is encoded with that
 * interface's index as scope id; an unknown name is a RangeError.
 */
export function checkSockaddr(addr: unknown): Uint8Array {
  if (addr instanceof Uint8Array) {
    const min = native.SOCKADDR_FAMILY_END;
    if (addr.length < min || addr.length > native.SOCKADDR_STORAGE_SIZE) {
      throw new RangeError(`an encoded sockaddr must be ${min} to ${native.SOCKADDR_STORAGE_SIZE} bytes, got ${addr.length}`);
    }
    return addr;
  }
  const a = snapshot(addr);
  // Only values that were checked and encoded are ever stored, under a key
  // that spells each of them out: a hit needs no check again.
  const key = keyOf(a);
  if (key !== undefined) {
    const hit = encoded.get(key);
    if (hit !== undefined) return hit;
  }
  checkAddress(a);
  const bytes = native.sockaddrToBytes(withScope(a));
  if (key !== undefined) {
    if (encoded.size >= ENCODED_MAX) encoded.clear();
    encoded.set(key, bytes);
  }
  return bytes;
}

/** The address's fields, each read once. */
function snapshot(addr: unknown): Record<string, unknown> {
  if (typeof addr !== 'object' || addr === null) {
    fail("address must be an object like { family: AF_INET, address: '127.0.0.1', port: 80 }");
  }
  const a = addr as Record<string, unknown>;
  const family = a.family;
  if (family === AF_INET) return { family, address: a.address, port: a.port };
  if (family === AF_INET6) return { family, address: a.address, port: a.port, flowinfo: a.flowinfo, scopeId: a.scopeId };
  if (family === AF_UNIX) {
    const path = a.path;
    // A Buffer path is copied: its bytes are read once too.
    return { family, path: path instanceof Uint8Array ? Buffer.from(path) : path };
  }
  if (family !== undefined) {
    if (family === NETLINK) return { family, pid: a.pid, groups: a.groups };
    if (family === PACKET) {
      const { protocol, ifindex, hatype, pkttype, addr: hw } = a;
      return { family, protocol, ifindex, hatype, pkttype, addr: hw instanceof Uint8Array ? copyOf(hw) : hw };
    }
    if (family === VSOCK) return { family, cid: a.cid, port: a.port, flags: a.flags };
  }
  const bytes = a.bytes;
  return { family, bytes: bytes instanceof Uint8Array ? Buffer.from(bytes) : bytes };
}

/** What snapshot() records for a detached view, for checkAddress to refuse in its turn. */
const DETACHED = Symbol('detached');

/**
 * A copy of a view's bytes, or DETACHED: a detached view is a TypeError, as
 * native code gives, not an empty copy. The error waits for checkAddress, so
 * fields are refused in the order native code reads them.
 */
function copyOf(v: Uint8Array): Buffer | typeof DETACHED {
  try {
    // Constructing a view on a detached ArrayBuffer throws; copying a detached view would not.
    return Buffer.from(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
  } catch {
    return DETACHED;
  }
}

/**
 * The cache key: defined only when every field has the type it must have
 * (so a string "80" and the number 80 never share a key), and distinct for
 * distinct values (integers print distinctly; an absent optional field
 * encodes as 0).
 */
function keyOf(a: Record<string, unknown>): string | undefined {
  const { family, address, port } = a;
  if (family === AF_INET || family === AF_INET6) {
    if (typeof address !== 'string' || typeof port !== 'number') return undefined;
    if (family === AF_INET) return `4 ${address} ${port}`;
    const { flowinfo, scopeId } = a;
    if (address.includes('%')) return undefined;
    if ((flowinfo !== undefined && typeof flowinfo !== 'number') || (scopeId !== undefined && typeof scopeId !== 'number')) {
      return undefined;
    }
    return `6 ${address} ${port} ${flowinfo ?? 0} ${scopeId ?? 0}`;
  }
  if (family === AF_UNIX && typeof a.path === 'string') return `u ${a.path}`;
  return undefined;
}

/** The address with an interface name after '%' turned into scopeId. */
function withScope(addr: Exclude<SockaddrInput, Uint8Array>): Exclude<SockaddrInput, Uint8Array> {
  if (addr.family !== AF_INET6) return addr;
  const a = addr as SockaddrIn6;
  const pct = a.address.indexOf('%');
  if (pct === -1) return a;
  const scope = a.address.slice(pct + 1);
  const numeric = /^[0-9]+$/.test(scope);
  const index = numeric ? Number(scope) : native.if_nametoindex(scope);
  if (index === 0 && !numeric) throw new RangeError(`no network interface named '${scope}'`);
  if (index > 0xffffffff) throw new RangeError(`scope id ${scope} is out of range`);
  if (a.scopeId !== undefined && a.scopeId !== 0 && a.scopeId !== index) {
    throw new RangeError(`address.scopeId ${a.scopeId} disagrees with the scope in '${a.address}'`);
  }
  return { ...a, address: a.address.slice(0, pct), scopeId: index };
}

function checkAddress(addr: unknown): asserts addr is Exclude<SockaddrInput, Uint8Array> {
  if (typeof addr !== 'object' || addr === null) {
    fail("address must be an object like { family: AF_INET, address: '127.0.0.1', port: 80 }");
  }
  const a = addr as Record<string, unknown>;
  const family = a.family;
  if (typeof family !== 'number') fail('address.family must be a number (AF_INET, AF_INET6, AF_UNIX...)');
  if (!Number.isInteger(family) || family < 0 || family > 65535) {
    throw new RangeError(`address.family must be an integer from 0 to 65535, got ${family}`);
  }
  if (family === AF_INET || family === AF_INET6) {
    const v = family === AF_INET ? 4 : 6;
    if (typeof a.address !== 'string') fail(`address.address must be a string, got ${typeof a.address}`);
    if (net.isIP(a.address) !== v) fail(`address.address '${a.address}' is not an IPv${v} address`);
    checkPort(a.port);
    if (family === AF_INET6) {
      checkUint32(a.flowinfo, 'flowinfo');
      checkUint32(a.scopeId, 'scopeId');
    }
    return;
  }
  if (family === AF_UNSPEC && a.bytes === undefined) return;
  if (family === AF_UNIX) {
    const p = a.path;
    if (typeof p !== 'string' && !(p instanceof Uint8Array)) {
      fail('address.path must be a string or a Buffer');
    }
    // UTF-8 would carry U+FFFD for it: the socket would be bound at another name.
    if (typeof p === 'string' && LONE_SURROGATE.test(p)) {
      fail('address.path contains a lone surrogate (not valid UTF-16); a Buffer path gives any bytes');
    }
    const bytes = typeof p === 'string' ? Buffer.from(p) : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    const abstract = bytes.length > 0 && bytes[0] === 0;
    if (!abstract && bytes.includes(0)) {
      fail('address.path contains a NUL byte (only an abstract name may start with one)');
    }
    const max = abstract ? native.SUN_PATH_SIZE : native.SUN_PATH_SIZE - 1;
    if (bytes.length > max) {
      throw new RangeError(
        `${abstract ? 'abstract unix name' : 'unix socket path'} is ${bytes.length} bytes; ` +
          `the limit here is ${max} (sun_path is ${native.SUN_PATH_SIZE})`,
      );
    }
    return;
  }
  if (family === NETLINK) {
    checkInt(a.pid, 'pid', 0xffffffff);
    checkInt(a.groups, 'groups', 0xffffffff);
    return;
  }
  if (family === PACKET) {
    checkInt(a.protocol, 'protocol', 0xffff);
    checkInt(a.ifindex, 'ifindex', 0x7fffffff);
    checkInt(a.hatype, 'hatype', 0xffff, true);
    checkInt(a.pkttype, 'pkttype', 0xff, true);
    if (a.addr !== undefined) {
      if (a.addr === DETACHED) fail('address.addr is detached (its ArrayBuffer was transferred)');
      if (!(a.addr instanceof Uint8Array)) fail('address.addr must be a Buffer or Uint8Array');
      if (a.addr.length > SLL_ADDR_MAX) {
        throw new RangeError(`address.addr is ${a.addr.length} bytes; sll_addr holds ${SLL_ADDR_MAX}`);
      }
    }
    return;
  }
  if (family === VSOCK) {
    checkInt(a.cid, 'cid', 0xffffffff);
    checkInt(a.port, 'port', 0xffffffff);
    checkInt(a.flags, 'flags', 0xff, true);
    return;
  }
  if (!(a.bytes instanceof Uint8Array)) fail(`address of family ${family} needs bytes: the whole sockaddr`);
  if (a.bytes.length > native.SOCKADDR_STORAGE_SIZE) {
    throw new RangeError(`address.bytes is longer than sockaddr_storage (${native.SOCKADDR_STORAGE_SIZE})`);
  }
}

/** What an address contributes to an error: address and port, or path. */
export function targetOf(addr: SockaddrInput | Sockaddr | undefined): ErrorTarget | undefined {
  if (!addr) return undefined;
  if (addr instanceof Uint8Array) {
    const decoded = {} as Record<string, unknown>;
    try {
      native.sockaddrFromBytes(addr, decoded);
    } catch {
      return undefined;
    }
    return targetOf(decoded as unknown as Sockaddr);
  }
  if ('path' in addr) return { path: addr.path };
  if ('address' in addr) return { address: addr.address, port: addr.port };
  return undefined;
}

/**
 * The exact bytes the kernel is handed for `addr`: the family in host
 * order (preceded by a length byte on macOS), the port in network byte
 * order, sin_zero and every pad zeroed, and only as many bytes as the
 * address length passed to bind/connect/sendto.
 */
export function sockaddrToBytes(addr: SockaddrInput): Buffer {
  // A copy: the result is the caller's to keep or change.
  return Buffer.from(checkSockaddr(addr));
}

/**
 * The two bytes an IPv4 sockaddr starts with here (sa_family in host order
 * on Linux; sin_len then sin_family on macOS), from the platform's own
 * encoding: with them, the common case decodes in JavaScript.
 */
const INET_HEAD = native.sockaddrToBytes({ family: AF_INET, address: '0.0.0.0', port: 0 });
/** Dotted quads by their 32-bit value: datagrams from one sender format its address once. */
const quads = new Map<number, string>();

/**
 * A sockaddr the kernel wrote into `buf` at `at`, `len` bytes long (a
 * recvfrom/recvmsg name: native/sockaddr.h's ToNameBuffer). IPv4 is decoded
 * here (a napi decode cost ~1.7 µs, most of a small datagram's receive);
 * everything else by native/sockaddr.cc. Shorter than a family: AF_UNSPEC.
 */
export function decodeName(buf: Buffer, at: number, len: number): Sockaddr {
  if (len >= INET_HEAD.length && buf[at] === INET_HEAD[0] && buf[at + 1] === INET_HEAD[1]) {
    // sockaddr_in: port and address in network byte order at 2 and 4 on every platform.
    const key = buf.readUInt32BE(at + 4);
    let address = quads.get(key);
    if (address === undefined) {
      address = `${buf[at + 4]}.${buf[at + 5]}.${buf[at + 6]}.${buf[at + 7]}`;
      if (quads.size >= 1024) quads.clear();
      quads.set(key, address);
    }
    return { family: AF_INET, address, port: (buf[at + 2] << 8) | buf[at + 3] };
  }
  const out = {} as Sockaddr;
  native.sockaddrFromBytes(buf.subarray(at, at + len), out);
  return out;
}

const NAME_LENGTH_AT = native.NAME_BUFFER_SIZE - 4;
const LE = os.endianness() === 'LE';

/**
 * The sender in a name buffer native code filled (native/sockaddr.h's
 * ToNameBuffer): the sockaddr, whose length is a host-order uint32 after
 * sockaddr_storage's size.
 */
export function decodeNameBuffer(name: Uint8Array): Sockaddr {
  const b = Buffer.from(name.buffer, name.byteOffset, name.byteLength);
  return decodeName(b, 0, LE ? b.readUInt32LE(NAME_LENGTH_AT) : b.readUInt32BE(NAME_LENGTH_AT));
}

/** Reads a struct sockaddr as the kernel would hand it back. */
export function sockaddrFromBytes(bytes: Uint8Array): Sockaddr {
  if (!(bytes instanceof Uint8Array)) fail('bytes must be a Buffer or Uint8Array');
  const out = {} as Sockaddr;
  native.sockaddrFromBytes(bytes, out);
  return out;
}

/**
 * inet_pton(3): text to the address in network byte order (4 bytes for
 * AF_INET, 16 for AF_INET6). Returns null where C returns 0: text that is
 * not an address of that family. Throws EAFNOSUPPORT for another family.
 */
export function inet_pton(family: number, text: string): Buffer | null {
  if (!Number.isInteger(family)) fail('family must be an integer');
  if (typeof text !== 'string') fail('text must be a string');
  const r = native.inet_pton(family, text);
  if (typeof r !== 'number') return r;
  if (r === 0) return null;
  throw errnoError(-r, 'inet_pton');
}

/** inet_ntop(3): 4 or 16 bytes in network byte order to text. */
export function inet_ntop(family: number, bytes: Uint8Array): string {
  if (!Number.isInteger(family)) fail('family must be an integer');
  if (!(bytes instanceof Uint8Array)) fail('bytes must be a Buffer or Uint8Array');
  const need = family === AF_INET ? 4 : family === AF_INET6 ? 16 : undefined;
  if (need !== undefined && bytes.length !== need) {
    throw new RangeError(`bytes must be ${need} bytes for this family, got ${bytes.length}`);
  }
  const r = native.inet_ntop(family, bytes);
  if (typeof r === 'string') return r;
  throw errnoError(-r, 'inet_ntop');
}
