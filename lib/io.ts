// Moving data (native/io.cc): send, recv, recvInto, sendto, recvfrom, each
// as a promise and as a ...Sync twin.
//
// The promise calls add MSG_DONTWAIT to each try, so they never block and
// never touch the fd's own flags; on EAGAIN they wait for readiness
// (readiness.ts) and try again. Passing MSG_DONTWAIT yourself makes them
// reject with EAGAIN instead of waiting, as in C.
//
// The ...Sync calls are the plain system call with your flags: they block
// the thread on a blocking fd and throw EAGAIN on a non-blocking one.
import { MSG_DONTWAIT, MSG_ERRQUEUE, MSG_OOB } from './constants';
import { check, errnoError } from './errors';
import { nonBlockingCall } from './fd';
import { native, reentry } from './native';
import { AGAIN, ERRQUEUE, isAgain, Op, READ, URGENT, WaitKind, whenReady, WRITE } from './readiness';
import { checkSockaddr, decodeNameBuffer, Sockaddr, SockaddrInput, targetOf } from './sockaddr';
import { checkFd, checkInt, checkLength, checkUnchanged, checkWaitOptions, checkWritable, toBytes, WaitOptions } from './validate';

export interface RecvfromResult {
  /** The bytes received (at most `length`; a datagram longer than that is truncated). */
  data: Buffer;
  /** The sender's address ({ family: AF_UNSPEC } on a connected stream socket). */
  address: Sockaddr;
}

// recv/recvfrom read into one reused buffer and copy out only the bytes
// received, so a pending call holds no buffer and a small read allocates
// little. Requests larger than this get a buffer of their own.
const SCRATCH_MAX = 1 << 20;
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

export function bufferFor(length: number): Buffer {
  // A call made from inside a trace sink must not reuse the buffer of the
  // call being traced, which has not read its result out yet.
  if (reentry.sink > 0) return Buffer.allocUnsafe(length);
  if (length > SCRATCH_MAX) return Buffer.allocUnsafeSlow(length);
  if (length > scratch.length) scratch = Buffer.allocUnsafeSlow(length);
  return scratch.subarray(0, length);
}

/** The first n bytes of `buf` as a Buffer the caller may keep. */
export function take(buf: Buffer, n: number): Buffer {
  // With MSG_TRUNC (Linux) the kernel reports the datagram's full length.
  const len = Math.min(n, buf.length);
  // A buffer of its own is handed out as it is unless most of it is unused:
  // a small answer to a large request must not keep the request's memory.
  if (buf.buffer !== scratch.buffer && len >= buf.length >>> 1) return buf.subarray(0, len);
  const out = Buffer.allocUnsafe(len);
  buf.copy(out, 0, 0, len);
  return out;
}

/** recvfrom's sender, as native/io.cc writes it (read out before the next call). */
const NAME = Buffer.allocUnsafeSlow(native.NAME_BUFFER_SIZE).fill(0);

/** NAME, or a buffer of its own for a call made from inside a trace sink (reentry). */
function nameBuffer(): Buffer {
  return reentry.sink === 0 ? NAME : Buffer.alloc(native.NAME_BUFFER_SIZE);
}

/** Which queue a read waits in: the error queue and urgent data have their own. */
export function readKind(flags: number): WaitKind {
  if (MSG_ERRQUEUE !== undefined && flags & MSG_ERRQUEUE) return ERRQUEUE;
  return flags & MSG_OOB ? URGENT : READ;
}

const enum Mode {
  Send,
  Sendto,
  Recv,
  RecvInto,
  Recvfrom,
  Read,
  Write,
}

/**
 * One promise I/O call as the engine tries it: the native call with
 * MSG_DONTWAIT added, its result shaped for the caller. One object per call
 * (no closures), because these are the calls a ping-pong makes.
 */
