// The network databases, the old IPv4 text conversions, the obsolete host
// lookups and the interface list, each checked against the system's own
// answer: /etc/services, /etc/protocols and /etc/hosts as the C library reads
// them, a small C program built here from the same headers (what C really
// returns for the same arguments), and the kernel's interface list as Node's
// os.networkInterfaces() reports it.
//
// Only one test sends a DNS query: the name that does not exist
// (no-such-host.invalid, a name RFC 6761 reserves so that it never
// resolves). Every other name is in /etc/hosts or numeric.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';
import { isLinux, rejection, thrown } from './helpers/sockets';

// ---- what C answers

const C_SOURCE = String.raw`
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

static void hostent_out(struct hostent* h) {
  if (h == nullptr) { printf("herr %d\n", h_errno); return; }
  printf("name %s\naddrtype %d\n", h->h_name, h->h_addrtype);
  for (char** a = h->h_aliases; *a; a++) printf("alias %s\n", *a);
  for (char** a = h->h_addr_list; *a; a++) {
    char t[INET6_ADDRSTRLEN];
    inet_ntop(h->h_addrtype, *a, t, sizeof t);
    printf("addr %s\n", t);
  }
}

int main(int argc, char** argv) {
  const char* mode = argv[1];
  const char* arg = argc > 2 ? argv[2] : "";
  const char* proto = argc > 3 && strcmp(argv[3], "-") != 0 ? argv[3] : nullptr;
  if (!strcmp(mode, "host")) hostent_out(gethostbyname2(arg, atoi(argv[3])));
  if (!strcmp(mode, "byaddr")) {
    unsigned char b[16];
    if (inet_pton(AF_INET, arg, b) == 1) hostent_out(gethostbyaddr(b, 4, AF_INET));
    else if (inet_pton(AF_INET6, arg, b) == 1) hostent_out(gethostbyaddr(b, 16, AF_INET6));
  }
  if (!strcmp(mode, "aton")) {
    struct in_addr a;
    if (inet_aton(arg, &a) == 0) { printf("null\n"); return 0; }
    const unsigned char* p = reinterpret_cast<const unsigned char*>(&a.s_addr);
    printf("%02x%02x%02x%02x\n", p[0], p[1], p[2], p[3]);
  }
  if (!strcmp(mode, "addr")) printf("%u\n", static_cast<unsigned>(inet_addr(arg)));
  if (!strcmp(mode, "serv") || !strcmp(mode, "port")) {
    struct servent* s = !strcmp(mode, "serv") ? getservbyname(arg, proto) : getservbyport(htons(atoi(arg)), proto);
    if (s == nullptr) { printf("null\n"); return 0; }
    printf("name %s\nport %d\nproto %s\n", s->s_name, ntohs(s->s_port), s->s_proto);
    for (char** a = s->s_aliases; *a; a++) printf("alias %s\n", *a);
  }
  if (!strcmp(mode, "proto") || !strcmp(mode, "protonum")) {
    struct protoent* p = !strcmp(mode, "proto") ? getprotobyname(arg) : getprotobynumber(atoi(arg));
    if (p == nullptr) { printf("null\n"); return 0; }
    printf("name %s\nproto %d\n", p->p_name, p->p_proto);
    for (char** a = p->p_aliases; *a; a++) printf("alias %s\n", *a);
  }
  return 0;
}
`;

