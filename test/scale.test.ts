// Scale: one process holds 10,000 connected TCP sockets, each with a pending
// promise recv; the event loop stays responsive while they wait, and every
// one is then served. Runs test/scale/hold.js in a process of its own.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

test('10,000 pending recvs: all served, event-loop delay p99 under 10 ms, memory per call bounded', () => {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'scale', 'hold.js'), '10000'], {
    encoding: 'utf8',
    timeout: 120000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const result = JSON.parse(r.stdout);
  // For the record (the README quotes a run of this).
  console.log(`scale: ${JSON.stringify(result)}`);
  expect(result.served).toBe(10000);
  expect(result.fdsOpen).toBeGreaterThanOrEqual(10000);
  expect(result.loopDelayP99Ms).toBeLessThan(10);
  // Generous bound, to catch a pending call that starts holding a buffer.
  expect(result.bytesPerPendingCall.js).toBeLessThan(8 * 1024);
}, 150000);
