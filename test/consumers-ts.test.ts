// The typings as a TypeScript consumer meets them through the exports map:
// test/types/ (exhaustive switches over Sockaddr and over a Cmsg's `name`,
// the typed socket options), importing 'posix-sockets' instead of lib/,
// type-check strictly with `module: nodenext` (as ESM and as CommonJS) and
// with `moduleResolution: bundler`, library declarations included. Each
// project must also resolve the entry its mode should (the .d.mts for
// import, the .d.ts for require) and must not reach dist/* by a deep path.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packIntoProject, Packed, root } from './helpers/packed';

let packed: Packed;
beforeAll(() => {
  packed = packIntoProject();
}, 70000);
afterAll(() => packed?.remove());

const typesDir = path.join(root, 'test', 'types');
const programs = fs.readdirSync(typesDir).filter((f) => f.endsWith('.ts'));

/** The test/types programs with their imports of lib/ turned into the package's name. */
function writePrograms(dir: string, ext: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of programs) {
    const text = fs.readFileSync(path.join(typesDir, f), 'utf8');
    const rewritten = text.replace(/from '\.\.\/\.\.\/lib'/g, "from 'posix-sockets'");
    expect(rewritten).not.toContain('../');
    fs.writeFileSync(path.join(dir, f.replace(/\.ts$/, ext)), rewritten);
  }
  // A deep path into the package does not resolve: the exports map keeps dist/* private.
  fs.writeFileSync(
    path.join(dir, `deep${ext}`),
    "// @ts-expect-error: dist/* is not exported\nimport type { Sockaddr } from 'posix-sockets/dist/sockaddr';\nexport type A = Sockaddr;\n",
  );
}

function tsc(name: string, compilerOptions: Record<string, unknown>, ext: string): { out: string; status: number | null; files: string[] } {
  const dir = path.join(packed.project, name);
  writePrograms(dir, ext);
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        ...compilerOptions,
      },
      include: ['*' + ext],
    }),
  );
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--listFiles'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120000,
  });
  const lines = (r.stdout + r.stderr).split('\n');
  const files = lines.filter((l) => l.includes('/node_modules/posix-sockets/')).map((l) => l.slice(l.indexOf('/node_modules/posix-sockets/') + 28));
  const out = lines.filter((l) => !l.startsWith('/')).join('\n').trim();
  return { out, status: r.status, files };
}

test('module: nodenext, ESM (.mts): type-checks, through dist/index.d.mts', () => {
  const r = tsc('nodenext-esm', { module: 'nodenext' }, '.mts');
  expect(r.out).toBe('');
  expect(r.status).toBe(0);
  expect(r.files).toContain('dist/index.d.mts');
}, 130000);

test('module: nodenext, CommonJS (.cts): type-checks, through dist/index.d.ts', () => {
  const r = tsc('nodenext-cjs', { module: 'nodenext' }, '.cts');
  expect(r.out).toBe('');
  expect(r.status).toBe(0);
  expect(r.files).toContain('dist/index.d.ts');
  expect(r.files).not.toContain('dist/index.d.mts');
}, 130000);

test('moduleResolution: bundler: type-checks, through the import condition', () => {
  const r = tsc('bundler', { module: 'esnext', moduleResolution: 'bundler' }, '.ts');
  expect(r.out).toBe('');
  expect(r.status).toBe(0);
  expect(r.files).toContain('dist/index.d.mts');
}, 130000);