let dir: string;
let exe: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-netdb-'));
  fs.writeFileSync(path.join(dir, 'netdb.cc'), C_SOURCE);
  exe = path.join(dir, 'netdb');
  execFileSync('g++', ['-D_GNU_SOURCE', '-o', exe, path.join(dir, 'netdb.cc')]);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function c(...args: string[]): string[] {
  return execFileSync(exe, args, { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
}

/** The C program's "key value" lines as one record (alias and addr lines as lists). */
function record(lines: string[]): Record<string, any> | null {
  if (lines[0] === 'null') return null;
  const out: Record<string, any> = { aliases: [] };
  for (const line of lines) {
    const [key, ...rest] = line.split(' ');
    const value = rest.join(' ');
    if (key === 'alias') out.aliases.push(value);
    else if (key === 'addr') (out.addresses ??= []).push(value);
    else out[key] = /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}

/** What C's gethostbyname2/gethostbyaddr give: the hostent, or the h_errno code's name. */
function cHost(...args: string[]): P.Hostent | string {
  const r = record(c(...args))!;
  if (r.herr !== undefined) return ['', 'HOST_NOT_FOUND', 'TRY_AGAIN', 'NO_RECOVERY', 'NO_DATA'][r.herr] ?? `h_errno ${r.herr}`;
  return { name: r.name, aliases: r.aliases, addrtype: r.addrtype, addresses: r.addresses ?? [] };
}

async function ours(p: Promise<P.Hostent>): Promise<P.Hostent | string> {
  try {
    return await p;
  } catch (e) {
    expect(e).toBeInstanceOf(P.SocketError);
    return (e as P.SocketError).code;
  }
}

/** /etc/hosts as name -> addresses, and address -> first name. */
function etcHosts(): { byName: Map<string, string[]>; byAddress: Map<string, string> } {
  const byName = new Map<string, string[]>();
  const byAddress = new Map<string, string>();
  for (const raw of fs.readFileSync('/etc/hosts', 'utf8').split('\n')) {
    const [address, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || names.length === 0) continue;
    if (!byAddress.has(address)) byAddress.set(address, names[0]);
    for (const n of names) byName.set(n, [...(byName.get(n) ?? []), address]);
  }
  return { byName, byAddress };
}

// ---- services and protocols

describe('getservbyname / getservbyport', () => {
  test("getservbyname('http', 'tcp') is port 80, as /etc/services says", () => {
    const s = P.getservbyname('http', 'tcp');
    expect(s).not.toBeNull();
    expect(s!.port).toBe(80);
    expect(s!.name).toBe('http');
    expect(s!.proto).toBe('tcp');
    const line = fs
      .readFileSync('/etc/services', 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim().split(/\s+/))
      .find((f) => f[0] === 'http' && f[1] === '80/tcp');
    if (line) expect(s!.aliases).toEqual(line.slice(2));
  });

  test("getservbyport(80, 'tcp') is 'http'; the port is given in host order", () => {
    expect(P.getservbyport(80, 'tcp')?.name).toBe('http');
    expect(P.getservbyport(53, 'udp')?.name).toBe('domain');
  });

  test('every answer is what C gives for the same arguments', () => {
    for (const [name, proto] of [['http', 'tcp'], ['domain', 'udp'], ['domain', '-'], ['www', 'tcp'], ['ssh', '-'], ['no-such-service', '-'], ['http', 'nope']]) {
      expect(P.getservbyname(name, proto === '-' ? null : proto)).toEqual(record(c('serv', name, proto)));
    }
    for (const [port, proto] of [[80, 'tcp'], [443, '-'], [53, 'udp'], [1, 'tcp'], [0, '-'], [65535, '-'], [9, 'nope']] as const) {
      expect(P.getservbyport(port, proto === '-' ? undefined : proto)).toEqual(record(c('port', String(port), proto)));
    }
  });

  test('no such service, or no such protocol for it: null', () => {
    expect(P.getservbyname('no-such-service')).toBeNull();
    expect(P.getservbyname('http', 'nope')).toBeNull();
    expect(P.getservbyport(80, 'nope')).toBeNull();
  });

  test('a port outside 0..65535 or not an integer is a RangeError (C would cut it to 16 bits)', () => {
    for (const port of [-1, 65536, 1.5, NaN, 2 ** 31]) expect(thrown(() => P.getservbyport(port)).name).toBe('RangeError');
    expect(thrown(() => P.getservbyport('80' as unknown as number)).name).toBe('TypeError');
  });

  test('a name or protocol with a NUL byte is a TypeError, never looked up as a shorter name', () => {
    expect(thrown(() => P.getservbyname('http\0junk', 'tcp'))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.getservbyname('http', 'tcp\0'))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.getservbyport(80, 'tcp\0x'))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.getservbyname(80 as unknown as string))).toBeInstanceOf(TypeError);
  });

  test('a huge name is looked up and not found', () => {
    expect(P.getservbyname('h'.repeat(1 << 20), 'tcp')).toBeNull();
  });
});

