// getaddrinfo(3) and getnameinfo(3), and the obsolete gethostbyname(3) and
// gethostbyaddr(3) (native/resolver.cc): the only calls that run on the
// libuv threadpool, since the C library may block on DNS.
import { AF_INET, AF_INET6, constantName, HOST_NOT_FOUND, NETDB_INTERNAL, NO_DATA, NO_RECOVERY, TRY_AGAIN } from './constants';
import { AbortError, describeTarget, errnoError, ErrorTarget, SocketError, strerror } from './errors';
import { native, RawHostent } from './native';
import { checkSockaddr, Sockaddr, SockaddrInput } from './sockaddr';
import { checkCName, checkInt, checkWaitOptions, WaitOptions } from './validate';
import * as os from 'node:os';

export interface AddrInfoHints {
  /** AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV, AI_ADDRCONFIG... */
  flags?: number;
  /** AF_INET, AF_INET6 or AF_UNSPEC (the default) for both. */
  family?: number;
  /** SOCK_STREAM, SOCK_DGRAM, or 0 for any. */
  socktype?: number;
  protocol?: number;
}

/** struct addrinfo, one entry of the list. */
export interface AddrInfo {
  flags: number;
  family: number;
  socktype: number;
  protocol: number;
  address: Sockaddr;
  /** Set on the first entry when AI_CANONNAME was asked for. */
  canonname?: string;
}

export interface NameInfo {
  host: string;
  service: string;
}

function gaiError(status: number, errno: number, syscall: string, hostname?: string): SocketError {
  const code = constantName('EAI', status) ?? `EAI_${status}`;
  const system = code === 'EAI_SYSTEM';
  const text = system ? strerror(errno) : native.gai_strerror(status);
  const where = hostname === undefined ? '' : describeTarget({ hostname });
  const err = new SocketError(`${syscall}: ${text} (${code})${where}`, code, system ? errno : status, syscall, {
    hostname,
  });
  err.eai = status;
  return err;
}

/**
 * Rejects early on timeout (ETIMEDOUT) or abort. The C call itself cannot
 * be cancelled: it finishes on its thread and its answer is dropped.
 */
function withDeadline<T>(start: () => Promise<T>, syscall: string, opts: WaitOptions | undefined): Promise<T> {
  const signal = opts?.signal;
  // Aborted already: start nothing (a started lookup's answer would go unheard).
  if (signal?.aborted) return Promise.reject(new AbortError(syscall, signal.reason));
  const work = start();
  const timeout = opts?.timeout;
  // Promise.resolve: the caller gets a promise of its own realm (the native
  // one belongs to the main realm, so instanceof Promise would fail in jest).
  if (signal === undefined && timeout === undefined) return Promise.resolve(work);
  return new Promise<T>((resolve, reject) => {
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => done(() => reject(errnoError(os.constants.errno.ETIMEDOUT, syscall))), timeout);
    const onAbort = () => done(() => reject(new AbortError(syscall, signal!.reason)));
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    function done(f: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        signal?.removeEventListener('abort', onAbort);
      } catch {
        // a duck-typed signal's failure must not lose the lookup's answer
      }
      f();
    }
    work.then(
      (v) => done(() => resolve(v)),
      (e) => done(() => reject(e)),
    );
  });
}

