// client1 — the smallest client: getaddrinfo → socket → connect.
// Usage: client1 [host] [port]
import * as P from '../lib';
import { hostArg, portArg, positional } from './args';

async function main(): Promise<void> {
  const [host, portText] = positional();
  const port = portArg(portText);
  const [ai] = await P.getaddrinfo(hostArg(host), String(port), { family: P.AF_INET, socktype: P.SOCK_STREAM });
  const fd = P.socket(ai.family, ai.socktype, ai.protocol);
  try {
    P.connectSync(fd, ai.address); // blocks until the handshake is done, like connect(2)
    console.log('Connect returned 0');
  } catch (err) {
    const e = err as P.SocketError;
    console.log('Connect returned -1');
    console.error(`connect: ${P.strerror(e.errno)}`); // what perror("connect") prints
    process.exitCode = 1;
  }
  P.close(fd);
}

main();
