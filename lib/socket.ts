// Socket: an optional object that owns one fd and has the package's calls
// as methods with the fd bound — `s.bind(addr)` is `bind(s.fd, addr)`. It
// adds no behaviour of its own: every method forwards to the function of
// the same name (which validates, traces and waits exactly as it does when
// called directly). What the object adds is ownership: close() once
// (idempotent), `using s = new Socket(...)` closes it at the end of the
// block, detach() gives the fd up, and after either every method fails
// with EBADF, as the system call would on a closed fd.
import type * as dgram from 'node:dgram';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as util from 'node:util';
import { accept, acceptSync, AcceptOptions } from './accept';
import { bind, getpeername, getsockname, getsockopt, ioctl, listen, setsockopt, shutdown, sockatmark } from './calls';
import { connect, connectSync } from './connect';
import { SocketError, strerror } from './errors';
import { close, disown, dup, fcntl, isNonBlocking, own, Owner, setNonBlocking, socket } from './fd';
import { toDgramSocket, toNetServer, toNetSocket, ToDgramSocketOptions, ToNetServerOptions, ToNetSocketOptions } from './handoff';
import {
  read,
  readSync,
  recv,
  recvfrom,
  recvfromSync,
  RecvfromResult,
  recvInto,
  recvIntoSync,
  recvSync,
  send,
  sendSync,
  sendto,
  sendtoSync,
  write,
  writeSync,
} from './io';
import {
  Msghdr,
  recvFds,
  RecvFdsResult,
  recvFdsSync,
  recvmmsg,
  recvmmsgSync,
  recvmsg,
  recvmsgInto,
  RecvmsgIntoResult,
  recvmsgIntoSync,
  RecvmsgResult,
  recvmsgSync,
  sendFds,
  sendFdsSync,
  sendmmsg,
  sendmmsgSync,
  sendmsg,
  sendmsgSync,
} from './msg';
import { sendfile, sendfileSync } from './sendfile';
import type { Sockaddr, SockaddrInput } from './sockaddr';
import type { GetSockopt, SetSockopt } from './sockopt';
import { checkFd, checkLength, WaitOptions } from './validate';
import { F_GETFD } from './constants';
import { native } from './native';

// `using` and [Symbol.dispose]: Node 20.4+ (and 18.18+) define
// Symbol.dispose (as Symbol.for('nodejs.dispose')); where it is missing it
// is defined here the same way, so TypeScript's downlevelled `using` (which
// looks Symbol.dispose up at run time) and this class agree on the symbol.
// Nothing is replaced where it exists.
const S = Symbol as { dispose?: symbol; asyncDispose?: symbol };
S.dispose ??= Symbol.for('nodejs.dispose');
S.asyncDispose ??= Symbol.for('nodejs.asyncDispose');

const { EBADF } = os.constants.errno;

type Gone = 'closed' | 'detached' | 'lost' | 'released' | 'taken';

/** The error for a method called after close() or detach(): EBADF, as the system call would answer. */
function gone(syscall: string, why: Gone): SocketError {
  const detail = {
    closed: 'this Socket was closed',
    detached: 'this Socket was detached (its fd was given away)',
    lost: 'its fd was closed by other means than this Socket (close(fd), dup2 onto it, or behind the package\'s back)',
    released: 'its fd was released (release(fd) or a hand-off helper called with the number)',
    taken: 'another Socket owns its fd now (Socket.from(fd) of the same number)',
  }[why];
  return new SocketError(`${syscall}: ${strerror(EBADF)} (EBADF): ${detail}`, 'EBADF', EBADF, syscall);
}

/** The fd Socket.from() is adopting, read once by the constructor it calls. */
let adopting: number | undefined;

const sendmmsgOrThrow = (): NonNullable<typeof sendmmsg> => sendmmsg ?? unsupported('sendmmsg');
const sendmmsgSyncOrThrow = (): NonNullable<typeof sendmmsgSync> => sendmmsgSync ?? unsupported('sendmmsgSync');
const recvmmsgOrThrow = (): NonNullable<typeof recvmmsg> => recvmmsg ?? unsupported('recvmmsg');
const recvmmsgSyncOrThrow = (): NonNullable<typeof recvmmsgSync> => recvmmsgSync ?? unsupported('recvmmsgSync');
function unsupported(name: string): never {
  throw new TypeError(`${name} is not available on this platform (${process.platform}): the function export is undefined here`);
}