class IoCall<T> implements Op<T> {
  private buf: Buffer | undefined;
  /** recvfrom's name buffer. */
  private name: Buffer | undefined;
  constructor(
    private readonly mode: Mode,
    private readonly fd: number,
    private readonly syscall: string,
    flags: number,
    /** send/sendto data, or recvInto's buffer. */
    private readonly bytes: ArrayBufferView | undefined,
    /** recv/recvfrom's length. */
    private readonly length: number,
    /** sendto's encoded address. */
    private readonly to: Uint8Array | undefined,
    /** sendto's address as given: what an error names (decoded only then). */
    private readonly addr: SockaddrInput | undefined,
  ) {
    this.wantsEagain = (flags & MSG_DONTWAIT) !== 0;
    this.flags = flags | MSG_DONTWAIT;
    this.byteLength = bytes === undefined ? 0 : bytes.byteLength;
  }
  private readonly flags: number;
  private readonly wantsEagain: boolean;
  /** The caller's buffer's size when the call was made (checkUnchanged). */
  private readonly byteLength: number;

  attempt(): T | typeof AGAIN {
    let n: number;
    if (this.bytes !== undefined) checkUnchanged(this.bytes, this.byteLength, this.mode === Mode.RecvInto ? 'buffer' : 'data');
    switch (this.mode) {
      case Mode.Send:
        n = native.send(this.fd, this.bytes!, this.flags);
        break;
      case Mode.Sendto:
        n = native.sendto(this.fd, this.bytes!, this.flags, this.to!);
        break;
      case Mode.RecvInto:
        n = native.recv(this.fd, this.bytes!, this.flags);
        break;
      case Mode.Recv:
        n = native.recv(this.fd, (this.buf = bufferFor(this.length)), this.flags);
        break;
      case Mode.Read:
        // No per-call flag: a blocking fd is non-blocking for this one try.
        n = nonBlockingCall(this.fd, () => native.read(this.fd, (this.buf = bufferFor(this.length))));
        break;
      case Mode.Write:
        n = nonBlockingCall(this.fd, () => native.write(this.fd, this.bytes!));
        break;
      default:
        n = native.recvfrom(this.fd, (this.buf = bufferFor(this.length)), this.flags, (this.name = nameBuffer()));
    }
    if (n >= 0) {
      if (this.mode === Mode.Recv || this.mode === Mode.Read) return take(this.buf!, n) as T;
      if (this.mode === Mode.Recvfrom) return { data: take(this.buf!, n), address: decodeNameBuffer(this.name!) } as T;
      return n as T;
    }
    if (isAgain(n) && !this.wantsEagain) return AGAIN;
    throw errnoError(-n, this.syscall, targetOf(this.addr));
  }
}

/** Checks what every promise call takes; returns the options' snapshot. */
export function checkCommon(fd: number, flags: number, opts?: WaitOptions): WaitOptions | undefined {
  checkFd(fd);
  checkInt(flags, 'flags');
  return checkWaitOptions(opts);
}

/** send(2): resolves with the number of bytes the kernel took (possibly fewer than given). */
export function send(fd: number, data: ArrayBufferView | string, flags = 0, opts?: WaitOptions): Promise<number> {
  opts = checkCommon(fd, flags, opts);
  const call = new IoCall<number>(Mode.Send, fd, 'send', flags, toBytes(data), 0, undefined, undefined);
  return whenReady(fd, WRITE, 'send', call, opts);
}

/** send(2), blocking as in C. */
export function sendSync(fd: number, data: ArrayBufferView | string, flags = 0): number {
  checkFd(fd);
  checkInt(flags, 'flags');
  return check(native.send(fd, toBytes(data), flags), 'send');
}

/**
 * recv(2) of up to `length` bytes. An empty Buffer means the peer shut down
 * its side (orderly EOF) — or that `length` was 0.
 */
export function recv(fd: number, length: number, flags = 0, opts?: WaitOptions): Promise<Buffer> {
  opts = checkCommon(fd, flags, opts);
  checkLength(length);
  const call = new IoCall<Buffer>(Mode.Recv, fd, 'recv', flags, undefined, length, undefined, undefined);
  return whenReady(fd, readKind(flags), 'recv', call, opts);
}

/** recv(2), blocking as in C. */
export function recvSync(fd: number, length: number, flags = 0): Buffer {
  checkFd(fd);
  checkLength(length);
  checkInt(flags, 'flags');
  const buf = bufferFor(length);
  return take(buf, check(native.recv(fd, buf, flags), 'recv'));
}

/**
 * recv(2) into a buffer you own (kept referenced until the call settles):
 * resolves with the byte count (0 = EOF). With MSG_TRUNC on a datagram
 * socket (Linux) the count is the datagram's real length.
 */
