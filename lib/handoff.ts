// Handing a socket to Node: toNetSocket, toNetServer, toDgramSocket. Each
// checks the fd is one Node can wrap, refuses while a call of this package
// still waits on it, release()s it (the package stops watching and owning
// it), and gives it to net or dgram, which own it from then on: destroying
// the net.Socket, closing the net.Server or the dgram.Socket closes the fd.
// None of them is one system call: each is named and documented as a helper.
import * as cluster from 'node:cluster';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as os from 'node:os';
import { getsockopt, listenBacklog } from './calls';
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  F_GETFD,
  IPPROTO_MPTCP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  SO_ACCEPTCONN,
  SO_PROTOCOL,
  SO_TYPE,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  SOL_SOCKET,
  TCP_LISTEN,
} from './constants';
import { AbortError, check, errnoError, SocketError, strerror } from './errors';
import { release } from './fd';
import { native } from './native';
import { pendingCalls } from './readiness';
import { Sockaddr } from './sockaddr';
import { sockopt } from './sockopt';
import { checkFd, checkInt } from './validate';

const { EBUSY } = os.constants.errno;

/** What toNetSocket takes: net.Socket's own options but fd; readable and writable default to true here. */
export type ToNetSocketOptions = Omit<net.SocketConstructorOpts, 'fd'>;

/** What toNetServer takes: net.Server's options, and the backlog to keep. */
export interface ToNetServerOptions extends net.ServerOpts {
  /**
   * The listen(2) backlog the server keeps. Default: the fd's own — the
   * kernel's answer on Linux TCP (TCP_INFO), else what this package's
   * listen() was given for the fd; 511 (Node's default) for an fd not yet
   * listening. A listening fd whose backlog cannot be known needs this.
   */
  backlog?: number;
}

/** What toDgramSocket takes: dgram's socket options but type (which comes from the fd). */
export type ToDgramSocketOptions = Omit<dgram.SocketOptions, 'type'>;

const FAMILY_NAMES = new Map<number, string>([
  [AF_UNIX, 'AF_UNIX'],
  [AF_INET, 'AF_INET'],
  [AF_INET6, 'AF_INET6'],
]);
const TYPE_NAMES = new Map<number, string>([
  [SOCK_STREAM, 'SOCK_STREAM'],
  [SOCK_DGRAM, 'SOCK_DGRAM'],
  [SOCK_SEQPACKET, 'SOCK_SEQPACKET'],
  [SOCK_RAW, 'SOCK_RAW'],
]);

interface Kind {
  family: number;
  type: number;
  /** SO_PROTOCOL where the platform has it (Linux), else undefined. */
  protocol: number | undefined;
}

/** The fd's family (getsockname), type (SO_TYPE) and, on Linux, protocol (SO_PROTOCOL). */
function kindOf(fd: number, who: string): Kind {
  const name = {} as Sockaddr;
  check(native.getsockname(fd, name), `${who}: getsockname`);
  const word = new Int32Array(1);
  check(native.getsockopt(fd, SOL_SOCKET, SO_TYPE, word), `${who}: getsockopt`);
  const type = word[0];
  let protocol: number | undefined;
  if (SO_PROTOCOL !== undefined) {
    check(native.getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, word), `${who}: getsockopt`);
    protocol = word[0];
  }
  return { family: name.family, type, protocol };
}

/** "an AF_UNIX SOCK_DGRAM socket"; the protocol only when it is not the type's usual one (TCP, UDP, 0). */
function describe(k: Kind): string {
  const family = FAMILY_NAMES.get(k.family) ?? `family ${k.family}`;
  const type = TYPE_NAMES.get(k.type) ?? `type ${k.type}`;
  const usual = k.type === SOCK_STREAM ? IPPROTO_TCP : k.type === SOCK_DGRAM ? IPPROTO_UDP : 0;
  const odd = k.protocol !== undefined && k.protocol !== 0 && k.protocol !== usual;
  return `an ${family} ${type} socket${odd ? ` (protocol ${k.protocol})` : ''}`;
}

/**
 * The error for an fd Node cannot wrap: a TypeError with Node's own code
 * for it, ERR_INVALID_FD_TYPE, naming the limit. Nothing has been released.
 */
