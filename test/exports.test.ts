// The package imported by its name, both ways, from a consumer project that
// has the packed tarball in node_modules: `import` reaches the ESM entry
// with every export named, `require` the CommonJS build, both the same
// module instance; dist/* is private.
import { spawnSync } from 'node:child_process';
import { packIntoProject, Packed } from './helpers/packed';

let packed: Packed;
beforeAll(() => {
  packed = packIntoProject();
}, 70000);
afterAll(() => packed?.remove());

/** Runs `node [args] -e code` in the consumer project; its stdout parsed as JSON. */
function run(args: string[], code: string): unknown {
  const r = spawnSync(process.execPath, [...args, '-e', code], { cwd: packed.project, encoding: 'utf8', timeout: 20000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

test('import { socket, AF_INET } from "posix-sockets": the ESM entry, named exports that make real calls', () => {
  const out = run(
    ['--input-type=module'],
    `
    import { socket, close, getsockname, AF_INET, SOCK_STREAM } from 'posix-sockets';
    const fd = socket(AF_INET, SOCK_STREAM);
    const name = getsockname(fd);
    close(fd);
    console.log(JSON.stringify({ resolved: import.meta.resolve('posix-sockets'), family: name.family === AF_INET }));`,
  );
  expect(out).toEqual({ resolved: expect.stringMatching(/\/node_modules\/posix-sockets\/dist\/index\.mjs$/), family: true });
});

test('the ESM namespace has exactly the CommonJS exports (and default), and they are the same objects', () => {
  const out = run(
    ['--input-type=module'],
    `
    import * as ns from 'posix-sockets';
    import P from 'posix-sockets';
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)('posix-sockets');
    const keys = Object.keys(cjs).sort();
    const names = Object.keys(ns).filter((k) => k !== 'default').sort();
    console.log(JSON.stringify({
      count: keys.length,
      missing: keys.filter((k) => !names.includes(k)),
      extra: names.filter((k) => !keys.includes(k)),
      different: keys.filter((k) => ns[k] !== cjs[k]),
      defaultIsCjs: P === cjs && ns.default === cjs,
    }));`,
  );
  expect(out).toEqual({ count: expect.any(Number), missing: [], extra: [], different: [], defaultIsCjs: true });
  expect((out as { count: number }).count).toBeGreaterThan(100);
});

test('require("posix-sockets"): the CommonJS build, making real calls and real errors', () => {
  const out = run(
    [],
    `
    const P = require('posix-sockets');
    const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
    let code;
    try { P.listen(fd, 1); } catch (e) { code = e.code + ' ' + (e instanceof P.SocketError); }
    P.close(fd);
    console.log(JSON.stringify({ resolved: require.resolve('posix-sockets'), code, version: require('posix-sockets/package.json').version }));`,
  );
  expect(out).toEqual({
    resolved: expect.stringMatching(/\/node_modules\/posix-sockets\/dist\/index\.js$/),
    code: 'EOPNOTSUPP true',
    version: packed.manifest.version,
  });
});

test('dist/* is private: deep paths are not exported, by require or import', () => {
  const out = run(
    ['--input-type=module'],
    `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    const codes = [];
    for (const p of ['posix-sockets/dist/index.js', 'posix-sockets/dist/io', 'posix-sockets/binding.gyp']) {
      try { require(p); codes.push('loaded ' + p); } catch (e) { codes.push(e.code); }
      try { await import(p); codes.push('imported ' + p); } catch (e) { codes.push(e.code); }
    }
    console.log(JSON.stringify(codes));`,
  );
  expect(out).toEqual(Array(6).fill('ERR_PACKAGE_PATH_NOT_EXPORTED'));
});
