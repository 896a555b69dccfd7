// The package as a consumer gets it: `npm pack` of this tree, unpacked into
// node_modules/posix-sockets of a fresh project in a temp directory, so
// everything resolves through the packed package.json (its exports map)
// and nothing outside the tarball is reachable by a relative path.
//
// Scripts are not run (--ignore-scripts): prepack would delete and rebuild
// dist/ under the other test files, which require it. dist/ is what
// `npm test`'s pretest step just built. The compiled addon is copied into
// build/Release/ as the install step (node-gyp-build) would leave it; the
// project's node_modules links node-gyp-build (the package's one runtime
// dependency that does anything at run time) and @types/node (for the
// TypeScript consumers) to this repository's copies.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const root = path.join(__dirname, '..', '..');

export interface PackedFile {
  path: string;
  size: number;
}

export interface Packed {
  /** The consumer project: package.json, node_modules/. */
  project: string;
  /** node_modules/posix-sockets inside it. */
  pkgDir: string;
  /** The files npm put in the tarball, as `npm pack --json` lists them. */
  files: PackedFile[];
  /** The tarball's size in bytes. */
  size: number;
  /** The package.json inside the tarball. */
  manifest: Record<string, any>;
  remove(): void;
}

export function packIntoProject(): Packed {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-sockets-consumer-'));
  const r = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60000,
  });
  if (r.status !== 0) throw new Error(`npm pack failed (${r.status ?? r.signal}): ${r.stderr}`);
  const [info] = JSON.parse(r.stdout) as { filename: string; size: number; files: PackedFile[] }[];
  const tarball = path.join(project, info.filename);

  const modules = path.join(project, 'node_modules');
  const pkgDir = path.join(modules, 'posix-sockets');
  fs.mkdirSync(pkgDir, { recursive: true });
  const x = spawnSync('tar', ['xzf', tarball, '-C', pkgDir, '--strip-components=1'], { encoding: 'utf8' });
  if (x.status !== 0) throw new Error(`tar failed: ${x.stderr}`);
  fs.rmSync(tarball);

  const release = path.join(pkgDir, 'build', 'Release');
  fs.mkdirSync(release, { recursive: true });
  fs.copyFileSync(path.join(root, 'build', 'Release', 'posix_sockets.node'), path.join(release, 'posix_sockets.node'));
  fs.symlinkSync(path.join(root, 'node_modules', 'node-gyp-build'), path.join(modules, 'node-gyp-build'), 'dir');
  fs.mkdirSync(path.join(modules, '@types'));
  fs.symlinkSync(path.join(root, 'node_modules', '@types', 'node'), path.join(modules, '@types', 'node'), 'dir');
  fs.writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: { 'posix-sockets': '*' } }, null, 2),
  );

  return {
    project,
    pkgDir,
    files: info.files,
    size: info.size,
    manifest: JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')),
    remove: () => fs.rmSync(project, { recursive: true, force: true }),
  };
}
