// Type-checked by test/typings.test.ts (never run): an exhaustive switch
// over the Sockaddr the calls return narrows every branch with no cast.
import * as P from '../../lib';

export function describe(addr: P.Sockaddr): string {
  switch (addr.family) {
    case P.AF_INET:
      return `${addr.address}:${addr.port}`;
    case P.AF_INET6:
      return `[${addr.address}%${addr.scopeId ?? 0}]:${addr.port}`;
    case P.AF_UNIX:
      return typeof addr.path === 'string' ? addr.path : addr.path.toString('hex');
    case P.AF_UNSPEC:
      return 'no address';
    // Linux only: undefined elsewhere, so `!` (a case that may be undefined does not narrow default).
    case P.AF_NETLINK!:
      return `netlink ${addr.pid} groups ${addr.groups.toString(16)}`;
    case P.AF_PACKET!:
      return `packet ${addr.protocol.toString(16)} on ${addr.ifindex} from ${addr.addr?.toString('hex') ?? ''}`;
    case P.AF_VSOCK!:
      return `vsock ${addr.cid}:${addr.port}`;
    default: {
      // Any other family comes back as its raw bytes.
      const raw: P.SockaddrRaw = addr;
      return `family ${raw.family}: ${raw.bytes.toString('hex')}`;
    }
  }
}

/** With the raw shape handled first, the switch is exhaustive: `never` in default. */
export function known(addr: P.Sockaddr): number {
  if ('bytes' in addr) return addr.bytes.length;
  switch (addr.family) {
    case P.AF_INET:
    case P.AF_INET6:
      return addr.port;
    case P.AF_UNIX:
      return addr.path.length;
    case P.AF_UNSPEC:
      return 0;
    case P.AF_NETLINK!:
      return addr.pid;
    case P.AF_PACKET!:
      return addr.ifindex;
    case P.AF_VSOCK!:
      return addr.port;
    default: {
      const unreachable: never = addr;
      return unreachable;
    }
  }
}

// What the calls return goes straight back into the calls and the formatter.
export function roundTrip(fd: number): string {
  const name = P.getsockname(fd);
  P.connectSync(fd, name);
  const { address } = P.acceptSync(fd);
  P.sendtoSync(fd, 'x', 0, address);
  P.sendtoSync(fd, 'x', 0, P.sockaddrToBytes(address));
  return P.formatSockaddr(name) + P.formatSockaddr(address) + describe(P.sockaddrFromBytes(P.sockaddrToBytes(name)));
}

// The typed families are inputs too, and an `if` narrows on them like a case.
export function linux(fd: number): number {
  P.bind(fd, { family: P.AF_NETLINK!, pid: 0, groups: P.RTMGRP_LINK ?? 0 });
  P.sendtoSync(fd, 'x', 0, { family: P.AF_PACKET!, protocol: P.ETH_P_IP!, ifindex: 1, addr: Buffer.alloc(6) });
  P.connectSync(fd, { family: P.AF_VSOCK!, cid: P.VMADDR_CID_LOCAL!, port: 1234 });
  const name = P.getsockname(fd);
  return name.family === P.AF_NETLINK ? name.pid : -1;
}
