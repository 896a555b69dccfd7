// The other end of a conversation, in another process: a node child running
// the built package (dist/), or a python3 child using CPython's socket
// module. Both are started through helpers/processes.ts, so whatever is still
// running after a test is killed. Arguments go to the child as JSON in the
// PEER environment variable; the child reports by printing lines (the last
// one JSON, by convention), read from `Running.done` or `Running.waitFor`.
import { spawnSync } from 'node:child_process';
import { dist } from './child';
import { Running, start } from './processes';

/** Every peer exits on its own well within this (a python socket timeout, a node timer). */
const PEER_TIMEOUT_S = 15;

/**
 * Runs `body` (async JavaScript) in a new node process. It sees `P` (the
 * built package), `fs`, `path`, `A` (the arguments) and `report(value)`
 * (prints value as one JSON line). An exception fails the child (exit code 1,
 * the stack on stderr).
 */
export function nodePeer(body: string, args: object = {}): Running {
  const script =
    `const P = require(${JSON.stringify(dist)});\n` +
    `const fs = require('node:fs'), path = require('node:path');\n` +
    `const A = JSON.parse(process.env.PEER);\n` +
    `const report = (v) => console.log(JSON.stringify(v));\n` +
    `setTimeout(() => { console.error('peer timed out'); process.exit(2); }, ${PEER_TIMEOUT_S * 1000}).unref();\n` +
    `(async () => {\n${body}\n})().catch((e) => { console.error(e); process.exitCode = 1; });\n`;
  return start(process.execPath, ['-e', script], { PEER: JSON.stringify(args), POSIX_SOCKETS_TRACE: undefined });
}

/** Whether python3 with socket.send_fds/recv_fds (CPython 3.9+) can be run here, and if not, why. */
export const python: { ok: boolean; reason: string } = (() => {
  const r = spawnSync('python3', ['-c', 'import socket; socket.send_fds; socket.recv_fds'], { encoding: 'utf8', timeout: 20000 });
  if (r.error !== undefined) return { ok: false, reason: `python3 cannot be run (${r.error.message})` };
  if (r.status !== 0) return { ok: false, reason: `python3 has no socket.send_fds/recv_fds (needs 3.9+): ${r.stderr.trim()}` };
  return { ok: true, reason: '' };
})();

/**
 * Runs `body` (Python statements, dedented first so they may be indented
 * like the test around them) in python3. It sees `socket`, `os`,
 * `sys`, `array`, `json`, `A` (the arguments, a dict) and `report(value)`
 * (prints value as one JSON line, flushed). Every socket the body makes
 * should get `settimeout(TIMEOUT)` so a lost peer ends the child.
 */
export function pythonPeer(body: string, args: object = {}): Running {
  const script =
    `import array, json, os, socket, sys\n` +
    `A = json.loads(os.environ['PEER'])\n` +
    `TIMEOUT = ${PEER_TIMEOUT_S}\n` +
    `def report(v):\n    print(json.dumps(v), flush=True)\n` +
    dedent(body);
  return start('python3', ['-c', script], { PEER: JSON.stringify(args) });
}

/** `text` with the indentation its non-blank lines share removed (Python's textwrap.dedent). */
function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((l) => l.slice(common)).join('\n') + '\n';
}

/** The peer's last stdout line as JSON, once it has exited with status 0 (otherwise an error with its output). */
export async function peerReport(peer: Running): Promise<any> {
  const r = await peer.done;
  const lines = r.stdout.trim().split('\n');
  if (r.code !== 0) throw new Error(`peer exited with code ${r.code}, signal ${r.signal}\n${r.stdout}\n${r.stderr}`);
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    throw new Error(`no JSON report from the peer\n${r.stdout}\n${r.stderr}`);
  }
}
