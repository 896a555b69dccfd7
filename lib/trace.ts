// The syscall trace: with trace(true), or POSIX_SOCKETS_TRACE=1 in the
// environment, every system call this package makes prints one line the way
// strace does, with symbolic constants and the kernel's answer:
//
//   socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3
//   connect(3, {AF_INET, 127.0.0.1:54321}, 16) = -1 ECONNREFUSED (Connection refused)
//   accept(3) = 4 {AF_INET, 127.0.0.1:40022}
//
// Lines starting with '#' are not system calls: they mark a promise call that
// starts waiting for readiness and the moment it is settled.
//
// Tracing wraps the functions of `native` (lib/native.ts), so every call is
// seen exactly once, as it crosses into C — including the retries after
// EAGAIN and the fcntl calls around a promise accept/connect — and nothing
// is wrapped, or slowed, while tracing is off.
import { constantName, ConstantGroup, flagNames, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP } from './constants';
import { MSG_CMSG_CLOEXEC, MSG_NOSIGNAL, SCM_RIGHTS, SOCK_CLOEXEC, SOL_SOCKET } from './constants';
import { AF_NETLINK, AF_PACKET, AF_VSOCK, constants, SOL_NETLINK, SOL_PACKET } from './constants';
import { ntohs } from './byteorder';
import { FIONREAD, FIONSPACE, FIONWRITE, SIOCOUTQ, SIOCOUTQNSD } from './constants';
import { describeCmsg } from './cmsg';
import { errnoName, strerror } from './errors';
import { Binding, binding, native, reentry } from './native';
import { decodeNameBuffer } from './sockaddr';
import { formatOption, optionLabel } from './sockopt';
import type { Sockaddr, SockaddrInput } from './sockaddr';
import { CONNECT, ERRQUEUE, observeWaits, READ, URGENT, WaitKind } from './readiness';

/** sizeof(struct sock_fprog), the length setsockoptFprog passes (Linux). */
const SOCK_FPROG_SIZE = (binding.sockoptLayouts.sock_fprog as { size?: number } | undefined)?.size ?? 0;

/** Where trace lines go. */
export type TraceSink = (line: string) => void;
let sink: TraceSink | undefined;

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}

/** Bytes as strace shows them: a quoted C string, cut after 32 bytes. */
function quote(bytes: ArrayBufferView, length = bytes.byteLength): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(length, bytes.byteLength));
  let out = '"';
  for (const c of b.subarray(0, 32)) {
    if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x22 || c === 0x5c) out += '\\' + String.fromCharCode(c);
    else if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + (b.length > 32 ? '"...' : '"');
}

function name(group: ConstantGroup, value: number): string {
  return constantName(group, value) ?? String(value);
}

function flags(group: ConstantGroup, value: number): string {
  return value === 0 ? '0' : flagNames(group, value).join('|');
}

/** SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC: the type plus its flag bits. */
function sockType(type: number, addCloexec: boolean): string {
  const t = addCloexec && SOCK_CLOEXEC !== undefined ? type | SOCK_CLOEXEC : type;
  const base = t & 0xf;
  // The type is in the low bits; SOCK_NONBLOCK/SOCK_CLOEXEC are flag bits above them.
  return [name('SOCK', base), ...flagNames('SOCK', t & ~0xf)].join('|');
}

// The names strace shows for the fields of the Linux families' structs (its
// xlat tables), each a list of this platform's constants by name.
const byPrefix = (prefix: string): string[] => Object.keys(constants).filter((n) => n.startsWith(prefix));
const PKTTYPES = ['PACKET_HOST', 'PACKET_BROADCAST', 'PACKET_MULTICAST', 'PACKET_OTHERHOST', 'PACKET_OUTGOING',
  'PACKET_LOOPBACK', 'PACKET_USER', 'PACKET_KERNEL'];
const NETLINK_PROTOCOLS = ['NETLINK_ROUTE', 'NETLINK_UNUSED', 'NETLINK_USERSOCK', 'NETLINK_FIREWALL', 'NETLINK_SOCK_DIAG',
  'NETLINK_NFLOG', 'NETLINK_XFRM', 'NETLINK_SELINUX', 'NETLINK_ISCSI', 'NETLINK_AUDIT', 'NETLINK_FIB_LOOKUP',
  'NETLINK_CONNECTOR', 'NETLINK_NETFILTER', 'NETLINK_IP6_FW', 'NETLINK_DNRTMSG', 'NETLINK_KOBJECT_UEVENT',
  'NETLINK_GENERIC', 'NETLINK_SCSITRANSPORT', 'NETLINK_ECRYPTFS', 'NETLINK_RDMA', 'NETLINK_CRYPTO', 'NETLINK_SMC'];
