// The syscall trace: its lines in-process, and, under the real strace, the
// same sequence of network system calls the kernel saw.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import * as P from '../lib';
import { root, start } from './helpers/processes';
import { isLinux, isRoot, rejection, unusedPort, useSockets } from './helpers/sockets';

const s = useSockets();

describe('trace(true, sink)', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    P.trace(true, (l) => lines.push(l));
  });
  afterEach(() => P.trace(false));

  test('one strace-like line per call, with symbolic constants and the answer', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    P.sendSync(a, 'hi\n');
    P.recvSync(b, 10);
    P.shutdown(a, P.SHUT_WR);
    P.setsockopt(a, P.SOL_SOCKET, P.SO_RCVBUF, 8192);
    const cloexec = P.SOCK_CLOEXEC === undefined ? '' : '|SOCK_CLOEXEC';
    const nosignal = P.MSG_NOSIGNAL === undefined ? '0' : 'MSG_NOSIGNAL';
    expect(lines).toEqual([
      `socketpair(AF_UNIX, SOCK_STREAM${cloexec}, 0, [${a}, ${b}]) = 0`,
      `send(${a}, "hi\\n", 3, ${nosignal}) = 3`,
      `recv(${b}, "hi\\n", 10, 0) = 3`,
      `shutdown(${a}, SHUT_WR) = 0`,
      `setsockopt(${a}, SOL_SOCKET, SO_RCVBUF, [8192], 4) = 0`,
    ]);
  });

  test('a failure shows -1, the errno name and its message', async () => {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    P.setNonBlocking(fd);
    const port = unusedPort();
    const flags = '0x' + P.fcntl(fd, P.F_GETFL).toString(16);
    lines.length = 0;
    const err = await rejection(P.connect(fd, { family: P.AF_INET, address: '127.0.0.1', port }));
    expect(err.code).toBe('ECONNREFUSED');
    expect(lines).toEqual([
      `fcntl(${fd}, F_GETFL) = ${flags}`,
      `connect(${fd}, {AF_INET, 127.0.0.1:${port}}, 16) = -1 EINPROGRESS (Operation now in progress)`,
      // On loopback the RST has already arrived: one look with poll, no waiting.
      `poll([{fd=${fd}, events=POLLOUT}], 1, 0) = 1 ([{fd=${fd}, revents=POLLOUT|POLLERR|POLLHUP}])`,
      `getsockopt(${fd}, SOL_SOCKET, SO_ERROR, [${os.constants.errno.ECONNREFUSED}], 4) = 0`,
    ]);
  });

  test('a promise accept that waits: EAGAIN, the wait, the retry, the address', async () => {
    const l = s.listener(P.AF_INET, P.SOCK_STREAM | (P.SOCK_NONBLOCK ?? 0));
    const pending = P.accept(l.fd);
    const c = s.socket(P.AF_INET, P.SOCK_STREAM);
    await P.connect(c, l.address);
    const { fd, address } = await pending;
    s.adopt(fd);
    const at = lines.indexOf(`# accept(${l.fd}) waits until fd ${l.fd} is readable`);
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]).toBe(`accept(${l.fd}) = -1 EAGAIN (Resource temporarily unavailable)`);
    expect(lines).toContain(`accept(${l.fd}) = ${fd} {AF_INET, 127.0.0.1:${(address as P.SockaddrIn).port}}`);
    expect(lines[lines.length - 1]).toBe(`# accept(${l.fd}) completed`);
  });

  test('messages: sendmsg and recvmsg show msg_name, msg_iov, msg_control (fds, decoded structs) and msg_flags', async () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_DGRAM);
    const [x, y] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    lines.length = 0;
    P.sendmsgSync(a, { iov: ['ab', Buffer.from('c')], control: [{ level: P.SOL_SOCKET, type: P.SCM_RIGHTS, fds: [x, y] }] });
    const got = P.recvmsgSync(b, 10, P.CMSG_SPACE(8));
    const fds = (got.control[0] as P.CmsgRights).fds;
    fds.forEach((fd) => s.adopt(fd));
    const nosignal = P.MSG_NOSIGNAL === undefined ? '0' : 'MSG_NOSIGNAL';
    const cloexec = P.MSG_CMSG_CLOEXEC === undefined ? '0' : 'MSG_CMSG_CLOEXEC';
    const rights = 'cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS';
    expect(lines).toEqual([
      `sendmsg(${a}, {msg_name=NULL, msg_iov=[{iov_base="ab", iov_len=2}, {iov_base="c", iov_len=1}], ` +
        `msg_control=[{${rights}, cmsg_data=[${x}, ${y}]}], msg_flags=0}, ${nosignal}) = 3`,
      `recvmsg(${b}, {msg_name=NULL, msg_iov=[{iov_base="abc", iov_len=10}], ` +
        `msg_control=[{${rights}, cmsg_data=[${fds.join(', ')}]}], msg_flags=${P.flagNames('MSG', got.flags).join('|') || '0'}}, ${cloexec}) = 3`,
    ]);
  });

  (isLinux ? test : test.skip)('messages: a decoded IP_PKTINFO, sendmmsg and recvmmsg (first message, then how many more)', async () => {
    const r = s.socket(P.AF_INET, P.SOCK_DGRAM);
    P.setsockopt(r, P.IPPROTO_IP, P.IP_PKTINFO, 1);
    P.bind(r, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    const to = P.getsockname(r) as P.SockaddrIn;
    const w = s.socket(P.AF_INET, P.SOCK_DGRAM);
    lines.length = 0;
    P.sendmmsgSync!(w, [{ iov: ['one'], name: to }, { iov: ['two'], name: to }]);
    expect((await P.recvmmsg!(r, 8, 100, 64)).length).toBe(2);
    const nosignal = P.MSG_NOSIGNAL === undefined ? '0' : 'MSG_NOSIGNAL';
    expect(lines[0]).toBe(`sendmmsg(${w}, [{msg_hdr={msg_name={AF_INET, 127.0.0.1:${to.port}}, msg_iov=[{iov_base="one", iov_len=3}], msg_flags=0}}, ... 1 more], 2, ${nosignal}) = 2`);
    // The promise form's first try; the datagrams are queued, so no wait.
    expect(lines[1]).toMatch(
      new RegExp(
        `^recvmmsg\\(${r}, \\[\\{msg_hdr=\\{msg_name=\\{AF_INET, 127\\.0\\.0\\.1:\\d+\\}, msg_iov=\\[\\{iov_base="one", iov_len=100\\}\\], ` +
          `msg_control=\\[\\{cmsg_level=SOL_IP, cmsg_type=IP_PKTINFO, cmsg_data=\\{ifindex=\\d+, specDst="127\\.0\\.0\\.1", addr="127\\.0\\.0\\.1"\\}\\}\\], ` +
          `msg_flags=MSG_CMSG_CLOEXEC\\}, msg_len=3\\}, \\.\\.\\. 1 more\\], 8, MSG_DONTWAIT\\|MSG_CMSG_CLOEXEC, NULL\\) = 2$`,
      ),
    );
  });

  (isLinux ? test : test.skip)('netlink: socket names the protocol, bind and sendto the sockaddr_nl, setsockopt the SOL_NETLINK option', () => {
    const fd = s.socket(P.AF_NETLINK!, P.SOCK_RAW, P.NETLINK_ROUTE!);
    P.bind(fd, { family: P.AF_NETLINK!, pid: 0, groups: P.RTMGRP_LINK! | P.RTMGRP_IPV4_IFADDR! });
    const { pid } = P.getsockname(fd) as P.SockaddrNl;
    P.setsockopt(fd, P.SOL_NETLINK!, P.NETLINK_NO_ENOBUFS!, 1);
    // Shorter than a netlink header: the kernel takes it and ignores it.
    P.sendtoSync(fd, 'x', 0, { family: P.AF_NETLINK!, pid: 0, groups: 0 });
    expect(lines).toEqual([
      `socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = ${fd}`,
      `bind(${fd}, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=0x000011}, 12) = 0`,
      `getsockname(${fd}) = 0 {sa_family=AF_NETLINK, nl_pid=${pid | 0}, nl_groups=0x000011}`,
      `setsockopt(${fd}, SOL_NETLINK, NETLINK_NO_ENOBUFS, [1], 4) = 0`,
      `sendto(${fd}, "x", 1, MSG_NOSIGNAL, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 1`,
    ]);
  });

  (isLinux ? test : test.skip)('packet and vsock addresses as strace prints their structs, unknown values marked as strace marks them', () => {
    const ll = (a: Partial<P.SockaddrLl>) => P.formatSockaddr({ family: P.AF_PACKET!, protocol: P.ETH_P_IP!, ifindex: 0, ...a });
    expect(ll({ ifindex: P.if_nametoindex('lo'), hatype: P.ARPHRD_ETHER, pkttype: P.PACKET_BROADCAST, addr: Buffer.from([1, 0, 0xab]) })).toBe(
      '{sa_family=AF_PACKET, sll_protocol=htons(ETH_P_IP), sll_ifindex=if_nametoindex("lo"), sll_hatype=ARPHRD_ETHER, ' +
        'sll_pkttype=PACKET_BROADCAST, sll_halen=3, sll_addr=[0x1, 00, 0xab]}',
    );
    expect(ll({ protocol: 0x4242, ifindex: 0x7ffffff0, hatype: 9999, pkttype: 9 })).toBe(
      '{sa_family=AF_PACKET, sll_protocol=htons(0x4242 /* ETH_P_??? */), sll_ifindex=2147483632, ' +
        'sll_hatype=0x270f /* ARPHRD_??? */, sll_pkttype=0x9 /* PACKET_??? */, sll_halen=0}',
    );
    const vm = (a: Partial<P.SockaddrVm>) => P.formatSockaddr({ family: P.AF_VSOCK!, cid: 0, port: 0, ...a });
    expect(vm({ cid: P.VMADDR_CID_LOCAL, port: P.VMADDR_PORT_ANY })).toBe(
      '{sa_family=AF_VSOCK, svm_cid=VMADDR_CID_LOCAL, svm_port=VMADDR_PORT_ANY, svm_flags=0}',
    );
    expect(vm({ cid: 77, port: 1234, flags: 0x80 })).toBe('{sa_family=AF_VSOCK, svm_cid=0x4d, svm_port=0x4d2, svm_flags=0x80 /* VMADDR_FLAG_??? */}');
    if (P.VMADDR_FLAG_TO_HOST !== undefined) {
      expect(vm({ flags: P.VMADDR_FLAG_TO_HOST | 2 })).toBe(
        '{sa_family=AF_VSOCK, svm_cid=VMADDR_CID_HYPERVISOR, svm_port=0, svm_flags=VMADDR_FLAG_TO_HOST|0x2}',
      );
    }
  });

  test('dup, dup2, dup3, sendfile, ioctl and sockatmark print as strace prints them', () => {
    const [a, b] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const [n1, n2] = s.socketpair(P.AF_UNIX, P.SOCK_STREAM);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-trace-sendfile-'));
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, 'abcdefghij');
    const f = fs.openSync(file, 'r');
    try {
      lines.length = 0;
      const d = s.adopt(P.dup(a));
      P.dup2(a, n1);
      P.dup2(n1, n1);
      expect(() => P.dup2(987654, n2)).toThrow();
      P.sendfileSync(a, f, 0, 5);
      P.sendfileSync(a, f, null, 3);
      P.sendfileSync(a, f, 2, 0);
      P.ioctl(b, P.FIONREAD);
      P.sockatmark(a);
      expect(lines).toEqual([
        `fcntl(${a}, F_DUPFD_CLOEXEC, 0) = ${d}`,
        `dup2(${a}, ${n1}) = ${n1}`,
        `dup2(${n1}, ${n1}) = ${n1}`,
        `dup2(987654, ${n2}) = -1 EBADF (Bad file descriptor)`,
        `sendfile(${a}, ${f}, [0] => [5], 5) = 5`,
        `sendfile(${a}, ${f}, NULL, 3) = 3`,
        `sendfile(${a}, ${f}, [2], 0) = 0`,
        `ioctl(${b}, FIONREAD, [8]) = 0`,
        `ioctl(${a}, SIOCATMARK, [0]) = 0`,
      ]);
      if (P.dup3 !== undefined) {
        lines.length = 0;
        P.dup3!(a, n2, P.O_CLOEXEC);
        expect(() => P.dup3!(a, a, 0)).toThrow();
        const outq = P.ioctl(a, P.SIOCOUTQ!);
        expect(lines).toEqual([
          `dup3(${a}, ${n2}, O_CLOEXEC) = ${n2}`,
          `dup3(${a}, ${a}, 0) = -1 EINVAL (Invalid argument)`,
          // strace names SIOCOUTQ by the tty request with its number.
          `ioctl(${a}, TIOCOUTQ, [${outq}]) = 0`,
        ]);
      }
    } finally {
      fs.closeSync(f);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('trace(false) stops it', () => {
    P.trace(false);
    s.socket(P.AF_INET, P.SOCK_DGRAM);
    expect(lines).toEqual([]);
    expect(P.tracing()).toBe(false);
  });
});

// ---- against the kernel, under strace ----

const haveStrace = (() => {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// strace's name for each of our calls (glibc implements send/recv with
// sendto/recvfrom; accept is accept4). close, fcntl and poll are not compared,
// nor the resolver (it runs on a threadpool thread).
const KERNEL_NAME: Record<string, string> = { send: 'sendto', recv: 'recvfrom', accept: 'accept4' };
const NETWORK = new Set(['socket', 'socketpair', 'bind', 'listen', 'accept4', 'connect', 'getsockname',
  'getpeername', 'setsockopt', 'getsockopt', 'shutdown', 'sendto', 'recvfrom']);

/** [name, fd-or-first-arg, result] for each network call in our trace. */
function fromTrace(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => /^(\w+)\((\w+).*\) = (-1 \w+|\d+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [KERNEL_NAME[m[1]] ?? m[1], m[2], m[3]])
    .filter(([name]) => NETWORK.has(name));
}

/** The same, from strace -f output, for the traced process's main thread. */
function fromStrace(text: string, pid: number): string[][] {
  return text
    .split('\n')
    .map((l) => /^(\d+) +(\w+)\((\w+).*\) +=  *(-1 \w+|\d+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) === pid)
    .map((m) => [m[2], m[3], m[4]])
    .filter(([name]) => NETWORK.has(name));
}

/**
 * The example as one plain JS file that loads the compiled package (dist/),
 * so node runs it alone: no TypeScript loader making calls of its own.
 */
async function compile(name: string, dir: string): Promise<string> {
  const outfile = path.join(dir, `${name}.js`);
  await esbuild.build({
    entryPoints: [path.join(root, 'examples', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    plugins: [
      {
        name: 'package-from-dist',
        setup(build) {
          build.onResolve({ filter: /^\.\.\/lib$/ }, () => ({ path: path.join(root, 'dist', 'index.js'), external: true }));
        },
      },
    ],
  });
  return outfile;
}

interface Traced {
  ours: string[][];
  kernel: string[][];
}

/**
 * Runs an example under strace with the trace on. `started` resolves once it
 * prints `ready`; `result` has both views of its network calls.
 */
function traced(name: string, args: string[], ready = /./): { started: Promise<unknown>; result: Promise<Traced> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-strace-'));
  const out = path.join(dir, 'strace.txt');
  const running = compile(name, dir).then((script) =>
    start('strace', ['-f', '-e', `trace=${[...NETWORK].join(',')}`, '-o', out, process.execPath, script, ...args], {
      POSIX_SOCKETS_TRACE: '1',
    }),
  );
  const result = running.then(async (r) => {
    try {
      const done = await r.done;
      expect(done.code).toBe(0);
      const st = fs.readFileSync(out, 'utf8');
      const pid = Number(/^(\d+) /.exec(st)![1]);
      const ours = fromTrace(done.stderr);
      // Node asks getsockopt about its stdio when it first writes the trace to
      // stderr: keep only the calls on the example's own sockets.
      const fds = new Set(ours.map(([, fd]) => fd));
      const kernel = fromStrace(st, pid).filter(([n, fd]) => n === 'socket' || n === 'socketpair' || fds.has(fd));
      return { ours, kernel };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  return { started: running.then((r) => r.waitFor(ready)), result };
}

(haveStrace && isLinux ? describe : describe.skip)('the trace matches strace', () => {
  jest.setTimeout(60000);

  test('client2 and server2', async () => {
    const port = String(unusedPort());
    const server = traced('server2', [port], /Waiting/);
    await server.started;
    const client = await traced('client2', ['localhost', port]).result;
    const srv = await server.result;
    for (const side of [client, srv]) {
      expect(side.ours.length).toBeGreaterThanOrEqual(4);
      expect(side.ours).toEqual(side.kernel);
    }
    expect(client.ours.map((c) => c[0])).toEqual(['socket', 'connect', 'recvfrom', 'sendto']);
    expect(srv.ours.map((c) => c[0])).toEqual(['socket', 'setsockopt', 'bind', 'listen', 'accept4', 'sendto', 'recvfrom']);
  });

  test('a UDP exchange (udp-listener and udp-talker)', async () => {
    const port = String(unusedPort());
    const listener = traced('udp-listener', [port], /waiting to recvfrom/);
    await listener.started;
    const talker = await traced('udp-talker', ['localhost', 'hi', port]).result;
    const lst = await listener.result;
    expect(talker.ours).toEqual(talker.kernel);
    expect(lst.ours).toEqual(lst.kernel);
    expect(talker.ours.map((c) => c[0])).toEqual(['socket', 'sendto']);
    expect(lst.ours.map((c) => c[0])).toEqual(['socket', 'bind', 'recvfrom']);
  });

  test('the promise calls of unix-echo, EAGAIN retries included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-ue-'));
    try {
      const r = await traced('unix-echo', [path.join(dir, 's.sock'), 'traced']).result;
      expect(r.ours).toEqual(r.kernel);
      expect(r.ours.some(([, , ret]) => ret === '-1 EAGAIN')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  test('dup, dup2, dup3, sendfile, ioctl and sockatmark: the same lines as strace, word for word', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-strace-fd-'));
    try {
      const file = path.join(dir, 'data');
      fs.writeFileSync(file, 'abcdefghij');
      const script = path.join(dir, 'fdcalls.js');
      fs.writeFileSync(
        script,
        `const P = require(${JSON.stringify(path.join(root, 'dist', 'index.js'))});
         const fs = require('node:fs');
         const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
         const [n1, n2] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
         P.dup(a);
         P.dup2(a, n1);
         P.dup2(n1, n1);
         try { P.dup2(987654, n2); } catch {}
         P.dup3(a, n2, P.O_CLOEXEC);
         try { P.dup3(a, a, 0); } catch {}
         const f = fs.openSync(${JSON.stringify(file)}, 'r');
         P.sendfileSync(a, f, 0, 5);
         P.sendfileSync(a, f, null, 3);
         P.sendfileSync(a, f, 2, 0);
         try { P.sendfileSync(a, 987654, null, 3); } catch {}
         P.ioctl(b, P.FIONREAD);
         P.ioctl(a, P.SIOCOUTQ);
         P.sockatmark(a);
        `,
      );
      const out = path.join(dir, 'strace.txt');
      const r = await start('strace', ['-f', '-e', 'trace=fcntl,dup2,dup3,sendfile,ioctl', '-o', out, process.execPath, script], {
        POSIX_SOCKETS_TRACE: '1',
      }).done;
      // Nothing but trace lines: a failing script shows its error here.
      expect(r.stderr.split('\n').filter((l) => l !== '' && !/ = /.test(l))).toEqual([]);
      expect(r.code).toBe(0);
      const calls = /^(fcntl\(\d+, F_DUPFD_CLOEXEC|dup2\(|dup3\(|sendfile\(|ioctl\()/;
      const ours = r.stderr.split('\n').filter((l) => calls.test(l));
      const st = fs.readFileSync(out, 'utf8');
      const pid = /^(\d+) /.exec(st)![1];
      // strace pads the result into a column; node's own calls (its stdio's
      // ioctl and fcntl) are on other fds or requests: keep those whose call
      // and first two arguments one of ours has.
      const key = (l: string) => /^\w+\(\d+, [^,)]+/.exec(l)?.[0];
      const keys = new Set(ours.map(key));
      const kernel = st
        .split('\n')
        .filter((l) => l.startsWith(pid + ' '))
        // strace pads the pid to five columns: "1337  fcntl(...".
        .map((l) => l.replace(/^\d+ +/, '').replace(/\) +=  *(-?\d)/, ') = $1'))
        .filter((l) => calls.test(l) && keys.has(key(l)));
      expect(ours.length).toBe(13);
      expect(ours).toEqual(kernel);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The address in each bind/sendto/getsockname line, ours and strace's, of a
 * short script run under strace with the trace on: strace prints a netlink,
 * packet or vsock address as the struct it is, and so must we, byte for byte.
 */
(haveStrace && isLinux ? describe : describe.skip)('the Linux families print as strace prints them', () => {
  jest.setTimeout(60000);

  function addresses(script: string): { ours: string[]; kernel: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-strace-fam-'));
    try {
      const out = path.join(dir, 'strace.txt');
      const file = path.join(dir, 'script.js');
      fs.writeFileSync(file, `const P = require(${JSON.stringify(path.join(root, 'dist'))});\n${script}`);
      const r = spawnSync('strace', ['-o', out, '-e', 'trace=bind,sendto,getsockname', process.execPath, file], {
        encoding: 'utf8',
        env: { ...process.env, POSIX_SOCKETS_TRACE: '1' },
      });
      expect(r.status).toBe(0);
      const pick = (text: string) =>
        text
          .split('\n')
          // Node asks getsockname about its stdio: only the calls with one of these families.
          .filter((l) => /^(bind|sendto|getsockname)\(.*\{sa_family=AF_(NETLINK|PACKET|VSOCK), /.test(l))
          .map((l) => `${l.slice(0, l.indexOf('('))} ${/\{sa_family=AF_(NETLINK|PACKET|VSOCK), [^}]*\}/.exec(l)![0]}`);
      return { ours: pick(r.stderr), kernel: pick(fs.readFileSync(out, 'utf8')) };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('a netlink bind (groups), the kernel-assigned port id from getsockname, a sendto to the kernel', () => {
    const { ours, kernel } = addresses(`
      const fd = P.socket(P.AF_NETLINK, P.SOCK_RAW, P.NETLINK_ROUTE);
      P.bind(fd, { family: P.AF_NETLINK, pid: 0, groups: P.RTMGRP_LINK | P.RTMGRP_IPV6_ROUTE });
      P.getsockname(fd);
      P.sendtoSync(fd, 'x', 0, { family: P.AF_NETLINK, pid: 0, groups: 0 });
      P.close(fd);`);
    expect(ours.length).toBe(3);
    expect(ours[0]).toBe('bind {sa_family=AF_NETLINK, nl_pid=0, nl_groups=0x000401}');
    expect(ours).toEqual(kernel);
  });

  (isRoot ? test : test.skip)('a packet socket bound to lo, and a sendto with a hardware address (root)', () => {
    const { ours, kernel } = addresses(`
      const fd = P.socket(P.AF_PACKET, P.SOCK_DGRAM, 0);
      const lo = P.if_nametoindex('lo');
      P.bind(fd, { family: P.AF_PACKET, protocol: P.ETH_P_802_EX1, ifindex: lo });
      P.sendtoSync(fd, 'x', 0, { family: P.AF_PACKET, protocol: P.ETH_P_802_EX1, ifindex: lo, hatype: P.ARPHRD_LOOPBACK, addr: Buffer.alloc(6) });
      P.close(fd);`);
    expect(ours.length).toBe(2);
    expect(ours).toEqual(kernel);
  });
});
