// How a promise call waits without blocking the event loop or using the
// threadpool. The call is tried first (non-blocking: MSG_DONTWAIT, or the fd
// made non-blocking for that one call); only if the kernel answers EAGAIN is
// it queued here, FIFO per fd and direction, and retried each time
// native/watcher.cc reports the fd ready. One uv_poll_t per fd stays armed
// while anything waits on it.
import * as os from 'node:os';
import { AbortError, errnoError } from './errors';
import { native } from './native';
import { WaitOptions } from './validate';

/** What an attempt returns when its call answered EAGAIN: keep waiting. */
export const AGAIN: unique symbol = Symbol('AGAIN');

/**
 * One try of the call: its result, AGAIN, or a thrown SocketError (which
 * rejects the call's promise).
 */
export type Attempt<T> = () => T | typeof AGAIN;

export const READ = native.READABLE;
export const WRITE = native.WRITABLE;
const ERROR = native.ERROR;
const { EAGAIN, ECANCELED, ETIMEDOUT } = os.constants.errno;

/** True when a native result means "not ready yet". */
export function isAgain(r: number): boolean {
  // EWOULDBLOCK is EAGAIN on Linux and macOS.
  return r === -EAGAIN;
}

interface Waiter {
  fd: number;
  attempt: Attempt<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
  syscall: string;
  queue: Waiter[];
  timer?: NodeJS.Timeout;
  signal?: AbortSignal;
  onAbort?: () => void;
}

class FdQueues {
  readers: Waiter[] = [];
  writers: Waiter[] = [];
  /** The events native/watcher.cc was last asked for. */
  events = 0;
}

const table = new Map<number, FdQueues>();

/** What trace.ts is told about calls that wait (nothing while tracing is off). */
export interface WaitObserver {
  waiting(syscall: string, fd: number, direction: number): void;
  /** `outcome` is 'done', or the code it failed with (ETIMEDOUT, ABORT_ERR, ECANCELED, ...). */
  settled(syscall: string, fd: number, outcome: string): void;
}

let observer: WaitObserver | undefined;

export function observeWaits(o: WaitObserver | undefined): void {
  observer = o;
}

/**
 * Runs `attempt` now unless others are already waiting on `fd` in the same
 * direction (or `tryFirst` is false), and otherwise, or when it answers
 * AGAIN, queues it until the fd is ready.
 */
export function whenReady<T>(
  fd: number,
  direction: number,
  syscall: string,
  attempt: Attempt<T>,
  opts?: WaitOptions,
  tryFirst = true,
): Promise<T> {
  const signal = opts?.signal;
  if (signal?.aborted) return Promise.reject(new AbortError(syscall, signal.reason));
  let q = table.get(fd);
  if (tryFirst && (q === undefined || (direction === READ ? q.readers : q.writers).length === 0)) {
    let r: T | typeof AGAIN;
    try {
      r = attempt();
    } catch (e) {
      return Promise.reject(e);
    }
    if (r !== AGAIN) return Promise.resolve(r);
  }
  if (q === undefined) table.set(fd, (q = new FdQueues()));
  const queues = q;
  return new Promise<T>((resolve, reject) => {
    const queue = direction === READ ? queues.readers : queues.writers;
    const w: Waiter = { fd, attempt, resolve: resolve as (v: unknown) => void, reject, syscall, queue };
    queue.push(w);
    observer?.waiting(syscall, fd, direction);
    if (opts?.timeout !== undefined) {
      w.timer = setTimeout(() => remove(fd, w, errnoError(ETIMEDOUT, syscall)), opts.timeout);
    }
    if (signal) {
      w.signal = signal;
      w.onAbort = () => remove(fd, w, new AbortError(syscall, signal.reason));
      signal.addEventListener('abort', w.onAbort, { once: true });
    }
    updateInterest(fd, queues);
  });
}

/** Clears the waiter's timer and abort listener; `error` is why it failed, if it did. */
function settle(w: Waiter, error?: unknown): void {
  if (w.timer !== undefined) clearTimeout(w.timer);
  if (w.onAbort !== undefined) w.signal!.removeEventListener('abort', w.onAbort);
  observer?.settled(w.syscall, w.fd, error === undefined ? 'done' : String((error as { code?: unknown }).code));
}

/** Takes a waiter out (timeout, abort) and rejects it. */
function remove(fd: number, w: Waiter, reason: Error): void {
  const i = w.queue.indexOf(w);
  if (i === -1) return;
  w.queue.splice(i, 1);
  settle(w, reason);
  w.reject(reason);
  const q = table.get(fd);
  if (q !== undefined) updateInterest(fd, q);
}

function updateInterest(fd: number, q: FdQueues): void {
  const events = (q.readers.length > 0 ? READ : 0) | (q.writers.length > 0 ? WRITE : 0);
  if (events === q.events) return;
  const r = native.watch(fd, events, onReady);
  if (r < 0) {
    // Nothing would ever wake these waiters (EEXIST: the loop already polls
    // this fd for a net.Socket): fail them with the reason.
    for (const w of [...q.readers, ...q.writers]) {
      const err = errnoError(-r, w.syscall);
      settle(w, err);
      w.reject(err);
    }
    q.readers.length = 0;
    q.writers.length = 0;
    return;
  }
  q.events = events;
}

/** Retries the waiters at the head of `queue` until one must wait again. */
function drain(queue: Waiter[]): void {
  while (queue.length > 0) {
    const w = queue[0];
    let r: unknown;
    try {
      r = w.attempt();
    } catch (e) {
      queue.shift();
      settle(w, e);
      w.reject(e);
      continue;
    }
    if (r === AGAIN) return;
    queue.shift();
    settle(w);
    w.resolve(r);
  }
}

// Called by native/watcher.cc when `fd` is ready. Interest changes made
// while this (and the microtasks it causes) runs are applied afterwards.
function onReady(fd: number, events: number): void {
  const q = table.get(fd);
  if (q === undefined) {
    native.watch(fd, 0, onReady);
    return;
  }
  // On POLLERR libuv has stopped the poll handle: re-arm for whoever is left.
  if (events & ERROR) q.events = 0;
  if (events & READ) drain(q.readers);
  if (events & WRITE) drain(q.writers);
  updateInterest(fd, q);
}

/** Number of calls waiting on `fd` (both directions). */
export function pendingCount(fd: number): number {
  const q = table.get(fd);
  return q === undefined ? 0 : q.readers.length + q.writers.length;
}

/**
 * Rejects every call waiting on `fd` with ECANCELED and forgets the fd:
 * close() and release() call this before the number is given up, so a
 * reused number never wakes another socket's waiters.
 */
export function cancelAll(fd: number): void {
  const q = table.get(fd);
  if (q === undefined) return;
  table.delete(fd);
  for (const w of [...q.readers, ...q.writers]) {
    const err = errnoError(ECANCELED, w.syscall);
    settle(w, err);
    w.reject(err);
  }
}
