// Loads the compiled addon (a prebuild when one matches, else build/Release)
// and gives it types. Everything in lib/ calls native code through `native`.
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** What a native call that can fail returns: a value >= 0, or -errno. */
export type Result = number;

/** Raw getaddrinfo entry, made by native/resolver.cc. */
export interface RawAddrInfo {
  flags: number;
  family: number;
  socktype: number;
  protocol: number;
  address: Record<string, unknown>;
  canonname?: string;
}

/** struct hostent as native/resolver.cc reports it. */
export interface RawHostent {
  status: number;
  errno: number;
  /** hstrerror(status), when status is not 0. */
  message?: string;
  name?: string;
  aliases?: string[];
  addrtype?: number;
  addresses?: string[];
}

/** struct servent, port in host order (native/netdb.cc). */
export interface RawServent {
  name: string;
  aliases: string[];
  port: number;
  proto: string;
}

export interface RawProtoent {
  name: string;
  aliases: string[];
  proto: number;
}

/** struct ifaddrs, addresses decoded (native/netdb.cc). */
export interface RawIfaddr {
  name: string;
  flags: number;
  address?: Record<string, unknown>;
  netmask?: Record<string, unknown>;
  broadcast?: Record<string, unknown>;
  destination?: Record<string, unknown>;
}

