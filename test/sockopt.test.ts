// Typed socket options (lib/sockopt.ts): each codec round-trips through the
// kernel (set, get, compare, and the C form's bytes agree byte for byte), and
// each option does to a connection what the kernel says it does.
import { spawnSync } from 'node:child_process';
import * as P from '../lib';
import { netnsUnavailable, report, runChild } from './helpers/child';
import { isLinux, isRoot, thrown, useSockets } from './helpers/sockets';

const s = useSockets();
const v4 = { family: P.AF_INET, address: '127.0.0.1', port: 0 } as const;

/** The C form's bytes for an option: what the kernel holds, as a Buffer. */
function rawBytes(fd: number, opt: P.GetSockopt<unknown>): Buffer {
  return P.getsockopt(fd, opt.level, opt.name, opt.size);
}

/** A socket suited to an option's level. */
function socketFor(level: number): number {
  if (level === P.IPPROTO_IPV6) return s.socket(P.AF_INET6, P.SOCK_DGRAM);
  if (level === P.IPPROTO_UDP || level === P.IPPROTO_IP) return s.socket(P.AF_INET, P.SOCK_DGRAM);
  return s.socket(P.AF_INET, P.SOCK_STREAM);
}

function errnoOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!(e instanceof P.SocketError)) throw e;
    return e.code;
  }
}

// Options whose value is a running clock, so two reads a moment apart differ.
const CLOCKS = new Set(['TCP_TIMESTAMP']);

describe('int and boolean options', () => {
  test('every typed int option reads what the C form reads, or fails with the same errno', () => {
    const ints = Object.values(P.sockopt).filter(
      (d): d is P.Sockopt<number, number | boolean> => d !== undefined && 'decode' in d && d.size === 4 && d.format(new Uint8Array(4)) === '[0]',
    );
    expect(ints.length).toBeGreaterThan(60);
    for (const opt of ints) {
      const fd = socketFor(opt.level);
      const cForm = (): number | string => {
        try {
          return P.getsockopt(fd, opt.level, opt.name);
        } catch (e) {
          return (e as P.SocketError).code;
        }
      };
      const before = cForm();
      let typed: number | string;
      try {
        typed = P.getsockopt(fd, opt);
      } catch (e) {
        typed = (e as P.SocketError).code;
      }
      const after = cForm();
      if (CLOCKS.has(opt.label) && typeof before === 'number' && typeof after === 'number' && typeof typed === 'number') {
        // A clock (TCP_TIMESTAMP is the socket's timestamp clock in ms): the
        // typed read falls between the two C reads around it.
        expect([opt.label, typed >= before && typed <= after]).toEqual([opt.label, true]);
      } else {
        expect([opt.label, typed]).toEqual([opt.label, before]);
        expect([opt.label, after]).toEqual([opt.label, before]);
      }
      s.close(fd);
    }
  });

  test.each([
    ['SO_REUSEADDR', true, 1],
    ['SO_KEEPALIVE', 1, 1],
    ['TCP_NODELAY', true, 1],
    ['IP_TTL', 7, 7],
    ['TCP_KEEPIDLE', 42, 42],
    ['TCP_USER_TIMEOUT', 1500, 1500],
    ['SO_RCVLOWAT', 10, 10],
  ] as const)('%s set to %p reads back %p, the same bytes as the C form', (label, value, expected) => {
    const opt = P.sockopt[label] as P.Sockopt<number, number | boolean> | undefined;
    if (opt === undefined) return; // not on this platform
    const fd = socketFor(opt.level === P.IPPROTO_IP ? P.SOL_SOCKET : opt.level);
    P.setsockopt(fd, opt, value);
    expect(P.getsockopt(fd, opt)).toBe(expected);
    expect(rawBytes(fd, opt)).toEqual(Buffer.from(opt.encode(expected)));
  });

  test('SO_RCVBUF reads back what the kernel made of it (Linux doubles it), as the C form does', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    P.setsockopt(fd, P.sockopt.SO_RCVBUF, 8192);
    const typed = P.getsockopt(fd, P.sockopt.SO_RCVBUF);
    expect(typed).toBe(P.getsockopt(fd, P.SOL_SOCKET, P.SO_RCVBUF));
    if (isLinux) expect(typed).toBe(16384);
  });

  test('IPV6_V6ONLY on an IPv6 socket', () => {
    const fd = s.socket(P.AF_INET6, P.SOCK_STREAM);
    P.setsockopt(fd, P.sockopt.IPV6_V6ONLY, true);
    expect(P.getsockopt(fd, P.sockopt.IPV6_V6ONLY)).toBe(1);
    P.setsockopt(fd, P.sockopt.IPV6_V6ONLY, false);
    expect(P.getsockopt(fd, P.sockopt.IPV6_V6ONLY)).toBe(0);
  });
});

