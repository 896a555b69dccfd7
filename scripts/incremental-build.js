// An incremental build of the addon and of dist/, so nothing runs against
// stale output: npm test runs it first (the "pretest" script) and so does
// npm run bench. Several tests spawn processes that require dist/
// (lifecycle, signals, raw, scale, leaks, package), and the addon is loaded
// from build/Release. dist/ is what `npm run build:ts` makes: tsc, then the
// ESM entry (scripts/esm-entry.js).
//
// node-gyp build is incremental (make) but needs a configured build/; the
// configure step runs only when build/ is missing, or when it was configured
// with a different sanitizer setting than now (npm run test:asan configures
// it with POSIX_SOCKETS_SANITIZE=1 and puts the normal build back after; an
// interrupted run would leave the ASan build behind).
//
// Headers: node-gyp downloads them unless told where they are. Without
// npm_config_nodedir (or nodedir in .npmrc), this uses the headers installed
// beside the running node, when there are any: they belong to that node.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const env = { ...process.env };

if (!env.npm_config_nodedir) {
  const prefix = path.dirname(path.dirname(process.execPath));
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
}

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

const targetMk = path.join(root, 'build', 'posix_sockets.target.mk');
const wantSanitized = !!env.POSIX_SOCKETS_SANITIZE;
const configured = fs.existsSync(path.join(root, 'build', 'Makefile')) && fs.existsSync(targetMk);
const sanitized = configured && fs.readFileSync(targetMk, 'utf8').includes('-fsanitize=');
if (!configured || sanitized !== wantSanitized) run(bin('node-gyp'), ['configure', '--loglevel=warn']);
run(bin('node-gyp'), ['build', '--loglevel=warn']);
run(bin('tsc'), ['-p', 'tsconfig.json']);
// The ESM entry (dist/index.mjs, dist/index.d.mts) from the exports tsc just wrote.
run(process.execPath, [path.join(__dirname, 'esm-entry.js')]);
