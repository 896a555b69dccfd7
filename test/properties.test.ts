// Property-based: every exported function, driven with hostile arguments
// (wrong types, NaN, ±Infinity, negative and huge lengths, fds that are
// closed, never opened or not sockets, ports -1/65536/1.5, malformed and
// overlong addresses, strings with NULs, detached and zero-length buffers).
// The only outcomes allowed: a return, a TypeError/RangeError thrown before
// any system call, or a SocketError with the kernel's errno (for promise
// calls: the same as a rejection). Never a crash.
//
// Everything stays on this machine: addresses are loopback or unix paths in a
// temp dir (random text that happens to be an IP address is replaced), the
// resolver is always numeric, and the sockets under test are non-blocking so
// no ...Sync call can hang.
import * as fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';

const violations: string[] = [];
let dir: string;
let fds: Record<string, number>;
const NEVER_OPENED = 987654; // beyond RLIMIT_NOFILE: always EBADF
const extraFds = new Set<number>(); // fds a fuzzed call created: closed at the end

function allowed(e: unknown): boolean {
  if (e instanceof P.SocketError || e instanceof P.AbortError) return true;
  // TypeError/RangeError may come from the main realm (native) or jest's.
  const name = (e as Error | undefined)?.name;
  return name === 'TypeError' || name === 'RangeError';
}

function record(what: string, args: unknown[], e: unknown): void {
  violations.push(`${what}(${args.map((a) => String(a)).join(', ')}) -> ${String((e as Error)?.stack ?? e)}`);
}

/** Remembers fds a call returned so they get closed. */
function keep(result: unknown): void {
  if (typeof result === 'number' && Number.isInteger(result) && result >= 0) extraFds.add(result);
  else if (Array.isArray(result)) result.forEach(keep);
  else if (result && typeof result === 'object' && 'fd' in result) keep((result as { fd: number }).fd);
}

// The calls whose results are new fds, to be closed at the end. (Only these:
// closing any other number could close one of the test runner's own fds.)
const MAKES_FDS = new Set(['socket', 'socketpair', 'accept', 'acceptSync']);

/** Runs one call, checking its outcome now or, for a promise, whenever it settles. */
async function exercise(what: string, f: (...a: any[]) => unknown, args: unknown[]): Promise<void> {
  const keepFds = MAKES_FDS.has(what) ? keep : () => undefined;
  let r: unknown;
  try {
    r = f(...args);
  } catch (e) {
    if (!allowed(e)) record(what, args, e);
    return;
  }
  if (r !== null && typeof (r as Promise<unknown>)?.then === 'function') {
    const settled = (r as Promise<unknown>).then(keepFds, (e) => {
      if (!allowed(e)) record(what, args, e);
    });
    // Most settle at once; one that waits (a recv with no data) may stay
    // pending until its fd is closed at the end, and is checked then.
    await Promise.race([settled, new Promise((res) => setImmediate(res))]);
  } else {
    keepFds(r);
  }
}

// ---- arbitraries

const hostileNumber = fc.constantFrom(NaN, Infinity, -Infinity, -1, -0, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e300);
const hostileValue = fc.oneof(
  hostileNumber,
  fc.string({ maxLength: 8 }),
  fc.constantFrom(null, undefined, true, {}, [], () => 0, Symbol('s'), 10n),
);
const int = fc.oneof(fc.integer({ min: -1000, max: 70000 }), fc.integer(), hostileValue);
const length = fc.oneof(fc.integer({ min: 0, max: 70000 }), hostileValue);

// -0 is a valid fd (it is 0, stdin): fd arbitraries leave it out, so no fuzzed
// call touches the test runner's own descriptors.
const hostileFd = hostileValue.filter((v) => !Object.is(v, -0));
function safeFd(): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constantFrom(...Object.values(fds), NEVER_OPENED), hostileFd);
}
/** For close/release: never a live fd (it might be the test runner's). */
const destructiveFd = fc.oneof(fc.constant(NEVER_OPENED), hostileFd);

function detached(): Uint8Array {
  const ab = new ArrayBuffer(16);
  const view = new Uint8Array(ab);
  structuredClone(ab, { transfer: [ab] });
  return view;
}
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u)),
  fc.constantFrom(Buffer.alloc(0), new DataView(new ArrayBuffer(8)), new Float64Array(2), new Uint16Array(3)),
  fc.constant(null).map(() => detached()),
  fc.string({ maxLength: 16 }),
  hostileValue,
);
const writable = fc.oneof(
  fc.integer({ min: 0, max: 128 }).map((n) => Buffer.alloc(n)),
  fc.constantFrom(new DataView(new ArrayBuffer(8)), new Int32Array(4)),
  fc.constant(null).map(() => detached()),
  hostileValue,
);

/** Text that is not an IP address (so no fuzzed call can reach another host). */
const notAnIp = fc.string({ maxLength: 24 }).filter((s) => net.isIP(s.split('%')[0]) === 0);

