// handoff — a server that restarts without closing its port: each
// generation serves one client, then starts its successor and hands it the
// listening socket over a unix socketpair (SCM_RIGHTS, sendFds/recvFds).
// Clients never see ECONNREFUSED: the socket stays open and listening the
// whole time, and connections queued in its backlog meanwhile are accepted
// by the next generation. This is how zero-downtime restarts (and systemd's
// socket passing) work.
//
// Node cannot fork(); the successor is a new process running this file, with
// one end of the socketpair as its fd 3 (child_process stdio).
// Usage: handoff [port] [--generations N]   (default 3)
import { spawn } from 'node:child_process';
import * as P from '../lib';
import { option, portArg, positional } from './args';

async function serve(listenfd: number, generation: number, last: number): Promise<void> {
  const { fd, address } = await P.accept(listenfd);
  await P.send(fd, `served by generation ${generation} (pid ${process.pid})\n`);
  console.log(`generation ${generation}: served ${P.formatSockaddr(address)}`);
  P.close(fd);
  if (generation === last) {
    P.close(listenfd);
    return;
  }
  const [mine, theirs] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const next = spawn(process.execPath, [...process.execArgv, __filename, '--successor', String(generation + 1), '--generations', String(last)], {
    stdio: ['ignore', 'inherit', 'inherit', theirs],
  });
  P.close(theirs); // the successor has its own copy
  await P.sendFds(mine, 'L', [listenfd]);
  // The successor now holds the same listening socket; this copy goes.
  P.close(listenfd);
  console.log(`generation ${generation}: handed the listening socket to pid ${next.pid}`);
  P.close(mine);
  await new Promise((resolve) => next.on('exit', resolve));
}

async function main(): Promise<void> {
  const last = Number(option('--generations') ?? 3);
  const successor = option('--successor');
  if (successor !== undefined) {
    const { fds } = await P.recvFds(3, 1, 1); // fd 3: the socketpair, dup2'ed here by child_process
    P.close(3);
    console.log(`generation ${successor} (pid ${process.pid}): got the listening socket as fd ${fds[0]}, ${P.formatSockaddr(P.getsockname(fds[0]))}`);
    return serve(fds[0], Number(successor), last);
  }
  const port = portArg(positional()[0]);
  const listenfd = P.socket(P.AF_INET, P.SOCK_STREAM);
  P.setsockopt(listenfd, P.SOL_SOCKET, P.SO_REUSEADDR, 1);
  P.bind(listenfd, { family: P.AF_INET, address: process.env.HOST ?? '127.0.0.1', port });
  P.listen(listenfd, 16);
  console.log(`generation 1 (pid ${process.pid}): listening on ${P.formatSockaddr(P.getsockname(listenfd))}`);
  await serve(listenfd, 1, last);
}

main();