describe('SO_LINGER', () => {
  test('round-trips, and its bytes are the C struct linger', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    expect(P.getsockopt(fd, P.sockopt.SO_LINGER)).toEqual({ onoff: false, linger: 0 });
    P.setsockopt(fd, P.sockopt.SO_LINGER, { onoff: true, linger: 7 });
    expect(P.getsockopt(fd, P.sockopt.SO_LINGER)).toEqual({ onoff: true, linger: 7 });
    expect(rawBytes(fd, P.sockopt.SO_LINGER)).toEqual(Buffer.from(Int32Array.of(1, 7).buffer));
  });

  test('{ onoff: true, linger: 0 } makes close() reset the connection: the peer reads ECONNRESET', async () => {
    const { server, client } = await s.tcpPair();
    P.setsockopt(client, P.sockopt.SO_LINGER, { onoff: true, linger: 0 });
    s.close(client);
    const e = thrown(() => P.recvSync(server, 10));
    expect(e.code).toBe('ECONNRESET');
  });

  test('a wrong shape is a TypeError or RangeError before any system call', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    const lines: string[] = [];
    P.trace(true, (l) => lines.push(l));
    try {
      expect(thrown(() => P.setsockopt(fd, P.sockopt.SO_LINGER, 1 as never))).toBeInstanceOf(TypeError);
      expect(thrown(() => P.setsockopt(fd, P.sockopt.SO_LINGER, { onoff: 'yes', linger: 0 } as never))).toBeInstanceOf(TypeError);
      expect(thrown(() => P.setsockopt(fd, P.sockopt.SO_LINGER, { onoff: true, linger: 2 ** 31 }))).toBeInstanceOf(RangeError);
      expect(thrown(() => P.setsockopt(fd, P.sockopt.SO_LINGER, { onoff: true, linger: 1.5 }))).toBeInstanceOf(RangeError);
      expect(thrown(() => P.getsockopt(fd, { level: P.SOL_SOCKET, name: P.SO_LINGER, size: 8, decode: () => 1 } as never))).toBeInstanceOf(TypeError);
    } finally {
      P.trace(false);
    }
    expect(lines).toEqual([]);
  });

  test('the trace prints it as strace does', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    const lines: string[] = [];
    P.trace(true, (l) => lines.push(l));
    try {
      P.setsockopt(fd, P.sockopt.SO_LINGER, { onoff: true, linger: 0 });
      P.getsockopt(fd, P.sockopt.SO_LINGER);
    } finally {
      P.trace(false);
    }
    expect(lines).toEqual([
      `setsockopt(${fd}, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0`,
      `getsockopt(${fd}, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0`,
    ]);
  });
});

describe('SO_RCVTIMEO and SO_SNDTIMEO', () => {
  test('round-trip as { sec, usec }, the bytes of the platform struct timeval', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    for (const opt of [P.sockopt.SO_RCVTIMEO, P.sockopt.SO_SNDTIMEO]) {
      expect(P.getsockopt(fd, opt)).toEqual({ sec: 0, usec: 0 });
      P.setsockopt(fd, opt, { sec: 2, usec: 500000 });
      expect(P.getsockopt(fd, opt)).toEqual({ sec: 2, usec: 500000 });
      expect(rawBytes(fd, opt)).toEqual(Buffer.from(opt.encode({ sec: 2, usec: 500000 })));
    }
  });

  test('recvSync on a blocking socket with SO_RCVTIMEO set gives up with EAGAIN', async () => {
    const { client } = await s.tcpPair();
    P.setsockopt(client, P.sockopt.SO_RCVTIMEO, { sec: 0, usec: 100000 });
    expect(thrown(() => P.recvSync(client, 10)).code).toBe('EAGAIN');
  });

  if (isLinux) {
    test('the kernel refuses a tv_usec of a million (EDOM): the value is passed as given', () => {
      const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
      expect(errnoOf(() => P.setsockopt(fd, P.sockopt.SO_RCVTIMEO, { sec: 0, usec: 1000000 }))).toBe('EDOM');
    });
  }
});

