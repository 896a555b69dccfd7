// accept(2), as a promise that waits for a connection without blocking the
// event loop, and as acceptSync, the plain blocking call (native/fd.cc).
import { errnoError, check } from './errors';
import { handedOut, nonBlockingCall } from './fd';
import { native } from './native';
import { AGAIN, isAgain, op, READ, whenReady } from './readiness';
import { Sockaddr } from './sockaddr';
import { checkFd, checkInt, checkWaitOptions, WaitOptions } from './validate';

export interface AcceptResult {
  /** The new connected socket: close-on-exec, blocking unless flags has SOCK_NONBLOCK. */
  fd: number;
  /** The peer's address. */
  address: Sockaddr;
}

export interface AcceptOptions extends WaitOptions {
  /** accept4(2) flags for the new fd: SOCK_NONBLOCK (Linux). */
  flags?: number;
}

/**
 * accept(2) without blocking the event loop: tries at once, and if no
 * connection is queued (EAGAIN) waits for the listening fd to be readable,
 * in FIFO order with other pending accepts on it. On a blocking listening
 * fd each try sets O_NONBLOCK for that one call and restores it (a
 * readiness-then-accept race must never block the loop); create the
 * listener with SOCK_NONBLOCK to save those two fcntl calls.
 */
export function accept(fd: number, opts?: AcceptOptions): Promise<AcceptResult> {
  checkFd(fd);
  // flags is read once, before the wait options' snapshot (which has only signal, timeout and ref).
  const flagsOption = opts?.flags;
  const wait = checkWaitOptions(opts);
  const flags = flagsOption === undefined ? 0 : checkInt(flagsOption, 'options.flags');
  return whenReady(
    fd,
    READ,
    'accept',
    op(() => {
      const address = {} as Sockaddr;
      const r = nonBlockingCall(fd, () => native.accept(fd, flags, address));
      if (r >= 0) {
        handedOut(r);
        return { fd: r, address };
      }
      if (isAgain(r)) return AGAIN;
      throw errnoError(-r, 'accept');
    }),
    wait,
  );
}

/**
 * accept4(2) as C calls it: blocks the thread until a connection arrives on
 * a blocking fd; throws EAGAIN at once on a non-blocking one.
 */
export function acceptSync(fd: number, flags = 0): AcceptResult {
  checkFd(fd);
  checkInt(flags, 'flags');
  const address = {} as Sockaddr;
  const newFd = check(native.accept(fd, flags, address), 'accept');
  handedOut(newFd);
  return { fd: newFd, address };
}