describe('getprotobyname / getprotobynumber', () => {
  test("getprotobyname('tcp') is IPPROTO_TCP; getprotobynumber(17) is 'udp'", () => {
    expect(P.getprotobyname('tcp')?.proto).toBe(P.IPPROTO_TCP);
    expect(P.getprotobynumber(P.IPPROTO_UDP)?.name).toBe('udp');
    expect(P.getprotobynumber(17)?.name).toBe('udp');
  });

  test('every answer is what C gives', () => {
    for (const name of ['tcp', 'udp', 'icmp', 'ipv6-icmp', 'TCP', 'no-such-proto']) {
      expect(P.getprotobyname(name)).toEqual(record(c('proto', name)));
    }
    for (const n of [0, 1, 6, 17, 58, 255, 254, -1, 100000]) {
      expect(P.getprotobynumber(n)).toEqual(record(c('protonum', String(n))));
    }
  });

  test('unknown: null; a NUL in the name: TypeError', () => {
    expect(P.getprotobyname('no-such-proto')).toBeNull();
    expect(P.getprotobynumber(-1)).toBeNull();
    expect(thrown(() => P.getprotobyname('tcp\0'))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.getprotobynumber(6.5)).name).toBe('RangeError');
  });
});

// ---- inet_aton, inet_addr, inet_ntoa

describe('inet_aton / inet_addr / inet_ntoa', () => {
  const texts = [
    '127.0.0.1', '127.1', '0x7f.1', '0177.0.0.1', '2130706433', '10.1', '1.2.3', '255.255.255.255',
    '1.2.3.4.5', '256.0.0.1', '1.2.3.256', '', 'bad', '1.2.3.4 trailing', ' 1.2.3.4', '0x', '08.1.1.1', '1.2.3.0x100',
    '4294967296', '0xffffffff',
  ];

  test("inet_aton('127.1') is 127.0.0.1, as C; '1.2.3.4.5' is null", () => {
    expect(P.inet_aton('127.1')).toEqual(Buffer.from([127, 0, 0, 1]));
    expect(P.inet_aton('0x7f.1')).toEqual(Buffer.from([127, 0, 0, 1]));
    expect(P.inet_aton('1.2.3.4.5')).toBeNull();
  });

  test('inet_aton gives exactly the bytes C does, for every form of the text', () => {
    for (const t of texts) {
      const fromC = c('aton', t)[0];
      const got = P.inet_aton(t);
      expect([t, got === null ? 'null' : got.toString('hex')]).toEqual([t, fromC]);
    }
  });

  test("inet_addr('127.0.0.1') is the in_addr_t C holds: the network-order bytes read in host order", () => {
    const bytes = Buffer.from([127, 0, 0, 1]);
    const hostOrder = os.endianness() === 'LE' ? bytes.readUInt32LE(0) : bytes.readUInt32BE(0);
    expect(P.inet_addr('127.0.0.1')).toBe(hostOrder);
    if (os.endianness() === 'LE') expect(P.inet_addr('127.0.0.1')).toBe(0x0100007f);
    expect(P.ntohl(P.inet_addr('127.0.0.1'))).toBe(P.INADDR_LOOPBACK);
    expect(P.inet_addr('bad')).toBe(P.INADDR_NONE);
    // The classic ambiguity: the broadcast address is INADDR_NONE too.
    expect(P.inet_addr('255.255.255.255')).toBe(P.INADDR_NONE);
    for (const t of texts) expect([t, P.inet_addr(t)]).toEqual([t, Number(c('addr', t)[0])]);
  });

  test('text with an embedded NUL is not an address (C would read only up to it)', () => {
    expect(P.inet_aton('127.0.0.1\0junk')).toBeNull();
    expect(P.inet_addr('127.0.0.1\0junk')).toBe(P.INADDR_NONE);
  });

  test('inet_ntoa round-trips inet_aton, and takes the number inet_addr returns', () => {
    for (const t of ['127.0.0.1', '0.0.0.0', '255.255.255.255', '10.20.30.40', '192.0.2.1']) {
      expect(P.inet_ntoa(P.inet_aton(t)!)).toBe(t);
      expect(P.inet_ntoa(P.inet_addr(t))).toBe(t);
      expect(P.inet_ntoa(new Uint8Array(P.inet_aton(t)!))).toBe(t);
    }
    expect(P.inet_ntoa(P.inet_aton('127.1')!)).toBe('127.0.0.1');
  });

  test('inet_ntoa: 4 bytes or a uint32, nothing else', () => {
    expect(thrown(() => P.inet_ntoa(Buffer.alloc(3))).name).toBe('RangeError');
    expect(thrown(() => P.inet_ntoa(Buffer.alloc(16))).name).toBe('RangeError');
    expect(thrown(() => P.inet_ntoa(-1)).name).toBe('RangeError');
    expect(thrown(() => P.inet_ntoa(2 ** 32)).name).toBe('RangeError');
    expect(thrown(() => P.inet_ntoa('127.0.0.1' as unknown as number)).name).toBe('TypeError');
    const ab = new ArrayBuffer(4);
    const view = new Uint8Array(ab);
    structuredClone(ab, { transfer: [ab] });
    expect(thrown(() => P.inet_ntoa(view)).name).toBe('TypeError');
  });
});

