// Leaks: 100,000 socket/close and 100,000 connect/accept/close cycles, plus
// 10,000 aborted and timed-out waits, end with the open-fd count exactly at
// its baseline. Runs test/scale/leaks.js in a process of its own.
//
// leaks.js also reports RSS before, halfway and after; memory figures are
// reported by the benchmark (npm run bench), not asserted here.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { testNeedingFds } from './helpers/limits';

// The cycles close as they go: a few fds at a time, plus Node's own.
testNeedingFds(256, 'hard', 'no fd left behind by 100,000 cycles and 10,000 abandoned waits', () => {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'scale', 'leaks.js'), '100000', '10000'], {
    encoding: 'utf8',
    timeout: 180000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const result = JSON.parse(r.stdout);
  expect(result.fdsAfter).toBe(result.fdsBefore);
}, 200000);