/** getaddrinfo's node or service: null (or undefined) for none, else a C name. */
function checkName(value: unknown, name: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string or null`);
  return checkCName(value, name);
}

/**
 * getaddrinfo(3): the addresses for a host name and/or service, in the
 * order the C library gives them. Rejects with a SocketError whose code is
 * the real EAI_* name (EAI_NONAME for a name that does not resolve).
 */
export function getaddrinfo(
  node: string | null,
  service: string | null,
  hints: AddrInfoHints = {},
  opts?: WaitOptions,
): Promise<AddrInfo[]> {
  const host = checkName(node, 'node');
  const serv = checkName(service, 'service');
  if (typeof hints !== 'object' || hints === null) throw new TypeError('hints must be an object');
  const flags = checkInt(hints.flags ?? 0, 'hints.flags');
  const family = checkInt(hints.family ?? 0, 'hints.family');
  const socktype = checkInt(hints.socktype ?? 0, 'hints.socktype');
  const protocol = checkInt(hints.protocol ?? 0, 'hints.protocol');
  opts = checkWaitOptions(opts);
  const start = () => native.getaddrinfo(host, serv, flags, family, socktype, protocol).then((r) => {
    if (r.status !== 0) throw gaiError(r.status, r.errno, 'getaddrinfo', host ?? serv ?? undefined);
    // Copied so every object belongs to the caller's realm.
    return r.list.map((e) => {
      const info: AddrInfo = {
        flags: e.flags,
        family: e.family,
        socktype: e.socktype,
        protocol: e.protocol,
        address: { ...e.address } as unknown as Sockaddr,
      };
      if (e.canonname !== undefined) info.canonname = e.canonname;
      return info;
    });
  });
  return withDeadline(start, 'getaddrinfo', opts);
}

/** getnameinfo(3): host and service names for an address (NI_* flags). */
export function getnameinfo(addr: SockaddrInput, flags = 0, opts?: WaitOptions): Promise<NameInfo> {
  const sa = checkSockaddr(addr);
  checkInt(flags, 'flags');
  opts = checkWaitOptions(opts);
  const start = () =>
    native.getnameinfo(sa, flags).then((r) => {
      if (r.status !== 0) throw gaiError(r.status, r.errno, 'getnameinfo');
      return { host: r.host!, service: r.service! };
    });
  return withDeadline(start, 'getnameinfo', opts);
}

/** struct hostent: what gethostbyname and gethostbyaddr find. */
export interface Hostent {
  /** The official name (h_name). */
  name: string;
  aliases: string[];
  /** AF_INET or AF_INET6 (h_addrtype). */
  addrtype: number;
  /** h_addr_list, as text ('127.0.0.1', '::1'). */
  addresses: string[];
}

/** gethostbyname's options: the family to ask for, and those of every promise call. */
export interface HostentOptions extends WaitOptions {
  /** AF_INET (the default, as C's gethostbyname) or AF_INET6 (as gethostbyname2(name, AF_INET6)). */
  family?: number;
}

/** The h_errno codes, by value; NO_DATA rather than its alias NO_ADDRESS. */
const H_ERRNO: ReadonlyMap<number, string> = new Map([
  [HOST_NOT_FOUND, 'HOST_NOT_FOUND'],
  [TRY_AGAIN, 'TRY_AGAIN'],
  [NO_RECOVERY, 'NO_RECOVERY'],
  [NO_DATA, 'NO_DATA'],
  [NETDB_INTERNAL, 'NETDB_INTERNAL'],
]);

/**
 * The SocketError for an h_errno code: `code` is its name ('HOST_NOT_FOUND'),
 * `errno` its value (as Python's socket.herror reports it), the message the
 * C library's hstrerror. NETDB_INTERNAL means "see errno": that errno's error.
 */
function hostError(status: number, errno: number, message: string | undefined, syscall: string, target: ErrorTarget): SocketError {
  if (status === NETDB_INTERNAL && errno > 0) return errnoError(errno, syscall, target);
  const code = H_ERRNO.get(status) ?? `H_ERRNO_${status}`;
  return new SocketError(`${syscall}: ${message ?? 'Unknown resolver error'} (${code})${describeTarget(target)}`, code, status, syscall, target);
}

function hostent(r: RawHostent, syscall: string, target: ErrorTarget): Hostent {
  if (r.status !== 0) throw hostError(r.status, r.errno, r.message, syscall, target);
  // Copied so every object belongs to the caller's realm.
  return { name: r.name!, aliases: Array.from(r.aliases!), addrtype: r.addrtype!, addresses: Array.from(r.addresses!) };
}

/**
 * gethostbyname(3) (obsolete: use getaddrinfo): the addresses of one
 * family for a host name, looked up as the C library does (/etc/hosts, then
 * DNS, as nsswitch.conf says). Rejects with a SocketError whose code is the
 * h_errno name: HOST_NOT_FOUND, TRY_AGAIN, NO_RECOVERY or NO_DATA.
 *
 * Linux: gethostbyname2_r (thread safe); macOS: getipnodebyname. On the
 * threadpool like getaddrinfo, with the same signal and timeout options.
 */
export function gethostbyname(name: string, opts?: HostentOptions): Promise<Hostent> {
  const host = checkCName(name, 'name');
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) throw new TypeError('options must be an object');
  const family = checkFamily(opts?.family);
  const wait = checkWaitOptions(opts);
  const start = () => native.gethostbyname(host, family).then((r) => hostent(r, 'gethostbyname', { hostname: host }));
  return withDeadline(start, 'gethostbyname', wait);
}

/**
 * gethostbyaddr(3) (obsolete: use getnameinfo): the name of a numeric IPv4
 * or IPv6 address ('127.0.0.1', '::1'; no scope), with the host's other
 * names and addresses. Rejects as gethostbyname does.
 *
 * Linux: gethostbyaddr_r (thread safe); macOS: getipnodebyaddr.
 */
export function gethostbyaddr(address: string, opts?: WaitOptions): Promise<Hostent> {
  if (typeof address !== 'string') throw new TypeError(`address must be a string, got ${typeof address}`);
  let family: number = AF_INET;
  let bytes = native.inet_pton(AF_INET, address);
  if (typeof bytes === 'number') {
    family = AF_INET6;
    bytes = native.inet_pton(AF_INET6, address);
  }
  if (typeof bytes === 'number') throw new TypeError(`address ${JSON.stringify(address.slice(0, 64))} is not a numeric IPv4 or IPv6 address`);
  const wait = checkWaitOptions(opts);
  const addr = bytes;
  const start = () => native.gethostbyaddr(addr, family).then((r) => hostent(r, 'gethostbyaddr', { address }));
  return withDeadline(start, 'gethostbyaddr', wait);
}

function checkFamily(value: unknown): number {
  if (value === undefined) return AF_INET;
  checkInt(value, 'options.family');
  if (value !== AF_INET && value !== AF_INET6) throw new RangeError(`options.family must be AF_INET or AF_INET6, got ${value}`);
  return value;
}
