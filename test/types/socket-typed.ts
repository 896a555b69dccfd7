// Type-checked by test/typings.test.ts (never run): the Socket methods
// carry the functions' types — the typed setsockopt/getsockopt overloads,
// accept → Socket, `using` — and the hand-off helpers return Node's types.
import type * as dgram from 'node:dgram';
import type * as net from 'node:net';
import * as P from '../../lib';

export async function socketTypes(): Promise<void> {
  using s = new P.Socket(P.AF_INET, P.SOCK_STREAM);
  const linger: P.Linger = s.getsockopt(P.sockopt.SO_LINGER);
  s.setsockopt(P.sockopt.SO_LINGER, { onoff: !linger.onoff, linger: 0 });
  // @ts-expect-error: SO_LINGER's value is { onoff, linger }, not a number
  s.setsockopt(P.sockopt.SO_LINGER, 5);
  const n: number = s.getsockopt(P.SOL_SOCKET, P.SO_RCVBUF);
  const raw: Buffer = s.getsockopt(P.SOL_SOCKET, P.SO_RCVBUF, 4);
  s.setsockopt(P.SOL_SOCKET, P.SO_RCVBUF, n * 2);
  const conn: P.Socket = await s.accept({ ref: false });
  const peer: P.Sockaddr = conn.getpeername();
  const chunk: Buffer = await conn.recv(10, 0, { timeout: 5, ref: false });
  for await (const c of conn) void (c satisfies Buffer);
  const fd: number = conn.detach();
  const sock: net.Socket = P.toNetSocket(fd, { allowHalfOpen: true });
  const server: net.Server = P.toNetServer(fd, { backlog: 10, pauseOnConnect: true });
  const udp: dgram.Socket = P.toDgramSocket(fd, 'udp6', { recvBufferSize: 1 << 16 });
  // @ts-expect-error: dgram's type comes from the fd: only udp4/udp6
  P.toDgramSocket(fd, 'unix_dgram');
  // @ts-expect-error: ref is a boolean
  void P.recv(fd, 1, 0, { ref: 0 });
  void [raw, peer, chunk, sock, server, udp];
}
