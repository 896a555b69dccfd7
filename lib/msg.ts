// Messages (native/msg.cc): sendmsg, recvmsg, recvmsgInto, and on Linux
// sendmmsg and recvmmsg, each as a promise and a ...Sync twin, plus
// sendFds/recvFds (CPython's send_fds/recv_fds: one sendmsg or recvmsg).
//
// Waiting follows lib/io.ts: the promise calls add MSG_DONTWAIT to each try
// and wait for readiness on EAGAIN (an MSG_ERRQUEUE read waits for POLLERR,
// in a queue of its own); the ...Sync calls are the plain system call with
// your flags. Control messages are checked and encoded by lib/cmsg.ts before
// any system call.
import { decodeControl, encodeControl, Cmsg, CmsgInput, CmsgRights } from './cmsg';
import { MSG_DONTWAIT, MSG_WAITFORONE, SCM_RIGHTS, SOL_SOCKET } from './constants';
import { check, errnoError } from './errors';
import { bufferFor, checkCommon, readKind, take } from './io';
import { native, reentry } from './native';
import { AGAIN, isAgain, Op, whenReady, WRITE } from './readiness';
import { checkSockaddr, decodeName, Sockaddr, SockaddrInput, targetOf } from './sockaddr';
import { checkFd, checkInt, checkLength, checkUnchanged, checkWritable, toBytes, WaitOptions } from './validate';

/** What sendmsg sends: `iov` gathered in order into one message (writev), to `name` if given. */
export interface Msghdr {
  iov: readonly (ArrayBufferView | string)[];
  /** The destination (sendto's address); omit on a connected socket. */
  name?: SockaddrInput;
  control?: readonly CmsgInput[];
}

export interface RecvmsgResult {
  /** The bytes received (at most `length`). */
  data: Buffer;
  /** The sender, or undefined when the kernel gave none (a connected stream socket). */
  address: Sockaddr | undefined;
  /** The control messages received, decoded where their struct is known. */
  control: Cmsg[];
  /** The kernel's msg_flags: MSG_TRUNC, MSG_CTRUNC, MSG_EOR, MSG_ERRQUEUE (Linux also echoes MSG_CMSG_CLOEXEC). */
  flags: number;
}

export interface RecvmsgIntoResult {
  /** Bytes received across the buffers, in order (with MSG_TRUNC on a datagram, its real length). */
  bytes: number;
  address: Sockaddr | undefined;
  control: Cmsg[];
  flags: number;
}

export interface RecvFdsResult {
  data: Buffer;
  /** Every descriptor received, in order (close-on-exec, owned like an accepted fd). */
  fds: number[];
  flags: number;
}

/** Per message in `meta`: bytes, msg_flags, namelen, control count, then 4 per control message. */
const HEAD = 4;
const SS = native.SOCKADDR_STORAGE_SIZE;
/** recvmmsg's limit: Linux handles at most UIO_MAXIOV (1024) messages per call. */
const VLEN_MAX = 1024;
const CMSG_HDR = native.CMSG_LEN(0);

function alignControl(n: number): number {
  const a = native.CMSG_ALIGNMENT;
  return Math.ceil(n / a) * a;
}

function strideFor(controlLength: number): number {
  return HEAD + 4 * Math.floor(controlLength / CMSG_HDR);
}

// Reused between calls: each is read out before the call returns. A call
// made from inside a trace sink (reentry.sink, lib/native.ts) runs between
// another call's system call and that read-out, so it gets buffers of its own.
let names = Buffer.allocUnsafeSlow(SS * 64);
let meta = new Int32Array(HEAD * 64);
let controlScratch = Buffer.allocUnsafeSlow(4096);
let batchScratch = Buffer.allocUnsafeSlow(64 * 1024);
const SCRATCH_MAX = 1 << 20;

