// What `npm pack` publishes: exactly the files a consumer needs, and a
// manifest whose install-time scripts are only the addon's load-or-build.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packIntoProject, Packed, root } from './helpers/packed';

let packed: Packed;
beforeAll(() => {
  packed = packIntoProject();
}, 70000);
afterAll(() => packed?.remove());

/**
 * The tarball, file by file: the compiled TypeScript (each lib/ module's .js
 * and .d.ts, and the ESM entry), the C++ sources and binding.gyp (compiled at
 * install when no prebuild matches), the prebuilds, README, LICENSE and
 * package.json. No source maps (tsconfig.json: sourceMap off, since lib/ is
 * not shipped), no lib/, test/, scripts/, docs/, build/.
 */
function expectedFiles(): string[] {
  const modules = fs
    .readdirSync(path.join(root, 'lib'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3));
  // binding.gyp is JSON here; its sources are what an install compiles.
  const gyp = JSON.parse(fs.readFileSync(path.join(root, 'binding.gyp'), 'utf8'));
  const sources: string[] = gyp.targets[0].sources;
  const headers = fs.readdirSync(path.join(root, 'native')).filter((f) => f.endsWith('.h')).map((f) => `native/${f}`);
  return [
    'LICENSE',
    'README.md',
    'package.json',
    'binding.gyp',
    'dist/index.mjs',
    'dist/index.d.mts',
    ...modules.flatMap((m) => [`dist/${m}.js`, `dist/${m}.d.ts`]),
    ...sources,
    ...headers,
  ].sort();
}

test('the tarball holds exactly the files a consumer needs (prebuilds/ aside)', () => {
  const files = packed.files.map((f) => f.path);
  // prebuilds/ holds whatever `npm run prebuild` made (none in a clean clone).
  const prebuilds = files.filter((f) => f.startsWith('prebuilds/'));
  expect(prebuilds.every((f) => /^prebuilds\/[a-z0-9]+-[a-z0-9]+\/[^/]+\.node$/.test(f))).toBe(true);
  expect(files.filter((f) => !f.startsWith('prebuilds/')).sort()).toEqual(expectedFiles());
});

test('the packed manifest: no prepare, install only loads or builds the addon, and the fields a registry shows', () => {
  const m = packed.manifest;
  // The scripts npm runs (or lists for review) when a consumer installs.
  const installTime = ['preinstall', 'install', 'postinstall', 'prepare'].filter((s) => m.scripts?.[s] !== undefined);
  expect(installTime).toEqual(['install']);
  expect(m.scripts.install).toBe('node-gyp-build');
  expect(m.license).toBe('MIT');
  expect(fs.readFileSync(path.join(packed.pkgDir, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  expect(m.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/) });
  expect(m.bugs).toEqual({ url: expect.stringMatching(/^https:\/\/.+\/issues$/) });
  expect(m.homepage).toMatch(/^https:\/\//);
  expect(m.exports).toEqual({
    '.': {
      import: { types: './dist/index.d.mts', default: './dist/index.mjs' },
      require: { types: './dist/index.d.ts', default: './dist/index.js' },
    },
    './package.json': './package.json',
  });
  // Every file the manifest points at is in the tarball.
  for (const f of [m.main, m.types, './dist/index.mjs', './dist/index.d.mts']) {
    expect([f, fs.existsSync(path.join(packed.pkgDir, f))]).toEqual([f, true]);
  }
});

test('the shipped JavaScript points at no source map', () => {
  const dist = path.join(packed.pkgDir, 'dist');
  const withMap = fs
    .readdirSync(dist)
    .filter((f) => /\.(m?js|d\.m?ts)$/.test(f) && fs.readFileSync(path.join(dist, f), 'utf8').includes('sourceMappingURL'));
  expect(withMap).toEqual([]);
});
