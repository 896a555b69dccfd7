// The native surface, checked in one place (as node-addon-api's one
// registration table makes an omission visible): every function the loaded
// binding exports has its typing (the Binding interface in lib/native.ts), its
// trace formatter (lib/trace.ts) and its property-test entry
// (test/properties.test.ts), unless a list below says why it needs none; and
// every Binding member exists in the binding.
//
// The sources are read with the TypeScript compiler's parser, so a formatter
// or entry counts only where the code defines it, not where a comment names it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { binding } from '../lib/native';

const root = path.join(__dirname, '..');

function parse(file: string): ts.SourceFile {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
}

function visit(node: ts.Node, f: (n: ts.Node) => void): void {
  f(node);
  node.forEachChild((c) => visit(c, f));
}

function memberName(n: ts.PropertyName | undefined): string | undefined {
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return undefined;
}

/** The members of `interface Binding` in lib/native.ts, and whether each is a method. */
function bindingMembers(): Map<string, { method: boolean }> {
  const out = new Map<string, { method: boolean }>();
  visit(parse('lib/native.ts'), (n) => {
    if (ts.isInterfaceDeclaration(n) && n.name.text === 'Binding') {
      for (const m of n.members) {
        const name = memberName(m.name);
        if (name !== undefined) out.set(name, { method: ts.isMethodSignature(m) || (ts.isPropertySignature(m) && !!m.type && ts.isFunctionTypeNode(m.type)) });
      }
    }
  });
  return out;
}

/** The keys of the object literals assigned to `formats` and `asyncFormats` in lib/trace.ts. */
function traceFormatters(): Set<string> {
  const out = new Set<string>();
  let tables = 0;
  visit(parse('lib/trace.ts'), (n) => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      (n.name.text === 'formats' || n.name.text === 'asyncFormats') &&
      n.initializer &&
      ts.isObjectLiteralExpression(n.initializer)
    ) {
      tables++;
      for (const p of n.initializer.properties) {
        const name = memberName(p.name);
        if (name !== undefined) out.add(name);
      }
    }
  });
  if (tables !== 2) throw new Error(`expected the formats and asyncFormats tables in lib/trace.ts, found ${tables}`);
  return out;
}

/** The names given to `property('<name>', ...)` in test/properties.test.ts. */
function propertyEntries(): Set<string> {
  const out = new Set<string>();
  visit(parse('test/properties.test.ts'), (n) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'property') {
      const first = n.arguments[0];
      if (first && ts.isStringLiteral(first)) out.add(first.text);
    }
  });
  return out;
}

// ---- the exceptions, each with its reason

/** Native functions that make no system call, so the trace has no line for them. */
const NOT_TRACED: Record<string, string> = {
  release: 'no system call: it only drops the fd from the addon’s registry and stops its watcher',
  watch: 'the readiness watcher (uv_poll on epoll/kqueue): a wait shows as a “#” line (observeWaits), not as a call',
  setReadyCallback: 'registers the engine’s readiness callback once per load; no system call',
  check: 'an fstat of an fd already waited on, asked by the engine when a call joins others: not a socket call',
  trackOwnership: 'a switch of the addon’s bookkeeping, set once per load; no system call',
  strerror: 'a message lookup in the C library, no system call',
  gai_strerror: 'a message lookup in the C library, no system call',
  sockaddrToBytes: 'encodes an address in memory, no system call',
  sockaddrFromBytes: 'decodes an address in memory, no system call',
  inet_pton: 'text to bytes in memory, no system call',
  inet_ntop: 'bytes to text in memory, no system call',
  inet_aton: 'text to bytes in memory, no system call (as inet_pton)',
  inet_addr: 'text to a number in memory, no system call (as inet_pton)',
  inet_ntoa: 'bytes to text in memory, no system call (as inet_ntop)',
  CMSG_SPACE: 'the CMSG_SPACE macro: arithmetic, no system call',
  CMSG_LEN: 'the CMSG_LEN macro: arithmetic, no system call',
};

/**
 * KNOWN MISSING, to be fixed: native functions that do make system calls but
 * have no formatter in lib/trace.ts yet. Remove a name once its formatter
 * exists (this test fails until you do, so the list cannot go stale).
 */
const KNOWN_MISSING_FORMATTER: Record<string, string> = {};

/** Native functions with no property-test entry of their own. */
const NOT_FUZZED: Record<string, string> = {
  watch: 'internal: lib/readiness.ts calls it only with an fd the waiting call validated; every promise-call property reaches it',
  setReadyCallback: 'internal: replacing the engine’s callback would orphan every waiter; test/errors.test.ts checks it refuses a non-function',
  check: 'internal: lib/readiness.ts calls it only with an fd the waiting call validated; reached by every property whose call waits',
  trackOwnership: 'internal: set once by lib/native.ts; test/errors.test.ts checks it refuses a non-boolean',
  gai_strerror: 'internal: called only with a status native getaddrinfo/getnameinfo returned; reached by their properties',
  gethostname: 'takes no arguments',
};

/**
 * KNOWN MISSING, to be fixed: native functions with no property-test entry
 * yet. Remove a name once test/properties.test.ts has its property().
 */
const KNOWN_MISSING_PROPERTY: Record<string, string> = {};

// ----

const exported = Object.keys(binding);
const functions = exported.filter((k) => typeof (binding as unknown as Record<string, unknown>)[k] === 'function').sort();
const members = bindingMembers();
const formatters = traceFormatters();
const properties = propertyEntries();

test('the binding loads and the sources parse: no list below is empty', () => {
  expect(functions.length).toBeGreaterThan(20);
  expect(members.size).toBeGreaterThan(20);
  expect(formatters.size).toBeGreaterThan(10);
  expect(properties.size).toBeGreaterThan(20);
});

test('every binding export is typed in the Binding interface (lib/native.ts), functions as functions', () => {
  expect(exported.filter((k) => !members.has(k))).toEqual([]);
  expect(functions.filter((k) => !members.get(k)!.method)).toEqual([]);
});

test('every Binding member exists in the loaded binding, with the kind it is typed as', () => {
  expect([...members.keys()].filter((k) => !exported.includes(k))).toEqual([]);
  expect([...members].filter(([k, m]) => m.method && !functions.includes(k)).map(([k]) => k)).toEqual([]);
});

test('every native function has a trace formatter (lib/trace.ts), or a reason it needs none', () => {
  const excused = { ...NOT_TRACED, ...KNOWN_MISSING_FORMATTER };
  expect(functions.filter((k) => !formatters.has(k) && !(k in excused))).toEqual([]);
  // Each formatter formats a real function.
  expect([...formatters].filter((k) => !functions.includes(k))).toEqual([]);
  // The lists stay true: no excuse for a name that has a formatter or is gone.
  expect(Object.keys(excused).filter((k) => formatters.has(k) || !functions.includes(k))).toEqual([]);
});

test('every native function has a property-test entry (test/properties.test.ts), or a reason it needs none', () => {
  const excused = { ...NOT_FUZZED, ...KNOWN_MISSING_PROPERTY };
  expect(functions.filter((k) => !properties.has(k) && !(k in excused))).toEqual([]);
  expect(Object.keys(excused).filter((k) => properties.has(k) || !functions.includes(k))).toEqual([]);
});
