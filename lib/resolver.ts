// getaddrinfo(3) and getnameinfo(3) (native/resolver.cc): the only calls
// that run on the libuv threadpool, since the C library may block on DNS.
import { constantName } from './constants';
import { AbortError, describeTarget, errnoError, SocketError, strerror } from './errors';
import { native } from './native';
import { checkSockaddr, Sockaddr, SockaddrInput } from './sockaddr';
import { checkInt, checkWaitOptions, WaitOptions } from './validate';
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

function checkName(value: unknown, name: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string or null`);
  if (value.includes('\0')) throw new TypeError(`${name} contains a NUL byte`);
  return value;
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