export function recvInto(fd: number, buffer: ArrayBufferView, flags = 0, opts?: WaitOptions): Promise<number> {
  opts = checkCommon(fd, flags, opts);
  checkWritable(buffer);
  const call = new IoCall<number>(Mode.RecvInto, fd, 'recv', flags, buffer, 0, undefined, undefined);
  return whenReady(fd, readKind(flags), 'recv', call, opts);
}

/** recv(2) into your buffer, blocking as in C. */
export function recvIntoSync(fd: number, buffer: ArrayBufferView, flags = 0): number {
  checkFd(fd);
  checkInt(flags, 'flags');
  checkWritable(buffer);
  return check(native.recv(fd, buffer, flags), 'recv');
}

/** sendto(2): one datagram to `addr` (or, on a connected socket, data as send). */
export function sendto(
  fd: number,
  data: ArrayBufferView | string,
  flags: number,
  addr: SockaddrInput,
  opts?: WaitOptions,
): Promise<number> {
  opts = checkCommon(fd, flags, opts);
  const sa = checkSockaddr(addr);
  const bytes = toBytes(data);
  const call = new IoCall<number>(Mode.Sendto, fd, 'sendto', flags, bytes, 0, sa, addr);
  return whenReady(fd, WRITE, 'sendto', call, opts);
}

/** sendto(2), blocking as in C. */
export function sendtoSync(fd: number, data: ArrayBufferView | string, flags: number, addr: SockaddrInput): number {
  checkFd(fd);
  checkInt(flags, 'flags');
  const r = native.sendto(fd, toBytes(data), flags, checkSockaddr(addr));
  // The address is decoded for the error only (it may be encoded bytes).
  return r >= 0 ? r : check(r, 'sendto', targetOf(addr));
}

/** recvfrom(2): up to `length` bytes and the sender's address. */
export function recvfrom(fd: number, length: number, flags = 0, opts?: WaitOptions): Promise<RecvfromResult> {
  opts = checkCommon(fd, flags, opts);
  checkLength(length);
  const call = new IoCall<RecvfromResult>(Mode.Recvfrom, fd, 'recvfrom', flags, undefined, length, undefined, undefined);
  return whenReady(fd, readKind(flags), 'recvfrom', call, opts);
}

/** recvfrom(2), blocking as in C. */
export function recvfromSync(fd: number, length: number, flags = 0): RecvfromResult {
  checkFd(fd);
  checkLength(length);
  checkInt(flags, 'flags');
  const buf = bufferFor(length);
  const name = nameBuffer();
  const n = check(native.recvfrom(fd, buf, flags, name), 'recvfrom');
  return { data: take(buf, n), address: decodeNameBuffer(name) };
}

/**
 * read(2) of up to `length` bytes, as the course programs use it on a
 * socket (any fd works: a pipe, a file). An empty Buffer at end of file.
 * Waits like recv; on a blocking fd each try sets O_NONBLOCK for that one
 * call and restores it (read has no MSG_DONTWAIT).
 */
export function read(fd: number, length: number, opts?: WaitOptions): Promise<Buffer> {
  checkFd(fd);
  checkLength(length);
  opts = checkWaitOptions(opts);
  const call = new IoCall<Buffer>(Mode.Read, fd, 'read', 0, undefined, length, undefined, undefined);
  return whenReady(fd, READ, 'read', call, opts);
}

/** read(2), blocking as in C. */
export function readSync(fd: number, length: number): Buffer {
  checkFd(fd);
  checkLength(length);
  const buf = bufferFor(length);
  return take(buf, check(native.read(fd, buf), 'read'));
}

/** write(2): resolves with the number of bytes written (possibly fewer than given). Waits like send. */
export function write(fd: number, data: ArrayBufferView | string, opts?: WaitOptions): Promise<number> {
  checkFd(fd);
  opts = checkWaitOptions(opts);
  const call = new IoCall<number>(Mode.Write, fd, 'write', 0, toBytes(data), 0, undefined, undefined);
  return whenReady(fd, WRITE, 'write', call, opts);
}

/** write(2), blocking as in C. */
export function writeSync(fd: number, data: ArrayBufferView | string): number {
  checkFd(fd);
  return check(native.write(fd, toBytes(data)), 'write');
}
