// Type-checked by test/typings.test.ts (never run): each descriptor types
// its value; an option that can only be set cannot be read, one that can
// only be read cannot be set, and the C forms keep their types.
import * as P from '../../lib';

export function typed(fd: number): void {
  const linger: P.Linger = P.getsockopt(fd, P.sockopt.SO_LINGER);
  P.setsockopt(fd, P.sockopt.SO_LINGER, { onoff: !linger.onoff, linger: 0 });
  const tv: P.Timeval = P.getsockopt(fd, P.sockopt.SO_RCVTIMEO);
  P.setsockopt(fd, P.sockopt.SO_SNDTIMEO, { sec: tv.sec, usec: 0 });
  const n: number = P.getsockopt(fd, P.sockopt.SO_RCVBUF);
  P.setsockopt(fd, P.sockopt.SO_REUSEADDR, true);
  P.setsockopt(fd, P.sockopt.SO_RCVBUF, n * 2);
  P.setsockopt(fd, P.sockopt.IP_ADD_MEMBERSHIP, { multiaddr: '239.1.2.3', ifindex: 1 });
  P.setsockopt(fd, P.sockopt.IPV6_JOIN_GROUP, { multiaddr: 'ff02::1:3', ifindex: 1 });
  P.setsockopt(fd, P.sockopt.IP_MULTICAST_IF, '127.0.0.1');

  // Options the platform may lack are possibly undefined: narrowed first.
  const info = P.sockopt.TCP_INFO;
  if (info !== undefined) {
    const t: P.TcpInfo = P.getsockopt(fd, info);
    const cwnd: number = t.sndCwnd;
    const acked: bigint | undefined = t.bytesAcked;
    void cwnd;
    void acked;
    if (t.state === P.TCP_ESTABLISHED) void P.tcpStateName(t.state);
  }
  const filter = P.sockopt.SO_ATTACH_FILTER;
  if (filter !== undefined && P.BPF_RET !== undefined && P.BPF_K !== undefined) {
    P.setsockopt(fd, filter, [P.BPF_STMT(P.BPF_RET | P.BPF_K, 0)]);
    // @ts-expect-error: a filter can only be set
    P.getsockopt(fd, filter);
  }
  const cred = P.sockopt.SO_PEERCRED;
  if (cred !== undefined) {
    const c: P.Ucred = P.getsockopt(fd, cred);
    void c;
    // @ts-expect-error: the peer's credentials can only be read
    P.setsockopt(fd, cred, { pid: 1, uid: 0, gid: 0 });
  }
  const dst = P.sockopt.SO_ORIGINAL_DST;
  if (dst !== undefined) {
    const a: P.Sockaddr = P.getsockopt(fd, dst);
    void a;
  }

  // @ts-expect-error: a membership is set only
  P.getsockopt(fd, P.sockopt.IP_ADD_MEMBERSHIP);
  // @ts-expect-error: SO_LINGER takes { onoff, linger }
  P.setsockopt(fd, P.sockopt.SO_LINGER, 1);
  // @ts-expect-error: SO_RCVTIMEO takes { sec, usec }
  P.setsockopt(fd, P.sockopt.SO_RCVTIMEO, { sec: 1 });
  // @ts-expect-error: an int option takes a number or boolean
  P.setsockopt(fd, P.sockopt.TCP_NODELAY, 'yes');

  // The C forms are as they were.
  const raw: Buffer = P.getsockopt(fd, P.SOL_SOCKET, P.SO_LINGER, 8);
  const int: number = P.getsockopt(fd, P.SOL_SOCKET, P.SO_RCVBUF);
  P.setsockopt(fd, P.SOL_SOCKET, P.SO_LINGER, raw);
  P.setsockopt(fd, P.SOL_SOCKET, P.SO_RCVBUF, int);
}
