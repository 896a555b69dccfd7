// The one waiting engine: how every promise call waits without blocking the
// event loop or using the threadpool (CPython's sock_call_ex, in the shape
// of libuv's uv__io_t). A call is an Attempt: one non-blocking native call
// that returns its result, AGAIN (the kernel said EAGAIN), or throws a
// SocketError. whenReady() tries it once, and on AGAIN queues it until
// native/watcher.cc reports the fd ready, then tries again.
//
// - Each fd has one FIFO queue per kind of wait (READ, WRITE, CONNECT,
//   URGENT, ERRQUEUE), so one kind's EAGAIN never holds up another: an
//   error-queue read waits for POLLERR while plain reads are served.
// - A pending connect is tried before anything else on every wake-up, so
//   it sees its own error (SO_ERROR) before a read on the same fd consumes it.
// - Waiters are in doubly linked lists: a timeout or abort removes one in
//   O(1), and many calls sharing one AbortSignal add one listener in all.
// - A wake-up that settles nothing while waiters tried (a level-triggered
//   condition no call consumes, such as an ICMP error queued under a plain
//   recv) twice in a row stops the poll for 1, 2, 4 ... 100 ms instead of
//   re-arming at once: no spinning.
// - A number's queues are forgotten whenever the package hands that number
//   out again (socket/socketpair/accept) or native code finds it now refers
//   to another file (its waiters fail with EBADF).
// - Nothing a caller hands in (a signal, a trace sink) can throw from here
//   into native code.
// - A call made with { ref: false } does not keep the process alive: an fd
//   whose waiters are all unref'd is watched with UNREF (native/watcher.cc
//   then leaves the loop's handle unref'd for it), and their timeout timers
//   and the fd's back-off timer are unref'd too.
import * as os from 'node:os';
import { AbortError, errnoError } from './errors';
import { binding, native } from './native';
import { WaitOptions } from './validate';

/**
 * What an attempt returns when its call answered EAGAIN: keep waiting.
 * Registered (Symbol.for), like everything below that copies of this module
 * share: see `shared`.
 */
export const AGAIN: unique symbol = Symbol.for('posix-sockets.AGAIN') as never;

/**
 * A call the engine can try: attempt() makes one non-blocking native call
 * and returns its result, AGAIN, or throws a SocketError (which rejects the
 * call's promise). An object rather than a closure, so a hot call allocates
 * one small object per call (see lib/io.ts).
 */
export interface Op<T> {
  attempt(): T | typeof AGAIN;
}

/** An Op from a function, for the calls that are not hot (accept, connect). */
export function op<T>(attempt: () => T | typeof AGAIN): Op<T> {
  return { attempt };
}

/** recv, recvfrom, accept: the fd is readable (POLLIN). */
export const READ = 0;
/** send, sendto: the fd is writable (POLLOUT). */
export const WRITE = 1;
/** A non-blocking connect finishing: writable or an error. Served first. */
export const CONNECT = 2;
/** MSG_OOB reads: urgent data (POLLPRI). */
export const URGENT = 3;
/** MSG_ERRQUEUE reads (Linux): the socket's error queue (POLLERR). */
export const ERRQUEUE = 4;
const KINDS = 5;
export type WaitKind = typeof READ | typeof WRITE | typeof CONNECT | typeof URGENT | typeof ERRQUEUE;

const R = native.READABLE;
const W = native.WRITABLE;
const P = native.PRIORITY;
const ERROR = native.ERROR;
const FAILED = native.FAILED;
const UNREF = native.UNREF;
// An error-queue read needs the fd registered to hear POLLERR, which epoll
// reports whatever else is asked; POLLPRI is the interest that is otherwise
// quiet on the sockets that have an error queue.
const EVENTS: readonly number[] = [R, W, W, P, P];

const { EAGAIN, EBADF, ECANCELED, ESTALE, ETIMEDOUT } = os.constants.errno;

