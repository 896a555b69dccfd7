#!/usr/bin/env node
// Writes the generated regions of native/constants.cc and lib/constants.ts
// from native/constants.txt, so each constant name is typed once (as
// CPython's socket.py derives its enums from the module's own names).
//
//   node scripts/gen-constants.js          rewrite both regions (npm run gen:constants)
//   node scripts/gen-constants.js --check  write nothing; exit 1, naming each file
//                                          that regenerating would change
//
// Everything outside the `// BEGIN GENERATED` ... `// END GENERATED` lines is
// hand-written and left as it is. Plain Node, no dependencies.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const LIST = 'native/constants.txt';
const COMMAND = 'npm run gen:constants';
const BEGIN = '// BEGIN GENERATED';
const END = '// END GENERATED';

/**
 * The list as entries in order: { group } for a `##` heading, or
 * { name, always, type, condition } for a constant (type: the TypeScript type
 * it is narrowed to, or undefined; condition: the preprocessor test that
 * guards it when it is an enum rather than a macro, or undefined); without
 * always, the export is that type or undefined.
 */
function parseList(text, file = LIST) {
  const entries = [];
  const seen = new Map();
  text.split('\n').forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const line = raw.trim();
    if (line.startsWith('##')) {
      entries.push({ group: line.slice(2).trim() });
      return;
    }
    if (line === '' || line.startsWith('#')) return;
    const m = /^([A-Z][A-Za-z0-9_]*)(?:\s+(always))?(?:\s+as\s+(\S.*)|\s+if\s+(\S.*))?$/.exec(line);
    if (!m) {
      throw new Error(`${where}: expected NAME, NAME always, NAME [always] as TYPE or NAME if CONDITION, got: ${line}`);
    }
    const [, name, always, type, condition] = m;
    if (seen.has(name)) throw new Error(`${where}: ${name} is already listed at line ${seen.get(name)}`);
    seen.set(name, i + 1);
    entries.push({ name, always: always !== undefined, type, condition });
  });
  return entries;
}

const header = (indent) => `${indent}${BEGIN} from ${LIST} by \`${COMMAND}\`; edit the list, not this.`;

function renderCc(entries, indent) {
  const out = [header(indent)];
  for (const e of entries) {
    if (e.group !== undefined) out.push(`${indent}// ${e.group}`);
    else out.push(e.condition ? `#if ${e.condition}` : `#ifdef ${e.name}`, `${indent}PS_CONSTANT(${e.name});`, '#endif');
  }
  out.push(`${indent}${END}`);
  return out;
}

function renderTs(entries, indent) {
  const out = [header(indent)];
  for (const e of entries) {
    if (e.group !== undefined) {
      if (out.length > 1) out.push('');
      out.push(`${indent}// ${e.group}`);
    } else if (e.type !== undefined) {
      const type = e.always ? e.type : `${e.type} | undefined`;
      out.push(`${indent}export const ${e.name} = c.${e.name} as ${type};`);
    } else {
      const type = e.always ? 'number' : 'number | undefined';
      out.push(`${indent}export const ${e.name}: ${type} = c.${e.name};`);
    }
  }
  out.push(`${indent}${END}`);
  return out;
}

const TARGETS = [
  { file: 'native/constants.cc', render: renderCc },
  { file: 'lib/constants.ts', render: renderTs },
];

/** `text` with the lines from its BEGIN marker to its END marker replaced. */
function replaceRegion(text, file, render, entries) {
  const lines = text.split('\n');
  const begins = [];
  const ends = [];
  lines.forEach((l, i) => {
    if (l.trim().startsWith(BEGIN)) begins.push(i);
    if (l.trim().startsWith(END)) ends.push(i);
  });
  if (begins.length !== 1 || ends.length !== 1 || ends[0] < begins[0]) {
    throw new Error(`${file}: needs one '${BEGIN}' line and, after it, one '${END}' line`);
  }
  const indent = /^\s*/.exec(lines[begins[0]])[0];
  lines.splice(begins[0], ends[0] - begins[0] + 1, ...render(entries, indent));
  return lines.join('\n');
}

/** For each generated file under `root`: its current text and the text it should have. */
function generate(root) {
  const entries = parseList(fs.readFileSync(path.join(root, LIST), 'utf8'));
  return TARGETS.map(({ file, render }) => {
    const current = fs.readFileSync(path.join(root, file), 'utf8');
    return { file, current, next: replaceRegion(current, file, render, entries) };
  });
}

function main(argv) {
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`gen-constants: unknown argument ${unknown[0]}; the only option is --check\n`);
    return 2;
  }
  const root = path.join(__dirname, '..');
  let stale = 0;
  for (const { file, current, next } of generate(root)) {
    if (current === next) continue;
    if (check) {
      process.stderr.write(`${file} is out of date with ${LIST}: run ${COMMAND}\n`);
      stale++;
    } else {
      fs.writeFileSync(path.join(root, file), next);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  return stale === 0 ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`gen-constants: ${err.message}\n`);
    process.exitCode = 2;
  }
}

module.exports = { LIST, parseList, generate };
