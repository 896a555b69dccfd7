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
import * as util from 'node:util';
import * as P from '../lib';
import { binding, native } from '../lib/native';

const violations: string[] = [];
let dir: string;
let fds: Record<string, number>;
let scratch: number; // dup2/dup3's target (replaceableFd)
const NEVER_OPENED = 987654; // beyond RLIMIT_NOFILE: always EBADF
const extraFds = new Set<number>(); // fds a fuzzed call made or took in: closed once it is done (closeExtra)

function allowed(e: unknown): boolean {
  if (e instanceof P.SocketError || e instanceof P.AbortError) return true;
  // TypeError/RangeError may come from the main realm (native) or jest's.
  const name = (e as Error | undefined)?.name;
  return name === 'TypeError' || name === 'RangeError';
}

function record(what: string, args: unknown[], e: unknown): void {
  // inspect, not String: an argument may be a null-prototype object or a Symbol.
  violations.push(`${what}(${args.map((a) => util.inspect(a)).join(', ')}) -> ${util.inspect((e as Error)?.stack ?? e)}`);
}

/** Remembers fds a call returned so they get closed. */
function keep(result: unknown): void {
  if (typeof result === 'number' && Number.isInteger(result) && result >= 0) extraFds.add(result);
  else if (Array.isArray(result)) result.forEach(keep);
  else if (result && typeof result === 'object' && 'fd' in result) keep((result as { fd: number }).fd);
}

/**
 * Remembers the fds a receive took in (SCM_RIGHTS): recvFds' `fds`, and the
 * `fds` of every control message of a recvmsg/recvmsgInto result or of each
 * recvmmsg result. Only those numbers: a result's byte count is not an fd.
 */
function keepReceived(result: unknown): void {
  if (Array.isArray(result)) return result.forEach(keepReceived);
  if (!result || typeof result !== 'object') return;
  const r = result as { fds?: unknown; control?: unknown };
  if (Array.isArray(r.fds)) keep(r.fds);
  if (Array.isArray(r.control)) for (const c of r.control) if (c && Array.isArray(c.fds)) keep(c.fds);
}

// The calls whose results are new fds, to be closed at the end. (Only these:
// closing any other number could close one of the test runner's own fds.)
const MAKES_FDS = new Set(['socket', 'socketpair', 'accept', 'acceptSync', 'dup', 'dup2', 'dup3']);
// The receives that may take in fds a fuzzed sendmsg/sendFds sent over a test
// socketpair: their SCM_RIGHTS fds are new numbers this process owns.
const RECEIVES_FDS = new Set([
  'recvmsg', 'recvmsgSync', 'recvmsgInto', 'recvmsgIntoSync', 'recvFds', 'recvFdsSync', 'recvmmsg', 'recvmmsgSync',
]);

/** Runs one call, checking its outcome now or, for a promise, whenever it settles. */
async function exercise(what: string, f: (...a: any[]) => unknown, args: unknown[]): Promise<void> {
  const keepFds = MAKES_FDS.has(what) ? keep : RECEIVES_FDS.has(what) ? keepReceived : () => undefined;
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
  closeExtra();
}

/**
 * Closes the fds fuzzed calls made or took in, as soon as each call is done:
 * one recvmmsg may take in hundreds of SCM_RIGHTS fds, and 150 runs of it
 * kept to the end would reach RLIMIT_NOFILE (EMFILE in the next property's
 * socket()). The scratch socket stays: it is dup2/dup3's target to the end.
 */
function closeExtra(): void {
  for (const fd of extraFds) {
    if (fd === scratch) continue;
    extraFds.delete(fd);
    try {
      P.close(fd);
    } catch {
      // already closed (a hand-off that failed may have closed it)
    }
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
/**
 * For dup2/dup3's newfd, whose file they close: a scratch socket of the
 * test's own (made in beforeAll, closed at the end), never another live fd.
 */
function replaceableFd(): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constant(scratch), fc.constant(NEVER_OPENED), hostileFd);
}

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
    // A hostile string is still a path under the temp dir: relative, it would bind in the repository.
    hostileValue.map((v) => (typeof v === 'string' && v !== '' ? path.join(dir, v) : v)),
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
    ...linuxFamilies(),
    hostileValue,
  );
}