const NETLINK_OPTIONS = byPrefix('NETLINK_').filter((n) => !NETLINK_PROTOCOLS.includes(n));
const ETHER_TYPES = byPrefix('ETH_P_');
const HARDWARE_TYPES = byPrefix('ARPHRD_');
const VSOCK_CIDS = byPrefix('VMADDR_CID_');
const VSOCK_FLAGS = byPrefix('VMADDR_FLAG_');
const PACKET_OPTIONS = byPrefix('PACKET_').filter((n) => !PKTTYPES.includes(n) && !/^PACKET_(MR|FANOUT)_/.test(n));

/** The first of `names` this platform defines with value `value`. */
function among(names: readonly string[], value: number): string | undefined {
  return names.find((n) => constants[n] === value);
}

/** As strace's %#x: 0, else 0x and the hex digits. */
function xhex(n: number): string {
  return n === 0 ? '0' : '0x' + (n >>> 0).toString(16);
}

/** A field's symbolic value, or the number and `/* PREFIX_??? *\/` as strace marks an unknown one. */
function xval(names: readonly string[], value: number, prefix: string): string {
  return among(names, value) ?? `${xhex(value)} /* ${prefix}_??? */`;
}

/** socket()'s protocol: an EtherType in network order for AF_PACKET, a NETLINK_* protocol for AF_NETLINK. */
function protocolArg(family: number, protocol: number): string {
  // The kernel takes the low 16 bits as a __be16.
  if (family === AF_PACKET) return `htons(${xval(ETHER_TYPES, ntohs(protocol & 0xffff), 'ETH_P')})`;
  if (family === AF_NETLINK) return xval(NETLINK_PROTOCOLS, protocol, 'NETLINK');
  return String(protocol);
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * A netlink, packet or vsock address the way strace prints the struct:
 * {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}. An interface index
 * is shown by name, as strace does, which asks the kernel (if_indextoname).
 */
function linuxFamily(a: Record<string, unknown>): string | undefined {
  if (a.family === AF_NETLINK && a.pid !== undefined) {
    const groups = num(a.groups) >>> 0;
    // strace's %#08x: 0x and at least six digits, but a bare 0 is eight zeros.
    const g = groups === 0 ? '00000000' : '0x' + groups.toString(16).padStart(6, '0');
    return `{sa_family=AF_NETLINK, nl_pid=${num(a.pid) | 0}, nl_groups=${g}}`;
  }
  if (a.family === AF_PACKET && a.protocol !== undefined) {
    const index = num(a.ifindex);
    const ifname = index > 0 ? binding.if_indextoname(index) : undefined;
    const hw = a.addr instanceof Uint8Array ? a.addr : Buffer.alloc(0);
    const parts = [
      `sll_protocol=htons(${xval(ETHER_TYPES, num(a.protocol), 'ETH_P')})`,
      `sll_ifindex=${typeof ifname === 'string' ? `if_nametoindex(${JSON.stringify(ifname)})` : index}`,
      `sll_hatype=${xval(HARDWARE_TYPES, num(a.hatype), 'ARPHRD')}`,
      `sll_pkttype=${xval(PKTTYPES, num(a.pkttype), 'PACKET')}`,
      `sll_halen=${hw.length}`,
    ];
    // strace's %#02x: 00 for a zero byte.
    if (hw.length > 0) parts.push(`sll_addr=[${Array.from(hw, (b) => (b === 0 ? '00' : '0x' + b.toString(16))).join(', ')}]`);
    return `{sa_family=AF_PACKET, ${parts.join(', ')}}`;
  }
  if (a.family === AF_VSOCK && a.cid !== undefined) {
    const port = num(a.port);
    const flags = num(a.flags);
    const known = flagsAmong(VSOCK_FLAGS, flags);
    return (
      `{sa_family=AF_VSOCK, svm_cid=${among(VSOCK_CIDS, num(a.cid)) ?? xhex(num(a.cid))}, ` +
      `svm_port=${among(['VMADDR_PORT_ANY'], port) ?? xhex(port)}, ` +
      `svm_flags=${known.length > 0 || flags === 0 ? known.join('|') || '0' : `${xhex(flags)} /* VMADDR_FLAG_??? */`}}`
    );
  }
  return undefined;
}

/** Bits of `mask` by name, the rest in hex, as strace joins flags: VMADDR_FLAG_TO_HOST|0x2. */
function flagsAmong(names: readonly string[], mask: number): string[] {
  const out: string[] = [];
  let rest = mask >>> 0;
  for (const n of names) {
    const v = constants[n];
    if (v !== 0 && (rest & v) === v) {
      out.push(n);
      rest = (rest & ~v) >>> 0;
    }
  }
  if (out.length > 0 && rest !== 0) out.push(xhex(rest));
  return out;
}

/**
 * The address as strace shows it, shortened for IPv4, IPv6 and unix:
 * {AF_INET, 127.0.0.1:80}; netlink, packet and vsock addresses in full, as
 * strace prints their structs.
 */
export function formatSockaddr(addr: Sockaddr | SockaddrInput | undefined): string {
  // lib/ hands native code the encoded bytes; show them decoded.
  const a = addr instanceof Uint8Array ? decode(addr) : (addr as Record<string, unknown> | undefined);
  if (!a || typeof a.family !== 'number') return '{}';
  const linux = linuxFamily(a);
  if (linux !== undefined) return linux;
  const fam = name('AF', a.family);
  if (typeof a.path === 'string' || Buffer.isBuffer(a.path)) {
    const p = Buffer.from(a.path as string | Buffer);
    if (p.length === 0) return `{${fam}}`;
    return p[0] === 0 ? `{${fam}, @${quote(p.subarray(1))}}` : `{${fam}, ${quote(p, 108)}}`;
  }
  if (typeof a.address === 'string') {
    const host = a.address.includes(':') ? `[${a.address}]` : a.address;
    return `{${fam}, ${host}:${a.port}}`;
  }
  return `{${fam}}`;
}

function decode(bytes: Uint8Array): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  binding.sockaddrFromBytes(bytes, out);
  return out;
}