function namesFor(count: number): Buffer {
  if (reentry.sink > 0) return Buffer.allocUnsafeSlow(SS * count);
  if (names.length < SS * count) names = Buffer.allocUnsafeSlow(SS * count);
  return names;
}
function metaFor(ints: number): Int32Array {
  if (reentry.sink > 0) return new Int32Array(ints);
  if (meta.length < ints) meta = new Int32Array(ints);
  return meta;
}
/** A control buffer: its own ArrayBuffer's start, aligned for struct cmsghdr. */
function controlFor(bytes: number): Buffer | null {
  if (bytes === 0) return null;
  if (bytes > SCRATCH_MAX || reentry.sink > 0) return Buffer.allocUnsafeSlow(bytes);
  if (controlScratch.length < bytes) controlScratch = Buffer.allocUnsafeSlow(bytes);
  return controlScratch.subarray(0, bytes);
}
function batchFor(bytes: number): Buffer {
  if (bytes > SCRATCH_MAX || reentry.sink > 0) return Buffer.allocUnsafeSlow(bytes);
  if (batchScratch.length < bytes) batchScratch = Buffer.allocUnsafeSlow(bytes);
  return batchScratch.subarray(0, bytes);
}

function addressAt(buf: Buffer, at: number, len: number): Sockaddr | undefined {
  return len > 0 ? decodeName(buf, at, Math.min(len, SS)) : undefined;
}

function checkControlLength(n: unknown): number {
  return checkInt(n, 'controlLength', 0, native.CONTROL_MAX);
}

/**
 * How many iov entries to read: the kernel refuses more than UIO_MAXIOV
 * (1024 on Linux and macOS) with EMSGSIZE whatever the count, so one more
 * than that is enough to get its answer — and a sparse array of 2**32 - 1
 * entries is not read to the end.
 */
const IOV_LIMIT = 1024;
function iovCount(iov: unknown[]): number {
  return Math.min(iov.length, IOV_LIMIT + 1);
}

/** TypeError unless every buffer has its size of when the call was made (validate.ts checkUnchanged). */
function unchanged(views: ArrayBufferView[], lengths: number[], name: string): void {
  for (let i = 0; i < views.length; i++) {
    if (views[i].byteLength !== lengths[i]) checkUnchanged(views[i], lengths[i], `${name}[${i}]`);
  }
}

/** A message as native/msg.cc takes it: [iov, encoded name | null, control triples | null]. */
type NativeMsg = [ArrayBufferView[], Uint8Array | null, (number | Uint8Array)[] | null];

/** Reads and checks `msg` once: a snapshot that is all the call uses. */
function checkMsg(msg: unknown, index = -1): { native: NativeMsg; name: SockaddrInput | undefined } {
  // The message's name in errors, spelt out only when one is thrown.
  const where = (): string => (index < 0 ? 'msg' : `msgs[${index}]`);
  if (typeof msg !== 'object' || msg === null) throw new TypeError(`${where()} must be an object like { iov: [data] }`);
  const { iov, name, control } = msg as Msghdr;
  if (!Array.isArray(iov)) throw new TypeError(`${where()}.iov must be an array of buffers or strings`);
  const n = iovCount(iov as unknown[]);
  const views: ArrayBufferView[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = iov[i];
    // The element's name is spelt out only for the error.
    views[i] = ArrayBuffer.isView(v) ? v : toBytes(v, `${where()}.iov[${i}]`);
  }
  const sa = name === undefined || name === null ? null : checkSockaddr(name);
  const encoded = control === undefined || control === null ? null : encodeControl(control, `${where()}.control`);
  return { native: [views, sa, encoded], name: name ?? undefined };
}

function checkIov(iov: unknown): ArrayBufferView[] {
  if (!Array.isArray(iov)) throw new TypeError('iov must be an array of buffers');
  const n = iovCount(iov as unknown[]);
  const views: ArrayBufferView[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = iov[i];
    views[i] = ArrayBuffer.isView(v) ? v : checkWritable(v, `iov[${i}]`);
  }
  return views;
}

/** The result of one recvmsg, read out of the reused buffers. */
function received(
  nm: Buffer,
  m: Int32Array,
  control: Buffer | null,
): { address: Sockaddr | undefined; control: Cmsg[]; flags: number } {
  return { address: addressAt(nm, 0, m[2]), control: decodeControl(control, m, 0), flags: m[1] };
}