function unixPath(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.integer({ min: 0, max: 130 }).map((n) => path.join(dir, 'p'.repeat(n))),
    fc.string({ maxLength: 16 }).map((s) => path.join(dir, s)),
    fc.string({ maxLength: 120 }).map((s) => '\0' + s),
    fc.uint8Array({ maxLength: 120 }).map((u) => Buffer.concat([Buffer.from([0]), Buffer.from(u)])),
    fc.constantFrom('', `${dir}/a\0b`),
    hostileValue,
  );
}

function address(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.record({ family: fc.constant(P.AF_INET), address: fc.oneof(fc.constantFrom('127.0.0.1', '0.0.0.0'), notAnIp, hostileValue), port: int }),
    fc.record(
      {
        family: fc.constant(P.AF_INET6),
        address: fc.oneof(fc.constantFrom('::1', '::1%lo', '::1%1', '::1%no-such-if0', '::1%'), notAnIp, hostileValue),
        port: int,
        scopeId: int,
        flowinfo: int,
      },
      { requiredKeys: ['family', 'address', 'port'] },
    ),
    fc.record({ family: fc.constant(P.AF_UNIX), path: unixPath() }),
    fc.record({ family: fc.oneof(fc.integer({ min: 11, max: 300 }).filter((f) => f !== P.AF_INET6), hostileValue), bytes }),
    hostileValue,
  );
}

const waitOptions = fc.oneof(
  fc.constant(undefined),
  fc.record({ timeout: fc.oneof(fc.integer({ min: 0, max: 5 }), hostileValue) }, { requiredKeys: [] }),
  fc.constant(null).map(() => ({ signal: AbortSignal.abort() })),
  fc.constantFrom({ signal: {} }, null, 5, 'x'),
);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-prop-'));
  const udp = P.socket(P.AF_INET, P.SOCK_DGRAM);
  P.bind(udp, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const listener = P.socket(P.AF_INET, P.SOCK_STREAM);
  P.bind(listener, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  P.listen(listener, 128);
  const [pairA, pairB] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const seqA = P.socketpair(P.AF_UNIX, P.SOCK_SEQPACKET)[0];
  fds = { udp, listener, pairA, pairB, seqA };
  for (const fd of Object.values(fds)) P.setNonBlocking(fd);
  fds.file = fs.openSync(__filename, 'r');
  const fifo = path.join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  fds.pipeR = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  fds.pipeW = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
});

