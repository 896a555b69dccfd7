// Argument checks shared by every call: they throw TypeError/RangeError
// before any system call, so a bad argument never reaches the kernel (and a
// promise call throws at the caller's line rather than rejecting later).

/** Options every promise call takes. */
export interface WaitOptions {
  /** Rejects the call with an AbortError when aborted; the waiter is removed. */
  signal?: AbortSignal;
  /** Milliseconds to wait for readiness before rejecting with ETIMEDOUT. */
  timeout?: number;
  /**
   * false: the call does not keep the process alive while it waits (like an
   * unref'd net.Socket or timer). A process whose only pending work is
   * unref'd calls exits; they never settle then. Default true. One ref'd
   * call on an fd keeps the process alive whatever others wait with it.
   */
  ref?: boolean;
}

/** A UTF-16 code unit that is half of no pair (with the u flag, a pair is one code point). */
export const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * A name for the C library. One with an embedded NUL is a TypeError (C would
 * read only up to it), and so is one with a lone surrogate (UTF-8 would carry
 * U+FFFD instead): either way C would answer for a different name.
 */
export function checkCName(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${typeof value}`);
  if (value.includes('\0')) throw new TypeError(`${name} contains a NUL byte`);
  if (LONE_SURROGATE.test(value)) throw new TypeError(`${name} contains a lone surrogate (not valid UTF-16)`);
  return value;
}

export function checkInt(value: unknown, name: string, min = -0x80000000, max = 0x7fffffff): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

export function checkFd(fd: unknown): number {
  return checkInt(fd, 'fd', 0);
}

/** A length for recv/recvfrom: a non-negative integer of at most 2 GiB - 1. */
export function checkLength(length: unknown): number {
  return checkInt(length, 'length', 0);
}

/** Data to send: a Buffer/TypedArray/DataView, or a string sent as UTF-8. */
export function toBytes(data: unknown, name = 'data'): ArrayBufferView {
  if (typeof data === 'string') return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return data;
  throw new TypeError(`${name} must be a Buffer, TypedArray, DataView or string`);
}

/** A buffer the kernel writes into. */
export function checkWritable(buffer: unknown, name = 'buffer'): ArrayBufferView {
  if (ArrayBuffer.isView(buffer)) return buffer;
  throw new TypeError(`${name} must be a Buffer, TypedArray or DataView`);
}

/**
 * Checks the options of a promise call and returns a snapshot of them: the
 * call uses only the snapshot, so a getter cannot hand one value to the
 * check and another to the wait.
 */
export function checkWaitOptions(opts: unknown): WaitOptions | undefined {
  if (opts === undefined) return undefined;
  if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object');
  const { signal, timeout, ref } = opts as WaitOptions;
  if (signal !== undefined) checkSignal(signal);
  if (ref !== undefined && typeof ref !== 'boolean') throw new TypeError('options.ref must be a boolean');
  if (timeout !== undefined) {
    if (typeof timeout !== 'number') throw new TypeError('options.timeout must be a number');
    if (!(timeout >= 0) || timeout > 0x7fffffff) {
      throw new RangeError(`options.timeout must be from 0 to 2147483647 ms, got ${timeout}`);
    }
  }
  if (signal === undefined && timeout === undefined && ref === undefined) return undefined;
  return { signal, timeout, ref };
}

/**
 * An AbortSignal: a real one from any realm (jest and vm contexts each have
 * their own class), or an object with everything this package calls on one
 * (aborted, reason, addEventListener, removeEventListener).
 */
function checkSignal(signal: unknown): void {
  const s = signal as AbortSignal;
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.aborted !== 'boolean' ||
    typeof s.addEventListener !== 'function' ||
    typeof s.removeEventListener !== 'function'
  ) {
    throw new TypeError('options.signal must be an AbortSignal');
  }
}

/**
 * Throws TypeError unless `view` still has the byteLength it had when the
 * call was made. A fixed-length view of a resizable ArrayBuffer that was
 * shrunk while a call waited is out of bounds, and napi reports it as empty
 * (not detached): receiving into it would consume a datagram into nothing.
 */
export function checkUnchanged(view: ArrayBufferView, byteLength: number, name: string): void {
  if (view.byteLength !== byteLength) {
    throw new TypeError(`${name} was resized (its ArrayBuffer shrank or was detached) while the call waited`);
  }
}