function addrlen(a: object): number {
  if (a instanceof Uint8Array) return a.length;
  try {
    return binding.sockaddrToBytes(a).length;
  } catch {
    return 0;
  }
}

function optionGroup(level: number): ConstantGroup | undefined {
  if (level === SOL_SOCKET) return 'SO';
  if (level === IPPROTO_TCP) return 'TCP';
  if (level === IPPROTO_IP) return 'IP';
  if (level === IPPROTO_IPV6) return 'IPV6';
  if (level === IPPROTO_UDP) return 'UDP';
  return undefined;
}

function optName(level: number, opt: number): string {
  if (level === SOL_PACKET) return among(PACKET_OPTIONS, opt) ?? String(opt);
  if (level === SOL_NETLINK) return among(NETLINK_OPTIONS, opt) ?? String(opt);
  const g = optionGroup(level);
  return optionLabel(level, opt) ?? (g && constantName(g, opt)) ?? String(opt);
}

/** An option's value: decoded as strace does where a typed option knows it, else an int or bytes. */
function optValue(level: number, opt: number, v: ArrayBufferView, len: number): string {
  const bytes = new Uint8Array(v.buffer, v.byteOffset, Math.min(len, v.byteLength));
  return formatOption(level, opt, bytes) ?? intView(v, len);
}

function levelName(level: number): string {
  if (level === SOL_PACKET) return 'SOL_PACKET';
  if (level === SOL_NETLINK) return 'SOL_NETLINK';
  return level === SOL_SOCKET ? 'SOL_SOCKET' : name('IPPROTO', level);
}

function intView(v: ArrayBufferView, len: number): string {
  // Copied first: an Int32Array at an offset that is not a multiple of 4 throws.
  if (len === 4 && v.byteLength >= 4) return `[${new Int32Array(new Uint8Array(v.buffer, v.byteOffset, 4).slice().buffer)[0]}]`;
  return quote(v, len);
}

/** Send flags as the kernel sees them: native/io.cc adds MSG_NOSIGNAL on Linux. */
function sendFlags(f: number): string {
  return flags('MSG', MSG_NOSIGNAL === undefined ? f : f | MSG_NOSIGNAL);
}

/** A cmsg level as strace names it (SOL_IP, SOL_IPV6, SOL_UDP: the option level's SOL_ name). */
function cmsgLevel(level: number): string {
  if (level === SOL_SOCKET) return 'SOL_SOCKET';
  if (level === IPPROTO_IP) return 'SOL_IP';
  if (level === IPPROTO_IPV6) return 'SOL_IPV6';
  if (level === IPPROTO_UDP) return 'SOL_UDP';
  if (level === IPPROTO_TCP) return 'SOL_TCP';
  return String(level);
}

/** A cmsg's type: SCM_* at SOL_SOCKET (SCM_RIGHTS, not SO_DEBUG, for 1), the option name elsewhere. */
function cmsgType(level: number, type: number): string {
  if (level === SOL_SOCKET) return constantName('SCM', type) ?? optName(level, type);
  return optName(level, type);
}

