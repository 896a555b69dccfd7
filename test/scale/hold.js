// Scale check, run in its own process by test/scale.test.ts (which checks
// that every call is served) and by the benchmark (which reports the
// figures): N connected TCP sockets on loopback, each with a pending promise
// recv (their peers live in peers.js, another process, as one process may
// hold only RLIMIT_NOFILE fds). While they wait, measures event-loop delay
// and the memory the pending calls hold; then serves every one and reports
// JSON.
// Usage: node --expose-gc hold.js <N>
const { spawn } = require('node:child_process');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const fs = require('node:fs');
const path = require('node:path');
const P = require(path.join(__dirname, '..', '..', 'dist'));
// The open fds, one entry each: /proc on Linux, fdescfs on macOS.
const FD_DIR = process.platform === 'linux' ? '/proc/self/fd' : '/dev/fd';

const N = Number(process.argv[2] ?? 10000);

function mem() {
  global.gc();
  const m = process.memoryUsage();
  return { rss: m.rss, js: m.heapUsed + m.external + m.arrayBuffers };
}

async function main() {
  const listener = P.socket(P.AF_INET, P.SOCK_STREAM | P.SOCK_NONBLOCK);
  P.bind(listener, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  P.listen(listener, 4096);
  const address = P.getsockname(listener);

  const servers = [];
  const acceptAll = (async () => {
    while (servers.length < N) servers.push((await P.accept(listener)).fd);
  })();
  const peers = spawn(process.execPath, [path.join(__dirname, 'peers.js'), String(N), String(address.port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    let out = '';
    peers.stdout.on('data', (d) => (out += d) && out.includes('connected') && resolve());
    peers.on('exit', (code) => reject(new Error(`peers exited with ${code}`)));
  });
  await acceptAll;

  const before = mem();
  const pending = servers.map((fd) => P.recv(fd, 16));
  const after = mem();

  // The loop keeps running while all of them wait: timers fire on time.
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  let ticks = 0;
  await new Promise((resolve) => {
    const t = setInterval(() => {
      if (++ticks === 50) {
        clearInterval(t);
        resolve();
      }
    }, 10);
  });
  h.disable();
  const fdsOpen = fs.readdirSync(FD_DIR).length;

  // Serve every one: the peers send `m<i>` on their i-th connection, which is
  // not necessarily our i-th accept, so compare as sets.
  peers.stdin.write('go\n');
  const got = await Promise.all(pending);
  const expected = new Set(Array.from({ length: N }, (_, i) => `m${i}`));
  const served = got.filter((b) => expected.delete(b.toString())).length;
  peers.stdin.end();
  for (const fd of [...servers, listener]) P.close(fd);
  process.stdout.write(
    JSON.stringify({
      n: N,
      served,
      fdsOpen,
      loopDelayP99Ms: h.percentile(99) / 1e6,
      loopDelayMaxMs: h.max / 1e6,
      bytesPerPendingCall: {
        rss: (after.rss - before.rss) / N,
        js: (after.js - before.js) / N,
      },
    }) + '\n',
  );
}

main();
