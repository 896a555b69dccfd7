// client2 — connect, read the server's greeting, write "0123456789".
// Usage: client2 [host] [port]
import * as P from '../lib';
import { hostArg, portArg, positional } from './args';

async function main(): Promise<void> {
  const [host, portText] = positional();
  const port = portArg(portText);
  const [ai] = await P.getaddrinfo(hostArg(host), String(port), { family: P.AF_INET, socktype: P.SOCK_STREAM });
  const fd = P.socket(ai.family, ai.socktype, ai.protocol);
  P.connectSync(fd, ai.address);

  // char buf[128]; n = read(fd, buf, sizeof buf - 1); buf[n] = '\0'; printf("I read %s", buf);
  const got = P.recvSync(fd, 127);
  process.stdout.write(`I read ${got.toString('latin1')}`);
  P.sendSync(fd, '0123456789'); // write(fd, "0123456789", 10)
  P.close(fd);
}

main();