class SendmsgCall implements Op<number> {
  private readonly flags: number;
  private readonly wantsEagain: boolean;
  constructor(
    private readonly fd: number,
    private readonly msg: NativeMsg,
    private readonly name: SockaddrInput | undefined,
    flags: number,
  ) {
    this.wantsEagain = (flags & MSG_DONTWAIT) !== 0;
    this.flags = flags | MSG_DONTWAIT;
    this.lengths = msg[0].map((v) => v.byteLength);
  }
  private readonly lengths: number[];
  attempt(): number | typeof AGAIN {
    unchanged(this.msg[0], this.lengths, 'msg.iov');
    const n = native.sendmsg(this.fd, this.msg[0], this.msg[1], this.msg[2], this.flags);
    if (n >= 0) return n;
    if (isAgain(n) && !this.wantsEagain) return AGAIN;
    throw errnoError(-n, 'sendmsg', targetOf(this.name));
  }
}

/**
 * recvmsg into the package's buffer (`iov` undefined: resolves with a
 * RecvmsgResult) or into the caller's buffers (a RecvmsgIntoResult).
 */
class RecvmsgCall<T> implements Op<T> {
  private readonly flags: number;
  private readonly wantsEagain: boolean;
  constructor(
    private readonly fd: number,
    private readonly length: number,
    private readonly iov: ArrayBufferView[] | undefined,
    private readonly controlLength: number,
    flags: number,
  ) {
    this.wantsEagain = (flags & MSG_DONTWAIT) !== 0;
    this.flags = flags | MSG_DONTWAIT;
    this.lengths = iov === undefined ? [] : iov.map((v) => v.byteLength);
  }
  private readonly lengths: number[];
  attempt(): T | typeof AGAIN {
    if (this.iov !== undefined) unchanged(this.iov, this.lengths, 'iov');
    return recvmsgOnce(this.fd, this.length, this.iov, this.controlLength, this.flags, !this.wantsEagain) as T | typeof AGAIN;
  }
}

/**
 * One recvmsg: its result, or a thrown error. EAGAIN is AGAIN when the call
 * waits (`wait`: a promise call without MSG_DONTWAIT), else thrown, as C.
 */
function recvmsgOnce(
  fd: number,
  length: number,
  iov: ArrayBufferView[] | undefined,
  controlLength: number,
  flags: number,
  wait: boolean,
): RecvmsgResult | RecvmsgIntoResult | typeof AGAIN {
  const control = controlFor(controlLength);
  const buf = iov === undefined ? bufferFor(length) : undefined;
  const nm = namesFor(1);
  const m = metaFor(strideFor(controlLength));
  const n = native.recvmsg(fd, iov ?? [buf!], control, flags, nm, m);
  if (n < 0) {
    if (wait && isAgain(n)) return AGAIN;
    throw errnoError(-n, 'recvmsg');
  }
  const rest = received(nm, m, control);
  if (buf !== undefined) return { data: take(buf, n), ...rest };
  return { bytes: n, ...rest };
}

/**
 * sendmsg(2): `msg.iov` gathered in order into one message (one datagram),
 * with `msg.control` as ancillary data, to `msg.name` if given. Resolves
 * with the bytes sent (a stream socket may take fewer).
 */
export function sendmsg(fd: number, msg: Msghdr, flags = 0, opts?: WaitOptions): Promise<number> {
  opts = checkCommon(fd, flags, opts);
  const m = checkMsg(msg);
  return whenReady(fd, WRITE, 'sendmsg', new SendmsgCall(fd, m.native, m.name, flags), opts);
}

/** sendmsg(2), blocking as in C. */
export function sendmsgSync(fd: number, msg: Msghdr, flags = 0): number {
  checkFd(fd);
  checkInt(flags, 'flags');
  const m = checkMsg(msg);
  const r = native.sendmsg(fd, m.native[0], m.native[1], m.native[2], flags);
  return r >= 0 ? r : check(r, 'sendmsg', targetOf(m.name));
}