function unsupported(who: string, fd: number, k: Kind, wants: string): TypeError {
  const e = new TypeError(
    `${who}: fd ${fd} is ${describe(k)}; ${wants}. ` +
      `Node (libuv) wraps only TCP and unix stream sockets in net and UDP sockets in dgram: ` +
      `AF_UNIX datagram and SOCK_SEQPACKET sockets, raw and other families stay with this package's calls`,
  ) as TypeError & { code: string };
  e.code = 'ERR_INVALID_FD_TYPE';
  return e;
}

/** A stream socket net can wrap: TCP (or MPTCP) over IPv4/IPv6, or a unix stream socket. */
function checkStream(who: string, fd: number): Kind {
  const k = kindOf(fd, who);
  const inet = k.family === AF_INET || k.family === AF_INET6;
  const tcp = k.protocol === undefined || k.protocol === IPPROTO_TCP || (IPPROTO_MPTCP !== undefined && k.protocol === IPPROTO_MPTCP);
  const ok = k.type === SOCK_STREAM && ((inet && tcp) || k.family === AF_UNIX);
  if (!ok) throw unsupported(who, fd, k, 'net needs a TCP or AF_UNIX SOCK_STREAM socket');
  return k;
}

/**
 * Throws (EBUSY) if a call of this package still waits on fd, then
 * release()s it. A waiting call is never cancelled here: it would either
 * steal what Node should read (a connection, a datagram) or be silently
 * lost. Settle it first, or abort it (AbortSignal) and let it reject.
 */
function handOver(who: string, fd: number): void {
  refuseIfBusy(who, fd);
  release(fd);
}

/** The EBUSY SocketError if a call of this package still waits on fd. */
function refuseIfBusy(who: string, fd: number): void {
  const pending = pendingCalls(fd);
  if (pending.length > 0) {
    const n = pending.length;
    throw new SocketError(
      `${who}: ${strerror(EBUSY)} (EBUSY): fd ${fd} still has ${n} call${n === 1 ? '' : 's'} of this package waiting ` +
        `(${pending.join(', ')}); settle or abort ${n === 1 ? 'it' : 'them'} before handing the fd to Node`,
      'EBUSY',
      EBUSY,
      who,
    );
  }
}

/**
 * Hands a connected stream socket (TCP, or AF_UNIX SOCK_STREAM) to Node:
 * releases it from this package and returns `new net.Socket({ fd, readable:
 * true, writable: true, ...options })`. From then on the net.Socket owns the
 * fd: `socket.destroy()` / `end()` closes it; do not close() it here or use
 * it with this package's calls.
 *
 * Throws before releasing anything: a TypeError (code ERR_INVALID_FD_TYPE)
 * for a socket net cannot wrap (AF_UNIX SOCK_DGRAM or SOCK_SEQPACKET, UDP,
 * raw) and for a listening one (use toNetServer); a SocketError EBUSY while a call of this package still waits on the
 * fd; EBADF/ENOTSOCK as getsockname says; Node's own error for an option
 * it refuses (a `signal` that is not an AbortSignal); an AbortError for an
 * aborted `options.signal`. A `handle` option is
 * ignored. Should Node itself then refuse the fd, its error is thrown and
 * the fd stays open, released: close it.
 */
export function toNetSocket(fd: number, options?: ToNetSocketOptions): net.Socket {
  checkFd(fd);
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError('options must be an object');
  checkStream('toNetSocket', fd);
  if (isListening(fd, 'toNetSocket')) throw wrongUse('toNetSocket', fd, 'is listening: hand it over with toNetServer');
  // A `handle` would make net ignore fd (and wrap that instead).
  const opts: net.SocketConstructorOpts & { handle?: unknown } = { readable: true, writable: true, ...options, fd };
  delete opts.handle;
  // Node checks some options (signal; typeOfService and blockList from Node
  // 24) only after it has opened the fd, and a throw there leaves the fd in a
  // handle nobody can reach: a socket made first without the fd runs them
  // while nothing is released.
  const probe = new net.Socket({ ...opts, fd: undefined });
  probe.on('error', () => {}); // an aborted signal destroys it with one
  probe.destroy();
  // Node would take the fd and destroy the socket on the next tick, with an
  // 'error' event the caller may not be listening for yet: refused here, as
  // toDgramSocket refuses it, while nothing is released.
  if (opts.signal?.aborted) throw new AbortError('toNetSocket', opts.signal.reason);
  handOver('toNetSocket', fd);
  return new net.Socket(opts);
}

