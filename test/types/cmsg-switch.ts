// Type-checked by test/typings.test.ts (never run): a switch over a received
// control message's `name` narrows every decoded shape with no cast, the
// raw shape is what is left, and typed and raw messages can be sent.
import * as P from '../../lib';
// Linux only: undefined elsewhere, so a named import narrows with `if`.
import { recvmmsg, sendmmsg } from '../../lib';

export function describe(c: P.Cmsg): string {
  switch (c.name) {
    case 'SCM_RIGHTS':
      return `fds ${c.fds.join(',')}`;
    case 'SCM_CREDENTIALS':
      return `pid ${c.pid} uid ${c.uid} gid ${c.gid}`;
    case 'IP_PKTINFO':
      return `to ${c.addr} on ${c.ifindex}, answer from ${c.specDst}`;
    case 'IPV6_PKTINFO':
      return `to ${c.addr} on ${c.ifindex}`;
    case 'IP_TTL':
    case 'IP_TOS':
    case 'IPV6_HOPLIMIT':
    case 'IPV6_TCLASS':
    case 'UDP_GRO':
    case 'SO_RXQ_OVFL':
      return `${c.name} ${c.value}`;
    case 'SO_TIMESTAMP':
    case 'SO_TIMESTAMPNS':
      return `${c.sec}.${c.nsec}`;
    case 'IP_RECVERR':
    case 'IPV6_RECVERR':
      return `${c.code} (${c.errno}) type ${c.icmpType} code ${c.icmpCode} from ${c.offender ? P.formatSockaddr(c.offender) : 'nobody'}`;
    case 'IP_ORIGDSTADDR':
    case 'IPV6_ORIGDSTADDR':
      return P.formatSockaddr(c.address);
    case undefined: {
      const raw: P.CmsgRaw = c;
      return `level ${raw.level} type ${raw.type}: ${raw.data.toString('hex')}`;
    }
    default: {
      const unreachable: never = c;
      return unreachable;
    }
  }
}

export async function echoWithPktinfo(fd: number): Promise<void> {
  const m = await P.recvmsg(fd, 1500, P.CMSG_SPACE(12));
  const info = m.control.find((c): c is P.CmsgPktinfo => c.name === 'IP_PKTINFO');
  const control: P.CmsgInput[] = info ? [{ level: P.IPPROTO_IP, type: P.IP_PKTINFO, specDst: info.addr }] : [];
  // A received message goes back as it is (its data is sent).
  control.push(...m.control);
  await P.sendmsg(fd, { iov: [m.data, 'ok'], name: m.address, control });
  if (sendmmsg) await sendmmsg(fd, [{ iov: ['a'] }, { iov: [new Uint8Array(2)], name: m.address }]);
  const batch: P.RecvmsgResult[] = recvmmsg ? await recvmmsg(fd, 64, 2048) : [];
  const { fds }: P.RecvFdsResult = await P.recvFds(fd, 1, 4);
  await P.sendFds(fd, 'x', [...fds, batch.length]);
}