/**
 * recvmsg(2) of up to `length` bytes with room for `controlLength` bytes of
 * control messages (size it with CMSG_SPACE). Returns without waiting when
 * data is already queued. With MSG_ERRQUEUE it reads the error queue,
 * waiting for POLLERR rather than for data.
 */
export function recvmsg(fd: number, length: number, controlLength = 0, flags = 0, opts?: WaitOptions): Promise<RecvmsgResult> {
  opts = checkCommon(fd, flags, opts);
  checkLength(length);
  checkControlLength(controlLength);
  return whenReady(fd, readKind(flags), 'recvmsg', new RecvmsgCall<RecvmsgResult>(fd, length, undefined, controlLength, flags), opts);
}

/** recvmsg(2), blocking as in C (MSG_ERRQUEUE: EAGAIN at once when the queue is empty). */
export function recvmsgSync(fd: number, length: number, controlLength = 0, flags = 0): RecvmsgResult {
  checkFd(fd);
  checkLength(length);
  checkControlLength(controlLength);
  checkInt(flags, 'flags');
  return recvmsgOnce(fd, length, undefined, controlLength, flags, false) as RecvmsgResult;
}

/** recvmsg(2) scattering into buffers you own, in order (readv); they stay referenced until the call settles. */
export function recvmsgInto(
  fd: number,
  iov: ArrayBufferView[],
  controlLength = 0,
  flags = 0,
  opts?: WaitOptions,
): Promise<RecvmsgIntoResult> {
  opts = checkCommon(fd, flags, opts);
  const views = checkIov(iov);
  checkControlLength(controlLength);
  return whenReady(fd, readKind(flags), 'recvmsg', new RecvmsgCall<RecvmsgIntoResult>(fd, 0, views, controlLength, flags), opts);
}

/** recvmsgInto, blocking as in C. */
export function recvmsgIntoSync(fd: number, iov: ArrayBufferView[], controlLength = 0, flags = 0): RecvmsgIntoResult {
  checkFd(fd);
  const views = checkIov(iov);
  checkControlLength(controlLength);
  checkInt(flags, 'flags');
  return recvmsgOnce(fd, 0, views, controlLength, flags, false) as RecvmsgIntoResult;
}

function rightsMsg(data: ArrayBufferView | string, fds: readonly number[]): Msghdr {
  if (!Array.isArray(fds)) throw new TypeError('fds must be an array of file descriptors');
  return { iov: [data], control: fds.length > 0 ? [{ level: SOL_SOCKET, type: SCM_RIGHTS, fds }] : undefined };
}

function fdsOf(r: { control: Cmsg[] }): number[] {
  const fds: number[] = [];
  for (const c of r.control) if (c.name === 'SCM_RIGHTS') fds.push(...(c as CmsgRights).fds);
  return fds;
}

function maxFdsSpace(maxFds: number): number {
  checkInt(maxFds, 'maxFds', 0, Math.floor(native.CONTROL_MAX / 4) - 64);
  // CMSG_LEN, as CPython's recv_fds: CMSG_SPACE's padding would have room for one fd more.
  return maxFds === 0 ? 0 : native.CMSG_LEN(maxFds * 4);
}

/** sendmsg with `fds` in one SCM_RIGHTS message (CPython's socket.send_fds). */
export function sendFds(fd: number, data: ArrayBufferView | string, fds: readonly number[], flags = 0, opts?: WaitOptions): Promise<number> {
  return sendmsg(fd, rightsMsg(data, fds), flags, opts);
}

/** sendFds, blocking as in C. */
export function sendFdsSync(fd: number, data: ArrayBufferView | string, fds: readonly number[], flags = 0): number {
  return sendmsgSync(fd, rightsMsg(data, fds), flags);
}

/**
 * recvmsg with room for `maxFds` descriptors (CPython's socket.recv_fds):
 * the data and every fd received. With MSG_CTRUNC in `flags` more were sent
 * than fit; those that did arrive are returned (the kernel closed the rest).
 */