/**
 * A socket fd with the package's calls as methods. `new Socket(AF_INET,
 * SOCK_STREAM)` calls socket(2); `Socket.from(fd)` takes ownership of an fd
 * you have (no system call). The function API stays the primary one: this
 * object only binds the fd and owns it.
 *
 * - `s.fd`: the number (-1 once closed, detached, or let go);
 * - `s.close()`: close(2) the first time, nothing after;
 * - `using s = new Socket(...)`: closed at the end of the block;
 * - `s.detach()`: returns the fd, which the object no longer owns (Python's
 *   socket.detach): the package still does (close it with close(fd));
 * - one owner per fd: `Socket.from(fd)` of a number another Socket owns
 *   takes it over, and the other lets go (use `dup(fd)` for a second
 *   number);
 * - the object also lets go when its fd leaves by other means: close(s.fd),
 *   release(s.fd) or a hand-off helper given the number, dup2 onto it, or
 *   the number handed out again by this package (socket, accept, …), which
 *   means it was closed behind the package's back;
 * - after any of these, every method throws (a Sync method) or rejects (a
 *   promise method) with SocketError EBADF, naming the method and why,
 *   before looking at its arguments and without making a system call (the
 *   number may be someone else's by then);
 * - `for await (const chunk of s)`: recv()s 64 KiB at a time until it
 *   answers 0 bytes (EOF on a stream; on a datagram socket an empty
 *   datagram ends it too); `s.chunks(length, opts)` chooses the size and
 *   the wait options.
 */
export class Socket implements Disposable {
  #fd: number;
  #state: 'open' | Gone = 'open';
  // What lib/fd.ts tells when the file leaves by another way than this
  // object's methods, or its number is handed out again: from then on the
  // number may be another file's, and this object never uses it.
  readonly #owner: Owner = {
    lost: (how) => {
      if (this.#state !== 'open') return;
      this.#state = how === 'closed' ? 'lost' : how;
      this.#fd = -1;
    },
  };