/** sll_addr values: up to and beyond its 8 bytes, other views, detached, not bytes at all. */
const hardwareAddress = fc.oneof(
  fc.uint8Array({ maxLength: 12 }).map((u) => Buffer.from(u)),
  fc.constantFrom(Buffer.alloc(8), Buffer.alloc(9), Buffer.alloc(4096), new Uint16Array(3), new DataView(new ArrayBuffer(6))),
  fc.constant(null).map(() => detached()),
  hostileValue,
);

/**
 * Netlink, packet and vsock addresses (Linux: none elsewhere), with hostile
 * fields: wrong types, negative, fractional and huge numbers, an sll_addr
 * longer than its 8 bytes. Given to the test's INET and unix sockets the
 * kernel refuses them (EAFNOSUPPORT, EINVAL): nothing is sent anywhere.
 */
function linuxFamilies(): fc.Arbitrary<unknown>[] {
  if (P.AF_NETLINK === undefined || P.AF_PACKET === undefined) return [];
  const opt = { requiredKeys: ['family'] as ['family'] };
  const families = [
    fc.record({ family: fc.constant(P.AF_NETLINK), pid: int, groups: int }, opt),
    fc.record(
      { family: fc.constant(P.AF_PACKET), protocol: int, ifindex: int, hatype: int, pkttype: int, addr: hardwareAddress },
      opt,
    ),
    // A getter that answers a good addr first, then one 4096 bytes long: the snapshot is what is checked and encoded.
    fc.constant(null).map(() =>
      withGetters({
        family: flipping(P.AF_PACKET, P.AF_PACKET),
        protocol: flipping(P.ETH_P_IP, -1),
        ifindex: flipping(1, 2 ** 40),
        addr: flipping(Buffer.alloc(6), Buffer.alloc(4096)),
      }),
    ),
  ];
  if (P.VMADDR_CID_ANY !== undefined) {
    families.push(fc.record({ family: fc.constant(P.AF_VSOCK), cid: int, port: int, flags: int }, opt));
  }
  return families;
}

const waitOptions = fc.oneof(
  fc.constant(undefined),
  fc.record({ timeout: fc.oneof(fc.integer({ min: 0, max: 5 }), hostileValue) }, { requiredKeys: [] }),
  fc.constant(null).map(() => ({ signal: AbortSignal.abort() })),
  fc.constantFrom({ signal: {} }, null, 5, 'x'),
  fc.record({ ref: fc.oneof(fc.boolean(), hostileValue), timeout: fc.integer({ min: 0, max: 5 }) }, { requiredKeys: ['ref'] }),
);

// ---- messages (sendmsg/recvmsg and their kin)

/** A getter that answers a good value first and a hostile one on every later read. */
function flipping<T>(good: T, bad: unknown): { get(): unknown } {
  let reads = 0;
  return { get: () => (reads++ === 0 ? good : bad) };
}
function withGetters(fields: Record<string, { get(): unknown }>): object {
  const o = {};
  for (const [k, g] of Object.entries(fields)) Object.defineProperty(o, k, { ...g, enumerable: true });
  return o;
}
/** A sparse array of the largest length: reading every element would take minutes. */
function sparse(): unknown[] {
  const a: unknown[] = [];
  a.length = 2 ** 32 - 1;
  return a;
}

/** fds for SCM_RIGHTS: the test's own sockets (a copy is sent), junk, many, or not an array. */
function fdList(): fc.Arbitrary<unknown> {
  const one = fc.oneof(
    fc.constantFrom(...Object.values(fds), NEVER_OPENED, 0x7fffffff),
    fc.constantFrom('3', NaN, -1, 2 ** 31, 1.5, null, undefined, -0, 10n),
  );
  return fc.oneof(
    fc.array(one, { maxLength: 4 }),
    fc.constant(null).map(() => new Array(300).fill(fds.pairA)), // beyond Linux's SCM_MAX_FD (253)
    fc.constant(null).map(() => new Array(253).fill(fds.udp)),
    hostileValue,
  );
}

