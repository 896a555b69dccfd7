// A signal arriving during a ...Sync call does not surface EINTR: the call is
// retried. The socket has SO_RCVTIMEO set, because with a timeout the kernel
// does not restart the call itself (Node installs its handlers with
// SA_RESTART), so EINTR really reaches the library and the retry is tested.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const dist = path.join(__dirname, '..', 'dist');

function runChild(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
        child.kill('SIGUSR1');
        if (++n === 3) clearInterval(t);
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
    // A helper process writes to b after the signals have arrived.
    const { spawn } = require('node:child_process');
    spawn(process.execPath, ['-e', \`setTimeout(() => require(${JSON.stringify(dist)}).sendSync(3, 'late'), 600)\`],
      { stdio: ['ignore', 'inherit', 'inherit', b] });
    process.stdout.write('blocking\\n');
    try { console.log('got', P.recvSync(a, 10).toString()); } catch (e) { console.log('error', e.code); }
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
    const { spawn } = require('node:child_process');
    spawn(process.execPath, ['-e', \`setTimeout(() => { const P = require(${JSON.stringify(dist)});
      P.connectSync(P.socket(P.AF_INET, P.SOCK_STREAM), { family: P.AF_INET, address: '127.0.0.1', port: \${port} }); }, 600)\`],
      { stdio: 'inherit' });
    process.stdout.write('blocking\\n');
    try { const { fd } = P.acceptSync(l); console.log('accepted', fd > 0); } catch (e) { console.log('error', e.code); }
  `);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('accepted true');
});
