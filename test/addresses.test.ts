// inet_pton/inet_ntop, the byte-order functions, and the exact sockaddr bytes.
import * as os from 'node:os';
import * as P from '../lib';
import { isLinux, thrown } from './helpers/sockets';

const LE = os.endianness() === 'LE';

describe('inet_pton / inet_ntop', () => {
  test.each([
    ['127.0.0.1', [127, 0, 0, 1]],
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['192.168.1.10', [192, 168, 1, 10]],
  ])('AF_INET %s', (text, bytes) => {
    const b = P.inet_pton(P.AF_INET, text)!;
    expect([...b]).toEqual(bytes);
    expect(P.inet_ntop(P.AF_INET, b)).toBe(text);
  });

  test.each([
    ['::1', '00000000000000000000000000000001', '::1'],
    ['::', '00000000000000000000000000000000', '::'],
    ['2001:db8::ff00:42:8329', '20010db8000000000000ff0000428329', '2001:db8::ff00:42:8329'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '20010db8000000000000ff0000428329', '2001:db8::ff00:42:8329'],
    ['::ffff:127.0.0.1', '00000000000000000000ffff7f000001', '::ffff:127.0.0.1'],
    ['FE80::1', 'fe800000000000000000000000000001', 'fe80::1'],
  ])('AF_INET6 %s', (text, hex, canonical) => {
    const b = P.inet_pton(P.AF_INET6, text)!;
    expect(b.toString('hex')).toBe(hex);
    expect(P.inet_ntop(P.AF_INET6, b)).toBe(canonical);
  });

  test.each([
    [P.AF_INET, '256.0.0.1'],
    [P.AF_INET, '1.2.3'],
    [P.AF_INET, '01.2.3.4'],
    [P.AF_INET, 'localhost'],
    [P.AF_INET, '::1'],
    [P.AF_INET, '1.2.3.4\0junk'],
    [P.AF_INET6, '1::2::3'],
    [P.AF_INET6, '127.0.0.1'],
    [P.AF_INET6, 'gggg::'],
    [P.AF_INET6, ''],
  ])('invalid text for family %i: %j → null (C returns 0)', (family, text) => {
    expect(P.inet_pton(family, text)).toBeNull();
  });

  test('an unsupported family → EAFNOSUPPORT, as C sets errno', () => {
    expect(thrown(() => P.inet_pton(P.AF_UNIX, '1.2.3.4')).code).toBe('EAFNOSUPPORT');
    expect(thrown(() => P.inet_ntop(P.AF_UNIX, Buffer.alloc(4))).code).toBe('EAFNOSUPPORT');
  });

  test('inet_ntop needs exactly 4 or 16 bytes', () => {
    expect(() => P.inet_ntop(P.AF_INET, Buffer.alloc(3))).toThrow(RangeError);
    expect(() => P.inet_ntop(P.AF_INET6, Buffer.alloc(4))).toThrow(RangeError);
  });
});

describe('byte order', () => {
  test('htons/ntohs swap on a little-endian host and round-trip', () => {
    expect(P.htons(0x1234)).toBe(LE ? 0x3412 : 0x1234);
    expect(P.ntohs(P.htons(54321))).toBe(54321);
    expect(P.htons(80)).toBe(LE ? 0x5000 : 80);
  });

  test('htonl/ntohl swap and stay unsigned', () => {
    expect(P.htonl(0x7f000001)).toBe(LE ? 0x0100007f : 0x7f000001);
    expect(P.htonl(0x000000ff)).toBe(LE ? 0xff000000 : 0xff);
    expect(P.ntohl(P.htonl(0xdeadbeef))).toBe(0xdeadbeef);
    expect(P.htonl(P.INADDR_LOOPBACK)).toBe(LE ? 0x0100007f : 0x7f000001);
  });

  test('values that do not fit are a RangeError, not silently truncated', () => {
    expect(() => P.htons(65536)).toThrow(RangeError);
    expect(() => P.htons(-1)).toThrow(RangeError);
    expect(() => P.htonl(2 ** 32)).toThrow(RangeError);
    expect(() => P.ntohs(1.5)).toThrow(RangeError);
    expect(() => P.htonl('1' as unknown as number)).toThrow(TypeError);
  });
});