export async function recvFds(fd: number, length: number, maxFds: number, flags = 0, opts?: WaitOptions): Promise<RecvFdsResult> {
  const r = await recvmsg(fd, length, maxFdsSpace(maxFds), flags, opts);
  return { data: r.data, fds: fdsOf(r), flags: r.flags };
}

/** recvFds, blocking as in C. */
export function recvFdsSync(fd: number, length: number, maxFds: number, flags = 0): RecvFdsResult {
  const r = recvmsgSync(fd, length, maxFdsSpace(maxFds), flags);
  return { data: r.data, fds: fdsOf(r), flags: r.flags };
}

// ---- Linux: sendmmsg / recvmmsg ---------------------------------------

function checkMsgs(msgs: unknown): { list: NativeMsg[]; first: SockaddrInput | undefined } {
  if (!Array.isArray(msgs)) throw new TypeError('msgs must be an array of messages like { iov: [data] }');
  // The length first: a sparse array's is free, reading 2**32 holes is not.
  const count = (msgs as unknown[]).length;
  if (count > VLEN_MAX) throw new RangeError(`msgs may hold at most ${VLEN_MAX} messages (the kernel's UIO_MAXIOV), got ${count}`);
  const all = Array.from(msgs as unknown[]);
  let first: SockaddrInput | undefined;
  const list = all.map((m, i) => {
    const c = checkMsg(m, i);
    if (i === 0) first = c.name;
    return c.native;
  });
  return { list, first };
}

class SendmmsgCall implements Op<number> {
  private readonly flags: number;
  private readonly wantsEagain: boolean;
  constructor(
    private readonly fd: number,
    private readonly msgs: NativeMsg[],
    private readonly first: SockaddrInput | undefined,
    flags: number,
  ) {
    this.wantsEagain = (flags & MSG_DONTWAIT) !== 0;
    this.flags = flags | MSG_DONTWAIT;
  }
  attempt(): number | typeof AGAIN {
    const n = native.sendmmsg!(this.fd, this.msgs, this.flags);
    if (n >= 0) return n;
    if (isAgain(n) && !this.wantsEagain) return AGAIN;
    // The kernel reports an error only when the first message failed.
    throw errnoError(-n, 'sendmmsg', targetOf(this.first));
  }
}

function sendmmsgImpl(fd: number, msgs: readonly Msghdr[], flags = 0, opts?: WaitOptions): Promise<number> {
  opts = checkCommon(fd, flags, opts);
  const m = checkMsgs(msgs);
  return whenReady(fd, WRITE, 'sendmmsg', new SendmmsgCall(fd, m.list, m.first, flags), opts);
}

function sendmmsgSyncImpl(fd: number, msgs: readonly Msghdr[], flags = 0): number {
  checkFd(fd);
  checkInt(flags, 'flags');
  const m = checkMsgs(msgs);
  const r = native.sendmmsg!(fd, m.list, flags);
  return r >= 0 ? r : check(r, 'sendmmsg', targetOf(m.first));
}

/** One recvmmsg call's arguments, checked. */
interface Batch {
  fd: number;
  vlen: number;
  length: number;
  controlLength: number;
}

function checkBatch(fd: number, vlen: number, length: number, controlLength: number): Batch {
  checkInt(vlen, 'vlen', 1, VLEN_MAX);
  checkLength(length);
  checkControlLength(controlLength);
  if (vlen * (length + alignControl(controlLength)) > 0x7fffffff) throw new RangeError('vlen * (length + controlLength) must be below 2 GiB');
  return { fd, vlen, length, controlLength };
}

