// htons/ntohs/htonl/ntohl: host <-> network (big-endian) byte order. Pure
// arithmetic, so no native call: on a big-endian host they return the value
// unchanged, on a little-endian one they swap the bytes. Unlike C they throw
// RangeError rather than silently truncating a value that does not fit.
import * as os from 'node:os';

const SWAP = os.endianness() === 'LE';

function checkUint(x: unknown, bits: 16 | 32, name: string): number {
  if (typeof x !== 'number') throw new TypeError(`${name} takes a number`);
  const max = bits === 16 ? 0xffff : 0xffffffff;
  if (!Number.isInteger(x) || x < 0 || x > max) {
    throw new RangeError(`${name} takes an integer from 0 to ${max}, got ${x}`);
  }
  return x;
}

function swap16(x: number): number {
  return ((x & 0xff) << 8) | (x >>> 8);
}

function swap32(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

function converter(bits: 16 | 32, name: string): (x: number) => number {
  const swap = bits === 16 ? swap16 : swap32;
  return (x: number) => {
    checkUint(x, bits, name);
    return SWAP ? swap(x) : x;
  };
}

/** uint16 host -> network byte order. */
export const htons = converter(16, 'htons');
/** uint16 network -> host byte order. */
export const ntohs = converter(16, 'ntohs');
/** uint32 host -> network byte order. */
export const htonl = converter(32, 'htonl');
/** uint32 network -> host byte order. */
export const ntohl = converter(32, 'ntohl');