/** True when a native result means "not ready yet". */
export function isAgain(r: number): boolean {
  // EWOULDBLOCK is EAGAIN on Linux and macOS.
  return r === -EAGAIN;
}

interface Waiter {
  st: FdState;
  kind: WaitKind;
  op: Op<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
  syscall: string;
  prev: Waiter | undefined;
  next: Waiter | undefined;
  queued: boolean;
  /** True while its attempt runs: a timeout or abort then waits for the attempt's outcome. */
  running: boolean;
  /** Why it was cancelled during its attempt (applied if the attempt answers AGAIN). */
  cancelled: Error | undefined;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  /** false: made with { ref: false }; it does not keep the process alive. */
  ref: boolean;
}

class FdState {
  readonly head: (Waiter | undefined)[] = new Array(KINDS).fill(undefined);
  readonly tail: (Waiter | undefined)[] = new Array(KINDS).fill(undefined);
  /** Waiters in all queues. */
  count = 0;
  /** Of those, the ones made with { ref: false }. */
  unrefd = 0;
  /** The events native/watcher.cc was last asked for. */
  events = 0;
  /** Consecutive wake-ups in which waiters tried and none settled. */
  idle = 0;
  backoff: NodeJS.Timeout | undefined;
  /** Per kind: consecutive first tries that answered EAGAIN (see tryFirstNow). */
  readonly misses: number[] = new Array(KINDS).fill(0);
  constructor(readonly fd: number) {}
}

/**
 * The engine's state, one per loaded binding. Two copies of this module can
 * share one binding (jest's isolated module registries, or a bundler's
 * duplicate): native code has one readiness callback per load, so the state
 * hangs off the binding and the first copy registers the callback.
 */
interface Shared {
  table: Map<number, FdState>;
  listeners: WeakMap<AbortSignal, { waiters: Set<Waiter>; onAbort: () => void }>;
  observer: WaitObserver | undefined;
}
const SHARED = Symbol.for('posix-sockets.readiness');
const holder = binding as unknown as { [SHARED]?: Shared };
const firstCopy = holder[SHARED] === undefined;
const shared: Shared = (holder[SHARED] ??= { table: new Map(), listeners: new WeakMap(), observer: undefined });
const table = shared.table;

/** What trace.ts is told about calls that wait (nothing while tracing is off). */
export interface WaitObserver {
  waiting(syscall: string, fd: number, kind: WaitKind): void;
  /** `outcome` is 'done', or the code it failed with (ETIMEDOUT, ABORT_ERR, ECANCELED, ...). */
  settled(syscall: string, fd: number, outcome: string): void;
}

export function observeWaits(o: WaitObserver | undefined): void {
  shared.observer = o;
}

function observe(f: (o: WaitObserver) => void): void {
  // The observer is the trace (lib/trace.ts), which never throws; this is
  // only a second guard, because a throw here would lose a call's result.
  const observer = shared.observer;
  if (observer === undefined) return;
  try {
    f(observer);
  } catch {
    // ignored: tracing never changes a call's outcome
  }
}

// Adaptive first try. When the last few first tries of this kind on this fd
// all answered EAGAIN (a ping-pong: the reply cannot have come yet), the
// next calls skip it and wait at once, saving a system call each; every
// PROBE-th call still tries first, so a workload that changes (bulk data
// now waiting) is noticed and the count starts again.
const MISSES_BEFORE_SKIP = 3;
const PROBE = 8;

function tryFirstNow(st: FdState | undefined, kind: WaitKind): boolean {
  if (st === undefined) return true;
  if (st.head[kind] !== undefined) return false; // FIFO: others are ahead
  const m = st.misses[kind];
  return m < MISSES_BEFORE_SKIP || (m - MISSES_BEFORE_SKIP) % PROBE === PROBE - 1;
}

/**
 * Runs `call` now, unless others of the same kind are already waiting on
 * `fd`, `tryFirst` is false, or the fd's recent first tries all failed; and
 * otherwise, or when it answers AGAIN, queues it until the fd is ready.
 * `opts` must have been checked with checkWaitOptions.
 */
