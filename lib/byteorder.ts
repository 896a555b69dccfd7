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

/** uint16 host -> network byte order. */
export function htons(x: number): number {
  checkUint(x, 16, 'htons');
  return SWAP ? swap16(x) : x;
}

/** uint16 network -> host byte order. */
export function ntohs(x: number): number {
  checkUint(x, 16, 'ntohs');
  return SWAP ? swap16(x) : x;
}

/** uint32 host -> network byte order. */
export function htonl(x: number): number {
  checkUint(x, 32, 'htonl');
  return SWAP ? swap32(x) : x;
}

/** uint32 network -> host byte order. */
export function ntohl(x: number): number {
  checkUint(x, 32, 'ntohl');
  return SWAP ? swap32(x) : x;
}