function cmsg(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.record({ level: int, type: int, data: bytes }, { requiredKeys: [] }),
    fc.record({ level: fc.constant(P.SOL_SOCKET), type: fc.constant(P.SCM_RIGHTS), fds: fdList() }),
    fc.record({ level: fc.constant(P.IPPROTO_IP), type: fc.constantFrom(P.IP_TTL, P.IP_TOS), value: int }),
    fc.record(
      { level: fc.constant(P.IPPROTO_IP), type: fc.constant(P.IP_PKTINFO), ifindex: int, specDst: fc.oneof(fc.constantFrom('127.0.0.1', '::1'), hostileValue), addr: hostileValue },
      { requiredKeys: ['level', 'type'] },
    ),
    fc.record({ level: fc.constant(P.SOL_SOCKET), type: fc.constant(P.SCM_CREDENTIALS ?? 2), pid: int, uid: int, gid: int }),
    fc.record({ level: hostileValue, type: hostileValue, data: bytes }),
    // Getters that answer differently on every read: the snapshot is what is checked and sent.
    fc.constant(null).map(() =>
      withGetters({
        level: flipping(P.SOL_SOCKET, 'x'),
        type: flipping(P.SCM_RIGHTS, NaN),
        fds: flipping([fds.pairA], ['junk']),
      }),
    ),
    fc.constant(null).map(() => withGetters({ level: flipping(P.SOL_SOCKET, 1), type: flipping(999, P.SCM_RIGHTS), data: flipping(Buffer.alloc(4), 5) })),
    // Payloads at and beyond the package's limit, and more messages than any kernel takes.
    fc.constant(null).map(() => ({ level: P.SOL_SOCKET, type: 999, data: Buffer.alloc(P.CMSG_SPACE(0) + 0x100000) })),
    fc.constant(null).map(() => ({ level: P.SOL_SOCKET, type: 999, data: Buffer.alloc(30000) })),
    hostileValue,
  );
}

function controlList(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(undefined),
    fc.array(cmsg(), { maxLength: 3 }),
    fc.constant(null).map(() => new Array(2000).fill({ level: P.SOL_SOCKET, type: 999, data: Buffer.alloc(600) })),
    hostileValue,
  );
}

/** iov for sendmsg: buffers and strings, junk entries, 2000 entries (beyond IOV_MAX), or not an array. */
function iovList(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.array(bytes, { maxLength: 4 }),
    fc.constant(null).map(() => new Array(2000).fill(Buffer.alloc(1))),
    fc.constantFrom([1, 2], [null], [undefined], [{}]),
    fc.constant(null).map(() => [Buffer.from('a'), detached()]),
    hostileValue,
  );
}

function msghdr(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.record({ iov: iovList(), name: fc.oneof(fc.constant(undefined), address()), control: controlList() }, { requiredKeys: ['iov'] }),
    fc.record({ iov: iovList(), name: fc.constantFrom(null, 5, 'x', Buffer.alloc(1), Buffer.alloc(300), {}) }),
    fc.constant(null).map(() => withGetters({ iov: flipping([Buffer.from('g')], 7), name: flipping(undefined, {}), control: flipping(undefined, [5]) })),
    hostileValue,
  );
}

/** iov for recvmsgInto: writable buffers, junk, 2000 entries, or not an array. */
function writableList(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.array(writable, { maxLength: 3 }),
    fc.constant(null).map(() => new Array(2000).fill(Buffer.alloc(1))),
    fc.constantFrom(['str'], [null], [1]),
    hostileValue,
  );
}

/**
 * For the receives: dgramB with a datagram carrying three fds queued first
 * (copies of udp, pairA and the test file), so every receive form meets
 * SCM_RIGHTS with whatever room the fuzzed controlLength/maxFds leaves.
 */
function loadedFd(): fc.Arbitrary<unknown> {
  return fc.oneof(
    safeFd(),
    fc.constant(null).map(() => {
      try {
        P.sendFdsSync(fds.dgramA, 'fds', [fds.udp, fds.pairA, fds.file], P.MSG_DONTWAIT);
      } catch {
        // EAGAIN: the queue is full, so fds are waiting anyway
      }
      return fds.dgramB;
    }),
  );
}