export function whenReady<T>(
  fd: number,
  kind: WaitKind,
  syscall: string,
  call: Op<T>,
  opts?: WaitOptions,
  tryFirst = true,
): Promise<T> {
  const signal = opts?.signal;
  if (signal !== undefined && signal.aborted) return Promise.reject(new AbortError(syscall, signal.reason));
  let st = table.get(fd);
  if (tryFirst) {
    if (tryFirstNow(st, kind)) {
      let r: T | typeof AGAIN;
      try {
        r = call.attempt();
      } catch (e) {
        return Promise.reject(e);
      }
      if (r !== AGAIN) {
        if (st !== undefined) st.misses[kind] = 0;
        return Promise.resolve(r);
      }
      if (st === undefined) table.set(fd, (st = new FdState(fd)));
      st.misses[kind]++;
    } else if (st!.head[kind] === undefined) {
      st!.misses[kind]++; // a skipped first try: count toward the next probe
    }
  }
  if (st === undefined) table.set(fd, (st = new FdState(fd)));
  const state = st;
  return new Promise<T>((resolve, reject) => {
    const w: Waiter = {
      st: state,
      kind,
      op: call,
      resolve: resolve as (v: unknown) => void,
      reject,
      syscall,
      prev: undefined,
      next: undefined,
      queued: false,
      running: false,
      cancelled: undefined,
      timer: undefined,
      signal: undefined,
      ref: opts?.ref !== false,
    };
    // May throw (a duck-typed signal's addEventListener): the promise then
    // rejects and nothing is queued.
    if (signal !== undefined) listen(w, signal);
    const joined = state.count > 0;
    enqueue(w);
    if (opts?.timeout !== undefined) {
      w.timer = setTimeout(onTimeout, opts.timeout, w);
      if (!w.ref) w.timer.unref();
    }
    // A back-off in progress must not let the process exit under a ref'd call.
    if (w.ref && state.backoff !== undefined) state.backoff.ref();
    observe((o) => o.waiting(syscall, fd, kind));
    // Joining calls already waiting: if their file was closed behind the
    // package's back, no wake-up will ever come for them. Ask once.
    if (joined) recheck(state, w);
    updateInterest(state, w);
    if (sweep === undefined) startSweep();
  });
}

function enqueue(w: Waiter): void {
  const st = w.st;
  const tail = st.tail[w.kind];
  w.prev = tail;
  w.next = undefined;
  if (tail === undefined) st.head[w.kind] = w;
  else tail.next = w;
  st.tail[w.kind] = w;
  w.queued = true;
  st.count++;
  if (!w.ref) st.unrefd++;
}

function unlink(w: Waiter): void {
  const st = w.st;
  if (w.prev === undefined) st.head[w.kind] = w.next;
  else w.prev.next = w.next;
  if (w.next === undefined) st.tail[w.kind] = w.prev;
  else w.next.prev = w.prev;
  w.prev = w.next = undefined;
  w.queued = false;
  st.count--;
  if (!w.ref) st.unrefd--;
}

// One 'abort' listener per signal, however many calls share it.
const listeners = shared.listeners;

