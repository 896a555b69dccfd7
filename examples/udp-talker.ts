// udp-talker — send one datagram (Beej's talker.c).
// Usage: udp-talker <host> <message> [port]   (default port 4950)
import * as P from '../lib';

async function main(): Promise<void> {
  const [host, message, port = process.env.PORT ?? '4950'] = process.argv.slice(2);
  if (!host || message === undefined) {
    console.error('usage: talker hostname message');
    process.exit(1);
  }
  const [ai] = await P.getaddrinfo(host, port, { family: P.AF_INET, socktype: P.SOCK_DGRAM });
  const fd = P.socket(ai.family, ai.socktype, ai.protocol);
  const n = P.sendtoSync(fd, message, 0, ai.address);
  console.log(`talker: sent ${n} bytes to ${host}`);
  P.close(fd);
}

main();
