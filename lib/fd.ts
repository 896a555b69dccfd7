// Creating and destroying descriptors (native/fd.cc): socket, socketpair,
// close, release, dup, dup2, dup3, and fcntl with its two everyday uses,
// setNonBlocking and isNonBlocking. Every socket is created close-on-exec.
import { forgetBacklog } from './calls';
import { F_GETFL, F_SETFL, O_NONBLOCK } from './constants';
import { check } from './errors';
import { native } from './native';
import { cancelAll, forgetNumber } from './readiness';
import { checkFd, checkInt } from './validate';

/**
 * socket(2). `type` may include SOCK_NONBLOCK (Linux); SOCK_CLOEXEC is
 * always added. The fd is blocking unless you ask otherwise, exactly as in C.
 */
export function socket(domain: number, type: number, protocol = 0): number {
  checkInt(domain, 'domain');
  checkInt(type, 'type');
  checkInt(protocol, 'protocol');
  const fd = check(native.socket(domain, type, protocol), 'socket');
  handedOut(fd);
  return fd;
}

/** socketpair(2): two connected sockets, both close-on-exec. */
export function socketpair(domain: number, type: number, protocol = 0): [number, number] {
  checkInt(domain, 'domain');
  checkInt(type, 'type');
  checkInt(protocol, 'protocol');
  const sv = new Int32Array(2);
  check(native.socketpair(domain, type, protocol, sv), 'socketpair');
  handedOut(sv[0]);
  handedOut(sv[1]);
  return [sv[0], sv[1]];
}

/**
 * A number the kernel has just handed out again (socket, socketpair, dup,
 * accept, an SCM_RIGHTS fd received): what was known of the file it referred
 * to before (waiting calls, the backlog listen() gave it) is not this file's.
 */
export function handedOut(fd: number): void {
  forgetNumber(fd);
  forgetBacklog(fd);
  // The file a Socket object held under this number was closed behind its
  // back: it must not go on to use the new file.
  ownerLost(fd, 'closed');
}

/**
 * The file `fd` refers to is leaving the package (close, release, or
 * replaced by dup2/dup3): its waiting calls are rejected with ECANCELED,
 * its recorded backlog forgotten, and a Socket object that owned it told.
 */
function leaving(fd: number, how: 'closed' | 'released'): void {
  cancelAll(fd);
  forgetBacklog(fd);
  ownerLost(fd, how);
}

/**
 * The owner of a number: a Socket object (lib/socket.ts), told when the
 * file it owns leaves by another way than its own methods (close(s.fd),
 * release(s.fd), dup2 onto it, a hand-off helper) or when the kernel hands
 * its number out again (so it was closed behind the package's back).
 */
export interface Owner {
  lost(how: 'closed' | 'released' | 'taken'): void;
}

// One owner per number, held weakly: a Socket dropped without close() owns nothing.
const owners = new Map<number, WeakRef<Owner>>();

/**
 * Records `owner` as the owner of `fd`. An owner recorded before is told it
 * lost the number ('taken'): one owner at a time, the last one, so no two
 * objects each close the number (the second close could close a file
 * opened since). The last, not the first, because an object dropped
 * without close() cannot be told from one still in use until it is
 * collected: refusing the newcomer would fail or not by the collector's
 * timing.
 */
export function own(fd: number, owner: Owner): void {
  const before = owners.get(fd)?.deref();
  owners.set(fd, new WeakRef(owner));
  if (before !== undefined && before !== owner) before.lost('taken');
}

/** Forgets `owner` as the owner of `fd` (its close() or detach()). */
export function disown(fd: number, owner: Owner): void {
  if (owners.get(fd)?.deref() === owner) owners.delete(fd);
}

function ownerLost(fd: number, how: 'closed' | 'released'): void {
  const owner = owners.get(fd)?.deref();
  owners.delete(fd);
  owner?.lost(how);
}

/**
 * close(2). Calls still waiting on the fd are rejected with ECANCELED first,
 * then its watcher is stopped, then the fd is closed. Never retried on EINTR.
 * A second close of the same number throws EBADF, as in C.
 */
export function close(fd: number): void {
  checkFd(fd);
  leaving(fd, 'closed');
  check(native.close(fd), 'close');
}

/**
 * Stops this package watching and tracking `fd` without closing it: call it
 * before handing the fd to net.Socket, a child process or another library.
 * Calls still waiting on it are rejected with ECANCELED.
 *
 * The ownership contract. The package owns every fd it hands out (socket,
 * socketpair, accept) until you close() or release() it: it watches it
 * while promise calls wait, and when the thread that created it ends (a
 * worker exits or is terminated) it closes it (the main thread's end is the
 * process's: the kernel closes every fd then). Each owned fd is recorded
 * with the file it refers to (fstat's device and inode), and the package
 * acts on a number only while it still refers to that file:
 * - an fd closed by other means (fs.closeSync, a net.Socket, another
 *   library) whose number is reused is never closed at worker exit, and
 *   calls that were waiting on it fail with EBADF instead of reading the
 *   new file's data;
 * - a number the kernel hands out again through this package's own
 *   socket/socketpair/accept forgets whatever waited on the old one (EBADF).
 * - calls waiting on a number that was closed behind the package's back fail
 *   with EBADF: at once when it is armed again, otherwise within about a
 *   second (a sweep checks every fd with waiting calls).
 * What the package cannot see: an fd duplicated into another process (a
 * child's stdio) and then closed here behind its back leaves the old socket
 * alive, and it can report readiness under that number until the sweep
 * notices the number changed. So close an fd through this package, or
 * release() it first and then hand it over; never both use an fd here and
 * let something else close it.
 */
