// Scale: one process holds 10,000 connected TCP sockets, each with a pending
// promise recv, and every one is then served. Runs test/scale/hold.js in a
// process of its own (its peers in another, test/scale/peers.js).
//
// hold.js also measures event-loop delay and memory per pending call while
// they wait; those figures are timing and memory, so they are reported by
// the benchmark (npm run bench), not asserted here.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { testNeedingFds } from './helpers/limits';

const N = 10000;

// hold.js and peers.js each hold N sockets, plus Node's own fds and a margin.
testNeedingFds(N + 256, 'hard', '10,000 pending recvs: every one is served', () => {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'scale', 'hold.js'), String(N)], {
    encoding: 'utf8',
    timeout: 120000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const result = JSON.parse(r.stdout);
  expect(result.served).toBe(N);
  expect(result.fdsOpen).toBeGreaterThanOrEqual(N);
}, 150000);