const controlLength = fc.oneof(
  fc.integer({ min: 0, max: 200 }),
  fc.constant(null).map(() => P.CMSG_SPACE(4 * 3)),
  fc.constant(null).map(() => P.CMSG_LEN(4)),
  fc.constantFrom(0x100000, 0x100001),
  hostileValue,
);
/** recvmmsg's: small enough that vlen 1024 with it stays tens of MiB. */
const batchControlLength = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.constant(0x10000), fc.constant(0x100001), hostileValue);
const vlen = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(1024, 1025), hostileValue);
const maxFds = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(262080, 262081), hostileValue);
const cmsgLength = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constantFrom(0x100000, 0x100001, 2 ** 32), hostileValue);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-prop-'));
  const udp = P.socket(P.AF_INET, P.SOCK_DGRAM);
  P.bind(udp, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const listener = P.socket(P.AF_INET, P.SOCK_STREAM);
  P.bind(listener, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  P.listen(listener, 128);
  const [pairA, pairB] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const seqA = P.socketpair(P.AF_UNIX, P.SOCK_SEQPACKET)[0];
  const [dgramA, dgramB] = P.socketpair(P.AF_UNIX, P.SOCK_DGRAM);
  fds = { udp, listener, pairA, pairB, seqA, dgramA, dgramB };
  for (const fd of Object.values(fds)) P.setNonBlocking(fd);
  fds.file = fs.openSync(__filename, 'r');
  scratch = P.socket(P.AF_UNIX, P.SOCK_STREAM);
  extraFds.add(scratch);
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
// A failure prints its seed: FC_SEED=<seed> npx jest test/properties.test.ts -t <name> replays it.
const SEED = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };

/** `f` undefined: a call this platform lacks (sendmmsg/recvmmsg off Linux), skipped. */
function property(name: string, f: ((...a: any[]) => unknown) | undefined, args: () => fc.Arbitrary<unknown>[]): void {
  if (f === undefined) return test.skip(name, () => undefined);
  test(name, async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(...args()), async (a) => {
        await exercise(name, f, a);
      }),
      { numRuns: RUNS, ...SEED },
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
  // Typed options: every descriptor this platform has, with values of every shape.
  const descriptors = Object.values(P.sockopt).filter((d) => d !== undefined);
  const optAddress = fc.oneof(fc.constantFrom('224.0.0.1', '127.0.0.1', 'ff02::1', '::1', '1.2.3', '', 'a\0b'), hostileValue);
  const optValue = fc.oneof(
    hostileValue,
    int,
    fc.boolean(),
    fc.string({ maxLength: 20 }),
    fc.constantFrom('lo', 'reno', 'a\0b', 'x'.repeat(40), 'é', '224.0.0.1', 'ff02::1', '\uD800', 'lo\uDC00', '\u{1F600}'),
    fc.record(
      { onoff: fc.oneof(fc.boolean(), int), linger: int, sec: int, usec: int, multiaddr: optAddress, address: optAddress,
        ifindex: int, group: optAddress, source: optAddress },
      { requiredKeys: [] },
    ),
    fc.array(fc.oneof(fc.record({ code: int, jt: int, jf: int, k: int }, { requiredKeys: [] }), hostileValue), { maxLength: 4 }),
    fc.constant(null).map(() => sparse()),
    // A program whose length answers 1, then a hundred million.
    fc.constant(null).map(() => {
      let reads = 0;
      return new Proxy([{ code: 6, jt: 0, jf: 0, k: 0 }], { get: (t, k, r) => (k === 'length' ? (reads++ ? 1e8 : 1) : Reflect.get(t, k, r)) });
    }),
  );
  property('setsockopt', P.setsockopt, () => [safeFd(), fc.oneof(fc.constantFrom(...descriptors), hostileValue), optValue]);
  // Copies of a descriptor (spread, Object.create) are refused like any other object.
  const fakeDescriptor = fc.constantFrom(...descriptors).chain((d) => fc.constantFrom({ ...d }, Object.create(d)));
  property('getsockopt', P.getsockopt, () => [safeFd(), fc.oneof(fc.constantFrom(...descriptors), fakeDescriptor, hostileValue)]);
  // The raw binding (Linux only): the program is bytes of struct sock_filter; any level and name.
  const fprog = binding.setsockoptFprog;
  property('setsockoptFprog', fprog && ((...a: unknown[]) => (fprog as (...x: unknown[]) => unknown)(...a)), () => [
    safeFd(), int, int, fc.oneof(bytes, fc.uint8Array({ maxLength: 64 }), fc.constant(null).map(() => new Uint8Array(8 * 70000))),
  ]);
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
  property('sendmsg', P.sendmsg, () => [safeFd(), msghdr(), int, waitOptions]);
  property('sendmsgSync', P.sendmsgSync, () => [safeFd(), msghdr(), int]);
  property('recvmsg', P.recvmsg, () => [loadedFd(), length, controlLength, int, waitOptions]);
  property('recvmsgSync', P.recvmsgSync, () => [loadedFd(), length, controlLength, int]);
  property('recvmsgInto', P.recvmsgInto, () => [loadedFd(), writableList(), controlLength, int, waitOptions]);
  property('recvmsgIntoSync', P.recvmsgIntoSync, () => [loadedFd(), writableList(), controlLength, int]);
  property('sendFds', P.sendFds, () => [safeFd(), bytes, fdList(), int, waitOptions]);
  property('sendFdsSync', P.sendFdsSync, () => [safeFd(), bytes, fdList(), int]);
  property('recvFds', P.recvFds, () => [loadedFd(), length, maxFds, int, waitOptions]);
  property('recvFdsSync', P.recvFdsSync, () => [loadedFd(), length, maxFds, int]);
  const msgList = () =>
    fc.oneof(
      fc.array(msghdr(), { maxLength: 4 }),
      fc.constant(null).map(() => new Array(1025).fill({ iov: [Buffer.from('m')] })),
      fc.constant(null).map(() => new Array(1024).fill({ iov: [Buffer.alloc(0)] })),
      hostileValue,
    );
  // Linux only (undefined elsewhere, where the property is skipped).
  property('sendmmsg', P.sendmmsg, () => [safeFd(), msgList(), int, waitOptions]);
  property('sendmmsgSync', P.sendmmsgSync, () => [safeFd(), msgList(), int]);
  property('recvmmsg', P.recvmmsg, () => [loadedFd(), vlen, length, batchControlLength, int, waitOptions]);
  property('recvmmsgSync', P.recvmmsgSync, () => [loadedFd(), vlen, length, batchControlLength, int]);
  property('CMSG_SPACE', P.CMSG_SPACE, () => [cmsgLength]);
  property('CMSG_LEN', P.CMSG_LEN, () => [cmsgLength]);
  // The databases and the interface list: local files and the kernel only.
  const dbName = fc.oneof(
    fc.string({ maxLength: 16 }),
    fc.constantFrom('http', 'tcp', 'udp', 'domain', 'ht\0tp', '\0', '', 'ht\uD800tp', '\u{1F600}'),
    fc.constant(null).map(() => 'x'.repeat(1 << 16)),
    hostileValue,
  );
  const dbProto = fc.oneof(fc.constantFrom('tcp', 'udp', null, undefined, 'tcp\0', 'nope'), fc.string({ maxLength: 8 }), hostileValue);
  const port = fc.oneof(fc.constantFrom(80, 53, 0, 65535, -1, 65536), int);
  property('getservbyname', P.getservbyname, () => [dbName, dbProto]);
  property('getservbyport', P.getservbyport, () => [port, dbProto]);
  property('getprotobyname', P.getprotobyname, () => [dbName]);
  property('getprotobynumber', P.getprotobynumber, () => [fc.oneof(fc.integer({ min: -300, max: 300 }), int)]);
  const ipText = fc.oneof(
    fc.string({ maxLength: 24 }),
    fc.constantFrom('127.1', '0x7f.1', '1.2.3.4.5', '255.255.255.255', '127.0.0.1\0x', ''),
    fc.constant(null).map(() => '1.'.repeat(1 << 15)),
    hostileValue,
  );
  property('inet_aton', P.inet_aton, () => [ipText]);
  property('inet_addr', P.inet_addr, () => [ipText]);
  property('inet_ntoa', P.inet_ntoa, () => [fc.oneof(bytes, fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 0xffffffff }), int)]);
  // No arguments: whatever is passed is ignored; each call builds and frees the whole list.
  property('if_nameindex', P.if_nameindex as (...a: unknown[]) => unknown, () => [hostileValue]);
  property('getifaddrs', P.getifaddrs as (...a: unknown[]) => unknown, () => [hostileValue]);
  // Host lookups: only names the C library answers without DNS for either
  // family (numeric text, the empty name, a name too long for DNS; not
  // 'localhost', which /etc/hosts may lack for AF_INET6) and an address in
  // /etc/hosts, so nothing leaves this machine.
  const options = fc.oneof(
    waitOptions,
    fc.record({ family: fc.oneof(fc.constantFrom(P.AF_INET, P.AF_INET6, P.AF_UNIX, 0), hostileValue) }, { requiredKeys: [] }),
  );
  // (hostileValue's random strings are left out: they would be looked up.)
  const notText = hostileValue.filter((v) => typeof v !== 'string');
  property('gethostbyname', P.gethostbyname, () => [
    fc.oneof(fc.constantFrom('127.0.0.1', '::1', '127.1', '1.2.3.4.5', '', 'local\0host', 'local\uD800host'), fc.constant('a'.repeat(70000)), notText),
    options,
  ]);
  property('gethostbyaddr', P.gethostbyaddr, () => [
    fc.oneof(fc.constantFrom('127.0.0.1', 'fe80::1%lo', '127.0.0.1\0', 'localhost', '1.2.3.4.5'), notAnIp, notText),
    waitOptions,
  ]);
  property('dup', P.dup, () => [safeFd()]);
  property('dup2', P.dup2, () => [safeFd(), replaceableFd()]);
  // Linux only (undefined elsewhere, where the property is skipped).
  property('dup3', P.dup3, () => [safeFd(), replaceableFd(), fc.oneof(fc.constantFrom(0, P.O_CLOEXEC), int)]);
  const offset = fc.oneof(
    fc.constant(null),
    fc.integer({ min: -10, max: 100000 }),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 63),
    hostileValue,
  );
  const count = fc.oneof(fc.integer({ min: 0, max: 70000 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 31, 2 ** 53), hostileValue);
  // The in fd is most often the test's file, so the bytes really move.
  const inFd = () => fc.oneof(fc.constant(null).map(() => fds.file), safeFd());
  property('sendfile', P.sendfile, () => [safeFd(), inFd(), offset, count, waitOptions]);
  property('sendfileSync', P.sendfileSync, () => [safeFd(), inFd(), offset, count]);
  const request = fc.oneof(
    fc.constantFrom(...[P.FIONREAD, P.SIOCINQ, P.SIOCOUTQ, P.SIOCOUTQNSD, P.FIONWRITE, P.FIONSPACE].filter((r) => r !== undefined)),
    // TCGETS, FIONBIO, SIOCGIFCONF (Linux): requests with other arguments, refused.
    fc.constantFrom(0x5401, 0x5421, 0x8912),
    int,
  );
  property('ioctl', P.ioctl, () => [safeFd(), request]);
  property('sockatmark', P.sockatmark, () => [safeFd()]);
});