// ---- gethostbyname, gethostbyaddr

describe('gethostbyname / gethostbyaddr', () => {
  test("gethostbyname('localhost') has 127.0.0.1, as /etc/hosts and C say", async () => {
    const h = await P.gethostbyname('localhost');
    expect(h.addrtype).toBe(P.AF_INET);
    expect(h.addresses).toContain('127.0.0.1');
    expect(h).toEqual(cHost('host', 'localhost', String(P.AF_INET)));
  });

  test('with family AF_INET6: ::1, as C answers', async () => {
    const numeric = await P.gethostbyname('::1', { family: P.AF_INET6 });
    expect(numeric.addrtype).toBe(P.AF_INET6);
    expect(numeric.addresses).toEqual(['::1']);
    expect(numeric).toEqual(cHost('host', '::1', String(P.AF_INET6)));
    // localhost by AF_INET6 only where /etc/hosts has it (otherwise the
    // lookup would go on to DNS).
    const v6 = etcHosts().byName.get('localhost')?.filter((a) => a.includes(':')) ?? [];
    if (v6.length > 0) {
      const h = await P.gethostbyname('localhost', { family: P.AF_INET6 });
      expect(h.addresses).toContain('::1');
      expect(h).toEqual(cHost('host', 'localhost', String(P.AF_INET6)));
    }
  });

  test('a numeric address is its own answer, as C (no lookup)', async () => {
    expect(await P.gethostbyname('127.0.0.1')).toEqual(cHost('host', '127.0.0.1', String(P.AF_INET)));
    expect(await P.gethostbyname('127.1')).toEqual(cHost('host', '127.1', String(P.AF_INET)));
  });

  test("a name that does not exist rejects with the h_errno C reports (HOST_NOT_FOUND: 'no-such-host.invalid')", async () => {
    const err = await rejection(P.gethostbyname('no-such-host.invalid'));
    const fromC = cHost('host', 'no-such-host.invalid', String(P.AF_INET));
    expect(err).toBeInstanceOf(P.SocketError);
    expect(['HOST_NOT_FOUND', 'TRY_AGAIN', 'NO_RECOVERY', 'NO_DATA']).toContain(err.code);
    expect(err.code).toBe(fromC);
    expect(err.errno).toBe((P as unknown as Record<string, number>)[err.code]);
    expect(err.syscall).toBe('gethostbyname');
    expect(err.hostname).toBe('no-such-host.invalid');
    expect(err.message).toMatch(new RegExp(`^gethostbyname: .+ \\(${err.code}\\) no-such-host\\.invalid$`));
  });

  test("the empty name: C's answer (NO_RECOVERY from glibc), without a lookup", async () => {
    expect(await ours(P.gethostbyname(''))).toBe(cHost('host', '', String(P.AF_INET)));
  });

  test("gethostbyaddr('127.0.0.1') is the name /etc/hosts gives it, with 127.0.0.1 among the addresses", async () => {
    const h = await P.gethostbyaddr('127.0.0.1');
    expect(h.addresses).toContain('127.0.0.1');
    expect(h.addrtype).toBe(P.AF_INET);
    const name = etcHosts().byAddress.get('127.0.0.1');
    if (name !== undefined) expect(h.name).toBe(name);
    expect(h).toEqual(cHost('byaddr', '127.0.0.1'));
  });

  test('gethostbyaddr takes a numeric address only: anything else is a TypeError before any lookup', () => {
    for (const a of ['localhost', '127.0.0.1\0', 'fe80::1%lo', '1.2.3.4.5', '', 127 as unknown as string]) {
      expect(thrown(() => P.gethostbyaddr(a))).toBeInstanceOf(TypeError);
    }
  });

  test('gethostbyname: a NUL in the name is a TypeError; family must be AF_INET or AF_INET6', () => {
    expect(thrown(() => P.gethostbyname('local\0host'))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.gethostbyname(5 as unknown as string))).toBeInstanceOf(TypeError);
    expect(thrown(() => P.gethostbyname('localhost', { family: P.AF_UNIX })).name).toBe('RangeError');
    expect(thrown(() => P.gethostbyname('localhost', { family: 'inet' as unknown as number })).name).toBe('TypeError');
    expect(thrown(() => P.gethostbyname('localhost', null as unknown as P.HostentOptions))).toBeInstanceOf(TypeError);
  });

  test('an aborted signal rejects with AbortError and starts no lookup', async () => {
    const err = await rejection(P.gethostbyname('localhost', { signal: AbortSignal.abort() }));
    expect(err).toBeInstanceOf(P.AbortError);
    expect((await rejection(P.gethostbyaddr('127.0.0.1', { signal: AbortSignal.abort() }))).code).toBe('ABORT_ERR');
  });

  test('the h_errno codes are exported with their C values', () => {
    expect(P.HOST_NOT_FOUND).toBe(1);
    expect(P.TRY_AGAIN).toBe(2);
    expect(P.NO_RECOVERY).toBe(3);
    expect(P.NO_DATA).toBe(4);
    expect(P.NO_ADDRESS).toBe(P.NO_DATA);
    expect(P.NETDB_INTERNAL).toBe(-1);
  });
});

