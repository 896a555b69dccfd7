// connect(2), as a promise (non-blocking connect, wait for writability, read
// SO_ERROR, as libuv's uv__stream_connect does) and as connectSync, the plain
// blocking call (native/calls.cc).
import * as os from 'node:os';
import { POLLOUT, SO_ERROR, SOL_SOCKET } from './constants';
import { AbortError, check, errnoError } from './errors';
import { nonBlockingCall } from './fd';
import { native } from './native';
import { AGAIN, CONNECT, op, whenReady } from './readiness';
import { checkSockaddr, SockaddrInput, targetOf } from './sockaddr';
import { checkFd, checkWaitOptions, WaitOptions } from './validate';

const { EINPROGRESS, EINTR } = os.constants.errno;

const soError = new Int32Array(1);

/**
 * The pending error of a socket whose non-blocking connect was reported
 * ready: undefined when connected, AGAIN while still in progress (as libuv's
 * uv__stream_connect reads it), else the connect's own error.
 */
function connectResult(fd: number, addr: SockaddrInput): undefined | typeof AGAIN {
  check(native.getsockopt(fd, SOL_SOCKET, SO_ERROR, soError), 'getsockopt');
  const err = soError[0];
  if (err === 0) return undefined;
  if (err === EINPROGRESS) return AGAIN;
  throw errnoError(err, 'connect', targetOf(addr));
}

/**
 * connect(2) without blocking the event loop. The fd is made non-blocking
 * for the one connect() call (and restored); on EINPROGRESS the promise
 * waits for the fd to be writable and then reads SO_ERROR: 0 resolves,
 * anything else (ECONNREFUSED, ETIMEDOUT...) rejects with that errno. On
 * timeout or abort the kernel's connection attempt carries on: close the fd.
 * A unix socket whose listener's backlog is full answers EAGAIN at once.
 */
export function connect(fd: number, addr: SockaddrInput, opts?: WaitOptions): Promise<void> {
  checkFd(fd);
  const sa = checkSockaddr(addr);
  opts = checkWaitOptions(opts);
  const signal = opts?.signal;
  if (signal?.aborted) return Promise.reject(new AbortError('connect', signal.reason));
  const r = nonBlockingCall(fd, () => native.connect(fd, sa));
  if (r === 0) return Promise.resolve();
  if (r !== -EINPROGRESS && r !== -EINTR) return Promise.reject(errnoError(-r, 'connect', targetOf(addr)));
  // On loopback the handshake has usually finished by the time connect()
  // returns EINPROGRESS: look once (poll, timeout 0) before setting up a
  // watcher, which costs more system calls than the whole connect.
  if (writableNow(fd)) {
    try {
      if (connectResult(fd, addr) === undefined) return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  return whenReady(fd, CONNECT, 'connect', op(() => connectResult(fd, addr)), opts, false);
}

const pollfd = new Int32Array(2);
const pollfdHalves = new Int16Array(pollfd.buffer);

/** poll(2) with timeout 0: has the connect finished (POLLOUT, or POLLERR/POLLHUP)? */
function writableNow(fd: number): boolean {
  pollfd[0] = fd;
  pollfdHalves[2] = POLLOUT;
  pollfdHalves[3] = 0;
  return native.poll(pollfd, 1, 0) === 1;
}

/**
 * connect(2) as C calls it: on a blocking fd, blocks until the handshake
 * ends; on a non-blocking one throws EINPROGRESS (then poll for POLLOUT and
 * read SO_ERROR, as in C). If a signal interrupts a blocking connect the
 * connection carries on in the kernel, so native code waits for it with
 * poll(2) rather than surfacing EINTR (PEP 475 does the same), for no longer
 * than what is left of SO_SNDTIMEO when one is set (then EINPROGRESS, the
 * kernel's own answer when that timer runs out).
 */
export function connectSync(fd: number, addr: SockaddrInput): void {
  checkFd(fd);
  const sa = checkSockaddr(addr);
  const r = native.connect(fd, sa);
  // The address is decoded for the error only (it may be encoded bytes).
  if (r < 0) check(r, 'connect', targetOf(addr));
}
