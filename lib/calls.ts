// The calls that neither create descriptors nor move data (native/calls.cc):
// bind, listen, shutdown, getsockname, getpeername, setsockopt, getsockopt,
// ioctl (integer-result requests) and sockatmark.
// None of them blocks. connect lives in connect.ts.
import { FIONREAD, FIONSPACE, FIONWRITE, SIOCINQ, SIOCOUTQ, SIOCOUTQNSD } from './constants';
import { check } from './errors';
import { native } from './native';
import { checkSockaddr, Sockaddr, SockaddrInput, targetOf } from './sockaddr';
import { checkSockopt, setTarget } from './sockopt';
import type { GetSockopt, SetSockopt } from './sockopt';
import { checkFd, checkInt, checkLength } from './validate';

/** bind(2). Port 0 asks the kernel for an ephemeral port (see getsockname). */
export function bind(fd: number, addr: SockaddrInput): void {
  checkFd(fd);
  const r = native.bind(fd, checkSockaddr(addr));
  if (r < 0) check(r, 'bind', targetOf(addr));
}

/** listen(2). The kernel caps backlog at net.core.somaxconn (SOMAXCONN). */
export function listen(fd: number, backlog: number): void {
  checkFd(fd);
  checkInt(backlog, 'backlog');
  check(native.listen(fd, backlog), 'listen');
  backlogs.set(fd, backlog);
}

// The backlog listen() last gave each fd, for toNetServer where the kernel
// cannot be asked (AF_UNIX, macOS). close() and release() forget it.
const backlogs = new Map<number, number>();

/** What listen() last gave `fd`, if this package made it listen. */
export function listenBacklog(fd: number): number | undefined {
  return backlogs.get(fd);
}

export function forgetBacklog(fd: number): void {
  backlogs.delete(fd);
}

/** shutdown(2) with SHUT_RD, SHUT_WR or SHUT_RDWR. */
export function shutdown(fd: number, how: number): void {
  checkFd(fd);
  checkInt(how, 'how');
  check(native.shutdown(fd, how), 'shutdown');
}

/** getsockname(2): the address the socket is bound to. */
export function getsockname(fd: number): Sockaddr {
  checkFd(fd);
  const out = {} as Sockaddr;
  check(native.getsockname(fd, out), 'getsockname');
  return out;
}

/** getpeername(2): the address of the connected peer (ENOTCONN if none). */
export function getpeername(fd: number): Sockaddr {
  checkFd(fd);
  const out = {} as Sockaddr;
  check(native.getpeername(fd, out), 'getpeername');
  return out;
}

/**
 * setsockopt(2), typed: `setsockopt(fd, sockopt.SO_LINGER, { onoff: true,
 * linger: 0 })`. The descriptor gives the level and name and encodes the
 * value (TypeError/RangeError for a wrong shape, before any system call).
 */
export function setsockopt<S>(fd: number, opt: SetSockopt<S>, value: S): void;
/**
 * setsockopt(2), as C: a number or boolean is passed as a C int (true = 1);
 * a Buffer is passed as it is, for struct-valued options.
 */
export function setsockopt(fd: number, level: number, name: number, value: number | boolean | ArrayBufferView): void;
export function setsockopt(fd: number, level: number | SetSockopt<unknown>, name: unknown, value?: unknown): void {
  checkFd(fd);
  if (typeof level === 'object') {
    const opt = checkSockopt(level, 'set');
    const bytes = opt.encode!(name);
    const target = setTarget(opt, bytes);
    const r = target.program ? native.setsockoptFprog!(fd, target.level, opt.name, bytes) : native.setsockopt(fd, target.level, opt.name, bytes);
    check(r, 'setsockopt');
    return;
  }
  checkInt(level, 'level');
  checkInt(name, 'name');
  let bytes: ArrayBufferView;
  if (typeof value === 'boolean') bytes = Int32Array.of(value ? 1 : 0);
  else if (typeof value === 'number') bytes = Int32Array.of(checkInt(value, 'value'));
  else if (ArrayBuffer.isView(value)) bytes = value;
  else throw new TypeError('value must be a number, a boolean or a Buffer');
  check(native.setsockopt(fd, level, name as number, bytes), 'setsockopt');
}