afterAll(async () => {
  for (const fd of [...extraFds]) {
    try {
      P.close(fd);
    } catch {
      // already closed
    }
  }
  for (const [name, fd] of Object.entries(fds)) {
    if (name === 'file' || name === 'pipeR' || name === 'pipeW') fs.closeSync(fd);
    else P.close(fd); // rejects whatever still waits on it, with ECANCELED
  }
  await new Promise((r) => setImmediate(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

const RUNS = 150;

function property(name: string, f: (...a: any[]) => unknown, args: () => fc.Arbitrary<unknown>[]): void {
  test(name, async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(...args()), async (a) => {
        await exercise(name, f, a);
      }),
      { numRuns: RUNS },
    );
    expect(violations).toEqual([]);
  });
}

describe('hostile arguments give TypeError/RangeError or SocketError, never a crash', () => {
  property('socket', P.socket, () => [int, int, int]);
  property('socketpair', P.socketpair, () => [int, int, int]);
  property('close', P.close, () => [destructiveFd]);
  property('release', P.release, () => [destructiveFd]);
  // The arg always keeps O_NONBLOCK, so F_SETFL cannot make a test fd blocking.
  property('fcntl', P.fcntl, () => [safeFd(), fc.oneof(fc.constantFrom(P.F_GETFD, P.F_GETFL), int), fc.constant(P.O_NONBLOCK)]);
  property('isNonBlocking', P.isNonBlocking, () => [safeFd()]);
  property('setNonBlocking', P.setNonBlocking, () => [destructiveFd, hostileValue]);
  property('bind', P.bind, () => [safeFd(), address()]);
  property('listen', P.listen, () => [safeFd(), int]);
  property('shutdown', P.shutdown, () => [safeFd(), int]);
  property('getsockname', P.getsockname, () => [safeFd()]);
  property('getpeername', P.getpeername, () => [safeFd()]);
  property('setsockopt', P.setsockopt, () => [safeFd(), int, int, fc.oneof(int, bytes)]);
  property('getsockopt', P.getsockopt, () => [safeFd(), int, int, fc.oneof(fc.constant(undefined), length)]);
  property('accept', P.accept, () => [safeFd(), fc.oneof(waitOptions, fc.record({ flags: int }))]);
  property('acceptSync', P.acceptSync, () => [safeFd(), int]);
  property('connect', P.connect, () => [safeFd(), address(), waitOptions]);
  property('connectSync', P.connectSync, () => [safeFd(), address()]);
  property('send', P.send, () => [safeFd(), bytes, int, waitOptions]);
  property('sendSync', P.sendSync, () => [safeFd(), bytes, int]);
  property('recv', P.recv, () => [safeFd(), length, int, waitOptions]);
  property('recvSync', P.recvSync, () => [safeFd(), length, int]);
  property('recvInto', P.recvInto, () => [safeFd(), writable, int, waitOptions]);
  property('read', P.read, () => [safeFd(), length, waitOptions]);
  property('readSync', P.readSync, () => [safeFd(), length]);
  property('write', P.write, () => [safeFd(), bytes, waitOptions]);
  property('writeSync', P.writeSync, () => [safeFd(), bytes]);
  property('recvIntoSync', P.recvIntoSync, () => [safeFd(), writable, int]);
  property('sendto', P.sendto, () => [safeFd(), bytes, int, address(), waitOptions]);
  property('sendtoSync', P.sendtoSync, () => [safeFd(), bytes, int, address()]);
  property('recvfrom', P.recvfrom, () => [safeFd(), length, int, waitOptions]);
  property('recvfromSync', P.recvfromSync, () => [safeFd(), length, int]);
  property('poll', P.poll, () => [
    fc.oneof(fc.array(fc.record({ fd: fc.oneof(safeFd(), fc.integer({ min: -5, max: -1 })), events: int }), { maxLength: 4 }), hostileValue),
    // Never -1 (wait forever) in this process: a bounded wait, or a bad value.
    fc.oneof(fc.integer({ min: 0, max: 3 }), hostileValue.filter((v) => v !== -1)),
  ]);
  // The resolver is forced numeric: fuzzed names are parsed, never looked up.
  property(
    'getaddrinfo',
    (node: unknown, service: unknown, hints: unknown, opts: unknown) => {
      const h = hints && typeof hints === 'object' && typeof (hints as P.AddrInfoHints).flags === 'number'
        ? { ...(hints as object), flags: ((hints as P.AddrInfoHints).flags! | P.AI_NUMERICHOST) >>> 0 & 0x7fffffff }
        : typeof hints === 'object' && hints !== null ? { ...(hints as object), flags: P.AI_NUMERICHOST } : hints;
      return P.getaddrinfo(node as string, service as string, h as P.AddrInfoHints, opts as P.WaitOptions);
    },
    () => [
      fc.oneof(notAnIp, fc.constantFrom('127.0.0.1', '::1', null, 'local\0host'), hostileValue),
      fc.oneof(fc.constantFrom('80', 'http', null, 'no-such-service', '99999', '-1'), fc.string({ maxLength: 8 }), hostileValue),
      fc.oneof(fc.record({ flags: int, family: int, socktype: int, protocol: int }, { requiredKeys: [] }), hostileValue),
      waitOptions,
    ],
  );
  property(
    'getnameinfo',
    (addr: unknown, flags: unknown, opts: unknown) =>
      P.getnameinfo(
        addr as P.SockaddrInput,
        typeof flags === 'number' && Number.isInteger(flags) ? (flags | P.NI_NUMERICHOST | P.NI_NUMERICSERV) & ~P.NI_NAMEREQD : (flags as number),
        opts as P.WaitOptions,
      ),
    () => [address(), int, waitOptions],
  );
  property('inet_pton', P.inet_pton, () => [int, fc.oneof(fc.string({ maxLength: 48 }), hostileValue)]);
  property('inet_ntop', P.inet_ntop, () => [int, bytes]);
  property('sockaddrToBytes', P.sockaddrToBytes, () => [address()]);
  property('sockaddrFromBytes', P.sockaddrFromBytes, () => [fc.oneof(bytes, fc.uint8Array({ maxLength: 300 }))]);
  property('htons', P.htons, () => [int]);
  property('ntohl', P.ntohl, () => [int]);
  property('strerror', P.strerror, () => [int]);
  property('errnoName', P.errnoName, () => [int]);
  property('constantName', P.constantName, () => [fc.oneof(fc.constantFrom('AF', 'SO', 'MSG', 'nope'), hostileValue), int]);
  property('flagNames', P.flagNames, () => [fc.oneof(fc.constantFrom('MSG', 'AI', 'POLL'), hostileValue), int]);
  property('if_nametoindex', P.if_nametoindex, () => [fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('lo', 'a\0b'), hostileValue)]);
  property('if_indextoname', P.if_indextoname, () => [int]);
});

test('a unix path is never silently truncated: bind either keeps it exactly or refuses it', async () => {
  await fc.assert(
    fc.property(fc.integer({ min: 1, max: 140 }), (n) => {
      const p = path.join(dir, 'u'.repeat(Math.max(1, n - dir.length - 1))).slice(0, Math.max(dir.length + 2, n));
      const fd = P.socket(P.AF_UNIX, P.SOCK_DGRAM);
      try {
        P.bind(fd, { family: P.AF_UNIX, path: p });
        expect(P.getsockname(fd)).toEqual({ family: P.AF_UNIX, path: p });
        fs.rmSync(p, { force: true });
      } catch (e) {
        expect(allowed(e)).toBe(true);
        if (Buffer.byteLength(p) > 107) expect((e as Error).name).toBe('RangeError');
      } finally {
        P.close(fd);
      }
    }),
    { numRuns: 140 },
  );
});