/** A cmsg's payload: integers where it is a C int array (SCM_RIGHTS, TTL...), else the bytes. */
function cmsgData(level: number, type: number, data: ArrayBufferView): string {
  const ints = data.byteLength % 4 === 0 && data.byteLength > 0 && data.byteLength <= 64;
  if (ints && ((level === SOL_SOCKET && type === SCM_RIGHTS) || data.byteLength === 4)) {
    return `[${Array.from(new Int32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))).join(', ')}]`;
  }
  // A struct this package decodes: its fields, as strace prints a struct.
  const known = describeCmsg(level, type, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  if (known !== undefined) {
    return `{${Object.entries(known.fields)
      .map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? formatSockaddr(v as Sockaddr) : typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
      .join(', ')}}`;
  }
  return quote(data, data.byteLength);
}

function cmsgs(list: Array<[number, number, ArrayBufferView]>): string {
  return `[${list.map(([l, t, d]) => `{cmsg_level=${cmsgLevel(l)}, cmsg_type=${cmsgType(l, t)}, cmsg_data=${cmsgData(l, t, d)}}`).join(', ')}]`;
}

/** native.sendmsg's control argument: [level, type, payload] triples. */
function triples(control: Array<number | ArrayBufferView> | null): Array<[number, number, ArrayBufferView]> {
  const out: Array<[number, number, ArrayBufferView]> = [];
  for (let i = 0; control && i + 2 < control.length; i += 3) {
    out.push([control[i] as number, control[i + 1] as number, control[i + 2] as ArrayBufferView]);
  }
  return out;
}

/** The msghdr sendmsg was handed, as strace prints it (the address in this trace's short form). */
function sentMsg(iov: ArrayBufferView[], name: Uint8Array | null, control: Array<number | ArrayBufferView> | null): string {
  const parts = [
    `msg_name=${name ? formatSockaddr(name) : 'NULL'}`,
    `msg_iov=[${iov.map((v) => `{iov_base=${quote(v)}, iov_len=${v.byteLength}}`).join(', ')}]`,
  ];
  const list = triples(control);
  if (list.length > 0) parts.push(`msg_control=${cmsgs(list)}`);
  parts.push('msg_flags=0');
  return `{${parts.join(', ')}}`;
}

/**
 * The msghdr recvmsg filled: from native/msg.cc's meta at `at` ([bytes,
 * msg_flags, namelen, count, (level, type, offset, length)...]), the name
 * buffer at `nameAt` and the control buffer.
 */
function receivedMsg(
  n: number,
  iov: ArrayBufferView[],
  name: Uint8Array | null,
  nameAt: number,
  control: Uint8Array | null,
  meta: Int32Array,
  at: number,
): string {
  const namelen = meta[at + 2];
  const parts = [`msg_name=${name && namelen > 0 ? formatSockaddr(name.subarray(nameAt, nameAt + namelen)) : 'NULL'}`];
  let left = n;
  parts.push(
    `msg_iov=[${iov
      .map((v) => {
        const got = Math.max(0, Math.min(left, v.byteLength));
        left -= got;
        return `{iov_base=${quote(v, got)}, iov_len=${v.byteLength}}`;
      })
      .join(', ')}]`,
  );
  const list: Array<[number, number, ArrayBufferView]> = [];
  for (let i = 0; control && i < meta[at + 3]; i++) {
    const q = at + 4 + 4 * i;
    list.push([meta[q], meta[q + 1], control.subarray(meta[q + 2], meta[q + 2] + meta[q + 3])]);
  }
  if (list.length > 0) parts.push(`msg_control=${cmsgs(list)}`);
  parts.push(`msg_flags=${flags('MSG', meta[at + 1])}`);
  return `{${parts.join(', ')}}`;
}

/**
 * An ioctl request by the name strace prints: on Linux SIOCINQ is FIONREAD's
 * number and SIOCOUTQ is TIOCOUTQ's, and strace names them so.
 */
function ioctlRequest(request: number): string {
  if (request === FIONREAD) return 'FIONREAD';
  if (request === SIOCOUTQ) return 'TIOCOUTQ';
  if (request === SIOCOUTQNSD) return 'SIOCOUTQNSD';
  if (request === FIONWRITE) return 'FIONWRITE';
  if (request === FIONSPACE) return 'FIONSPACE';
  return hex(request);
}

/** An off_t as strace prints it (unsigned). */
function offT(n: number): string {
  return n < 0 ? BigInt.asUintN(64, BigInt(n)).toString() : String(n);
}

/** sendfile's offset argument: NULL, [offset], or [offset] => [new offset] when it moved. */
function sendfileOffset(offset: number | null, r: number): string {
  if (offset === null) return 'NULL';
  return r > 0 ? `[${offT(offset)}] => [${offT(offset + r)}]` : `[${offT(offset)}]`;
}

function result(r: number, ok: (r: number) => string = (n) => String(n)): string {
  if (typeof r === 'number' && r < 0) return `-1 ${errnoName(-r)} (${strerror(-r)})`;
  return ok(r);
}

type Args = any[];
/** One formatter per traced native function: the call and its result as one line. */
const formats: Partial<Record<keyof Binding, (a: Args, r: any) => string>> = {
  socket: (a, r) => `socket(${name('AF', a[0])}, ${sockType(a[1], true)}, ${protocolArg(a[0], a[2])}) = ${result(r)}`,
  socketpair: (a, r) =>
    `socketpair(${name('AF', a[0])}, ${sockType(a[1], true)}, ${a[2]}, ` +
    `${r === 0 ? `[${a[3][0]}, ${a[3][1]}]` : '…'}) = ${result(r)}`,
  accept: (a, r) => `accept(${a[0]}${a[1] ? ', ' + sockType(a[1], false) : ''}) = ${result(r, (n) => `${n} ${formatSockaddr(a[2])}`)}`,
  close: (a, r) => `close(${a[0]}) = ${result(r)}`,
  fcntl: (a, r) =>
    `fcntl(${a[0]}, ${name('F', a[1])}${a[1] === binding.constants.F_SETFL || a[1] === binding.constants.F_SETFD ? ', ' + hex(a[2] ?? 0) : ''}) = ` +
    result(r, (n) => (a[1] === binding.constants.F_GETFL || a[1] === binding.constants.F_GETFD ? hex(n) : String(n))),
  // dup is made as fcntl(F_DUPFD_CLOEXEC), and strace shows that.
  dup: (a, r) => `fcntl(${a[0]}, F_DUPFD_CLOEXEC, 0) = ${result(r)}`,
  dup2: (a, r) => `dup2(${a[0]}, ${a[1]}) = ${result(r)}`,
  dup3: (a, r) => `dup3(${a[0]}, ${a[1]}, ${flags('O', a[2])}) = ${result(r)}`,
  bind: (a, r) => `bind(${a[0]}, ${formatSockaddr(a[1])}, ${addrlen(a[1])}) = ${result(r)}`,
  listen: (a, r) => `listen(${a[0]}, ${a[1]}) = ${result(r)}`,
  connect: (a, r) => `connect(${a[0]}, ${formatSockaddr(a[1])}, ${addrlen(a[1])}) = ${result(r)}`,
  shutdown: (a, r) => `shutdown(${a[0]}, ${name('SHUT', a[1])}) = ${result(r)}`,
  getsockname: (a, r) => `getsockname(${a[0]}) = ${result(r, (n) => `${n} ${formatSockaddr(a[1])}`)}`,
  getpeername: (a, r) => `getpeername(${a[0]}) = ${result(r, (n) => `${n} ${formatSockaddr(a[1])}`)}`,
  setsockopt: (a, r) =>
    `setsockopt(${a[0]}, ${levelName(a[1])}, ${optName(a[1], a[2])}, ${optValue(a[1], a[2], a[3], a[3].byteLength)}, ${a[3].byteLength}) = ${result(r)}`,
  // The same system call: the program's bytes, shown inside the struct sock_fprog native code made.
  setsockoptFprog: (a, r) =>
    `setsockopt(${a[0]}, ${levelName(a[1])}, ${optName(a[1], a[2])}, ${optValue(a[1], a[2], a[3], a[3].byteLength)}, ${SOCK_FPROG_SIZE}) = ${result(r)}`,
  getsockopt: (a, r) =>
    `getsockopt(${a[0]}, ${levelName(a[1])}, ${optName(a[1], a[2])}, ` +
    `${r >= 0 ? optValue(a[1], a[2], a[3], r) : '…'}, ${r >= 0 ? r : a[3].byteLength}) = ${result(r, () => '0')}`,
  // The int the kernel wrote is native's result; the system call's is 0.
  ioctl: (a, r) => `ioctl(${a[0]}, ${ioctlRequest(a[1])}, ${r >= 0 ? `[${r}]` : '…'}) = ${result(r, () => '0')}`,
  // The C library's sockatmark is this ioctl.
  sockatmark: (a, r) => `ioctl(${a[0]}, SIOCATMARK, ${r >= 0 ? `[${r}]` : '…'}) = ${result(r, () => '0')}`,
  sendfile: (a, r) => `sendfile(${a[0]}, ${a[1]}, ${sendfileOffset(a[2], r)}, ${a[3]}) = ${result(r)}`,
  send: (a, r) => `send(${a[0]}, ${quote(a[1])}, ${a[1].byteLength}, ${sendFlags(a[2])}) = ${result(r)}`,
  recv: (a, r) => `recv(${a[0]}, ${r >= 0 ? quote(a[1], r) : '…'}, ${a[1].byteLength}, ${flags('MSG', a[2])}) = ${result(r)}`,
  sendto: (a, r) =>
    `sendto(${a[0]}, ${quote(a[1])}, ${a[1].byteLength}, ${sendFlags(a[2])}, ${formatSockaddr(a[3])}, ${addrlen(a[3])}) = ${result(r)}`,
  recvfrom: (a, r) =>
    `recvfrom(${a[0]}, ${r >= 0 ? quote(a[1], r) : '…'}, ${a[1].byteLength}, ${flags('MSG', a[2])}, ` +
    `${r >= 0 ? formatSockaddr(decodeNameBuffer(a[3])) : '…'}) = ${result(r)}`,
  sendmsg: (a, r) => `sendmsg(${a[0]}, ${sentMsg(a[1], a[2], a[3])}, ${sendFlags(a[4])}) = ${result(r)}`,
  recvmsg: (a, r) =>
    `recvmsg(${a[0]}, ${r >= 0 ? receivedMsg(r, a[1], a[4], 0, a[2], a[5], 0) : '…'}, ${flags('MSG', a[3] | (MSG_CMSG_CLOEXEC ?? 0))}) = ${result(r)}`,
  // As strace: the first message in full, then how many followed.
  sendmmsg: (a, r) =>
    `sendmmsg(${a[0]}, [${a[1].length > 0 ? `{msg_hdr=${sentMsg(a[1][0][0], a[1][0][1], a[1][0][2])}}` : ''}` +
    `${a[1].length > 1 ? `, ... ${a[1].length - 1} more` : ''}], ${a[1].length}, ${sendFlags(a[2])}) = ${result(r)}`,
  recvmmsg: (a, r) => {
    const first = r > 0 ? `{msg_hdr=${receivedMsg(a[8][0], [a[1].subarray(0, a[2])], a[7], 0, a[4], a[8], 0)}, msg_len=${a[8][0]}}` : '';
    const more = r > 1 ? `, ... ${r - 1} more` : '';
    return `recvmmsg(${a[0]}, [${r >= 0 ? first + more : '…'}], ${a[3]}, ${flags('MSG', a[6] | (MSG_CMSG_CLOEXEC ?? 0))}, NULL) = ${result(r)}`;
  },
  read: (a, r) => `read(${a[0]}, ${r >= 0 ? quote(a[1], r) : '…'}, ${a[1].byteLength}) = ${result(r)}`,
  write: (a, r) => `write(${a[0]}, ${quote(a[1])}, ${a[1].byteLength}) = ${result(r)}`,
  poll: (a, r) => {
    const words = new Int32Array(a[0].buffer, a[0].byteOffset, a[1] * 2);
    const halves = new Uint16Array(words.buffer, words.byteOffset, a[1] * 4);
    const list = (field: 2 | 3) =>
      Array.from({ length: a[1] }, (_, i) => ({ fd: words[i * 2], ev: halves[i * 4 + field] }))
        .filter((p) => field === 2 || p.ev !== 0)
        .map((p) => `{fd=${p.fd}, ${field === 2 ? 'events' : 'revents'}=${flags('POLL', p.ev)}}`)
        .join(', ');
    return `poll([${list(2)}], ${a[1]}, ${a[2]}) = ${result(r, (n) => (n > 0 ? `${n} ([${list(3)}])` : `${n} (Timeout)`))}`;
  },
  // Library calls, not system calls (glibc asks the kernel with socket + ioctl).
  if_nametoindex: (a, r) => `if_nametoindex(${JSON.stringify(a[0])}) = ${r}`,
  if_indextoname: (a, r) => `if_indextoname(${a[0]}) = ${typeof r === 'string' ? JSON.stringify(r) : result(r)}`,
  gethostname: (_a, r) => `gethostname(${typeof r === 'string' ? JSON.stringify(r) : '…'}) = ${typeof r === 'string' ? 0 : result(r)}`,
  // The databases (/etc/services, /etc/protocols through NSS; glibc's _r
  // forms on Linux) and the interface list (netlink on Linux): library calls,
  // shown with the C call's arguments and the struct it returns.
  getservbyname: (a, r) => `getservbyname(${JSON.stringify(a[0])}, ${cString(a[1])}) = ${servent(r)}`,
  getservbyport: (a, r) => `getservbyport(htons(${a[0]}), ${cString(a[1])}) = ${servent(r)}`,
  getprotobyname: (a, r) => `getprotobyname(${JSON.stringify(a[0])}) = ${protoent(r)}`,
  getprotobynumber: (a, r) => `getprotobynumber(${a[0]}) = ${protoent(r)}`,
  if_nameindex: (_a, r) =>
    `if_nameindex() = ${typeof r === 'number' ? result(r) : `[${r.map((e: { index: number; name: string }) => `{if_index=${e.index}, if_name=${JSON.stringify(e.name)}}`).join(', ')}]`}`,
  getifaddrs: (_a, r) => `getifaddrs(${typeof r === 'number' ? '…' : `[${r.map(ifaddr).join(', ')}]`}) = ${typeof r === 'number' ? result(r) : 0}`,
};

/** A `const char *` argument: the string, or NULL. */
function cString(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : 'NULL';
}

function strings(list: string[]): string {
  return `[${list.map((x) => JSON.stringify(x)).join(', ')}]`;
}

/** NULL (no entry), -1 errno, or the struct servent. */
function servent(r: any): string {
  if (r === null) return 'NULL';
  if (typeof r === 'number') return result(r);
  return `{s_name=${JSON.stringify(r.name)}, s_aliases=${strings(r.aliases)}, s_port=htons(${r.port}), s_proto=${JSON.stringify(r.proto)}}`;
}

function protoent(r: any): string {
  if (r === null) return 'NULL';
  if (typeof r === 'number') return result(r);
  return `{p_name=${JSON.stringify(r.name)}, p_aliases=${strings(r.aliases)}, p_proto=${r.proto}}`;
}

/** An interface address: no port (it is always 0 there). */
function ifSockaddr(a: Record<string, unknown>): string {
  return typeof a.address === 'string' ? `{${name('AF', a.family as number)}, ${a.address}}` : formatSockaddr(a as unknown as Sockaddr);
}

function ifaddr(e: Record<string, any>): string {
  const parts = [`ifa_name=${JSON.stringify(e.name)}`, `ifa_flags=${flags('IFF', e.flags)}`];
  for (const [key, field] of [['address', 'ifa_addr'], ['netmask', 'ifa_netmask'], ['broadcast', 'ifa_broadaddr'], ['destination', 'ifa_dstaddr']]) {
    // Own fields only: a polluted Object.prototype.broadcast is no address of this entry.
    if (Object.prototype.hasOwnProperty.call(e, key)) parts.push(`${field}=${ifSockaddr(e[key])}`);
  }
  return `{${parts.join(', ')}}`;
}

/** An address as strace shows an in_addr / in6_addr. */
function inAddr(bytes: ArrayBufferView, family: number): string {
  const text = binding.inet_ntop(family, bytes);
  if (typeof text !== 'string') return quote(bytes);
  return family === binding.constants.AF_INET ? `inet_addr(${JSON.stringify(text)})` : `inet_pton(${name('AF', family)}, ${JSON.stringify(text)})`;
}

const H_ERRNO_NAMES = ['HOST_NOT_FOUND', 'TRY_AGAIN', 'NO_RECOVERY', 'NO_DATA', 'NETDB_INTERNAL'];

/** What gethostbyname2/gethostbyaddr returned: the hostent, or NULL and h_errno. */
function hostent(v: any): string {
  if (v.status !== 0) {
    const code = H_ERRNO_NAMES.find((n) => binding.constants[n] === v.status) ?? String(v.status);
    const errno = v.errno > 0 ? `, errno=${errnoName(v.errno)}` : '';
    return `NULL h_errno=${code} (${v.message})${errno}`;
  }
  return `{h_name=${JSON.stringify(v.name)}, h_aliases=${strings(v.aliases)}, h_addrtype=${name('AF', v.addrtype)}, h_addr_list=[${v.addresses.join(', ')}]}`;
}

function hints(a: Args): string {
  const parts = [name('AF', a[3]), a[4] ? name('SOCK', a[4]) : '0', a[5] ? name('IPPROTO', a[5]) : '0', flags('AI', a[2])];
  return `{${parts.join(', ')}}`;
}

/** The resolver calls run on the threadpool: one line when asked, one when answered. */
const asyncFormats: Partial<Record<keyof Binding, { call: (a: Args) => string; done: (a: Args, v: any) => string }>> = {
  getaddrinfo: {
    call: (a) => `getaddrinfo(${JSON.stringify(a[0])}, ${JSON.stringify(a[1])}, ${hints(a)}) …`,
    done: (_a, v) =>
      v.status !== 0
        ? `… getaddrinfo resumed = ${constantName('EAI', v.status) ?? v.status} (${binding.gai_strerror(v.status)})`
        : `… getaddrinfo resumed = 0 [${v.list.map((e: { address: Record<string, unknown> }) => formatSockaddr(e.address as unknown as Sockaddr)).join(', ')}]`,
  },
  getnameinfo: {
    call: (a) => `getnameinfo(${formatSockaddr(a[0])}, ${flags('NI', a[1])}) …`,
    done: (_a, v) =>
      v.status !== 0
        ? `… getnameinfo resumed = ${constantName('EAI', v.status) ?? v.status} (${binding.gai_strerror(v.status)})`
        : `… getnameinfo resumed = 0 {${JSON.stringify(v.host)}, ${JSON.stringify(v.service)}}`,
  },
  // gethostbyname2: what gethostbyname(name, {family}) asks (Linux: its _r form; macOS: getipnodebyname).
  gethostbyname: {
    call: (a) => `gethostbyname2(${JSON.stringify(a[0])}, ${name('AF', a[1])}) …`,
    done: (_a, v) => `… gethostbyname2 resumed = ${hostent(v)}`,
  },
  // Linux: gethostbyaddr_r; macOS: getipnodebyaddr.
  gethostbyaddr: {
    call: (a) => `gethostbyaddr(${inAddr(a[0], a[1])}, ${a[0].byteLength}, ${name('AF', a[1])}) …`,
    done: (_a, v) => `… gethostbyaddr resumed = ${hostent(v)}`,
  },
};

let warned = false;

/**
 * Hands a line to the sink. Tracing never changes a call's outcome: a sink
 * (or formatter) that throws is reported once as a process warning and the
 * call goes on as if untraced.
 */
function emit(line: () => string): void {
  const out = sink;
  if (out === undefined) return;
  reentry.sink++;
  try {
    out(line());
  } catch (e) {
    if (warned) return;
    warned = true;
    try {
      process.emitWarning(`posix-sockets: the trace sink threw (${String(e)}); calls are unaffected`, 'TraceWarning');
    } catch {
      // nothing more can be done
    }
  } finally {
    reentry.sink--;
  }
}

const KIND_TEXT: Record<WaitKind, string> = {
  [READ]: 'readable',
  1: 'writable',
  [CONNECT]: 'connected (writable)',
  [URGENT]: 'readable with urgent data',
  [ERRQUEUE]: 'reporting an error (POLLERR)',
};

function wrap(key: keyof Binding): void {
  const real = binding[key] as unknown as (...a: Args) => any;
  const sync = formats[key];
  const async = asyncFormats[key];
  (native as any)[key] = (...args: Args) => {
    if (async) {
      emit(() => async.call(args));
      const p = real.apply(binding, args) as Promise<unknown>;
      return p.then((v) => {
        emit(() => async.done(args, v));
        return v;
      });
    }
    const r = real.apply(binding, args);
    emit(() => sync!(args, r));
    return r;
  };
}

/**
 * Turns the syscall trace on or off. Lines go to `out` when given, else to
 * stderr (where strace writes too).
 */
export function trace(on: boolean, out?: TraceSink): void {
  const keys = [...Object.keys(formats), ...Object.keys(asyncFormats)] as (keyof Binding)[];
  if (typeof on !== 'boolean') throw new TypeError('on must be a boolean');
  if (out !== undefined && typeof out !== 'function') throw new TypeError('out must be a function');
  if (on) {
    warned = false;
    sink = out ?? ((line) => process.stderr.write(line + '\n'));
    for (const k of keys) wrap(k);
    observeWaits({
      waiting: (syscall, fd, kind) => emit(() => `# ${syscall}(${fd}) waits until fd ${fd} is ${KIND_TEXT[kind]}`),
      settled: (syscall, fd, outcome) =>
        emit(() => `# ${syscall}(${fd}) ${outcome === 'done' ? 'completed' : 'failed: ' + outcome}`),
    });
  } else {
    sink = undefined;
    for (const k of keys) (native as any)[k] = binding[k];
    observeWaits(undefined);
  }
}

/** True while the trace is on. */
export function tracing(): boolean {
  return sink !== undefined;
}

const env = process.env.POSIX_SOCKETS_TRACE;
if (env !== undefined && env !== '' && env !== '0') trace(true);