function listen(w: Waiter, signal: AbortSignal): void {
  let l = listeners.get(signal);
  if (l === undefined) {
    const waiters = new Set<Waiter>();
    const onAbort = () => {
      listeners.delete(signal);
      for (const x of waiters) {
        x.signal = undefined; // the listener is gone with the set
        remove(x, stackless(() => new AbortError(x.syscall, signal.reason)));
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    l = { waiters, onAbort };
    listeners.set(signal, l);
  }
  l.waiters.add(w);
  w.signal = signal;
}

function unlisten(w: Waiter): void {
  const signal = w.signal!;
  w.signal = undefined;
  const l = listeners.get(signal);
  if (l === undefined) return;
  l.waiters.delete(w);
  if (l.waiters.size > 0) return;
  listeners.delete(signal);
  try {
    signal.removeEventListener('abort', l.onAbort);
  } catch {
    // A duck-typed signal's own failure must not lose this call's result:
    // its listener then finds an empty set if it ever fires.
  }
}

/**
 * An error made in a timer or an abort listener: its stack would show only
 * Node's timer and event internals, never the caller's line, and capturing
 * it is most of the cost (6 µs against 1 µs), which 100,000 timeouts firing
 * together pay at once.
 */
function stackless<E extends Error>(make: () => E): E {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function onTimeout(w: Waiter): void {
  w.timer = undefined;
  remove(w, stackless(() => errnoError(ETIMEDOUT, w.syscall)));
}

/** Clears the waiter's timer and abort listener; `error` is why it failed, if it did. */
function settle(w: Waiter, error?: unknown): void {
  if (w.timer !== undefined) clearTimeout(w.timer);
  if (w.signal !== undefined) unlisten(w);
  observe((o) =>
    o.settled(w.syscall, w.st.fd, error === undefined ? 'done' : String((error as { code?: unknown })?.code)),
  );
}

function fail(w: Waiter, reason: unknown): void {
  if (w.queued) unlink(w);
  settle(w, reason);
  w.reject(reason);
}

/** Takes a waiter out (timeout, abort) and rejects it. */
function remove(w: Waiter, reason: Error): void {
  if (!w.queued) return;
  if (w.running) {
    // Its system call is running (a trace sink aborted it, say): if the
    // kernel answered, the call completed and resolves; only on AGAIN does
    // the cancellation take effect (drain applies it).
    w.cancelled ??= reason;
    return;
  }
  fail(w, reason);
  const st = w.st;
  if (table.get(st.fd) === st) updateInterest(st);
}

/** The events st's queues need, with UNREF when every call waiting is unref'd. */
function interest(st: FdState): number {
  let events = 0;
  for (let k = 0; k < KINDS; k++) if (st.head[k] !== undefined) events |= EVENTS[k];
  if (events !== 0 && st.unrefd === st.count) events |= UNREF;
  return events;
}

/**
 * Asks native code for the events the queues need. `added` is a waiter just
 * queued: when native code finds the number refers to another file than the
 * earlier waiters were queued for (ESTALE), those fail with EBADF and the
 * new one is watched afresh.
 */
function updateInterest(st: FdState, added?: Waiter): void {
  if (st.backoff !== undefined) return; // re-armed when the back-off ends
  const events = interest(st);
  if (events === st.events) return;
  let r = native.watch(st.fd, events);
  if (r === -ESTALE) {
    // Those queued before were for a file now closed; `added` is for the
    // file the number refers to now, and is watched afresh.
    failAll(st, EBADF, added);
    st.events = 0;
    const now = interest(st);
    r = now === 0 ? 0 : native.watch(st.fd, now);
    if (r >= 0) {
      st.events = now;
      return;
    }
  }
  if (r < 0) {
    // Nothing would ever wake these waiters (EBADF: it was closed; EPERM: a
    // file the poll set cannot watch, such as a regular file). Each tries
    // its call once more, so it ends with the call's own answer (ENOTSOCK
    // for a regular file), or else with why it cannot wait.
    st.events = 0;
    lastTry(st, -r);
    forgetIfIdle(st);
    return;
  }
  st.events = events;
}

// The sweep. A file closed behind the package's back while calls wait on
// it leaves the poll set with it, so no wake-up ever comes for those calls.
// While anything waits, every fd with waiters is checked (one fstat) about
// once a second, SWEEP_CHUNK at a time, and the calls on a number that is
// closed or now another file's fail with EBADF.
const SWEEP_MS = 100;
const SWEEP_CHUNK = 1000;
let sweep: NodeJS.Timeout | undefined;
let sweepList: FdState[] = [];
let sweepAt = 0;

function startSweep(): void {
  sweep = setInterval(sweepSome, SWEEP_MS);
  sweep.unref(); // the waits themselves keep the loop alive, not the sweep
}

function sweepSome(): void {
  if (sweepAt >= sweepList.length) {
    sweepList = [];
    sweepAt = 0;
    for (const st of table.values()) if (st.count > 0) sweepList.push(st);
    if (sweepList.length === 0) {
      clearInterval(sweep);
      sweep = undefined;
      return;
    }
  }
  const end = Math.min(sweepAt + SWEEP_CHUNK, sweepList.length);
  for (; sweepAt < end; sweepAt++) {
    const st = sweepList[sweepAt];
    if (st.count === 0 || table.get(st.fd) !== st) continue;
    const r = native.check(st.fd);
    if (r >= 0) continue;
    st.events = 0;
    failAll(st, EBADF);
  }
}

/** Fails the waiters queued before `added` if the number no longer refers to their file. */
function recheck(st: FdState, added: Waiter): void {
  const r = native.check(st.fd);
  if (r >= 0) return;
  // ESTALE: native code dropped the watcher; `added` is for the file the
  // number refers to now. EBADF: nothing is open under the number at all.
  failAll(st, EBADF, r === -ESTALE ? added : undefined);
  st.events = 0;
}

/** Every waiter on `st` tries its call once; those that would still wait fail with errno `code`. */
function lastTry(st: FdState, code: number): void {
  for (let k = 0; k < KINDS; k++) {
    for (let w = st.head[k]; w !== undefined; ) {
      const next = w.next;
      if (tryWaiter(w) === AGAIN) fail(w, errnoError(code, w.syscall));
      w = next;
    }
  }
}

/**
 * Runs a queued waiter's call once. Returns AGAIN when it must keep
 * waiting (still queued); otherwise the waiter has been settled: resolved
 * with the kernel's answer, rejected with its error, or — cancelled during
 * its own attempt with the kernel saying AGAIN — rejected with why.
 */
function tryWaiter(w: Waiter): typeof AGAIN | undefined {
  let r: unknown;
  w.running = true;
  try {
    r = w.op.attempt();
  } catch (e) {
    w.running = false;
    if (w.queued) fail(w, e);
    return undefined;
  } finally {
    w.running = false;
  }
  // Failed during its own attempt (its fd closed by a trace sink, say):
  // already rejected and out of the queue.
  if (!w.queued) return undefined;
  if (r === AGAIN) {
    if (w.cancelled === undefined) return AGAIN;
    fail(w, w.cancelled);
    return undefined;
  }
  unlink(w);
  settle(w);
  w.resolve(r);
  return undefined;
}

/** Rejects every waiter on `st` (but `except`) with errno `code`. */
function failAll(st: FdState, code: number, except?: Waiter): void {
  for (let k = 0; k < KINDS; k++) {
    for (let w = st.head[k]; w !== undefined; ) {
      const next = w.next;
      if (w !== except) fail(w, errnoError(code, w.syscall));
      w = next;
    }
  }
}

function forgetIfIdle(st: FdState): void {
  if (st.count === 0 && st.backoff === undefined && table.get(st.fd) === st) table.delete(st.fd);
}

/**
 * Retries the waiters at the head of one queue until one must wait again,
 * counting into `counts` [tried, settled].
 */
function drain(st: FdState, kind: WaitKind, counts: number[]): void {
  for (let w = st.head[kind]; w !== undefined; w = st.head[kind]) {
    counts[0]++;
    if (tryWaiter(w) === AGAIN) return;
    counts[1]++;
  }
}

const counts = [0, 0];

// Called by native/watcher.cc (setReadyCallback) with a batch of ready fds:
// pairs[2i] is an fd, pairs[2i + 1] its events. Interest reductions made
// while this (and the microtasks it causes) runs are applied afterwards, so
// a waiter re-queued by a continuation costs no epoll_ctl.
const pairs = new Int32Array(2 * native.READY_BATCH);
function onReady(count: number): void {
  for (let i = 0; i < count; i++) ready(pairs[2 * i], pairs[2 * i + 1]);
}

function ready(fd: number, events: number): void {
  const st = table.get(fd);
  if (st === undefined) {
    native.watch(fd, 0);
    return;
  }
  if (events & FAILED) {
    // A deferred interest change failed; native code dropped the watcher.
    st.events = 0;
    const code = events >>> 8;
    // ESTALE: the number is another file's now; trying the calls would read it.
    if (code === ESTALE) failAll(st, EBADF);
    else lastTry(st, code);
    return;
  }
  counts[0] = counts[1] = 0;
  if (events & ERROR) {
    // POLLERR: everyone retries; the connect first, so it reads its own error.
    drain(st, CONNECT, counts);
    drain(st, ERRQUEUE, counts);
    drain(st, READ, counts);
    drain(st, URGENT, counts);
    drain(st, WRITE, counts);
  } else {
    if (events & W) {
      drain(st, CONNECT, counts);
      drain(st, WRITE, counts);
    }
    // The error queue before plain reads: a queued error is also the
    // socket's pending error, which a plain read would take (and fail with)
    // if it went first. This order matters where the event says no more than
    // "readable or priority": the single-fd wake-up (native/watcher.cc)
    // reports the registered events, without ERROR.
    if (events & P) {
      drain(st, URGENT, counts);
      drain(st, ERRQUEUE, counts);
    }
    if (events & R) drain(st, READ, counts);
  }
  // No progress: nothing settled although calls wait (whether or not the
  // event was one they wait for). Twice in a row, back off.
  if (counts[1] > 0) st.idle = 0;
  else if (st.count > 0) st.idle++;
  if (st.idle >= 2 && st.count > 0) {
    startBackoff(st);
    return;
  }
  // The state stays while the fd is open (close/release/reuse forget it):
  // its first-try statistics are what let the next wait skip a doomed try.
  updateInterest(st);
}
if (firstCopy) native.setReadyCallback(onReady, pairs);

function startBackoff(st: FdState): void {
  const delay = Math.min(2 ** (st.idle - 2), 100);
  if (st.events !== 0) {
    native.watch(st.fd, 0); // a reduction: cannot fail
    st.events = 0;
  }
  st.backoff = setTimeout(endBackoff, delay, st);
  if (st.unrefd === st.count) st.backoff.unref();
}

function endBackoff(st: FdState): void {
  st.backoff = undefined;
  if (table.get(st.fd) !== st) return;
  updateInterest(st);
}

/** The system calls waiting on `fd`, oldest first within each kind ('recv', 'accept', ...). */
export function pendingCalls(fd: number): string[] {
  const st = table.get(fd);
  const out: string[] = [];
  if (st === undefined) return out;
  for (let k = 0; k < KINDS; k++) for (let w = st.head[k]; w !== undefined; w = w.next) out.push(w.syscall);
  return out;
}

/** Number of calls waiting on `fd` (all kinds). */
export function pendingCount(fd: number): number {
  const st = table.get(fd);
  return st === undefined ? 0 : st.count;
}

/**
 * Forgets `fd`: its waiters are rejected with errno `code` (ECANCELED by
 * default). close() and release() call this before the number is given up;
 * socket/socketpair/accept call it (EBADF) for a number the kernel has just
 * handed out again, whose earlier socket was closed behind our back.
 */
export function cancelAll(fd: number, code: number = ECANCELED): void {
  const st = table.get(fd);
  if (st === undefined) return;
  table.delete(fd);
  if (st.backoff !== undefined) clearTimeout(st.backoff);
  st.backoff = undefined;
  failAll(st, code);
}

/** For a number the kernel has just handed out: whatever waited on it before was for a file now closed. */
export function forgetNumber(fd: number): void {
  if (table.has(fd)) cancelAll(fd, EBADF);
}
