// sendfile: a file's bytes to a socket inside the kernel. The peer reads
// exactly the file's bytes; an offset leaves the file position alone, null
// uses and advances it; the promise form waits for a full send buffer to
// drain; the kernel's own errors come back.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';
import { useFiles } from './helpers/fds';
import { fillSendBuffer, isLinux, rejection, thrown, useSockets } from './helpers/sockets';

const s = useSockets();
const files = useFiles();
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-sendfile-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const NEVER_OPENED = 987654;
/** 1 MiB of known, non-repeating content. */
const MIB = crypto.createHash('sha256').update('seed').digest();
const content = Buffer.concat(
  Array.from({ length: (1 << 20) / 32 }, (_, i) => crypto.createHash('sha256').update(MIB).update(String(i)).digest()),
);

function file(name: string, data: Buffer | string): number {
  fs.writeFileSync(path.join(dir, name), data);
  return files.track(fs.openSync(path.join(dir, name), 'r'));
}

/** The file's position, read through the shared open file description (fs.readSync at null reads from it). */
function readAtPosition(fd: number, n: number): string {
  const buf = Buffer.alloc(n);
  return buf.toString('latin1', 0, fs.readSync(fd, buf, 0, n, null));
}

/** Receives until `n` bytes have come (or EOF). */
async function recvExactly(fd: number, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  while (got < n) {
    const chunk = await P.recv(fd, Math.min(n - got, 256 * 1024));
    if (chunk.length === 0) break;
    parts.push(chunk);
    got += chunk.length;
  }
  return Buffer.concat(parts);
}

test('1 MiB of a file reaches the TCP peer byte for byte (promise form, offsets advanced by the results)', async () => {
  const { server, client } = await s.tcpPair();
  const f = file('big', content);
  const received = recvExactly(server, content.length);
  let offset = 0;
  let calls = 0;
  while (offset < content.length) {
    const n = await P.sendfile(client, f, offset, content.length - offset);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(content.length - offset);
    offset += n;
    calls++;
  }
  expect(offset).toBe(content.length);
  const got = await received;
  expect(got.length).toBe(content.length);
  expect(got.equals(content)).toBe(true);
  // The offsets were given: the file's own position never moved.
  expect(readAtPosition(f, 4)).toBe(content.subarray(0, 4).toString('latin1'));
  expect(calls).toBeGreaterThanOrEqual(1);
});

test('with an offset the file position is left alone; with null it is used and advanced', () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const f = file('abc', 'abcdefghijklmnopqrstuvwxyz');
  expect(P.sendfileSync(a, f, 10, 5)).toBe(5);
  expect(P.recvSync(b, 100).toString()).toBe('klmno');
  // The position is still 0: null reads from there...
  expect(P.sendfileSync(a, f, null, 3)).toBe(3);
  expect(P.recvSync(b, 100).toString()).toBe('abc');
  // ...and advanced it by 3, as read(2) would see it.
  expect(readAtPosition(f, 2)).toBe('de');
  expect(P.sendfileSync(a, f, null, 2)).toBe(2);
  expect(P.recvSync(b, 100).toString()).toBe('fg');
});

test('fewer bytes than asked at the end of the file, 0 past it; count 0 sends nothing', () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const f = file('short', 'twelve bytes');
  expect(P.sendfileSync(a, f, 6, 1000)).toBe(6);
  expect(P.recvSync(b, 100).toString()).toBe(' bytes');
  expect(P.sendfileSync(a, f, 12, 10)).toBe(0);
  expect(P.sendfileSync(a, f, 500, 10)).toBe(0);
  expect(P.sendfileSync(a, f, 0, 0)).toBe(0);
  expect(P.sendfileSync(a, f, null, 0)).toBe(0);
  expect(readAtPosition(f, 3)).toBe('twe'); // count 0 with null moved nothing
  // A count beyond what one call may send is capped by the kernel, not refused.
  expect(P.sendfileSync(a, f, 0, Number.MAX_SAFE_INTEGER)).toBe(12);
  expect(P.recvSync(b, 100).toString()).toBe('twelve bytes');
});