/** SO_ACCEPTCONN: is fd listening? */
function isListening(fd: number, who: string): boolean {
  const word = new Int32Array(1);
  check(native.getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, word), `${who}: getsockopt`);
  return word[0] !== 0;
}

/** A stream socket given to the wrong helper (a listener to toNetSocket, a connection to toNetServer). */
function wrongUse(who: string, fd: number, what: string): TypeError {
  const e = new TypeError(`${who}: fd ${fd} ${what}`) as TypeError & { code: string };
  e.code = 'ERR_INVALID_FD_TYPE';
  return e;
}

/** The backlog a listening fd has now, or undefined when it cannot be known. */
function currentBacklog(fd: number, k: Kind): number | undefined {
  // Linux reports a listening TCP socket's backlog (sk_max_ack_backlog,
  // already capped at somaxconn) as TCP_INFO's tcpi_sacked, and its accept
  // queue's length as tcpi_unacked: what `ss -ltn` shows as Send-Q and Recv-Q.
  const tcpInfo = sockopt.TCP_INFO;
  if (process.platform === 'linux' && tcpInfo !== undefined && k.family !== AF_UNIX) {
    const info = getsockopt(fd, tcpInfo);
    if (info.state === TCP_LISTEN) return info.sacked;
  }
  return listenBacklog(fd);
}

/**
 * Hands a listening stream socket (TCP, or AF_UNIX SOCK_STREAM) to Node and
 * returns a listening net.Server that keeps the fd's backlog: releases the
 * fd, runs `new net.Server(options).listen({ fd }, backlog)`, and then
 * listen(fd, backlog) once more. Node runs listen(2) again on an fd it is
 * given, with `backlog || 511` where backlog is listen's second argument
 * (`listen({ fd, backlog })`'s own is ignored), so without this the kernel
 * would be told 511, and a backlog of 0 would become 511 even when passed;
 * the second listen(2) makes the backlog stick. `options.backlog` chooses another; an fd
 * not yet listening gets 511, as `server.listen()` would give it.
 *
 * The server owns the fd from then on: `server.close()` closes it. Errors
 * as toNetSocket's (a connected fd is a TypeError: use toNetSocket), plus a
 * TypeError when the fd is listening and its
 * backlog cannot be known (a unix socket made listening elsewhere, or any
 * outside Linux that this package's listen() did not see): pass
 * options.backlog.
 */
export function toNetServer(fd: number, options?: ToNetServerOptions): net.Server {
  checkFd(fd);
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError('options must be an object');
  const { backlog: chosen, ...serverOptions } = options ?? {};
  if (chosen !== undefined) checkInt(chosen, 'options.backlog');
  const k = checkStream('toNetServer', fd);
  const listening = isListening(fd, 'toNetServer');
  // listen(2) on a connected socket is EINVAL, which Node would only emit later.
  if (!listening && native.getpeername(fd, {}) >= 0) throw wrongUse('toNetServer', fd, 'is connected: hand it over with toNetSocket');
  let backlog = chosen;
  if (backlog === undefined) {
    if (listening) {
      backlog = currentBacklog(fd, k);
      if (backlog === undefined) {
        throw new TypeError(
          `toNetServer: the backlog of listening fd ${fd} cannot be read from the kernel here and was not set by this package's listen(); pass options.backlog`,
        );
      }
    } else {
      backlog = 511;
    }
  }
  // In a cluster worker Node's listen({ fd }) does not use the worker's fd:
  // it asks the primary to listen on the fd of that number in the primary
  // (Node ignores `exclusive` for an fd), which fails (EEXIST) or takes an
  // unrelated socket of the primary's. Refused before anything is released.
  if ((cluster as unknown as { isWorker?: boolean }).isWorker === true) {
    throw wrongUse('toNetServer', fd, "cannot be handed to net in a cluster worker: Node's listen({ fd }) would ask the primary for its own fd of that number; accept() here, or hand the connections over with toNetSocket");
  }
  // Made first: Node's checks of the options throw before anything is released.
  const server = new net.Server(serverOptions);
  handOver('toNetServer', fd);
  const keep = backlog;
  const relisten = () => {
    const r = native.listen(fd, keep);
    if (r < 0) server.emit('error', errnoError(-r, 'listen'));
  };
  server.listen({ fd }, keep);
  // Outside a cluster worker (refused above) Node listens on an fd
  // synchronously; the listener is a guard should a Node defer it.
  if (server.listening) relisten();
  else server.prependOnceListener('listening', relisten);
  return server;
}