// ---- interfaces

describe('if_nameindex / getifaddrs', () => {
  (isLinux ? test : test.skip)('if_nameindex lists lo with the index if_nametoindex gives it', () => {
    const list = P.if_nameindex();
    expect(list).toContainEqual({ index: P.if_nametoindex('lo'), name: 'lo' });
    for (const { index, name } of list) {
      expect(P.if_nametoindex(name)).toBe(index);
      expect(P.if_indextoname(index)).toBe(name);
    }
    // Every interface with an address (all os.networkInterfaces() lists) is there.
    for (const name of Object.keys(os.networkInterfaces())) expect(list.map((e) => e.name)).toContain(name);
  });

  (isLinux ? test : test.skip)('getifaddrs lists lo with 127.0.0.1/255.0.0.0, IFF_UP|IFF_LOOPBACK, no broadcast', () => {
    const lo = P.getifaddrs().find((e) => e.name === 'lo' && e.address?.family === P.AF_INET);
    expect(lo).toBeDefined();
    expect(lo!.address).toMatchObject({ family: P.AF_INET, address: '127.0.0.1' });
    expect(lo!.netmask).toMatchObject({ family: P.AF_INET, address: '255.0.0.0' });
    expect(lo!.flags & (P.IFF_UP | P.IFF_LOOPBACK)).toBe(P.IFF_UP | P.IFF_LOOPBACK);
    expect(lo!.flags & P.IFF_BROADCAST).toBe(0);
    expect(lo!.broadcast).toBeUndefined();
    expect(P.flagNames('IFF', lo!.flags)).toEqual(expect.arrayContaining(['IFF_UP', 'IFF_LOOPBACK']));
  });

  test('every address os.networkInterfaces() reports is there with the same netmask', () => {
    const list = P.getifaddrs();
    for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
      for (const a of addrs ?? []) {
        const family = a.family === 'IPv4' ? P.AF_INET : P.AF_INET6;
        const e = list.find((x) => x.name === name && x.address?.family === family && (x.address as P.SockaddrIn).address === a.address);
        expect([name, a.address, e !== undefined]).toEqual([name, a.address, true]);
        expect((e!.netmask as P.SockaddrIn).address).toBe(a.netmask);
      }
    }
  });

  test('broadcast only with IFF_BROADCAST, destination only with IFF_POINTOPOINT', () => {
    for (const e of P.getifaddrs()) {
      if (e.broadcast !== undefined) expect(e.flags & P.IFF_BROADCAST).toBe(P.IFF_BROADCAST);
      if (e.destination !== undefined) expect(e.flags & P.IFF_POINTOPOINT).toBe(P.IFF_POINTOPOINT);
      if (e.broadcast !== undefined && e.address?.family === P.AF_INET) expect(e.broadcast.family).toBe(P.AF_INET);
    }
  });
});

