// Leak check, run in its own process by test/leaks.test.ts (the open-fd
// count must be back at its baseline) and by the benchmark (which reports
// RSS growth): many create/close, connect/accept/close and aborted/timed-out
// wait cycles. Reports JSON.
// Usage: node --expose-gc leaks.js <cycles> <waits>
const fs = require('node:fs');
const path = require('node:path');
const P = require(path.join(__dirname, '..', '..', 'dist'));
// The open fds, one entry each: /proc on Linux, fdescfs on macOS.
const FD_DIR = process.platform === 'linux' ? '/proc/self/fd' : '/dev/fd';

const [CYCLES, WAITS] = process.argv.slice(2).map(Number);
const openFds = () => fs.readdirSync(FD_DIR).length;
function rssMB() {
  global.gc();
  return process.memoryUsage().rss / 2 ** 20;
}
const LINGER0 = Int32Array.of(1, 0); // close() sends RST: no TIME_WAIT left to exhaust ports

async function socketClose(n) {
  for (let i = 0; i < n; i++) P.close(P.socket(P.AF_INET, i % 2 ? P.SOCK_DGRAM : P.SOCK_STREAM));
}

async function connectAccept(n, listener, address) {
  for (let i = 0; i < n; i++) {
    const c = P.socket(P.AF_INET, P.SOCK_STREAM);
    let s;
    if (i % 2) {
      P.connectSync(c, address);
      s = P.acceptSync(listener).fd;
    } else {
      const accepted = P.accept(listener);
      await P.connect(c, address);
      s = (await accepted).fd;
    }
    P.setsockopt(c, P.SOL_SOCKET, P.SO_LINGER, LINGER0);
    P.close(c);
    P.close(s);
  }
}

async function abandonedWaits(n) {
  const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  for (let done = 0; done < n; done += 1000) {
    const batch = [];
    for (let i = 0; i < 1000; i++) {
      if (i % 2) {
        const ac = new AbortController();
        batch.push(P.recv(a, 10, 0, { signal: ac.signal }).catch((e) => e.name));
        ac.abort();
      } else {
        batch.push(P.recv(a, 10, 0, { timeout: 1 }).catch((e) => e.code));
      }
    }
    const outcomes = await Promise.all(batch);
    if (outcomes.some((o) => o !== 'AbortError' && o !== 'ETIMEDOUT')) throw new Error(`unexpected: ${outcomes}`);
  }
  P.close(a);
  P.close(b);
}

async function main() {
  const listener = P.socket(P.AF_INET, P.SOCK_STREAM);
  P.bind(listener, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  P.listen(listener, 128);
  const address = P.getsockname(listener);

  // Warm up (JIT, pools), then take the baseline.
  await socketClose(2000);
  await connectAccept(2000, listener, address);
  await abandonedWaits(1000);
  const fdsBefore = openFds();
  const rssBefore = rssMB();

  // Two halves: the heap settles during the first, so a leak shows as
  // growth in the second.
  const half = async () => {
    await socketClose(CYCLES / 2);
    await connectAccept(CYCLES / 2, listener, address);
    await abandonedWaits(WAITS / 2);
  };
  await half();
  const rssMid = rssMB();
  await half();
  const fdsAfter = openFds();
  const rssAfter = rssMB();
  P.close(listener);
  process.stdout.write(JSON.stringify({ cycles: CYCLES, waits: WAITS, fdsBefore, fdsAfter, rssBefore, rssMid, rssAfter }) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
