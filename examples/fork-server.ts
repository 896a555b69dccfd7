// fork-server — the fork()-per-client server. The parent accepts in a loop
// and hands each connection to a new child process, which serves it (writes
// "hello\r\n", reads 10 bytes) and exits; the parent closes its copy of the
// fd at once, as the C parent does after fork().
//
// Node cannot fork(), so the child is a new process started with the accepted
// fd as its fd 3 (child_process stdio), running this same file.
// Usage: fork-server [port] [--max N]   (--max: stop after N clients)
import { spawn } from 'node:child_process';
import * as P from '../lib';
import { option, portArg, positional } from './args';

function child(): void {
  const fd = 3; // the connection, dup2'ed here by child_process
  P.sendSync(fd, 'hello\r\n');
  const buf = P.recvSync(fd, 10);
  console.log(`child ${process.pid}: I read ${buf.toString('latin1')}`);
  P.close(fd);
}

async function parent(): Promise<void> {
  const port = portArg(positional()[0]);
  const max = Number(option('--max') ?? Infinity);
  const listenfd = P.socket(P.AF_INET, P.SOCK_STREAM);
  P.setsockopt(listenfd, P.SOL_SOCKET, P.SO_REUSEADDR, 1);
  P.bind(listenfd, { family: P.AF_INET, address: process.env.HOST ?? '127.0.0.1', port });
  P.listen(listenfd, 5);
  console.log(`Waiting for connections on port ${port}`);

  const children: Promise<void>[] = [];
  for (let served = 0; served < max; served++) {
    // The promise accept keeps the event loop running, so finished children
    // are reaped (the C server needs a SIGCHLD handler calling waitpid for that).
    const { fd, address } = await P.accept(listenfd);
    const kid = spawn(process.execPath, [...process.execArgv, __filename, '--child'], {
      stdio: ['ignore', 'inherit', 'inherit', fd],
    });
    console.log(`parent: connection from ${P.formatSockaddr(address)} handed to child ${kid.pid}`);
    P.close(fd); // the child has its own copy
    children.push(new Promise((resolve) => kid.on('exit', () => resolve())));
  }
  await Promise.all(children);
  P.close(listenfd);
}

if (process.argv.includes('--child')) child();
else parent();
