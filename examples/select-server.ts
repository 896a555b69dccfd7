// select-server — one process serving many clients with poll(): a chat
// server. Every line a client sends goes to every other client.
//
// Like the C program it blocks in poll() and makes only calls that cannot
// block once poll said the fd is ready (acceptSync, recvSync, sendSync).
// Usage: select-server [port] [--max-clients N]   (stop once N clients have come and gone)
import * as P from '../lib';
import { option, portArg, positional } from './args';

const port = portArg(positional()[0]);
const maxClients = Number(option('--max-clients') ?? Infinity);

const listenfd = P.socket(P.AF_INET, P.SOCK_STREAM);
P.setsockopt(listenfd, P.SOL_SOCKET, P.SO_REUSEADDR, 1);
P.bind(listenfd, { family: P.AF_INET, address: process.env.HOST ?? '127.0.0.1', port });
P.listen(listenfd, 5);
console.log(`Waiting for connections on port ${port}`);

const clients = new Set<number>();
let seen = 0;
while (seen < maxClients || clients.size > 0) {
  const fds: P.PollFd[] = [{ fd: listenfd, events: P.POLLIN }, ...[...clients].map((fd) => ({ fd, events: P.POLLIN }))];
  P.poll(fds, -1); // block until something is ready
  for (const { fd, revents } of fds) {
    if (!revents) continue;
    if (fd === listenfd) {
      if (seen >= maxClients) continue;
      const { fd: conn, address } = P.acceptSync(listenfd);
      clients.add(conn);
      seen++;
      console.log(`new connection from ${P.formatSockaddr(address)} on fd ${conn}`);
      continue;
    }
    const data = P.recvSync(fd, 1024);
    if (data.length === 0) {
      console.log(`fd ${fd} closed the connection`);
      clients.delete(fd);
      P.close(fd);
      continue;
    }
    console.log(`fd ${fd} says: ${data.toString().trimEnd()}`);
    for (const other of clients) if (other !== fd) P.sendSync(other, data);
  }
}
P.close(listenfd);