// ---- the trace

test('each call shows in the trace with its arguments and the struct it returns', async () => {
  const lines: string[] = [];
  P.trace(true, (l) => lines.push(l));
  try {
    P.getservbyname('http', 'tcp');
    P.getservbyport(80, null);
    P.getprotobyname('tcp');
    P.getprotobynumber(17);
    P.if_nameindex();
    P.getifaddrs();
    await P.gethostbyname('localhost');
    await P.gethostbyaddr('127.0.0.1');
    await rejection(P.gethostbyname('1.2.3.4.5'));
  } finally {
    P.trace(false);
  }
  expect(lines).toContainEqual(expect.stringMatching(/^getservbyname\("http", "tcp"\) = \{s_name="http", s_aliases=\[.*\], s_port=htons\(80\), s_proto="tcp"\}$/));
  expect(lines).toContainEqual(expect.stringMatching(/^getservbyport\(htons\(80\), NULL\) = \{s_name="http"/));
  expect(lines).toContainEqual(expect.stringMatching(/^getprotobyname\("tcp"\) = \{p_name="tcp", p_aliases=\[.*\], p_proto=6\}$/));
  expect(lines).toContainEqual(expect.stringMatching(/^getprotobynumber\(17\) = \{p_name="udp"/));
  expect(lines).toContainEqual(expect.stringMatching(/^if_nameindex\(\) = \[.*\{if_index=\d+, if_name="lo"\}/));
  expect(lines).toContainEqual(expect.stringMatching(/^getifaddrs\(\[.*\{ifa_name="lo", ifa_flags=IFF_UP\|IFF_LOOPBACK.*, ifa_addr=\{AF_INET, 127\.0\.0\.1\}, ifa_netmask=\{AF_INET, 255\.0\.0\.0\}\}.*\]\) = 0$/));
  expect(lines).toContain('gethostbyname2("localhost", AF_INET) …');
  expect(lines).toContainEqual(expect.stringMatching(/^… gethostbyname2 resumed = \{h_name="localhost", .*h_addrtype=AF_INET, h_addr_list=\[.*127\.0\.0\.1.*\]\}$/));
  expect(lines).toContain('gethostbyaddr(inet_addr("127.0.0.1"), 4, AF_INET) …');
  expect(lines).toContainEqual(expect.stringMatching(/^… gethostbyaddr resumed = \{h_name=/));
  expect(lines).toContainEqual(expect.stringMatching(/^… gethostbyname2 resumed = NULL h_errno=[A-Z_]+ \(.+\)$/));
});