  /** socket(2): a new socket of this domain, type and protocol (see socket()). */
  constructor(domain: number, type: number, protocol = 0) {
    if (adopting !== undefined) {
      this.#fd = adopting;
      adopting = undefined;
    } else {
      this.#fd = socket(domain, type, protocol);
    }
    own(this.#fd, this.#owner);
  }

  /**
   * Owns `fd` from now on (no system call: the fd is not checked to be a
   * socket). A Socket that owned the number before lets go of it (its
   * methods are EBADF from then on): two owners would each close it, and the
   * second close could close a file opened since. Use dup(fd) for a second
   * number that a second Socket can own.
   */
  static from(fd: number): Socket {
    checkFd(fd);
    adopting = fd;
    try {
      return new Socket(0, 0);
    } finally {
      adopting = undefined;
    }
  }

  /** The fd, or -1 once closed, detached or let go (see the class comment). */
  get fd(): number {
    return this.#fd;
  }

  /** True until close() or detach(), or until the fd leaves by other means (see above). */
  get open(): boolean {
    return this.#state === 'open';
  }

  /** The fd, or the EBADF SocketError thrown for a closed/detached Socket. */
  #use(syscall: string): number {
    if (this.#state !== 'open') throw gone(syscall, this.#state);
    return this.#fd;
  }

  /** Runs a promise call: a closed/detached Socket rejects (as a call on a closed fd does). */
  #wait<T>(syscall: string, call: (fd: number) => Promise<T>): Promise<T> {
    if (this.#state !== 'open') return Promise.reject(gone(syscall, this.#state));
    return call(this.#fd);
  }

  /** close(2), once: later calls do nothing. Calls still waiting are rejected with ECANCELED (see close()). */
  close(): void {
    if (this.#state !== 'open') return;
    const fd = this.#fd;
    this.#state = 'closed';
    this.#fd = -1;
    disown(fd, this.#owner);
    close(fd);
  }

  /** close(), for `using s = new Socket(...)`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Gives the fd up: returns it, and this object no longer owns or uses it (the package still watches it). */
  detach(): number {
    const fd = this.#use('detach');
    this.#state = 'detached';
    this.#fd = -1;
    disown(fd, this.#owner);
    return fd;
  }

  /** How util.inspect (and the REPL) shows it: `Socket { fd: 5 }`, `Socket { closed }`. */
  [util.inspect.custom](): string {
    return this.#state === 'open' ? `Socket { fd: ${this.#fd} }` : `Socket { ${this.#state} }`;
  }

  // ---- the calls, with the fd bound

  bind(addr: SockaddrInput): void {
    bind(this.#use('bind'), addr);
  }
  listen(backlog: number): void {
    listen(this.#use('listen'), backlog);
  }
  connect(addr: SockaddrInput, opts?: WaitOptions): Promise<void> {
    return this.#wait('connect', (fd) => connect(fd, addr, opts));
  }
  connectSync(addr: SockaddrInput): void {
    connectSync(this.#use('connect'), addr);
  }
  /** accept(): the connection as a Socket (its peer: getpeername()). */
  accept(opts?: AcceptOptions): Promise<Socket> {
    return this.#wait('accept', (fd) => accept(fd, opts).then((r) => Socket.from(r.fd)));
  }
  acceptSync(flags?: number): Socket {
    return Socket.from(acceptSync(this.#use('accept'), flags).fd);
  }
  shutdown(how: number): void {
    shutdown(this.#use('shutdown'), how);
  }
  getsockname(): Sockaddr {
    return getsockname(this.#use('getsockname'));
  }
  getpeername(): Sockaddr {
    return getpeername(this.#use('getpeername'));
  }

  setsockopt<S>(opt: SetSockopt<S>, value: S): void;
  setsockopt(level: number, name: number, value: number | boolean | ArrayBufferView): void;
  setsockopt(level: number | SetSockopt<unknown>, name: unknown, value?: number | boolean | ArrayBufferView): void {
    (setsockopt as (fd: number, a: unknown, b: unknown, c?: unknown) => void)(this.#use('setsockopt'), level, name, value);
  }

  getsockopt<G>(opt: GetSockopt<G>): G;
  getsockopt(level: number, name: number): number;
  getsockopt(level: number, name: number, length: number): Buffer;
  getsockopt(level: number | GetSockopt<unknown>, name?: number, length?: number): unknown {
    const fd = this.#use('getsockopt');
    if (typeof level === 'object') return getsockopt(fd, level);
    return length === undefined ? getsockopt(fd, level, name!) : getsockopt(fd, level, name!, length);
  }

  ioctl(request: number): number {
    return ioctl(this.#use('ioctl'), request);
  }
  sockatmark(): boolean {
    return sockatmark(this.#use('sockatmark'));
  }
  fcntl(cmd: number, arg?: number): number {
    return fcntl(this.#use('fcntl'), cmd, arg);
  }
  setNonBlocking(on?: boolean): void {
    setNonBlocking(this.#use('fcntl'), on);
  }
  isNonBlocking(): boolean {
    return isNonBlocking(this.#use('fcntl'));
  }
  /** dup(): a second Socket for the same open socket. */
  dup(): Socket {
    return Socket.from(dup(this.#use('dup')));
  }

  send(data: ArrayBufferView | string, flags?: number, opts?: WaitOptions): Promise<number> {
    return this.#wait('send', (fd) => send(fd, data, flags, opts));
  }
  sendSync(data: ArrayBufferView | string, flags?: number): number {
    return sendSync(this.#use('send'), data, flags);
  }
  recv(length: number, flags?: number, opts?: WaitOptions): Promise<Buffer> {
    return this.#wait('recv', (fd) => recv(fd, length, flags, opts));
  }
  recvSync(length: number, flags?: number): Buffer {
    return recvSync(this.#use('recv'), length, flags);
  }
  recvInto(buffer: ArrayBufferView, flags?: number, opts?: WaitOptions): Promise<number> {
    return this.#wait('recv', (fd) => recvInto(fd, buffer, flags, opts));
  }
  recvIntoSync(buffer: ArrayBufferView, flags?: number): number {
    return recvIntoSync(this.#use('recv'), buffer, flags);
  }
  sendto(data: ArrayBufferView | string, flags: number, addr: SockaddrInput, opts?: WaitOptions): Promise<number> {
    return this.#wait('sendto', (fd) => sendto(fd, data, flags, addr, opts));
  }
  sendtoSync(data: ArrayBufferView | string, flags: number, addr: SockaddrInput): number {
    return sendtoSync(this.#use('sendto'), data, flags, addr);
  }
  recvfrom(length: number, flags?: number, opts?: WaitOptions): Promise<RecvfromResult> {
    return this.#wait('recvfrom', (fd) => recvfrom(fd, length, flags, opts));
  }
  recvfromSync(length: number, flags?: number): RecvfromResult {
    return recvfromSync(this.#use('recvfrom'), length, flags);
  }
  read(length: number, opts?: WaitOptions): Promise<Buffer> {
    return this.#wait('read', (fd) => read(fd, length, opts));
  }
  readSync(length: number): Buffer {
    return readSync(this.#use('read'), length);
  }
  write(data: ArrayBufferView | string, opts?: WaitOptions): Promise<number> {
    return this.#wait('write', (fd) => write(fd, data, opts));
  }
  writeSync(data: ArrayBufferView | string): number {
    return writeSync(this.#use('write'), data);
  }
  sendmsg(msg: Msghdr, flags?: number, opts?: WaitOptions): Promise<number> {
    return this.#wait('sendmsg', (fd) => sendmsg(fd, msg, flags, opts));
  }
  sendmsgSync(msg: Msghdr, flags?: number): number {
    return sendmsgSync(this.#use('sendmsg'), msg, flags);
  }
  recvmsg(length: number, controlLength?: number, flags?: number, opts?: WaitOptions): Promise<RecvmsgResult> {
    return this.#wait('recvmsg', (fd) => recvmsg(fd, length, controlLength, flags, opts));
  }
  recvmsgSync(length: number, controlLength?: number, flags?: number): RecvmsgResult {
    return recvmsgSync(this.#use('recvmsg'), length, controlLength, flags);
  }
  recvmsgInto(iov: ArrayBufferView[], controlLength?: number, flags?: number, opts?: WaitOptions): Promise<RecvmsgIntoResult> {
    return this.#wait('recvmsg', (fd) => recvmsgInto(fd, iov, controlLength, flags, opts));
  }
  recvmsgIntoSync(iov: ArrayBufferView[], controlLength?: number, flags?: number): RecvmsgIntoResult {
    return recvmsgIntoSync(this.#use('recvmsg'), iov, controlLength, flags);
  }
  sendFds(data: ArrayBufferView | string, fds: readonly number[], flags?: number, opts?: WaitOptions): Promise<number> {
    return this.#wait('sendmsg', (fd) => sendFds(fd, data, fds, flags, opts));
  }
  sendFdsSync(data: ArrayBufferView | string, fds: readonly number[], flags?: number): number {
    return sendFdsSync(this.#use('sendmsg'), data, fds, flags);
  }
  recvFds(length: number, maxFds: number, flags?: number, opts?: WaitOptions): Promise<RecvFdsResult> {
    return this.#wait('recvmsg', (fd) => recvFds(fd, length, maxFds, flags, opts));
  }
  recvFdsSync(length: number, maxFds: number, flags?: number): RecvFdsResult {
    return recvFdsSync(this.#use('recvmsg'), length, maxFds, flags);
  }
  /** sendmmsg (Linux; a TypeError where the function export is undefined). */
  sendmmsg(msgs: readonly Msghdr[], flags?: number, opts?: WaitOptions): Promise<number> {
    const f = sendmmsgOrThrow();
    return this.#wait('sendmmsg', (fd) => f(fd, msgs, flags, opts));
  }
  sendmmsgSync(msgs: readonly Msghdr[], flags?: number): number {
    return sendmmsgSyncOrThrow()(this.#use('sendmmsg'), msgs, flags);
  }
  /** recvmmsg (Linux; a TypeError where the function export is undefined). */
  recvmmsg(vlen: number, length: number, controlLength?: number, flags?: number, opts?: WaitOptions): Promise<RecvmsgResult[]> {
    const f = recvmmsgOrThrow();
    return this.#wait('recvmmsg', (fd) => f(fd, vlen, length, controlLength, flags, opts));
  }
  recvmmsgSync(vlen: number, length: number, controlLength?: number, flags?: number): RecvmsgResult[] {
    return recvmmsgSyncOrThrow()(this.#use('recvmmsg'), vlen, length, controlLength, flags);
  }
  /** sendfile(this socket, inFd, offset, count). */
  sendfile(inFd: number, offset: number | null, count: number, opts?: WaitOptions): Promise<number> {
    return this.#wait('sendfile', (fd) => sendfile(fd, inFd, offset, count, opts));
  }
  sendfileSync(inFd: number, offset: number | null, count: number): number {
    return sendfileSync(this.#use('sendfile'), inFd, offset, count);
  }

  // ---- hand-off to Node: the fd leaves this object only if Node takes it

  /** toNetSocket(fd): on success the net.Socket owns the fd and this object is detached. */
  toNetSocket(options?: ToNetSocketOptions): net.Socket {
    return this.#handOff('toNetSocket', (fd) => toNetSocket(fd, options));
  }
  /** toNetServer(fd): on success the net.Server owns the fd and this object is detached. */
  toNetServer(options?: ToNetServerOptions): net.Server {
    return this.#handOff('toNetServer', (fd) => toNetServer(fd, options));
  }
  /** toDgramSocket(fd): on success the dgram.Socket owns the fd and this object is detached. */
  toDgramSocket(type?: 'udp4' | 'udp6', options?: ToDgramSocketOptions): dgram.Socket {
    return this.#handOff('toDgramSocket', (fd) => toDgramSocket(fd, type, options));
  }
  /**
   * Runs a hand-off helper. Success: Node owns the fd, this object is
   * detached. A refusal before release (EBUSY, ERR_INVALID_FD_TYPE, …)
   * leaves the object as it was. A refusal after release — Node's own
   * (EEXIST: the fd is already in a handle of this thread's loop) — leaves
   * the fd open but no longer the package's: this object keeps it, so that
   * close() can still close it; if Node closed it on the way out
   * (toDgramSocket), the object lets go.
   */
  #handOff<T>(syscall: string, give: (fd: number) => T): T {
    const fd = this.#use(syscall);
    let r: T;
    try {
      r = give(fd);
    } catch (e) {
      if (this.#state === 'released') {
        if (native.fcntl(fd, F_GETFD) >= 0) {
          this.#state = 'open';
          this.#fd = fd;
          own(fd, this.#owner);
        } else {
          this.#state = 'lost';
        }
      }
      throw e;
    }
    // (release() told #owner already: 'detached' names it as this object's own doing.)
    this.#state = 'detached';
    this.#fd = -1;
    return r;
  }

  // ---- received chunks

  /**
   * recv(length) again and again, yielding each chunk, until recv answers 0
   * bytes (EOF; or an empty datagram). `opts` (signal, timeout, ref) apply
   * to each recv. An error (ECONNRESET, the Socket closed meanwhile) ends
   * the loop by throwing it.
   */
  async *chunks(length = 65536, opts?: WaitOptions): AsyncGenerator<Buffer, void, undefined> {
    // As every method: a closed Socket is EBADF before its arguments are looked at.
    this.#use('recv');
    checkLength(length);
    if (length === 0) throw new RangeError('length must be at least 1: a 0-byte recv cannot tell data from EOF');
    for (;;) {
      const chunk = await this.recv(length, 0, opts);
      if (chunk.length === 0) return;
      yield chunk;
    }
  }

  /** `for await (const chunk of s)`: chunks() of 64 KiB. */
  [Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    return this.chunks();
  }
}