(isLinux ? describe : describe.skip)('SO_PEERCRED (Linux)', () => {
  test('gives this process as the peer of a socketpair, the bytes of struct ucred', () => {
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const cred = P.getsockopt(a, P.sockopt.SO_PEERCRED!);
    expect(cred).toEqual({ pid: process.pid, uid: process.getuid!(), gid: process.getgid!() });
    expect(rawBytes(a, P.sockopt.SO_PEERCRED!)).toEqual(Buffer.from(Int32Array.of(process.pid, process.getuid!(), process.getgid!()).buffer));
  });

  test('cannot be set', () => {
    const [a] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    expect(thrown(() => P.setsockopt(a, P.sockopt.SO_PEERCRED as never, 1 as never))).toBeInstanceOf(TypeError);
  });
});

(isLinux ? describe : describe.skip)('TCP_INFO (Linux)', () => {
  const state = (fd: number) => P.tcpStateName(P.getsockopt(fd, P.sockopt.TCP_INFO!).state);
  /** The state once it leaves the `passing` ones (bounded: 5 s), for transitions that wait on a packet. */
  async function reaches(fd: number, passing: string[]): Promise<string | undefined> {
    for (let i = 0; i < 500; i++) {
      const now = state(fd);
      if (now === undefined || !passing.includes(now)) return now;
      await new Promise((r) => setTimeout(r, 10));
    }
    return state(fd);
  }

  test('a connected socket reads TCP_ESTABLISHED, with the fields of struct tcp_info', async () => {
    const { client } = await s.tcpPair();
    const info = P.getsockopt(client, P.sockopt.TCP_INFO!);
    expect(info.state).toBe(P.TCP_ESTABLISHED);
    expect(P.tcpStateName(info.state)).toBe('TCP_ESTABLISHED');
    expect(info.caState).toBe(P.TCP_CA_Open);
    expect(info.sndCwnd).toBeGreaterThan(0);
    expect(info.rto).toBeGreaterThan(0);
    expect(info.sndMss).toBeGreaterThan(0);
    expect(typeof info.bytesAcked).toBe('bigint');
    // The fields the kernel reported, against the raw bytes at glibc's offsets.
    const raw = rawBytes(client, P.sockopt.TCP_INFO!);
    expect(raw[0]).toBe(info.state);
    expect(raw.readUInt32LE(8)).toBe(info.rto);
    expect(raw.readUInt32LE(68)).toBe(info.rtt);
    expect(raw.readUInt32LE(80)).toBe(info.sndCwnd);
  });

  test('the state follows the connection: LISTEN, SYN_SENT, then FIN_WAIT2 and CLOSE_WAIT as one side shuts down', async () => {
    // A backlog of 0 queues one connection: the next SYN is dropped, so that client stays in SYN_SENT.
    const l = s.listener(P.AF_INET, P.SOCK_STREAM, 0);
    expect(P.getsockopt(l.fd, P.sockopt.TCP_INFO!).state).toBe(P.TCP_LISTEN);
    const first = s.socket(P.AF_INET, P.SOCK_STREAM);
    await P.connect(first, l.address);
    const second = s.socket(P.AF_INET, P.SOCK_STREAM);
    P.setNonBlocking(second, true);
    expect(errnoOf(() => P.connectSync(second, l.address))).toBe('EINPROGRESS');
    expect(P.tcpStateName(P.getsockopt(first, P.sockopt.TCP_INFO!).state)).toBe('TCP_ESTABLISHED');
    expect(P.tcpStateName(P.getsockopt(second, P.sockopt.TCP_INFO!).state)).toBe('TCP_SYN_SENT');

    const { server, client } = await s.tcpPair();
    P.shutdown(client, P.SHUT_WR);
    // The peer's FIN has arrived once recv reads 0 bytes: the server is in CLOSE_WAIT.
    expect(P.recvSync(server, 10).length).toBe(0);
    expect(state(server)).toBe('TCP_CLOSE_WAIT');
    // FIN_WAIT1 until the server's ACK of the FIN arrives (the kernel may delay it), then FIN_WAIT2.
    expect(await reaches(client, ['TCP_FIN_WAIT1'])).toBe('TCP_FIN_WAIT2');
    P.shutdown(server, P.SHUT_WR);
    expect(P.recvSync(client, 10).length).toBe(0);
    // LAST_ACK until the client's ACK arrives; then the connection is gone (CLOSE), and the
    // client's side, in TIME_WAIT in the kernel's tables, reads CLOSE through its fd.
    expect(await reaches(server, ['TCP_LAST_ACK'])).toBe('TCP_CLOSE');
    expect(state(client)).toBe('TCP_CLOSE');
  });
});