describe('hand-off to Node, and the Socket object', () => {
  // Never the test's own stream listener, unix stream pair or UDP socket
  // (Node would take them): sockets Node refuses, junk, and a fresh socket
  // bound to loopback that a successful call hands over (and the wrapper
  // then closes through Node).
  function fresh(type: number): fc.Arbitrary<unknown> {
    return fc.constant(null).map(() => {
      const fd = P.socket(P.AF_INET, type);
      P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
      extraFds.add(fd);
      return fd;
    });
  }
  const handFd = (type: number) =>
    fc.oneof(fc.constantFrom(fds.dgramA, fds.seqA, fds.file, fds.pipeR, NEVER_OPENED), hostileFd, fresh(type));
  /** Runs a hand-off; on success Node owns the fd: it is closed through Node, not at the end. */
  function handedOff(f: (...a: any[]) => { destroy?(): void; close?(): void }) {
    return (...a: unknown[]) => {
      let r: ReturnType<typeof f>;
      try {
        r = f(...a);
      } catch (e) {
        // Node's own refusal once it holds the fd (toDgramSocket: a
        // recvBufferSize the kernel refuses is ERR_SOCKET_BUFFER_SIZE): the
        // helper has closed Node's socket, and the fd with it.
        if ((e as { code?: unknown }).code !== 'ERR_SOCKET_BUFFER_SIZE') throw e;
        let open = true;
        try {
          P.fcntl(a[0] as number, P.F_GETFD);
        } catch {
          open = false;
        }
        if (open) throw new Error(`ERR_SOCKET_BUFFER_SIZE left fd ${String(a[0])} open`);
        extraFds.delete(a[0] as number);
        return;
      }
      extraFds.delete(a[0] as number);
      if (typeof r.destroy === 'function') r.destroy();
      else r.close!();
    };
  }
  const netOptions = fc.oneof(
    fc.constant(undefined),
    fc.record({ allowHalfOpen: fc.oneof(fc.boolean(), hostileValue), readable: fc.oneof(fc.boolean(), hostileValue) }, { requiredKeys: [] }),
    hostileValue,
  );
  const serverOptions = fc.oneof(
    fc.constant(undefined),
    fc.record({ backlog: fc.oneof(fc.integer({ min: -5, max: 5000 }), hostileValue), pauseOnConnect: fc.oneof(fc.boolean(), hostileValue) }, { requiredKeys: [] }),
    hostileValue,
  );
  property('toNetSocket', handedOff(P.toNetSocket), () => [handFd(P.SOCK_STREAM), netOptions]);
  property('toNetServer', handedOff(P.toNetServer), () => [handFd(P.SOCK_STREAM), serverOptions]);
  property('toDgramSocket', handedOff(P.toDgramSocket), () => [
    handFd(P.SOCK_DGRAM),
    fc.oneof(fc.constantFrom(undefined, 'udp4', 'udp6'), hostileValue),
    fc.oneof(fc.constant(undefined), fc.record({ recvBufferSize: fc.oneof(fc.integer({ min: 0, max: 1 << 20 }), hostileValue) }, { requiredKeys: [] }), hostileValue),
  ]);
  property('new Socket', (...a: unknown[]) => new (P.Socket as any)(...a).close(), () => [int, int, int]);
  // from() makes no system call; the object is dropped, never closed (the
  // next from() of the number takes it over).
  property('Socket.from', (fd: unknown) => void P.Socket.from(fd as number), () => [safeFd()]);
  // A method's own argument (the rest forward to the functions fuzzed above),
  // on a Socket owning a dup of the test's UDP socket, closed once the call
  // is done, with the fds fuzzed calls made.
  const onUdp = (): P.Socket => {
    const fd = P.dup(fds.udp);
    extraFds.add(fd);
    return P.Socket.from(fd);
  };
  property('Socket.chunks', (n: unknown, opts: unknown) => onUdp().chunks(n as number, opts as P.WaitOptions).next(), () => [
    length,
    waitOptions,
  ]);
});

