// poll(2) (native/poll.cc): wait until one of several fds is ready, or the
// timeout passes. It blocks the calling thread like the C call — it is the
// tool for teaching readiness and for select()-style servers; the promise
// calls never need it.
import { check } from './errors';
import { native } from './native';
import { checkInt } from './validate';

/** struct pollfd. poll() sets `revents`. */
export interface PollFd {
  /** A negative fd is ignored (its revents set to 0), as in C. */
  fd: number;
  /** POLLIN, POLLOUT, ... */
  events: number;
  /** What happened: set by poll(); POLLERR, POLLHUP and POLLNVAL may appear unasked. */
  revents?: number;
}

/**
 * poll(2): blocks up to `timeoutMs` (-1 forever, 0 to just look) and
 * returns how many fds have events, writing each one's `revents`. A signal
 * does not end the wait early (EINTR is retried with the time left).
 */
export function poll(fds: PollFd[], timeoutMs: number): number {
  if (!Array.isArray(fds)) throw new TypeError('fds must be an array of { fd, events }');
  checkInt(timeoutMs, 'timeoutMs', -1);
  // struct pollfd is { int fd; short events; short revents; } on Linux and macOS.
  const words = new Int32Array(fds.length * 2);
  const halves = new Uint16Array(words.buffer);
  fds.forEach((p, i) => {
    if (typeof p !== 'object' || p === null) throw new TypeError(`fds[${i}] must be { fd, events }`);
    words[i * 2] = checkInt(p.fd, `fds[${i}].fd`);
    halves[i * 4 + 2] = checkInt(p.events, `fds[${i}].events`, 0, 0xffff);
  });
  const n = check(native.poll(words, fds.length, timeoutMs), 'poll');
  fds.forEach((p, i) => {
    p.revents = halves[i * 4 + 3];
  });
  return n;
}