export interface Binding {
  // native/fd.cc
  socket(domain: number, type: number, protocol: number): Result;
  socketpair(domain: number, type: number, protocol: number, out: Int32Array): Result;
  accept(fd: number, flags: number, out?: object): Result;
  close(fd: number): Result;
  release(fd: number): void;
  trackOwnership(on: boolean): void;
  fcntl(fd: number, cmd: number, arg?: number): Result;
  /** fcntl(fd, F_DUPFD_CLOEXEC, 0). */
  dup(fd: number): Result;
  dup2(oldfd: number, newfd: number): Result;
  /** Linux only. */
  dup3?(oldfd: number, newfd: number, flags: number): Result;
  // native/calls.cc
  /** Addresses: an object like {family, address, port}, or the bytes of a whole sockaddr. */
  bind(fd: number, addr: object): Result;
  listen(fd: number, backlog: number): Result;
  connect(fd: number, addr: object): Result;
  shutdown(fd: number, how: number): Result;
  getsockname(fd: number, out: object): Result;
  getpeername(fd: number, out: object): Result;
  setsockopt(fd: number, level: number, name: number, value: ArrayBufferView): Result;
  getsockopt(fd: number, level: number, name: number, out: ArrayBufferView): Result;
  /** Integer-result requests only (FIONREAD, SIOCINQ, SIOCOUTQ...): the int the kernel wrote. */
  ioctl(fd: number, request: number): Result;
  /** 1 at the mark, 0 elsewhere. */
  sockatmark(fd: number): Result;
  // native/sockopt.cc
  /** Each option struct's layout: { size, field: [offset, size, signed, shift?, width?] }. */
  sockoptLayouts: Record<string, object>;
  /** Linux only: SO_ATTACH_FILTER/SO_ATTACH_REUSEPORT_CBPF, the program as struct sock_filter[] bytes. */
  setsockoptFprog?(fd: number, level: number, name: number, program: ArrayBufferView): Result;
  // native/io.cc
  send(fd: number, data: ArrayBufferView, flags: number): Result;
  recv(fd: number, buffer: ArrayBufferView, flags: number): Result;
  sendto(fd: number, data: ArrayBufferView, flags: number, addr: object): Result;
  /** name: NAME_BUFFER_SIZE bytes; gets the sender's sockaddr and, after sockaddr_storage's size, its length (uint32). */
  recvfrom(fd: number, buffer: ArrayBufferView, flags: number, name: ArrayBufferView): Result;
  read(fd: number, buffer: ArrayBufferView): Result;
  write(fd: number, data: ArrayBufferView): Result;
  // native/sendfile.cc
  /** offset null: the file's position, used and advanced. */
  sendfile(outFd: number, inFd: number, offset: number | null, count: number): Result;
  // native/msg.cc
  /** iov: buffers gathered in order; name: an address or null; control: [level, type, payload] triples or null. */
  sendmsg(
    fd: number,
    iov: ArrayBufferView[],
    name: object | null,
    control: (number | ArrayBufferView)[] | null,
    flags: number,
  ): Result;
  /** meta gets [bytes, msg_flags, namelen, count, (level, type, offset, length) per control message]. */
  recvmsg(
    fd: number,
    iov: ArrayBufferView[],
    control: ArrayBufferView | null,
    flags: number,
    name: ArrayBufferView | null,
    meta: Int32Array,
  ): Result;
  /** Linux only. */
  sendmmsg?(fd: number, msgs: [ArrayBufferView[], object | null, (number | ArrayBufferView)[] | null][], flags: number): Result;
  /** Linux only: message i in data[i*length...], its sender in names[i*SOCKADDR_STORAGE_SIZE...], meta per message. */
  recvmmsg?(
    fd: number,
    data: ArrayBufferView,
    length: number,
    vlen: number,
    control: ArrayBufferView | null,
    controlLength: number,
    flags: number,
    names: ArrayBufferView | null,
    meta: Int32Array,
  ): Result;
  CMSG_SPACE(length: number): number;
  CMSG_LEN(length: number): number;
  CONTROL_MAX: number;
  /** CMSG_ALIGN(1): struct cmsghdr's alignment. */
  CMSG_ALIGNMENT: number;
  // native/poll.cc
  poll(fds: ArrayBufferView, nfds: number, timeout: number): Result;
  // native/sockaddr.cc
  sockaddrToBytes(addr: object): Buffer;
  sockaddrFromBytes(bytes: ArrayBufferView, out: object): void;
  inet_pton(family: number, text: string): Buffer | Result;
  inet_ntop(family: number, bytes: ArrayBufferView): string | Result;
  SUN_PATH_SIZE: number;
  SOCKADDR_STORAGE_SIZE: number;
  SOCKADDR_FAMILY_END: number;
  NAME_BUFFER_SIZE: number;
  // native/constants.cc
  constants: Record<string, number>;
  // native/system.cc
  gethostname(): string | Result;
  strerror(errno: number): string;
  gai_strerror(code: number): string;
  if_nametoindex(name: string): number;
  if_indextoname(index: number): string | Result;
  // native/watcher.cc
  watch(fd: number, events: number): Result;
  check(fd: number): Result;
  setReadyCallback(onReady: (count: number) => void, pairs: Int32Array): void;
  READABLE: number;
  WRITABLE: number;
  PRIORITY: number;
  ERROR: number;
  FAILED: number;
  /** With watch(): the fd's calls are all unref'd; its registration does not keep the loop alive. */
  UNREF: number;
  READY_BATCH: number;
  // native/resolver.cc
  getaddrinfo(
    node: string | null,
    service: string | null,
    flags: number,
    family: number,
    socktype: number,
    protocol: number,
  ): Promise<{ status: number; errno: number; list: RawAddrInfo[] }>;
  getnameinfo(
    addr: object,
    flags: number,
  ): Promise<{ status: number; errno: number; host?: string; service?: string }>;
  /** status: the h_errno code, 0 when found (then the hostent's fields are set). */
  gethostbyname(name: string, family: number): Promise<RawHostent>;
  /** address: 4 (AF_INET) or 16 (AF_INET6) bytes in network order. */
  gethostbyaddr(address: ArrayBufferView, family: number): Promise<RawHostent>;
  // native/netdb.cc: null where C finds no entry, -errno where it fails
  getservbyname(name: string, proto: string | null): RawServent | null | Result;
  /** port in host order. */
  getservbyport(port: number, proto: string | null): RawServent | null | Result;
  getprotobyname(name: string): RawProtoent | null | Result;
  getprotobynumber(proto: number): RawProtoent | null | Result;
  inet_aton(text: string): Buffer | null;
  /** The in_addr_t value (network-order bytes read in host order); INADDR_NONE on failure. */
  inet_addr(text: string): number;
  /** addr: 4 bytes in network order, or the in_addr_t value. */
  inet_ntoa(addr: ArrayBufferView | number): string;
  if_nameindex(): { index: number; name: string }[] | Result;
  getifaddrs(): RawIfaddr[] | Result;
}

// node-gyp-build takes <root>/build/Release when it has a .node (a local build,
// or a consumer's compile when no prebuild matched), else the matching
// prebuilds/<platform>-<arch>/*.node (PREBUILDS_ONLY=1 skips build/);
// lib/ (under ts-jest) and dist/ are both one level below the package root.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const binding: Binding = require('node-gyp-build')(path.join(__dirname, '..'));

/**
 * The binding as lib/ calls it: a copy, so trace.ts can swap in tracing
 * wrappers and back without costing anything while tracing is off.
 */
export const native: Binding = { ...binding };

// Only a worker's fds need closing when its env ends: the main thread's end
// is the process's, when the kernel closes them all. So the main thread
// records nothing (no fstat per socket created or accepted).
if (isMainThread) binding.trackOwnership(false);

/**
 * How deep the calls made from inside a trace sink are (lib/trace.ts). Such
 * a call runs between another call's system call and the moment that call
 * reads its result out of a buffer lib/ reuses (io.ts, msg.ts), so while this
 * is non-zero those give each call buffers of its own.
 */
export const reentry = { sink: 0 };
