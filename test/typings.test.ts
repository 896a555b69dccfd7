// The typings as a user meets them: lib, the tests, the examples, the bench
// and test/types/ (an exhaustive switch over Sockaddr) type-check strictly,
// with no cast needed to pass a returned address back in.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '..');

test('tsc --noEmit over lib, test, examples and bench reports nothing', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120000,
  });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 130000);
