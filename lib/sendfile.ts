// sendfile(2) (native/sendfile.cc): a file's bytes to a socket inside the
// kernel, as a promise that waits for the socket to be writable and as
// sendfileSync, the plain call. Linux's argument order on every platform.
import { check, errnoError } from './errors';
import { nonBlockingCall } from './fd';
import { native } from './native';
import { AGAIN, isAgain, op, WRITE, whenReady } from './readiness';
import { checkInt, checkWaitOptions, WaitOptions } from './validate';

/** Checks sendfile's arguments before any system call. */
function checkArgs(outFd: unknown, inFd: unknown, offset: unknown, count: unknown): void {
  checkInt(outFd, 'outFd', 0);
  checkInt(inFd, 'inFd', 0);
  if (offset !== null) {
    if (typeof offset !== 'number') throw new TypeError(`offset must be a number or null, got ${typeof offset}`);
    // Any integer C's off_t holds that JavaScript holds exactly: a negative one is the kernel's EINVAL.
    if (!Number.isSafeInteger(offset)) throw new RangeError(`offset must be a safe integer or null, got ${offset}`);
  }
  if (typeof count !== 'number') throw new TypeError(`count must be a number, got ${typeof count}`);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`count must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${count}`);
  }
}

/**
 * sendfile(2): sends up to `count` bytes of the file `inFd` to the socket
 * `outFd` without copying them through this process, and resolves with the
 * number sent — possibly fewer than `count`, as in C: the end of the file,
 * or a send buffer with room for only part (call again for the rest).
 *
 * `offset` a number: the bytes are read from there and the file's position
 * is left alone (the next offset is offset + the result). `offset` null:
 * they are read from the file's position, which advances by the bytes sent.
 *
 * Waits like send() when the socket's send buffer is full; on a blocking
 * socket each try sets O_NONBLOCK for that one call and restores it (as
 * write()). On Linux `inFd` must be a file that can be mapped (a regular
 * file); on macOS a regular file, and `outFd` a stream socket (there the
 * call is mapped onto macOS's own sendfile; see native/sendfile.cc).
 */
export function sendfile(
  outFd: number,
  inFd: number,
  offset: number | null,
  count: number,
  opts?: WaitOptions,
): Promise<number> {
  checkArgs(outFd, inFd, offset, count);
  opts = checkWaitOptions(opts);
  const call = op(() => {
    const n = nonBlockingCall(outFd, () => native.sendfile(outFd, inFd, offset, count));
    if (n >= 0) return n;
    if (isAgain(n)) return AGAIN;
    throw errnoError(-n, 'sendfile');
  });
  return whenReady(outFd, WRITE, 'sendfile', call, opts);
}

/** sendfile(2), blocking as in C (EAGAIN at once on a non-blocking socket whose buffer is full). */
export function sendfileSync(outFd: number, inFd: number, offset: number | null, count: number): number {
  checkArgs(outFd, inFd, offset, count);
  return check(native.sendfile(outFd, inFd, offset, count), 'sendfile');
}