describe('names: SO_BINDTODEVICE and TCP_CONGESTION', () => {
  (isLinux ? test : test.skip)('TCP_CONGESTION round-trips (reno is always built in)', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    P.setsockopt(fd, P.sockopt.TCP_CONGESTION!, 'reno');
    expect(P.getsockopt(fd, P.sockopt.TCP_CONGESTION!)).toBe('reno');
    expect(rawBytes(fd, P.sockopt.TCP_CONGESTION!).toString('latin1').replace(/\0+$/, '')).toBe('reno');
    expect(errnoOf(() => P.setsockopt(fd, P.sockopt.TCP_CONGESTION!, 'no-such-cc'))).toBe('ENOENT');
  });

  (isLinux && isRoot ? test : test.skip)('SO_BINDTODEVICE binds to lo and "" unbinds (needs root)', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.setsockopt(fd, P.sockopt.SO_BINDTODEVICE!, 'lo');
    expect(P.getsockopt(fd, P.sockopt.SO_BINDTODEVICE!)).toBe('lo');
    P.setsockopt(fd, P.sockopt.SO_BINDTODEVICE!, '');
    expect(P.getsockopt(fd, P.sockopt.SO_BINDTODEVICE!)).toBe('');
    expect(errnoOf(() => P.setsockopt(fd, P.sockopt.SO_BINDTODEVICE!, 'nodev0'))).toBe('ENODEV');
  });

  test('a name too long for the kernel, or with a NUL, is refused before the call', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    const opt = (P.sockopt.SO_BINDTODEVICE ?? P.sockopt.TCP_CONGESTION)!;
    if (opt === undefined) return;
    expect(thrown(() => P.setsockopt(fd, opt, 'x'.repeat(16)))).toBeInstanceOf(RangeError);
    expect(thrown(() => P.setsockopt(fd, opt, 'l\0o'))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.setsockopt(fd, opt, 'é'.repeat(8)))).toBeInstanceOf(RangeError); // 16 bytes of UTF-8
    expect(thrown(() => P.setsockopt(fd, opt, 5 as never))).toBeInstanceOf(TypeError);
  });
});

