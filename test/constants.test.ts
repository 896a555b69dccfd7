// The constants are the platform's own: checked against a C program built
// from the same headers, and against the values Node itself exposes. Their
// names come from one list, native/constants.txt, which the native and
// TypeScript files must be generated from.
import { execFileSync, spawnSync } from 'node:child_process';
import * as dns from 'node:dns';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';

const ROOT = path.join(__dirname, '..');
const GEN = 'scripts/gen-constants.js';
// A plain Node script; typed here by what these tests use of it.
const gen = require(path.join(ROOT, GEN)) as {
  LIST: string;
  parseList(text: string): Array<{ group?: string; name?: string; always?: boolean; type?: string; condition?: string }>;
};
// Under PREBUILDS_ONLY=1 (.ci/run) the addon is prebuilds/*/*.node, not build/Release.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadedPrebuild = (require('node-gyp-build') as { resolve(dir: string): string }).resolve(ROOT).includes(`${path.sep}prebuilds${path.sep}`);
const listed = gen.parseList(fs.readFileSync(path.join(ROOT, gen.LIST), 'utf8')).filter((e) => e.name !== undefined);

test('every exported constant equals what C sees in the system headers', () => {
  const names = Object.keys(P.constants);
  expect(names.length).toBeGreaterThan(150);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-consts-'));
  try {
    const src = path.join(dir, 'consts.cc');
    // The headers native/constants.cc includes, with their platform guards: its text before the namespace.
    const cc = fs.readFileSync(path.join(ROOT, 'native/constants.cc'), 'utf8');
    const preamble = cc.slice(0, cc.indexOf('namespace ps {')).replace('#include "addon.h"', '');
    // An enum member is guarded by its list condition; a macro by #ifdef.
    const guard = new Map(listed.map((e) => [e.name!, e.condition ? `#if ${e.condition}` : `#ifdef ${e.name}`]));
    fs.writeFileSync(
      src,
      preamble +
        '#include <cstdio>\nint main() {\n' +
        names.map((n) => `${guard.get(n) ?? `#ifdef ${n}`}\n  printf("${n} %.0f\\n", (double)(${n}));\n#endif\n`).join('') +
        '  return 0;\n}\n',
    );
    const exe = path.join(dir, 'consts');
    // The macros binding.gyp and native/constants.cc define (the second matters on macOS only).
    execFileSync('g++', ['-D_GNU_SOURCE', '-D__APPLE_USE_RFC_3542', '-o', exe, src]);
    const fromC = Object.fromEntries(
      execFileSync(exe, { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((line) => {
          const [name, value] = line.split(' ');
          return [name, Number(value)];
        }),
    );
    if (loadedPrebuild) {
      // A prebuild was compiled against Zig's newer glibc and Linux headers:
      // it may define names this machine's headers lack (IPPROTO_L2TP with
      // Debian 12's), but every name C sees here must be there, equal.
      expect(Object.fromEntries(Object.keys(fromC).map((n) => [n, P.constants[n as keyof typeof P.constants]]))).toEqual(fromC);
    } else {
      expect(P.constants).toEqual(fromC);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('constants Node also exposes have the same values', () => {
  expect(P.AI_ADDRCONFIG).toBe(dns.ADDRCONFIG);
  expect(P.AI_V4MAPPED).toBe(dns.V4MAPPED);
  expect(P.AI_ALL).toBe(dns.ALL);
  expect(P.O_NONBLOCK).toBe(fs.constants.O_NONBLOCK);
});

test('the names POSIX requires are all defined, with the families Sockaddr narrows on', () => {
  for (const n of ['AF_INET', 'AF_INET6', 'AF_UNIX', 'SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_SEQPACKET', 'SOCK_RAW',
    'SOL_SOCKET', 'SO_REUSEADDR', 'SO_ERROR', 'IPPROTO_TCP', 'IPPROTO_UDP', 'IPPROTO_IPV6', 'IPV6_V6ONLY',
    'TCP_NODELAY', 'MSG_PEEK', 'MSG_DONTWAIT', 'MSG_WAITALL', 'SHUT_RD', 'SHUT_WR', 'SHUT_RDWR', 'AI_PASSIVE',
    'NI_NUMERICHOST', 'EAI_NONAME', 'INADDR_ANY', 'INADDR_LOOPBACK', 'SOMAXCONN', 'POLLIN', 'POLLOUT']) {
    expect(typeof P.constants[n]).toBe('number');
  }
  expect(P.AF_UNSPEC).toBe(0);
  expect(P.AF_UNIX).toBe(1);
  expect(P.AF_INET).toBe(2);
  expect([10, 30]).toContain(P.AF_INET6);
  expect(P.INADDR_LOOPBACK).toBe(0x7f000001);
  expect(P.INADDR_NONE).toBe(0xffffffff);
});

test('a constant the platform lacks is undefined, not a made-up number', () => {
  if (os.platform() === 'linux') expect(P.SO_NOSIGPIPE).toBeUndefined();
  if (os.platform() === 'darwin') expect(P.SOCK_NONBLOCK).toBeUndefined();
  expect('SO_NOT_A_REAL_OPTION' in P.constants).toBe(false);
});

test('constantName maps a value back to its name within a group', () => {
  expect(P.constantName('AF', P.AF_INET6)).toBe('AF_INET6');
  expect(P.constantName('AF', P.AF_UNIX)).toBe('AF_UNIX'); // not AF_LOCAL
  expect(P.constantName('SOCK', P.SOCK_DGRAM)).toBe('SOCK_DGRAM');
  expect(P.constantName('SO', P.SO_REUSEADDR)).toBe('SO_REUSEADDR');
  expect(P.constantName('IPPROTO', 6)).toBe('IPPROTO_TCP');
  expect(P.constantName('EAI', P.EAI_NONAME)).toBe('EAI_NONAME');
  expect(P.constantName('SHUT', P.SHUT_WR)).toBe('SHUT_WR');
  expect(P.constantName('AF', 4242)).toBeUndefined();
});

test('flagNames spells out a mask, with unnamed bits in hex', () => {
  expect(P.flagNames('MSG', P.MSG_PEEK | P.MSG_DONTWAIT)).toEqual(['MSG_PEEK', 'MSG_DONTWAIT']);
  expect(P.flagNames('POLL', P.POLLIN | P.POLLOUT)).toEqual(['POLLIN', 'POLLOUT']);
  expect(P.flagNames('AI', 0)).toEqual([]);
  expect(P.flagNames('AI', P.AI_PASSIVE | 0x40000000)).toEqual(['AI_PASSIVE', '0x40000000']);
});

test('native/constants.cc and lib/constants.ts are what npm run gen:constants makes of the list', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, GEN), '--check'], { encoding: 'utf8' });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
});

test('the check fails, naming each file, when the list changes; regenerating fixes both', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-gen-'));
  try {
    for (const f of [GEN, gen.LIST, 'native/constants.cc', 'lib/constants.ts']) {
      fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    fs.appendFileSync(path.join(dir, gen.LIST), '## A group\nSO_NOT_A_REAL_OPTION\n');
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(dir, GEN), ...args], { encoding: 'utf8' });

    const stale = run('--check');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('native/constants.cc is out of date');
    expect(stale.stderr).toContain('lib/constants.ts is out of date');

    expect(run().status).toBe(0);
    expect(run('--check')).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(dir, 'native/constants.cc'), 'utf8')).toContain(
      '  // A group\n#ifdef SO_NOT_A_REAL_OPTION\n  PS_CONSTANT(SO_NOT_A_REAL_OPTION);\n#endif\n  // END GENERATED\n',
    );
    expect(fs.readFileSync(path.join(dir, 'lib/constants.ts'), 'utf8')).toContain(
      '\n// A group\nexport const SO_NOT_A_REAL_OPTION: number | undefined = c.SO_NOT_A_REAL_OPTION;\n// END GENERATED\n',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every name the list marks always is defined here, with the value its literal type says', () => {
  const always = listed.filter((e) => e.always);
  expect(always.length).toBeGreaterThan(150);
  expect(always.map((e) => e.name!).filter((n) => typeof P.constants[n] !== 'number')).toEqual([]);
  for (const { name, type } of always) {
    if (type !== undefined && /^\d+$/.test(type)) expect([name, P.constants[name!]]).toEqual([name, Number(type)]);
  }
  // A name typed `as` a literal without `always` is that literal wherever it is defined.
  for (const { name, type } of listed.filter((e) => !e.always && e.type !== undefined)) {
    if (name! in P.constants) expect([name, P.constants[name!]]).toEqual([name, Number(type)]);
  }
  const names = new Set(listed.map((e) => e.name));
  expect(Object.keys(P.constants).filter((n) => !names.has(n))).toEqual([]);
});