test('the promise form waits while the send buffer is full, and sends once the reader drains it', async () => {
  // A unix stream socket: its queued bytes count against the sender until
  // the reader takes them, so once full it stays full while nobody reads
  // (TCP would go on moving bytes into the peer's window meanwhile).
  const [client, server] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  P.setsockopt(client, P.SOL_SOCKET, P.SO_SNDBUF, 4096);
  const queued = fillSendBuffer(client);
  const f = file('wait', content.subarray(0, 64 * 1024));
  let settled = false;
  const pending = P.sendfile(client, f, 0, 64 * 1024).finally(() => {
    settled = true;
  });
  // Nothing reads: the buffer cannot drain, so the call is still waiting.
  await new Promise((r) => setImmediate(() => setImmediate(r)));
  expect(settled).toBe(false);
  expect(P.isNonBlocking(client)).toBe(false); // a blocking socket, switched only for each try
  // The slow reader: the filler first, then the file's bytes.
  const filler = await recvExactly(server, queued);
  expect(filler.equals(Buffer.alloc(queued, 0x61))).toBe(true);
  const n = await pending;
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThanOrEqual(64 * 1024);
  expect((await recvExactly(server, n)).equals(content.subarray(0, n))).toBe(true);
  expect(P.isNonBlocking(client)).toBe(false);
});

test('a wait ends with ETIMEDOUT (timeout) or an AbortError (signal), as send()', async () => {
  const [client] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  P.setsockopt(client, P.SOL_SOCKET, P.SO_SNDBUF, 4096);
  fillSendBuffer(client);
  const f = file('timeout', 'data');
  const e = await rejection(P.sendfile(client, f, 0, 4, { timeout: 20 }));
  expect([e.code, e.syscall]).toEqual(['ETIMEDOUT', 'sendfile']);
  const ac = new AbortController();
  const aborted = P.sendfile(client, f, null, 4, { signal: ac.signal });
  ac.abort();
  expect(await rejection(aborted)).toBeInstanceOf(P.AbortError);
  expect(readAtPosition(f, 4)).toBe('data'); // nothing was sent from the position
});

test('sendfileSync on a non-blocking socket with a full buffer: EAGAIN at once', async () => {
  const [client] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM); // stays full while nobody reads
  P.setNonBlocking(client);
  fillSendBuffer(client);
  const f = file('eagain', 'x');
  expect(thrown(() => P.sendfileSync(client, f, 0, 1)).code).toBe('EAGAIN');
});

test('the kernel’s errors: EBADF, EINVAL, EOVERFLOW, EPIPE, EDESTADDRREQ', () => {
  const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const f = file('errs', 'errors');
  const code = (fn: () => unknown) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(P.SocketError);
    expect(e.syscall).toBe('sendfile');
    return e.code;
  };
  expect(code(() => P.sendfileSync(a, NEVER_OPENED, 0, 1))).toBe('EBADF'); // no such in fd
  expect(code(() => P.sendfileSync(NEVER_OPENED, f, 0, 1))).toBe('EBADF'); // no such out fd
  expect(code(() => P.sendfileSync(f, f, 0, 1))).toBe(isLinux ? 'EBADF' : 'ENOTSOCK'); // out not open for writing
  expect(code(() => P.sendfileSync(a, f, -1, 1))).toBe('EINVAL'); // a negative offset
  if (isLinux) {
    expect(code(() => P.sendfileSync(a, b, null, 1))).toBe('EINVAL'); // a socket is not a file to read from
    expect(code(() => P.sendfileSync(a, f, Number.MAX_SAFE_INTEGER, 1))).toBe('EOVERFLOW');
    // Not connected: a UDP socket has nowhere to send, a TCP one is a broken pipe.
    expect(code(() => P.sendfileSync(s.socket(P.AF_INET, P.SOCK_DGRAM), f, 0, 1))).toBe('EDESTADDRREQ');
    expect(code(() => P.sendfileSync(s.socket(P.AF_INET, P.SOCK_STREAM), f, 0, 1))).toBe('EPIPE');
  }
});

test('a promise sendfile that fails rejects with the kernel’s errno', async () => {
  const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const e = await rejection(P.sendfile(a, NEVER_OPENED, null, 1));
  expect([e.code, e.syscall]).toEqual(['EBADF', 'sendfile']);
});

test('arguments are checked before any system call: TypeError/RangeError', () => {
  const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const f = file('args', 'args');
  const bad: unknown[][] = [
    [-1, f, 0, 1],
    [a, 1.5, 0, 1],
    [a, f, undefined, 1],
    [a, f, '0', 1],
    [a, f, 0.5, 1],
    [a, f, 2 ** 53, 1],
    [a, f, 0, -1],
    [a, f, 0, 2 ** 53],
    [a, f, 0, NaN],
    [a, f, 0, '1'],
  ];
  for (const args of bad) {
    const e = thrown(() => (P.sendfileSync as (...x: unknown[]) => number)(...args));
    expect(['TypeError', 'RangeError']).toContain(e.name);
    expect(() => (P.sendfile as (...x: unknown[]) => Promise<number>)(...args)).toThrow();
  }
  expect(() => P.sendfile(a, f, 0, 1, 'x' as unknown as P.WaitOptions)).toThrow(TypeError);
  expect(readAtPosition(f, 4)).toBe('args');
});
