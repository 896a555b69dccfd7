// ephemeral-port — bind to port 0 and ask the kernel which port it chose.
// Usage: ephemeral-port
import * as fs from 'node:fs';
import * as P from '../lib';

const fd = P.socket(P.AF_INET, P.SOCK_STREAM);
P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
const { port } = P.getsockname(fd) as P.SockaddrIn;
console.log(`bound to port ${port}`);
try {
  // Linux picks it from this range.
  const range = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
  console.log(`(the kernel's ephemeral range is ${range[0]}-${range[1]})`);
} catch {
  // not Linux
}
P.close(fd);
