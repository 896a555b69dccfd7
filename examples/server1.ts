// server1 — the smallest server: socket → bind → listen → accept, then close.
// Usage: server1 [port]
// The course version binds INADDR_ANY; this one binds 127.0.0.1 so it never
// listens beyond this machine (HOST=0.0.0.0 to listen everywhere).
import * as P from '../lib';
import { portArg, positional } from './args';

const port = portArg(positional()[0]);
const listenfd = P.socket(P.AF_INET, P.SOCK_STREAM);
// Without SO_REUSEADDR a restart within a minute or so fails with EADDRINUSE
// while the old connections sit in TIME_WAIT.
P.setsockopt(listenfd, P.SOL_SOCKET, P.SO_REUSEADDR, 1);
P.bind(listenfd, { family: P.AF_INET, address: process.env.HOST ?? '127.0.0.1', port });
P.listen(listenfd, 5);
console.log(`Waiting for a connection on port ${port}`);

// acceptSync blocks, exactly like accept(2) in the C program.
const { fd, address } = P.acceptSync(listenfd);
console.log(`Accepted a connection from ${P.formatSockaddr(address)}`);
P.close(fd);
P.close(listenfd);
