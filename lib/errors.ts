// Errors are built here, in TypeScript, from what native code returns
// ({errno, syscall}), never in C++: so `instanceof SocketError` holds in the
// caller's realm, and no Error is built for an EAGAIN that is only retried.
import * as os from 'node:os';
import * as util from 'node:util';
import { native } from './native';

const BRAND = Symbol.for('posix-sockets.SocketError');
const ABORT_BRAND = Symbol.for('posix-sockets.AbortError');

/** Where a failed call was pointed, when it was pointed somewhere. */
export interface ErrorTarget {
  address?: string;
  port?: number;
  path?: string | Buffer;
  hostname?: string;
}

/**
 * A system call or resolver failure, shaped like Node's own system errors:
 *
 *     connect: Connection refused (ECONNREFUSED) 127.0.0.1:5
 *
 * - `code`: 'ECONNREFUSED', or for the resolver 'EAI_NONAME'
 * - `errno`: the positive C errno (equal to os.constants.errno[code]); for a
 *   resolver failure the EAI_* value as the platform defines it (negative on
 *   Linux, as Python's socket.gaierror reports), or, for EAI_SYSTEM, the errno
 * - `syscall`: the call that failed ('connect', 'getaddrinfo')
 * - `address`/`port`/`path`/`hostname`: what the call was pointed at, if anything
 * - `eai`: the EAI_* value, on resolver failures only
 */
export class SocketError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly syscall: string;
  // declare: set only when the call had one, so they do not print as undefined.
  declare address?: string;
  declare port?: number;
  declare path?: string | Buffer;
  declare hostname?: string;
  declare eai?: number;

  constructor(message: string, code: string, errno: number, syscall: string, target?: ErrorTarget) {
    super(message);
    this.code = code;
    this.errno = errno;
    this.syscall = syscall;
    if (target) {
      if (target.address !== undefined) this.address = target.address;
      if (target.port !== undefined) this.port = target.port;
      if (target.path !== undefined) this.path = target.path;
      if (target.hostname !== undefined) this.hostname = target.hostname;
    }
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for a SocketError from any copy of this package, in any realm. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** Rejection of a call cancelled through its AbortSignal (like Node's own AbortError). */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(syscall: string, cause?: unknown) {
    super(`${syscall}: The operation was aborted`, cause === undefined ? undefined : { cause });
    Object.defineProperty(this, ABORT_BRAND, { value: true });
  }

  /** True for an AbortError from any copy of this package, in any realm. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ABORT_BRAND] === true;
  }
}

// On the prototypes, so the stack and util.inspect print the right name.
Object.defineProperty(SocketError.prototype, 'name', { value: 'SocketError', configurable: true, writable: true });
Object.defineProperty(AbortError.prototype, 'name', { value: 'AbortError', configurable: true, writable: true });

// errno number -> name, from Node's table. The first name wins but for these
// aliases, where the socket man pages use the other spelling.
const PREFERRED = ['EAGAIN', 'EOPNOTSUPP', 'EDEADLK'];
const errnoNames = new Map<number, string>();
for (const [name, value] of Object.entries(os.constants.errno)) {
  if (!errnoNames.has(value)) errnoNames.set(value, name);
}
for (const name of PREFERRED) {
  const value = (os.constants.errno as Record<string, number | undefined>)[name];
  if (value !== undefined) errnoNames.set(value, name);
}

/** 'ECONNREFUSED' for 111 on Linux; `E<n>` when neither Node nor libuv knows it. */
export function errnoName(errno: number): string {
  const known = errnoNames.get(errno);
  if (known !== undefined) return known;
  try {
    return util.getSystemErrorName(-errno);
  } catch {
    return `E${errno}`;
  }
}

const messages = new Map<number, string>();

/** The C library's message for an errno, as perror prints it. */
export function strerror(errno: number): string {
  let m = messages.get(errno);
  if (m === undefined) {
    m = native.strerror(errno);
    messages.set(errno, m);
  }
  return m;
}

/** "127.0.0.1:5", "[::1]:5" or a unix path, for the end of a message. */
export function describeTarget(t: ErrorTarget | undefined): string {
  if (!t) return '';
  if (t.path !== undefined) {
    const p = typeof t.path === 'string' ? t.path : t.path.toString('hex');
    return ' ' + (p.startsWith('\0') ? '@' + p.slice(1) : p);
  }
  if (t.hostname !== undefined) return ' ' + t.hostname;
  if (t.address === undefined) return '';
  const host = t.address.includes(':') ? `[${t.address}]` : t.address;
  return ' ' + (t.port === undefined ? host : `${host}:${t.port}`);
}

/** The SocketError for `errno` (positive) from `syscall`. */
export function errnoError(errno: number, syscall: string, target?: ErrorTarget): SocketError {
  const code = errnoName(errno);
  const message = `${syscall}: ${strerror(errno)} (${code})${describeTarget(target)}`;
  return new SocketError(message, code, errno, syscall, target);
}

/**
 * A native result as a value: returns `r` when >= 0, throws the SocketError
 * for -r otherwise.
 */
export function check(r: number, syscall: string, target?: ErrorTarget): number {
  if (r < 0) throw errnoError(-r, syscall, target);
  return r;
}