describe('multicast', () => {
  test('IP_MULTICAST_IF round-trips as an address', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.setsockopt(fd, P.sockopt.IP_MULTICAST_IF, '127.0.0.1');
    expect(P.getsockopt(fd, P.sockopt.IP_MULTICAST_IF)).toBe('127.0.0.1');
    expect(rawBytes(fd, P.sockopt.IP_MULTICAST_IF)).toEqual(Buffer.from([127, 0, 0, 1]));
  });

  test('joining twice is EADDRINUSE and leaving a group not joined is EADDRNOTAVAIL, as the kernel answers', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    const req = { multiaddr: '239.1.2.3', address: '127.0.0.1' };
    P.setsockopt(fd, P.sockopt.IP_ADD_MEMBERSHIP, req);
    expect(errnoOf(() => P.setsockopt(fd, P.sockopt.IP_ADD_MEMBERSHIP, req))).toBe('EADDRINUSE');
    P.setsockopt(fd, P.sockopt.IP_DROP_MEMBERSHIP, req);
    expect(errnoOf(() => P.setsockopt(fd, P.sockopt.IP_DROP_MEMBERSHIP, req))).toBe('EADDRNOTAVAIL');
    expect(thrown(() => P.setsockopt(fd, P.sockopt.IP_ADD_MEMBERSHIP, { multiaddr: '::1' }))).toBeInstanceOf(TypeError);
  });

  test('IPV6_JOIN_GROUP/IPV6_LEAVE_GROUP on lo', () => {
    const fd = s.socket(P.AF_INET6, P.SOCK_DGRAM);
    const req = { multiaddr: 'ff02::1:3', ifindex: P.if_nametoindex('lo') };
    P.setsockopt(fd, P.sockopt.IPV6_JOIN_GROUP, req);
    expect(errnoOf(() => P.setsockopt(fd, P.sockopt.IPV6_JOIN_GROUP, req))).toBe('EADDRINUSE');
    P.setsockopt(fd, P.sockopt.IPV6_LEAVE_GROUP, req);
    expect(errnoOf(() => P.setsockopt(fd, P.sockopt.IPV6_LEAVE_GROUP, req))).toBe('EADDRNOTAVAIL');
  });

  (isLinux ? test : test.skip)('MCAST_JOIN_SOURCE_GROUP/MCAST_LEAVE_SOURCE_GROUP for a v4 and a v6 group, at the level the family needs', () => {
    const lo = P.if_nametoindex('lo');
    for (const [family, group, source] of [
      [P.AF_INET, '232.1.1.1', '127.0.0.1'],
      [P.AF_INET6, 'ff3e::1234', '::1'],
    ] as const) {
      const fd = s.socket(family, P.SOCK_DGRAM);
      const req = { ifindex: lo, group, source };
      P.setsockopt(fd, P.sockopt.MCAST_JOIN_SOURCE_GROUP!, req);
      // Linux's answers, the same for both families: the source is already
      // in the filter; the group is no longer joined.
      expect(errnoOf(() => P.setsockopt(fd, P.sockopt.MCAST_JOIN_SOURCE_GROUP!, req))).toBe('EADDRNOTAVAIL');
      P.setsockopt(fd, P.sockopt.MCAST_LEAVE_SOURCE_GROUP!, req);
      expect(errnoOf(() => P.setsockopt(fd, P.sockopt.MCAST_LEAVE_SOURCE_GROUP!, req))).toBe('EINVAL');
    }
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    // A v6 source for a v4 group is a wrong shape.
    expect(thrown(() => P.setsockopt(fd, P.sockopt.MCAST_JOIN_SOURCE_GROUP!, { ifindex: lo, group: '232.1.1.1', source: '::1' }))).toBeInstanceOf(TypeError);
  });

  const noNetns = isLinux ? netnsUnavailable() : 'Linux only';
  (noNetns ? test.skip : test)(
    `a join on lo delivers to the joined socket and not to an unjoined one (in a network namespace${noNetns ? `: skipped, ${noNetns}` : ''})`,
    () => {
      const r = runChild(
        `
        const { execFileSync } = require('node:child_process');
        execFileSync('ip', ['link', 'set', 'lo', 'up']);
        execFileSync('ip', ['route', 'add', '224.0.0.0/4', 'dev', 'lo']);
        const lo = P.if_nametoindex('lo');
        const PORT = 5000;
        const receiver = () => {
          const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
          P.setsockopt(fd, P.sockopt.SO_REUSEADDR, true);
          // Off, a socket bound to the wildcard gets only the groups it joined itself.
          P.setsockopt(fd, P.sockopt.IP_MULTICAST_ALL, false);
          P.bind(fd, { family: P.AF_INET, address: '0.0.0.0', port: PORT });
          return fd;
        };
        const joined = receiver(), unjoined = receiver(), ssm = receiver();
        P.setsockopt(joined, P.sockopt.IP_ADD_MEMBERSHIP, { multiaddr: '239.1.2.3', ifindex: lo });
        P.setsockopt(ssm, P.sockopt.MCAST_JOIN_SOURCE_GROUP, { ifindex: lo, group: '232.1.1.1', source: '127.0.0.1' });
        const sender = (from) => {
          const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
          P.bind(fd, { family: P.AF_INET, address: from, port: 0 });
          P.setsockopt(fd, P.sockopt.IP_MULTICAST_IF, '127.0.0.1');
          return fd;
        };
        const tx1 = sender('127.0.0.1'), tx2 = sender('127.0.0.2');
        const wait = (fd) => P.poll([{ fd, events: P.POLLIN }], 2000) === 1;
        const take = (fd) => { try { return P.recvSync(fd, 100, P.MSG_DONTWAIT).toString(); } catch (e) { return e.code; } };
        const to = (group) => ({ family: P.AF_INET, address: group, port: PORT });
        P.sendtoSync(tx1, Buffer.from('any-source'), 0, to('239.1.2.3'));
        const out = { joinedWoke: wait(joined), joined: take(joined), unjoined: take(unjoined), ssmOther: take(ssm) };
        // Source-specific: from 127.0.0.2 first (not delivered), then from 127.0.0.1 (delivered).
        P.sendtoSync(tx2, Buffer.from('wrong-source'), 0, to('232.1.1.1'));
        P.sendtoSync(tx1, Buffer.from('right-source'), 0, to('232.1.1.1'));
        out.ssmWoke = wait(ssm);
        out.ssm = [take(ssm), take(ssm)];
        P.setsockopt(joined, P.sockopt.IP_DROP_MEMBERSHIP, { multiaddr: '239.1.2.3', ifindex: lo });
        for (const fd of [joined, unjoined, ssm, tx1, tx2]) P.close(fd);
        console.log(JSON.stringify(out));
        `,
        15000,
        ['unshare', '-n'],
      );
      expect(report(r)).toEqual({
        joinedWoke: true,
        joined: 'any-source',
        unjoined: 'EAGAIN',
        ssmOther: 'EAGAIN',
        ssmWoke: true,
        ssm: ['right-source', 'EAGAIN'],
      });
    },
  );
});

