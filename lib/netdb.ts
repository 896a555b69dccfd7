// The network databases and the interface list (native/netdb.cc):
// getservbyname/getservbyport, getprotobyname/getprotobynumber, the old IPv4
// text conversions inet_aton/inet_addr/inet_ntoa, if_nameindex and
// getifaddrs. Library calls, synchronous: they read local files
// (/etc/services, /etc/protocols) or ask the kernel, never the network.
import { errnoError } from './errors';
import { native } from './native';
import type { Sockaddr } from './sockaddr';
import { checkCName, checkInt } from './validate';

/** struct servent: one entry of the services database. */
export interface Servent {
  /** The official name ('http'). */
  name: string;
  aliases: string[];
  /** In host order (80), although C's s_port holds it in network order. */
  port: number;
  /** 'tcp' or 'udp'. */
  proto: string;
}

/** struct protoent: one entry of the protocols database. */
export interface Protoent {
  name: string;
  aliases: string[];
  /** The IP protocol number (IPPROTO_TCP is 6). */
  proto: number;
}

/** struct if_nameindex: one network interface. */
export interface IfNameIndex {
  index: number;
  name: string;
}

/** struct ifaddrs: one address of one interface (or, on Linux, its link-layer entry). */
export interface Ifaddr {
  name: string;
  /** IFF_UP, IFF_LOOPBACK, ... (flagNames('IFF', flags) names them). */
  flags: number;
  /** Absent when the interface has no address (ifa_addr NULL). */
  address?: Sockaddr;
  netmask?: Sockaddr;
  /** ifa_broadaddr, only when IFF_BROADCAST is set. */
  broadcast?: Sockaddr;
  /**
   * ifa_dstaddr, only when IFF_POINTOPOINT is set: the other end of a
   * point-to-point link. (C keeps this and the broadcast address in one
   * place; the flags say which it is.)
   */
  destination?: Sockaddr;
}

function checkProto(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return checkCName(value, 'proto');
}

function copyList(list: unknown): string[] {
  return Array.from(list as string[]);
}

function servent(r: unknown, syscall: string): Servent | null {
  if (typeof r === 'number') throw errnoError(-r, syscall);
  if (r === null) return null;
  // Copied so the object belongs to the caller's realm.
  const s = r as Servent;
  return { name: s.name, aliases: copyList(s.aliases), port: s.port, proto: s.proto };
}

function protoent(r: unknown, syscall: string): Protoent | null {
  if (typeof r === 'number') throw errnoError(-r, syscall);
  if (r === null) return null;
  const p = r as Protoent;
  return { name: p.name, aliases: copyList(p.aliases), proto: p.proto };
}

/**
 * getservbyname(3): the service `name` ('http'), for protocol `proto`
 * ('tcp', 'udp'; null or omitted: the first entry of any). null when there
 * is none.
 */
export function getservbyname(name: string, proto?: string | null): Servent | null {
  const n = checkCName(name, 'name');
  const p = checkProto(proto);
  return servent(native.getservbyname(n, p), 'getservbyname');
}

/**
 * getservbyport(3): the service on `port`, given in host order (80), unlike
 * C, which takes htons(80). null when there is none.
 */
export function getservbyport(port: number, proto?: string | null): Servent | null {
  checkInt(port, 'port', 0, 65535);
  const p = checkProto(proto);
  return servent(native.getservbyport(port, p), 'getservbyport');
}

/** getprotobyname(3): the protocol `name` ('tcp'); null when there is none. */
export function getprotobyname(name: string): Protoent | null {
  return protoent(native.getprotobyname(checkCName(name, 'name')), 'getprotobyname');
}

/** getprotobynumber(3): the protocol numbered `proto` (17: 'udp'); null when there is none. */
export function getprotobynumber(proto: number): Protoent | null {
  checkInt(proto, 'proto');
  return protoent(native.getprotobynumber(proto), 'getprotobynumber');
}

/**
 * inet_aton(3): IPv4 text in any form C accepts ('127.1', '0x7f.1',
 * '2130706433', octal '0177.0.0.1') to its 4 bytes in network order; null
 * where C returns 0 (not an address; also text with an embedded NUL).
 */
export function inet_aton(text: string): Buffer | null {
  if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
  return native.inet_aton(text);
}

/**
 * inet_addr(3): the in_addr_t C returns, i.e. the address's network-order
 * bytes read as this machine's uint32 (0x0100007f for '127.0.0.1' on
 * little-endian x64; ntohl() of it is 0x7f000001). INADDR_NONE (0xffffffff)
 * when the text is not an address (text with an embedded NUL is not), which is also the answer for
 * '255.255.255.255': use inet_aton or inet_pton to tell them apart.
 */
export function inet_addr(text: string): number {
  if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
  return native.inet_addr(text);
}

/**
 * inet_ntoa(3): dotted-decimal text for an IPv4 address, given as its 4
 * bytes in network order (a Buffer or Uint8Array), or as a number: the
 * in_addr_t value as C holds it (what inet_addr returns), so
 * inet_ntoa(inet_addr(s)) round-trips as it does in C.
 */
export function inet_ntoa(addr: Uint8Array | number): string {
  if (typeof addr === 'number') {
    checkInt(addr, 'addr', 0, 0xffffffff);
  } else if (addr instanceof Uint8Array) {
    if (addr.length !== 4) {
      if (isDetached(addr)) throw new TypeError('addr is detached (its ArrayBuffer was transferred)');
      throw new RangeError(`addr must be 4 bytes, got ${addr.length}`);
    }
  } else {
    throw new TypeError('addr must be a Buffer, Uint8Array or number');
  }
  return native.inet_ntoa(addr);
}

/** A view whose ArrayBuffer was transferred reads as empty; constructing on it throws. */
function isDetached(view: Uint8Array): boolean {
  try {
    new Uint8Array(view.buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/** if_nameindex(3): every network interface, as {index, name}. */
export function if_nameindex(): IfNameIndex[] {
  const r = native.if_nameindex();
  if (typeof r === 'number') throw errnoError(-r, 'if_nameindex');
  return r.map((e) => ({ index: e.index, name: e.name }));
}

/** The entry's own address `key`, copied; not one inherited (a polluted Object.prototype.broadcast). */
function copyAddress(e: object, key: string): Sockaddr | undefined {
  if (!Object.prototype.hasOwnProperty.call(e, key)) return undefined;
  return { ...(e as Record<string, Record<string, unknown>>)[key] } as unknown as Sockaddr;
}

/**
 * getifaddrs(3): every address of every interface, one entry each (an
 * interface with an IPv4 and two IPv6 addresses has three; on Linux each
 * interface also has an AF_PACKET entry for its link layer, on macOS an
 * AF_LINK one). Addresses are decoded like getsockname's; families this
 * package does not decode come back as {family, bytes}.
 */
export function getifaddrs(): Ifaddr[] {
  const r = native.getifaddrs();
  if (typeof r === 'number') throw errnoError(-r, 'getifaddrs');
  return r.map((e) => {
    const out: Ifaddr = { name: e.name, flags: e.flags };
    for (const key of ['address', 'netmask', 'broadcast', 'destination'] as const) {
      const a = copyAddress(e, key);
      if (a !== undefined) out[key] = a;
    }
    return out;
  });
}