describe('sockaddr bytes', () => {
  test('sockaddr_in: 16 bytes, port in network order, address, zeroed sin_zero', () => {
    const b = P.sockaddrToBytes({ family: P.AF_INET, address: '127.0.0.1', port: 54321 });
    expect(b.length).toBe(16);
    expect(b.readUInt16BE(2)).toBe(54321); // what htons is for
    expect([...b.subarray(4, 8)]).toEqual([127, 0, 0, 1]);
    expect([...b.subarray(8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]); // sin_zero
    if (isLinux) expect(b.toString('hex')).toBe('0200d4317f0000010000000000000000');
  });

  test('sockaddr_in6: 28 bytes with flowinfo and scope id', () => {
    const b = P.sockaddrToBytes({ family: P.AF_INET6, address: '::1', port: 80, flowinfo: 5, scopeId: 3 });
    expect(b.length).toBe(28);
    expect(b.readUInt16BE(2)).toBe(80);
    expect(b.readUInt32BE(4)).toBe(5);
    expect(b.subarray(8, 24).toString('hex')).toBe('00000000000000000000000000000001');
    expect(new Uint32Array(b.buffer.slice(b.byteOffset + 24, b.byteOffset + 28))[0]).toBe(3);
  });

  test('sockaddr_un: family, the path and its NUL; length as SUN_LEN + 1', () => {
    const b = P.sockaddrToBytes({ family: P.AF_UNIX, path: '/tmp/x' });
    expect(b.length).toBe(2 + 6 + 1);
    expect(b.subarray(2).toString('latin1')).toBe('/tmp/x\0');
  });

  test('sockaddrFromBytes reads back what sockaddrToBytes wrote', () => {
    const addrs: P.Sockaddr[] = [
      { family: P.AF_INET, address: '10.1.2.3', port: 65535 },
      { family: P.AF_INET6, address: '2001:db8::1', port: 0, flowinfo: 0, scopeId: 0 },
      { family: P.AF_UNIX, path: '/run/some.sock' },
    ];
    for (const a of addrs) expect(P.sockaddrFromBytes(P.sockaddrToBytes(a))).toEqual(a);
  });

  test('an unknown family comes back as raw bytes', () => {
    const raw = Buffer.alloc(16);
    raw.writeUInt16LE(0x7777, 0);
    if (!LE) raw.writeUInt16BE(0x7777, 0);
    const a = P.sockaddrFromBytes(raw) as unknown as P.SockaddrRaw;
    if (isLinux) {
      expect(a.family).toBe(0x7777);
      expect(Buffer.from(a.bytes)).toEqual(raw);
    }
  });

  test.each([
    [{ family: P.AF_INET, address: '127.0.0.1', port: -1 }, RangeError],
    [{ family: P.AF_INET, address: '127.0.0.1', port: 65536 }, RangeError],
    [{ family: P.AF_INET, address: '127.0.0.1', port: 1.5 }, RangeError],
    [{ family: P.AF_INET, address: '127.0.0.1', port: NaN }, RangeError],
    [{ family: P.AF_INET, address: '127.0.0.1', port: '80' }, TypeError],
    [{ family: P.AF_INET, address: 'localhost', port: 80 }, TypeError],
    [{ family: P.AF_INET, address: '::1', port: 80 }, TypeError],
    [{ family: P.AF_INET6, address: '127.0.0.1', port: 80 }, TypeError],
    [{ family: P.AF_INET6, address: '::1', port: 80, scopeId: -1 }, RangeError],
    [{ family: P.AF_UNIX, path: 42 }, TypeError],
    [{ family: 'inet', address: '127.0.0.1', port: 80 }, TypeError],
    [{ family: 99999, address: '127.0.0.1', port: 80 }, RangeError],
    [null, TypeError],
    ['127.0.0.1:80', TypeError],
  ])('malformed address %j → %p', (addr, type) => {
    expect(() => P.sockaddrToBytes(addr as unknown as P.SockaddrInput)).toThrow(type);
  });
});