/**
 * Hands a UDP socket to Node: releases it and returns a dgram.Socket of
 * `type` ('udp4' for AF_INET, 'udp6' for AF_INET6; by default the fd's
 * own) that has adopted it through `socket.bind({ fd })` — bound already,
 * receiving, its 'listening' event on the next tick. The dgram.Socket owns
 * the fd: `socket.close()` closes it.
 *
 * Throws before releasing anything: a TypeError (ERR_INVALID_FD_TYPE) for a
 * socket dgram cannot wrap (AF_UNIX SOCK_DGRAM, ICMP or raw sockets, any
 * stream) or when `type` is not the fd's family; a RangeError for fd 0,
 * which dgram cannot adopt (hand over a dup() of it); SocketError EBUSY
 * while a call of this package waits on it; an AbortError for an aborted
 * `options.signal`. Should Node refuse the fd, its error is thrown with the
 * fd still the package's; should it take the fd and then fail (a
 * `recvBufferSize` the kernel refuses), its socket is closed, and the fd
 * with it, before the error is thrown.
 */
export function toDgramSocket(fd: number, type?: 'udp4' | 'udp6', options?: ToDgramSocketOptions): dgram.Socket {
  checkFd(fd);
  if (type !== undefined && type !== 'udp4' && type !== 'udp6') throw new TypeError("type must be 'udp4' or 'udp6'");
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError('options must be an object');
  const k = kindOf(fd, 'toDgramSocket');
  const inet = k.family === AF_INET || k.family === AF_INET6;
  const udp = k.protocol === undefined || k.protocol === IPPROTO_UDP;
  if (!(k.type === SOCK_DGRAM && inet && udp)) {
    throw unsupported('toDgramSocket', fd, k, 'dgram needs a UDP socket (AF_INET or AF_INET6, SOCK_DGRAM)');
  }
  const own = k.family === AF_INET ? 'udp4' : 'udp6';
  if (type !== undefined && type !== own) {
    const e = new TypeError(`toDgramSocket: fd ${fd} is ${describe(k)}, which is '${own}', not '${type}'`) as TypeError & { code: string };
    e.code = 'ERR_INVALID_FD_TYPE';
    throw e;
  }
  // dgram adopts only fd > 0 (bind({ fd: 0 }) would bind a new socket instead).
  if (fd === 0) throw new RangeError('toDgramSocket: dgram cannot adopt fd 0 (Node takes only fd > 0); hand over a dup() of it');
  const opts: dgram.SocketOptions = { ...options, type: own };
  if (opts.signal?.aborted) throw new AbortError('toDgramSocket', opts.signal.reason);
  refuseIfBusy('toDgramSocket', fd);
  // Made first: Node's checks of the options throw before anything is released.
  const socket = dgram.createSocket(opts);
  try {
    // exclusive: in a cluster worker, Node would otherwise ask the primary
    // process to open its own fd of this number.
    socket.bind({ fd, exclusive: true });
  } catch (e) {
    // Node refused the fd (it is still the package's), or opened it and
    // then failed (a buffer size the kernel refuses): its socket, receiving
    // and out of the caller's reach, would hold the process open forever.
    // Closing it closes the fd in that case only.
    try {
      socket.close();
    } catch {
      // already closed: it had not opened the fd
    }
    if (native.fcntl(fd, F_GETFD) < 0) release(fd);
    throw e;
  }
  release(fd);
  return socket;
}