export function release(fd: number): number {
  checkFd(fd);
  leaving(fd, 'released');
  native.release(fd);
  return fd;
}

/**
 * dup(2), made as fcntl(fd, F_DUPFD_CLOEXEC, 0): a second number, the lowest
 * free one, for the same open file description — the same socket, file
 * offset and status flags (O_NONBLOCK set through one shows through the
 * other); only the close-on-exec flag is the new number's own, and it is set.
 * The new fd is the package's like an accepted one (see release()).
 */
export function dup(fd: number): number {
  checkFd(fd);
  const r = check(native.dup(fd), 'dup');
  handedOut(r);
  return r;
}

/**
 * Checks what dup2/dup3 take and, unless the two numbers are equal, rejects
 * the calls waiting on newfd with ECANCELED, as close(newfd) would: the call
 * closes newfd's file, and they must never go on to read the file the number
 * refers to next; the backlog listen() gave newfd's file is forgotten too.
 * This happens before the system call, so even when it then
 * fails (EBADF for a bad oldfd) those calls have been rejected.
 */
function replacing(oldfd: number, newfd: number): void {
  checkInt(oldfd, 'oldfd', 0);
  checkInt(newfd, 'newfd', 0);
  if (oldfd === newfd) return;
  cancelAll(newfd);
  forgetBacklog(newfd);
}

/** After dup2/dup3 replaced newfd's file: a Socket that owned that file has lost it. */
function replaced(oldfd: number, newfd: number, r: number): number {
  if (oldfd !== newfd) ownerLost(newfd, 'closed');
  return r;
}

/**
 * dup2(2): makes `newfd` refer to oldfd's open file description, closing
 * what newfd referred to first (silently, as C does), and returns newfd.
 * As in C the new number is not close-on-exec (dup2's usual use is a
 * child's stdio; use dup3 with O_CLOEXEC on Linux). dup2(fd, fd) does
 * nothing and returns fd (EBADF if fd is not open). Calls waiting on newfd
 * are rejected with ECANCELED, as by close(newfd). newfd 0, 1 or 2 is
 * allowed, as in C, and replaces the process's stdio; the package does not
 * close those numbers when a worker ends.
 */
export function dup2(oldfd: number, newfd: number): number {
  replacing(oldfd, newfd);
  return replaced(oldfd, newfd, check(native.dup2(oldfd, newfd), 'dup2'));
}

function dup3Impl(oldfd: number, newfd: number, flags: number): number {
  checkInt(flags, 'flags');
  replacing(oldfd, newfd);
  return replaced(oldfd, newfd, check(native.dup3!(oldfd, newfd, flags), 'dup3'));
}

/**
 * dup3(2) (Linux): dup2 with `flags` — O_CLOEXEC or 0 — and EINVAL when
 * oldfd equals newfd. undefined where the platform has no dup3 (macOS).
 */
export const dup3: ((oldfd: number, newfd: number, flags: number) => number) | undefined = native.dup3
  ? dup3Impl
  : undefined;

/**
 * fcntl(2) for the int-argument commands: F_GETFD, F_SETFD, F_GETFL,
 * F_SETFL. Returns what C returns (the flags for the GET commands).
 */
export function fcntl(fd: number, cmd: number, arg = 0): number {
  checkFd(fd);
  checkInt(cmd, 'cmd');
  checkInt(arg, 'arg');
  return check(native.fcntl(fd, cmd, arg), 'fcntl');
}

/** Sets or clears O_NONBLOCK (fcntl F_GETFL then F_SETFL if it changes). */
export function setNonBlocking(fd: number, on = true): void {
  const flags = fcntl(fd, F_GETFL);
  const want = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
  if (want !== flags) fcntl(fd, F_SETFL, want);
}

/** True when the fd's O_NONBLOCK flag is set (fcntl F_GETFL). */
export function isNonBlocking(fd: number): boolean {
  return (fcntl(fd, F_GETFL) & O_NONBLOCK) !== 0;
}

/**
 * Runs `call` (one native call returning a value or -errno) with O_NONBLOCK
 * set on `fd`, for the calls that have no per-call MSG_DONTWAIT (accept,
 * connect). A blocking fd is switched for that one call and switched back,
 * so its flags stay what the user chose. Returns the call's result, or the
 * -errno of a failing fcntl.
 */
export function nonBlockingCall(fd: number, call: () => number): number {
  const flags = native.fcntl(fd, F_GETFL);
  if (flags < 0 || flags & O_NONBLOCK) return flags < 0 ? flags : call();
  const set = native.fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  if (set < 0) return set;
  try {
    return call();
  } finally {
    native.fcntl(fd, F_SETFL, flags);
  }
}