/** One recvmmsg: the messages, or a thrown error; EAGAIN as recvmsgOnce. */
function recvmmsgOnce(b: Batch, flags: number, wait: boolean): RecvmsgResult[] | typeof AGAIN {
  const data = batchFor(b.vlen * b.length);
  // Each message's control area is rounded up to struct cmsghdr's alignment (native/msg.cc).
  const control = controlFor(b.vlen * alignControl(b.controlLength));
  const stride = strideFor(b.controlLength);
  const m = metaFor(stride * b.vlen);
  const nm = namesFor(b.vlen);
  const n = native.recvmmsg!(b.fd, data, b.length, b.vlen, control, b.controlLength, flags, nm, m);
  if (n < 0) {
    if (wait && isAgain(n)) return AGAIN;
    throw errnoError(-n, 'recvmmsg');
  }
  // One allocation holds every message's bytes; each result is a view of it.
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.min(m[i * stride], b.length);
  const out = Buffer.allocUnsafe(total);
  const results: RecvmsgResult[] = new Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const s = i * stride;
    const len = Math.min(m[s], b.length);
    data.copy(out, at, i * b.length, i * b.length + len);
    results[i] = {
      data: out.subarray(at, at + len),
      address: addressAt(nm, i * SS, m[s + 2]),
      control: m[s + 3] > 0 ? decodeControl(control, m, s) : [],
      flags: m[s + 1],
    };
    at += len;
  }
  return results;
}

class RecvmmsgCall implements Op<RecvmsgResult[]> {
  private readonly flags: number;
  private readonly wantsEagain: boolean;
  constructor(
    private readonly batch: Batch,
    flags: number,
  ) {
    this.wantsEagain = (flags & MSG_DONTWAIT) !== 0;
    this.flags = flags | MSG_DONTWAIT;
  }
  attempt(): RecvmsgResult[] | typeof AGAIN {
    return recvmmsgOnce(this.batch, this.flags, !this.wantsEagain);
  }
}

function recvmmsgImpl(
  fd: number,
  vlen: number,
  length: number,
  controlLength = 0,
  flags = 0,
  opts?: WaitOptions,
): Promise<RecvmsgResult[]> {
  opts = checkCommon(fd, flags, opts);
  const b = checkBatch(fd, vlen, length, controlLength);
  return whenReady(fd, readKind(flags), 'recvmmsg', new RecvmmsgCall(b, flags), opts);
}

function recvmmsgSyncImpl(fd: number, vlen: number, length: number, controlLength = 0, flags = 0): RecvmsgResult[] {
  checkFd(fd);
  checkInt(flags, 'flags');
  const b = checkBatch(fd, vlen, length, controlLength);
  // MSG_WAITFORONE: block for the first message only, then take what is queued.
  return recvmmsgOnce(b, flags | (MSG_WAITFORONE ?? 0), false) as RecvmsgResult[];
}

/**
 * sendmmsg(2) (Linux): several messages in one system call, each shaped
 * like sendmsg's. Resolves with the number of messages sent (the kernel may
 * send fewer than given; an error is reported only when the first fails).
 * undefined where the platform has no sendmmsg (macOS).
 */
export const sendmmsg: ((fd: number, msgs: readonly Msghdr[], flags?: number, opts?: WaitOptions) => Promise<number>) | undefined = native.sendmmsg ? sendmmsgImpl : undefined;
/** sendmmsg(2), blocking as in C. undefined where the platform has no sendmmsg. */
export const sendmmsgSync: ((fd: number, msgs: readonly Msghdr[], flags?: number) => number) | undefined = native.sendmmsg ? sendmmsgSyncImpl : undefined;
/**
 * recvmmsg(2) (Linux): waits like recv until at least one message is
 * queued, then returns every message available, up to `vlen`, without
 * waiting again (the kernel's timeout argument is never used). Each result
 * is shaped like recvmsg's. undefined where the platform has no recvmmsg.
 */
export const recvmmsg:
  | ((fd: number, vlen: number, length: number, controlLength?: number, flags?: number, opts?: WaitOptions) => Promise<RecvmsgResult[]>)
  | undefined = native.recvmmsg ? recvmmsgImpl : undefined;
/** recvmmsg(2) with MSG_WAITFORONE: blocks for the first message only. undefined where the platform has no recvmmsg. */
export const recvmmsgSync:
  | ((fd: number, vlen: number, length: number, controlLength?: number, flags?: number) => RecvmsgResult[])
  | undefined = native.recvmmsg ? recvmmsgSyncImpl : undefined;
