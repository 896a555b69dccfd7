// SOCK_RAW: works as root (an ICMP echo to 127.0.0.1 and its reply), and
// fails cleanly with EPERM for an unprivileged user.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as P from '../lib';
import { isLinux, isRoot, useSockets } from './helpers/sockets';

const s = useSockets();

function checksum(buf: Buffer): number {
  let sum = 0;
  for (let i = 0; i < buf.length; i += 2) sum += (buf[i] << 8) | (buf[i + 1] ?? 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

(isRoot ? test : test.skip)('as root: ICMP echo request to 127.0.0.1 over SOCK_RAW gets an echo reply', async () => {
  const fd = s.socket(P.AF_INET, P.SOCK_RAW, P.IPPROTO_ICMP);
  const id = process.pid & 0xffff;
  const echo = Buffer.alloc(16);
  echo[0] = 8; // ICMP_ECHO
  echo.writeUInt16BE(id, 4);
  echo.writeUInt16BE(1, 6);
  echo.write('posixsoc', 8);
  echo.writeUInt16BE(checksum(echo), 2);
  expect(await P.sendto(fd, echo, 0, { family: P.AF_INET, address: '127.0.0.1', port: 0 })).toBe(16);
  // A raw ICMP socket sees every ICMP packet: our own request, then the reply.
  // Bounded: at most 20 packets, each within 2 s.
  for (let i = 0; i < 20; i++) {
    const { data, address } = await P.recvfrom(fd, 1500, 0, { timeout: 2000 });
    expect(address).toEqual({ family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const ihl = (data[0] & 0x0f) * 4; // the IPv4 header comes with the packet
    const icmp = data.subarray(ihl);
    if (icmp[0] === 0 && icmp.readUInt16BE(4) === id) {
      expect(icmp.subarray(8, 16).toString()).toBe('posixsoc');
      return;
    }
  }
  throw new Error('no echo reply among 20 ICMP packets');
});

// The child starts as root, loads the package, then drops to nobody (65534)
// for good with setgroups/setgid/setuid, as a daemon does: setuid from root
// to another uid clears every capability, CAP_NET_RAW included. Loading
// first means the test also works from a checkout nobody else may read (a
// clone in a 0700 directory), where starting the child as 65534 could not
// even require dist/.
(isRoot && isLinux ? test : test.skip)('as an unprivileged user SOCK_RAW → EPERM', () => {
  const script = `
    const P = require(${JSON.stringify(path.join(__dirname, '..', 'dist'))});
    process.setgroups([65534]);
    process.setgid(65534);
    process.setuid(65534);
    const capEff = /^CapEff:\\s*(\\w+)$/m.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1];
    console.log(process.getuid(), process.geteuid(), process.getgid(), process.getgroups().join(','), capEff);
    try { P.socket(P.AF_INET, P.SOCK_RAW, P.IPPROTO_ICMP); console.log('opened'); }
    catch (e) { console.log(e.code, e.syscall, e instanceof P.SocketError); }`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout.trim().split('\n')).toEqual(['65534 65534 65534 65534 0000000000000000', 'EPERM socket true']);
});
