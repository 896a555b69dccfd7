// handshake-sniff — watch TCP's three-way handshake on lo through a packet
// socket (AF_PACKET): SYN, SYN-ACK, ACK, with the sequence numbers each side
// picks and acknowledges. Needs root (CAP_NET_RAW) and Linux.
// Usage: handshake-sniff
//
// The functions are exported for a tour chapter to reuse; run alone, this
// listens on 127.0.0.1, connects to itself and prints the three segments.
import * as P from '../lib';

/** The TCP header fields of a segment inside an IPv4 packet. */
export interface TcpSegment {
  from: string;
  sport: number;
  to: string;
  dport: number;
  seq: number;
  ack: number;
  /** The header's flag bits: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10. */
  flags: number;
  /** Payload bytes after the TCP header. */
  length: number;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/**
 * The TCP segment in an IPv4 packet (as a SOCK_DGRAM packet socket hands it
 * over, without the Ethernet header), or undefined for anything else.
 */
export function parseTcp(ip: Buffer): TcpSegment | undefined {
  // IPv4 header: version and header length (in 32-bit words), total length, protocol, addresses.
  if (ip.length < 20 || ip[0] >> 4 !== 4 || ip[9] !== P.IPPROTO_TCP) return undefined;
  const ihl = (ip[0] & 0x0f) * 4;
  const total = Math.min(ip.readUInt16BE(2), ip.length);
  if (total < ihl + 20) return undefined;
  const tcp = ip.subarray(ihl, total);
  // TCP header: ports, sequence and acknowledgement numbers, data offset, flags.
  const offset = (tcp[12] >> 4) * 4;
  return {
    from: ip.subarray(12, 16).join('.'),
    to: ip.subarray(16, 20).join('.'),
    sport: tcp.readUInt16BE(0),
    dport: tcp.readUInt16BE(2),
    seq: tcp.readUInt32BE(4),
    ack: tcp.readUInt32BE(8),
    flags: tcp[13],
    length: tcp.length - offset,
  };
}

/** The flag bits by name, as tcpdump shows them: SYN, SYN-ACK, ACK, FIN-ACK, RST... */
export function flagName(flags: number): string {
  const names = [[SYN, 'SYN'], [FIN, 'FIN'], [RST, 'RST']]
    .filter(([bit]) => flags & (bit as number))
    .map(([, name]) => name);
  if (flags & ACK) names.push('ACK');
  return names.join('-') || 'none';
}

/** One line for a segment: `SYN      127.0.0.1:40022 > 127.0.0.1:5000 seq=… ack=…`. */
export function describeSegment(t: TcpSegment): string {
  const ack = t.flags & ACK ? ` ack=${t.ack}` : '';
  return `${flagName(t.flags).padEnd(8)} ${t.from}:${t.sport} > ${t.to}:${t.dport} seq=${t.seq}${ack}`;
}

/**
 * A packet socket that receives every IPv4 packet arriving on lo, the IP
 * header first (SOCK_DGRAM: the kernel removes the Ethernet header). Bound
 * to ETH_P_IP rather than ETH_P_ALL, it sees each segment once, coming in
 * (PACKET_HOST), not again going out. Throws EPERM without CAP_NET_RAW.
 */
export function openLoopbackSniffer(): number {
  const fd = P.socket(P.AF_PACKET!, P.SOCK_DGRAM, P.htons(P.ETH_P_IP!));
  try {
    P.bind(fd, { family: P.AF_PACKET!, protocol: P.ETH_P_IP!, ifindex: P.if_nametoindex('lo') });
  } catch (e) {
    P.close(fd);
    throw e;
  }
  return fd;
}

/**
 * Reads `fd` (an openLoopbackSniffer socket) until the handshake of a
 * connection to `port` has gone by: the client's SYN, the server's SYN-ACK,
 * the client's ACK of it. Other traffic on lo is passed over. Each read
 * waits at most `timeout` ms (ETIMEDOUT if the handshake never comes).
 */
export async function watchHandshake(fd: number, port: number, timeout = 10000): Promise<TcpSegment[]> {
  let syn: TcpSegment | undefined;
  let synAck: TcpSegment | undefined;
  for (;;) {
    const { data, address } = await P.recvfrom(fd, 65536, 0, { timeout });
    if (address.family !== P.AF_PACKET || address.protocol !== P.ETH_P_IP) continue;
    const t = parseTcp(data);
    if (t === undefined) continue;
    if (!syn) {
      if (t.dport === port && t.flags === SYN) syn = t;
    } else if (!synAck) {
      if (t.sport === port && t.dport === syn.sport && t.flags === (SYN | ACK) && t.ack === (syn.seq + 1) >>> 0) synAck = t;
    } else if (t.dport === port && t.sport === syn.sport && t.flags & ACK && !(t.flags & SYN) && t.ack === (synAck.seq + 1) >>> 0) {
      return [syn, synAck, t];
    }
  }
}

/**
 * Connects to a listener on 127.0.0.1 while `sniffer` (openLoopbackSniffer)
 * watches, and returns the handshake's three segments. `listening` is told the port before the connection starts.
 * Closes what it opens.
 */
export async function handshakeOnLoopback(sniffer: number, listening?: (port: number) => void): Promise<TcpSegment[]> {
  const listener = P.socket(P.AF_INET, P.SOCK_STREAM);
  const client = P.socket(P.AF_INET, P.SOCK_STREAM);
  try {
    P.bind(listener, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    P.listen(listener, 1);
    const { port } = P.getsockname(listener) as P.SockaddrIn;
    listening?.(port);
    const seen = watchHandshake(sniffer, port, 5000);
    await P.connect(client, { family: P.AF_INET, address: '127.0.0.1', port });
    P.close((await P.accept(listener)).fd);
    return await seen;
  } finally {
    P.close(client);
    P.close(listener);
  }
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') {
    console.log('skipped: packet sockets (AF_PACKET) are Linux only');
    return;
  }
  let sniffer: number;
  try {
    sniffer = openLoopbackSniffer();
  } catch (e) {
    if ((e as P.SocketError).code !== 'EPERM') throw e;
    console.log('skipped: a packet socket needs CAP_NET_RAW (run as root)');
    return;
  }
  try {
    const seen = await handshakeOnLoopback(sniffer, (port) => console.log(`watching lo for a connection to 127.0.0.1:${port}`));
    for (const t of seen) console.log(describeSegment(t));
  } finally {
    P.close(sniffer);
  }
}

// Run directly, or by examples/run.ts (which points argv[1] here); not when imported.
if (require.main === module || process.argv[1] === __filename) {
  main().catch((e) => {
    console.error(String(e));
    process.exit(1);
  });
}