(P.AF_NETLINK === undefined ? test.skip : test)(
  'netlink, packet and vsock addresses: lib/ and the raw binding encode the same bytes or both refuse with the same class of error',
  async () => {
    const outcome = (f: () => Buffer): string => {
      try {
        return f().toString('hex');
      } catch (e) {
        if (!allowed(e)) return `not allowed: ${String(e)}`;
        return (e as Error).name;
      }
    };
    await fc.assert(
      fc.property(fc.oneof(...linuxFamilies()), (addr) => {
        // Plain data, so that both are handed the same values (a getter would answer each differently).
        if (Object.values(Object.getOwnPropertyDescriptors(addr)).some((d) => d.get)) return;
        const lib = outcome(() => P.sockaddrToBytes(addr as P.SockaddrInput));
        expect(lib).not.toMatch(/^not allowed/);
        expect(outcome(() => native.sockaddrToBytes(addr as P.SockaddrInput))).toBe(lib);
      }),
      { numRuns: 500 },
    );
  },
);

test('a sparse array of 2**32 - 1 holes for iov is refused at its first hole', () => {
  for (const f of [
    () => P.sendmsgSync(fds.pairA, { iov: sparse() as Buffer[] }),
    () => P.recvmsgIntoSync(fds.pairB, sparse() as Buffer[]),
  ]) {
    let e: unknown;
    try {
      f();
    } catch (x) {
      e = x;
    }
    expect((e as Error)?.name).toBe('TypeError');
  }
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

// Runs last: the fuzzed sendmsg/sendFds calls sent copies of the test's own
// fds over its sockets, and the fuzzed receives took some in. Every copy a
// receive returned must have been closed (keepReceived); any other open
// number referring to one of the test's files is a copy that leaked.
(process.platform === 'linux' ? test : test.skip)('every fd a fuzzed receive took in is accounted for: no copy is left open', () => {
  const received = [...extraFds];
  for (const fd of received) {
    try {
      P.close(fd);
    } catch {
      // already closed
    }
    extraFds.delete(fd);
  }
  const ours = new Map(Object.entries(fds).map(([name, fd]) => [`${fs.fstatSync(fd).dev}:${fs.fstatSync(fd).ino}`, name]));
  const copies: string[] = [];
  for (const entry of fs.readdirSync('/proc/self/fd')) {
    const fd = Number(entry);
    if (Object.values(fds).includes(fd)) continue;
    let id: string;
    try {
      const st = fs.fstatSync(fd);
      id = `${st.dev}:${st.ino}`;
    } catch {
      continue; // the directory's own fd, gone by now
    }
    if (ours.has(id)) copies.push(`fd ${fd} is a copy of ${ours.get(id)}`);
  }
  expect(copies).toEqual([]);
});
