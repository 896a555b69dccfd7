// A signal arriving during a ...Sync call does not surface EINTR: the call is
// retried. The socket has SO_RCVTIMEO set, because with a timeout the kernel
// does not restart the call itself (Node installs its handlers with
// SA_RESTART), so EINTR really reaches the library and the retry is tested.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const dist = path.join(__dirname, '..', 'dist');

/**
 * Runs `script` in a child; once it prints "blocking", sends it SIGUSR1
 * `signals` times, 100 ms apart (never after it has exited).
 */
function runChild(script: string, signals = 3): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    // The child says when it is about to block; interrupt it a few times.
    if (stdout.includes('blocking')) {
      stdout = stdout.replace('blocking\n', '');
      let n = 0;
      const t = setInterval(() => {
        if (child.exitCode !== null || child.signalCode !== null) return clearInterval(t);
        child.kill('SIGUSR1');
        if (++n === signals) clearInterval(t);
      }, 100);
    }
  });
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

// timeval {tv_sec: 2, tv_usec: 0}: 16 bytes on 64-bit Linux and macOS.
const RCVTIMEO = `Buffer.from(new BigInt64Array([2n, 0n]).buffer)`;

test('recvSync interrupted by signals keeps waiting and returns the data', async () => {
  const r = await runChild(`
    const P = require(${JSON.stringify(dist)});
    process.on('SIGUSR1', () => {});
    const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    P.setsockopt(a, P.SOL_SOCKET, P.SO_RCVTIMEO, ${RCVTIMEO});
    // A helper process writes to b 600 ms after it is ready, by when the
    // signals have arrived. Blocking only once it is ready keeps its start-up
    // (1.6 s under qemu) out of the 2 s timeout.
    const { spawn } = require('node:child_process');
    const helper = spawn(process.execPath, ['-e', \`const P = require(${JSON.stringify(dist)}); console.log('ready');
      setTimeout(() => P.sendSync(3, 'late'), 600)\`], { stdio: ['ignore', 'pipe', 'inherit', b] });
    helper.stdout.once('data', () => {
      process.stdout.write('blocking\\n');
      try { console.log('got', P.recvSync(a, 10).toString()); } catch (e) { console.log('error', e.code); }
    });
  `);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('got late');
});

test('acceptSync interrupted by signals keeps waiting and returns the connection', async () => {
  const r = await runChild(`
    const P = require(${JSON.stringify(dist)});
    process.on('SIGUSR1', () => {});
    const l = P.socket(P.AF_INET, P.SOCK_STREAM);
    P.bind(l, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    P.listen(l, 1);
    P.setsockopt(l, P.SOL_SOCKET, P.SO_RCVTIMEO, ${RCVTIMEO});
    const port = P.getsockname(l).port;
    // A helper connects 600 ms after it is ready (see the test above).
    const { spawn } = require('node:child_process');
    const helper = spawn(process.execPath, ['-e', \`const P = require(${JSON.stringify(dist)}); console.log('ready');
      setTimeout(() => P.connectSync(P.socket(P.AF_INET, P.SOCK_STREAM), { family: P.AF_INET, address: '127.0.0.1', port: \${port} }), 600)\`],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    helper.stdout.once('data', () => {
      process.stdout.write('blocking\\n');
      try { const { fd } = P.acceptSync(l); console.log('accepted', fd > 0); } catch (e) { console.log('error', e.code); }
    });
  `);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('accepted true');
});

// timeval {tv_sec: 1, tv_usec: 0}.
const ONE_SECOND = `Buffer.from(new BigInt64Array([1n, 0n]).buffer)`;

test('recvSync with SO_RCVTIMEO under periodic signals still times out (EAGAIN): the timeout bounds the whole call', async () => {
  // Signals every 100 ms for up to 25 s (they stop when the child exits): a
  // retry that restarted the kernel's 1 s timer each time would not return
  // before they stop, past this test's 20 s limit.
  const r = await runChild(
    `
    const P = require(${JSON.stringify(dist)});
    process.on('SIGUSR1', () => {});
    const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    P.setsockopt(a, P.SOL_SOCKET, P.SO_RCVTIMEO, ${ONE_SECOND});
    process.stdout.write('blocking\\n');
    try { P.recvSync(a, 10); console.log('returned data'); } catch (e) { console.log('error', e.code, e.syscall); }
    process.exit(0);
  `,
    250,
  );
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('error EAGAIN recv');
}, 20000);

(process.platform === 'linux' ? test : test.skip)(
  'connectSync with SO_SNDTIMEO under signals waits only what is left of the timeout (EINPROGRESS, as the kernel says)',
  async () => {
    // A listener with backlog 0 and one queued connection drops further
    // SYNs: a blocking connect to it waits until SO_SNDTIMEO runs out.
    const r = await runChild(
      `
      const P = require(${JSON.stringify(dist)});
      process.on('SIGUSR1', () => {});
      const l = P.socket(P.AF_INET, P.SOCK_STREAM);
      P.bind(l, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
      P.listen(l, 0);
      const addr = P.getsockname(l);
      const first = P.socket(P.AF_INET, P.SOCK_STREAM);
      P.connectSync(first, addr);
      const fd = P.socket(P.AF_INET, P.SOCK_STREAM);
      P.setsockopt(fd, P.SOL_SOCKET, P.SO_SNDTIMEO, ${ONE_SECOND});
      // The queue may take one more: keep connecting until one blocks.
      process.stdout.write('blocking\\n');
      let out = 'connected';
      for (let i = 0; i < 4 && out === 'connected'; i++) {
        const c = i === 0 ? fd : P.socket(P.AF_INET, P.SOCK_STREAM);
        if (i > 0) P.setsockopt(c, P.SOL_SOCKET, P.SO_SNDTIMEO, ${ONE_SECOND});
        try { P.connectSync(c, addr); } catch (e) { out = e.code + ' ' + e.syscall; }
      }
      console.log(out);
      process.exit(0);
    `,
      100,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('EINPROGRESS connect');
  },
  30000,
);