(isLinux ? describe : describe.skip)('classic BPF (Linux)', () => {
  test('a filter that accepts nothing stops delivery; SO_DETACH_FILTER restores it', () => {
    const rx = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.bind(rx, v4);
    const to = P.getsockname(rx);
    const tx = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.setsockopt(rx, P.sockopt.SO_ATTACH_FILTER!, [P.BPF_STMT(P.BPF_RET! | P.BPF_K!, 0)]);
    P.sendtoSync(tx, Buffer.from('dropped'), 0, to);
    expect(errnoOf(() => P.recvSync(rx, 100, P.MSG_DONTWAIT))).toBe('EAGAIN');
    P.setsockopt(rx, P.sockopt.SO_DETACH_FILTER!, 0);
    P.sendtoSync(tx, Buffer.from('delivered'), 0, to);
    expect(P.recvSync(rx, 100).toString()).toBe('delivered');
    // Detaching again: the kernel says there is no filter.
    expect(errnoOf(() => P.setsockopt(rx, P.sockopt.SO_DETACH_FILTER!, 0))).toBe('ENOENT');
  });

  test('a filter that accepts only datagrams starting with "y" (BPF_JUMP) lets those through', () => {
    const rx = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.bind(rx, v4);
    const tx = s.socket(P.AF_INET, P.SOCK_DGRAM);
    // For a UDP socket the filter sees the packet from the UDP header: the payload is at offset 8.
    P.setsockopt(rx, P.sockopt.SO_ATTACH_FILTER!, [
      P.BPF_STMT(P.BPF_LD! | P.BPF_B! | P.BPF_ABS!, 8),
      P.BPF_JUMP(P.BPF_JMP! | P.BPF_JEQ! | P.BPF_K!, 'y'.charCodeAt(0), 0, 1),
      P.BPF_STMT(P.BPF_RET! | P.BPF_K!, 0xffff),
      P.BPF_STMT(P.BPF_RET! | P.BPF_K!, 0),
    ]);
    for (const m of ['no', 'yes', 'nope', 'yay']) P.sendtoSync(tx, Buffer.from(m), 0, P.getsockname(rx));
    expect(P.recvSync(rx, 100).toString()).toBe('yes');
    expect(P.recvSync(rx, 100).toString()).toBe('yay');
    expect(errnoOf(() => P.recvSync(rx, 100, P.MSG_DONTWAIT))).toBe('EAGAIN');
  });

  test('SO_ATTACH_REUSEPORT_CBPF steers each datagram to the socket its program picks', () => {
    const group = [0, 1].map(() => {
      const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
      P.setsockopt(fd, P.sockopt.SO_REUSEPORT, true);
      return fd;
    });
    P.bind(group[0], v4);
    const to = P.getsockname(group[0]) as P.SockaddrIn;
    P.bind(group[1], to);
    // For reuseport the program sees the payload at offset 0: the first byte's low bit picks the socket.
    P.setsockopt(group[0], P.sockopt.SO_ATTACH_REUSEPORT_CBPF!, [
      P.BPF_STMT(P.BPF_LD! | P.BPF_B! | P.BPF_ABS!, 0),
      P.BPF_STMT(P.BPF_ALU! | P.BPF_AND! | P.BPF_K!, 1),
      P.BPF_STMT(P.BPF_RET! | P.BPF_A!, 0),
    ]);
    const tx = s.socket(P.AF_INET, P.SOCK_DGRAM);
    for (const m of ['a1', 'b2', 'c3', 'd4', 'e5', 'f6']) P.sendtoSync(tx, Buffer.from(m), 0, to); // a=0x61 odd, b even...
    const drain = (fd: number) => {
      const got: string[] = [];
      for (;;) {
        try {
          got.push(P.recvSync(fd, 100, P.MSG_DONTWAIT).toString());
        } catch {
          return got;
        }
      }
    };
    expect(drain(group[0])).toEqual(['b2', 'd4', 'f6']);
    expect(drain(group[1])).toEqual(['a1', 'c3', 'e5']);
  });

  test('the program is checked before the call: shape, size, field ranges', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    const opt = P.sockopt.SO_ATTACH_FILTER!;
    expect(thrown(() => P.setsockopt(fd, opt, 'ret 0' as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.setsockopt(fd, opt, [{ code: 0x10000, jt: 0, jf: 0, k: 0 }]))).toBeInstanceOf(RangeError);
    expect(thrown(() => P.setsockopt(fd, opt, [{ code: 6, jt: 256, jf: 0, k: 0 }]))).toBeInstanceOf(RangeError);
    expect(thrown(() => P.setsockopt(fd, opt, new Array(2 ** 32 - 1)))).toBeInstanceOf(RangeError);
    // An empty program, or one the kernel's checker refuses, is the kernel's EINVAL.
    expect(errnoOf(() => P.setsockopt(fd, opt, []))).toBe('EINVAL');
    expect(errnoOf(() => P.setsockopt(fd, opt, [P.BPF_STMT(P.BPF_LD! | P.BPF_W! | P.BPF_ABS!, 0)]))).toBe('EINVAL');
  });

  test('the trace shows the program as strace does', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
    const lines: string[] = [];
    P.trace(true, (l) => lines.push(l));
    try {
      P.setsockopt(fd, P.sockopt.SO_ATTACH_FILTER!, [
        P.BPF_STMT(P.BPF_LD! | P.BPF_B! | P.BPF_ABS!, 8),
        P.BPF_JUMP(P.BPF_JMP! | P.BPF_JEQ! | P.BPF_K!, 0x79, 0, 1),
        P.BPF_STMT(P.BPF_RET! | P.BPF_K!, 0xffff),
        P.BPF_STMT(P.BPF_RET! | P.BPF_K!, 0),
      ]);
    } finally {
      P.trace(false);
    }
    expect(lines).toEqual([
      `setsockopt(${fd}, SOL_SOCKET, SO_ATTACH_FILTER, {len=4, filter=[BPF_STMT(BPF_LD|BPF_B|BPF_ABS, 8), ` +
        'BPF_JUMP(BPF_JMP|BPF_JEQ|BPF_K, 0x79, 0, 1), BPF_STMT(BPF_RET|BPF_K, 0xffff), BPF_STMT(BPF_RET|BPF_K, 0)]}, 16) = 0',
    ]);
  });
});