/**
 * getsockopt(2), typed: `getsockopt(fd, sockopt.TCP_INFO).state`. The
 * descriptor gives the level, name and buffer size, and decodes the bytes
 * the kernel wrote.
 */
export function getsockopt<G>(fd: number, opt: GetSockopt<G>): G;
/**
 * getsockopt(2), as C. Without `length`: an int-valued option, as a number.
 * With `length`: the raw option bytes (at most `length` of them, as many as
 * the kernel wrote).
 */
export function getsockopt(fd: number, level: number, name: number): number;
export function getsockopt(fd: number, level: number, name: number, length: number): Buffer;
export function getsockopt(fd: number, level: number | GetSockopt<unknown>, name?: number, length?: number): unknown {
  checkFd(fd);
  if (typeof level === 'object') {
    const opt = checkSockopt(level, 'get');
    const buf = Buffer.alloc(opt.size!);
    const len = check(native.getsockopt(fd, opt.level, opt.name, buf), 'getsockopt');
    return opt.decode!(buf.subarray(0, len));
  }
  checkInt(level, 'level');
  checkInt(name, 'name');
  if (length === undefined) {
    const value = new Int32Array(1);
    const len = check(native.getsockopt(fd, level, name!, value), 'getsockopt');
    // A few options are a single byte on some platforms (IP_MULTICAST_TTL).
    return len === 1 ? new Uint8Array(value.buffer)[0] : value[0];
  }
  checkLength(length);
  const buf = Buffer.alloc(length);
  const len = check(native.getsockopt(fd, level, name!, buf), 'getsockopt');
  return buf.subarray(0, len);
}

/** The requests ioctl() passes on: those whose argument is one int the kernel fills, where the platform has them. */
const INT_REQUESTS = new Set(
  [FIONREAD, SIOCINQ, SIOCOUTQ, SIOCOUTQNSD, FIONWRITE, FIONSPACE].filter((r): r is number => r !== undefined),
);

/**
 * ioctl(2) for the requests that answer one integer, and only those (any
 * other request is a RangeError: a request that takes a pointer of the
 * caller's choosing is never passed on):
 * - FIONREAD (SIOCINQ on Linux, the same number): bytes waiting to be read —
 *   on a UDP socket on Linux, the size of the next datagram;
 * - SIOCOUTQ (Linux): bytes in the send queue not yet sent, or on TCP not
 *   yet acknowledged by the peer; SIOCOUTQNSD (Linux, TCP): not yet sent;
 * - FIONWRITE, FIONSPACE (macOS): bytes in the send buffer, and free space
 *   in it.
 * Returns the number the kernel wrote.
 */
export function ioctl(fd: number, request: number): number {
  checkFd(fd);
  checkInt(request, 'request', 0, 0xffffffff);
  if (!INT_REQUESTS.has(request)) {
    throw new RangeError(`ioctl request ${request} is not supported: only FIONREAD, SIOCINQ, SIOCOUTQ, SIOCOUTQNSD, FIONWRITE and FIONSPACE are (where defined)`);
  }
  return check(native.ioctl(fd, request), 'ioctl');
}

/**
 * sockatmark(3): true when the next byte to read on a TCP socket is the
 * one right after the urgent (MSG_OOB) byte's mark — a read never crosses
 * the mark, so read until this is true to reach it. False elsewhere,
 * including when no urgent data was sent. EBADF; on Linux ENOTTY for a
 * socket whose protocol has no urgent data (UDP; unix stream sockets, which
 * have MSG_OOB there, answer). macOS answers false for every socket.
 */
export function sockatmark(fd: number): boolean {
  checkFd(fd);
  return check(native.sockatmark(fd), 'sockatmark') === 1;
}
