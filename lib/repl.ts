#!/usr/bin/env node
// The learners' way in: `npm run repl`, or `npx posix-sockets` in a project
// that installed the package. A Node REPL with every export of the package
// in scope, top-level await, and the syscall trace on (to stderr, as strace
// writes), so each call typed shows the kernel's answer:
//
//   > s = socket(AF_INET, SOCK_STREAM)
//   socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
//   3
//   > await connect(s, { family: AF_INET, address: '127.0.0.1', port: 1 })
//   connect(3, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused)
//   Uncaught SocketError: connect: Connection refused (ECONNREFUSED) 127.0.0.1:1
//
// `--no-trace` starts it with the trace off (trace(true) turns it on).
import * as repl from 'node:repl';
import * as P from './index';


/** Starts the REPL on stdin/stdout. Exported for tests; the bin runs it. */
export function startRepl(options: { trace?: boolean } = {}): repl.REPLServer {
  const on = options.trace !== false;
  if (on) P.trace(true);
  process.stdout.write(
    `posix-sockets: every export is in scope, tracing is ${on ? 'on (to stderr)' : 'off (trace(true) turns it on)'}. ` +
      'Try: s = socket(AF_INET, SOCK_STREAM)\n',
  );
  const server = repl.start({ prompt: 'posix-sockets> ', useGlobal: false });
  Object.assign(server.context, P);
  return server;
}

if (require.main === module) startRepl({ trace: !process.argv.includes('--no-trace') });