(isLinux ? describe : describe.skip)('SO_ORIGINAL_DST (Linux netfilter)', () => {
  test('a connection nothing redirected has no original destination: ENOENT', async () => {
    const { server } = await s.tcpPair();
    expect(errnoOf(() => P.getsockopt(server, P.sockopt.SO_ORIGINAL_DST!))).toBe('ENOENT');
    const six = await s.tcpPair(P.AF_INET6);
    expect(errnoOf(() => P.getsockopt(six.server, P.sockopt.IP6T_SO_ORIGINAL_DST!))).toBe('ENOENT');
  });

  const noNetns = isLinux ? netnsUnavailable() : 'Linux only';
  const noIptables = spawnSync('iptables', ['--version']).error ? 'iptables is not installed' : undefined;
  const why = noNetns ?? noIptables;
  (why ? test.skip : test)(
    `a connection REDIRECTed by iptables reports where it was going, v4 and v6 (in a network namespace${why ? `: skipped, ${why}` : ''})`,
    () => {
      const r = runChild(
        `
        const { execFileSync } = require('node:child_process');
        execFileSync('ip', ['link', 'set', 'lo', 'up']);
        const out = {};
        for (const [family, host, tool, opt] of [
          [P.AF_INET, '127.0.0.1', 'iptables', P.sockopt.SO_ORIGINAL_DST],
          [P.AF_INET6, '::1', 'ip6tables', P.sockopt.IP6T_SO_ORIGINAL_DST],
        ]) {
          const l = P.socket(family, P.SOCK_STREAM);
          P.bind(l, { family, address: host, port: 0 });
          P.listen(l, 4);
          const port = P.getsockname(l).port;
          execFileSync(tool, ['-t', 'nat', '-A', 'OUTPUT', '-p', 'tcp', '-d', host, '--dport', '9', '-j', 'REDIRECT', '--to-ports', String(port)]);
          const c = P.socket(family, P.SOCK_STREAM);
          P.connectSync(c, { family, address: host, port: 9 });
          const a = P.acceptSync(l).fd;
          out[tool] = { name: P.getsockname(a).port === port, original: P.getsockopt(a, opt) };
          for (const fd of [a, c, l]) P.close(fd);
        }
        console.log(JSON.stringify(out));
        `,
        15000,
        ['unshare', '-n'],
      );
      expect(report(r)).toEqual({
        iptables: { name: true, original: { family: P.AF_INET, address: '127.0.0.1', port: 9 } },
        ip6tables: { name: true, original: { family: P.AF_INET6, address: '::1', port: 9, flowinfo: 0, scopeId: 0 } },
      });
    },
  );
});

