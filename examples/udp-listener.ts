// udp-listener — wait for one datagram and describe it (Beej's listener.c).
// Usage: udp-listener [port]   (default 4950, Beej's)
import * as P from '../lib';
import { positional } from './args';

async function main(): Promise<void> {
  const port = positional()[0] ?? process.env.PORT ?? '4950';
  // Beej binds the wildcard with AI_PASSIVE; this binds loopback only.
  const [ai] = await P.getaddrinfo(process.env.HOST ?? '127.0.0.1', port, { socktype: P.SOCK_DGRAM });
  const fd = P.socket(ai.family, ai.socktype, ai.protocol);
  P.bind(fd, ai.address);
  console.log('listener: waiting to recvfrom...');
  const { data, address } = P.recvfromSync(fd, 99); // MAXBUFLEN - 1
  console.log(`listener: got packet from ${(address as P.SockaddrIn).address}`);
  console.log(`listener: packet is ${data.length} bytes long`);
  console.log(`listener: packet contains "${data.toString('latin1')}"`);
  P.close(fd);
}

main();
