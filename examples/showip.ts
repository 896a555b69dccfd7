// showip — every address getaddrinfo gives for a host, as Beej's showip.c prints them.
// Usage: showip <host>
import * as P from '../lib';

async function main(): Promise<void> {
  const host = process.argv[2];
  if (!host) {
    console.error('usage: showip hostname');
    process.exit(1);
  }
  let list: P.AddrInfo[];
  try {
    list = await P.getaddrinfo(host, null, { family: P.AF_UNSPEC, socktype: P.SOCK_STREAM });
  } catch (err) {
    console.error(`getaddrinfo: ${(err as Error).message.replace(/^getaddrinfo: /, '')}`);
    process.exit(2);
  }
  console.log(`IP addresses for ${host}:\n`);
  for (const ai of list) {
    const version = ai.family === P.AF_INET ? 'IPv4' : 'IPv6';
    console.log(`  ${version}: ${(ai.address as P.SockaddrIn | P.SockaddrIn6).address}`);
  }
}

main();