describe('descriptors', () => {
  test('exist only where the platform defines the option, with its level and name', () => {
    expect(P.sockopt.SO_LINGER).toMatchObject({ label: 'SO_LINGER', level: P.SOL_SOCKET, name: P.SO_LINGER });
    expect(P.sockopt.TCP_NODELAY).toMatchObject({ label: 'TCP_NODELAY', level: P.IPPROTO_TCP, name: P.TCP_NODELAY });
    expect(P.sockopt.TCP_INFO === undefined).toBe(P.TCP_INFO === undefined);
    expect(Object.isFrozen(P.sockopt)).toBe(true);
    expect(Object.isFrozen(P.sockopt.SO_LINGER)).toBe(true);
  });

  test('a look-alike object is not a descriptor: TypeError, no system call', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    const fake = { ...P.sockopt.SO_REUSEADDR };
    expect(thrown(() => P.setsockopt(fd, fake, 1))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.getsockopt(fd, fake))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.setsockopt(fd, null as never, 1 as never))).toBeInstanceOf(TypeError);
  });

  test('a getter in the value runs once, and cannot change what was checked', () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    let reads = 0;
    const value = {
      onoff: true,
      get linger() {
        reads++;
        return reads === 1 ? 3 : 2 ** 40;
      },
    };
    P.setsockopt(fd, P.sockopt.SO_LINGER, value);
    expect(reads).toBe(1);
    expect(P.getsockopt(fd, P.sockopt.SO_LINGER)).toEqual({ onoff: true, linger: 3 });
  });
});
