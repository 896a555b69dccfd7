// Interop with CPython's socket module, the reference for sendmsg/recvmsg
// and send_fds/recv_fds: a python3 child at the other end of a named unix
// socket (fds, gathered buffers) or of a UDP exchange on 127.0.0.1 (IP
// control messages), in both directions. Each side proves it got the right
// file by reading through the fd it received.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';
import { preadAll, useFiles } from './helpers/fds';
import { peerReport, python, pythonPeer } from './helpers/peers';
import { isLinux, useSockets } from './helpers/sockets';

const s = useSockets();
const files = useFiles();
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-interop-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

if (!python.ok) {
  // Straight to stderr: jest drops the console output of a file whose tests were all skipped.
  process.stderr.write(`skipped the CPython interop tests: ${python.reason}\n`);
}
const withPython = python.ok ? describe : describe.skip;
const suffix = python.ok ? '' : ` [skipped: ${python.reason}]`;

/** A listening AF_UNIX socket of `type` at a path in the test's temp dir. */
function unixListener(type: number): { fd: number; path: string } {
  const p = path.join(dir, 'node.sock');
  const fd = s.socket(P.AF_UNIX, type);
  P.bind(fd, { family: P.AF_UNIX, path: p });
  P.listen(fd, 1);
  return { fd, path: p };
}

withPython(`SCM_RIGHTS with CPython over a named unix socket${suffix}`, () => {
  test('socket.send_fds → recvFds: the fd reads the file Python opened (and unlinked)', async () => {
    const l = unixListener(P.SOCK_STREAM);
    const filePath = path.join(dir, 'python.txt');
    const accepted = P.accept(l.fd);
    const peer = pythonPeer(
      `
      c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
      c.settimeout(TIMEOUT)
      c.connect(A['path'])
      with open(A['file'], 'w') as f:
          f.write('written by python %d' % os.getpid())
      fd = os.open(A['file'], os.O_RDONLY)
      os.unlink(A['file'])
      report({'sent': socket.send_fds(c, [b'from python'], [fd])})
      os.close(fd)
      c.close()
      `,
      { path: l.path, file: filePath },
    );
    const conn = s.adopt((await accepted).fd);
    const got = await P.recvFds(conn, 100, 4);
    for (const fd of got.fds) s.adopt(fd);
    expect(await peerReport(peer)).toEqual({ sent: 11 });
    expect(got.data.toString()).toBe('from python');
    expect(got.fds).toHaveLength(1);
    expect(got.flags & P.MSG_CTRUNC).toBe(0);
    expect(fs.existsSync(filePath)).toBe(false);
    expect(preadAll(got.fds[0])).toBe(`written by python ${peer.proc.pid}`);
  });

  test('sendFds → socket.recv_fds: Python reads the file through the fd it received', async () => {
    const l = unixListener(P.SOCK_STREAM);
    const accepted = P.accept(l.fd);
    const peer = pythonPeer(
      `
      c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
      c.settimeout(TIMEOUT)
      c.connect(A['path'])
      msg, fds, flags, addr = socket.recv_fds(c, 100, 4)
      report({
          'msg': msg.decode(),
          'count': len(fds),
          'content': os.pread(fds[0], 100, 0).decode(),
          'ctrunc': bool(flags & socket.MSG_CTRUNC),
      })
      `,
      { path: l.path },
    );
    const conn = s.adopt((await accepted).fd);
    const file = files.file(dir, 'node.txt', `written by node ${process.pid}`);
    fs.unlinkSync(file.path);
    expect(await P.sendFds(conn, 'from node', [file.fd])).toBe(9);
    expect(await peerReport(peer)).toEqual({
      msg: 'from node',
      count: 1,
      content: `written by node ${process.pid}`,
      ctrunc: false,
    });
  });

  test("sock.sendmsg([b'a', b'b', b'c'], [(SOL_SOCKET, SCM_RIGHTS, array('i', [fd]))]) → recvmsg: one message 'abc' and the fd", async () => {
    const l = unixListener(P.SOCK_SEQPACKET);
    const file = files.file(dir, 'python-reads-this.txt', 'shared through sendmsg');
    const accepted = P.accept(l.fd);
    const peer = pythonPeer(
      `
      c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
      c.settimeout(TIMEOUT)
      c.connect(A['path'])
      fd = os.open(A['file'], os.O_RDONLY)
      n = c.sendmsg([b'a', b'b', b'c'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [fd]))])
      os.close(fd)
      report({'sent': n})
      `,
      { path: l.path, file: file.path },
    );
    const conn = s.adopt((await accepted).fd);
    const got = await P.recvmsg(conn, 100, P.CMSG_SPACE(4));
    expect(await peerReport(peer)).toEqual({ sent: 3 });
    expect(got.data.toString()).toBe('abc');
    expect(got.flags & (P.MSG_CTRUNC | P.MSG_TRUNC)).toBe(0);
    expect(got.control).toHaveLength(1);
    const c = got.control[0];
    expect(c).toMatchObject({ level: P.SOL_SOCKET, type: P.SCM_RIGHTS, name: 'SCM_RIGHTS' });
    const [fd] = (c as P.CmsgRights).fds;
    s.adopt(fd);
    expect((c as P.CmsgRights).fds).toHaveLength(1);
    expect(c.data).toEqual(Buffer.from(Int32Array.of(fd).buffer));
    expect(preadAll(fd)).toBe('shared through sendmsg');
  });

  test("sendmsg with a three-entry iov and SCM_RIGHTS → sock.recvmsg: 'abc' and the fd in its ancillary data", async () => {
    const l = unixListener(P.SOCK_SEQPACKET);
    const accepted = P.accept(l.fd);
    const peer = pythonPeer(
      `
      c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
      c.settimeout(TIMEOUT)
      c.connect(A['path'])
      msg, anc, flags, addr = c.recvmsg(100, socket.CMSG_SPACE(4))
      out = {'msg': msg.decode(), 'flags': flags & (socket.MSG_CTRUNC | socket.MSG_TRUNC), 'anc': []}
      for level, type, data in anc:
          fds = array.array('i')
          fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
          out['anc'].append({'level': level, 'type': type, 'length': len(data),
                             'content': [os.pread(fd, 100, 0).decode() for fd in fds]})
      report(out)
      `,
      { path: l.path },
    );
    const conn = s.adopt((await accepted).fd);
    const file = files.file(dir, 'node.txt', 'gathered and passed');
    const n = await P.sendmsg(conn, {
      iov: [Buffer.from('a'), 'b', Uint8Array.of(0x63)],
      control: [{ level: P.SOL_SOCKET, type: P.SCM_RIGHTS, fds: [file.fd] }],
    });
    expect(n).toBe(3);
    expect(await peerReport(peer)).toEqual({
      msg: 'abc',
      flags: 0,
      anc: [{ level: P.SOL_SOCKET, type: P.SCM_RIGHTS, length: 4, content: ['gathered and passed'] }],
    });
  });
});

(python.ok && isLinux ? describe : describe.skip)(
  `IP control messages with CPython over UDP on 127.0.0.1 (Linux's IP_PKTINFO and IP_RECVTTL)${suffix}`,
  () => {
    test('Python sendmsg → recvmsg with IP_PKTINFO on: the sender, and the arrival interface and address decoded', async () => {
      const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
      P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
      P.setsockopt(fd, P.IPPROTO_IP, P.IP_PKTINFO, 1);
      const port = (P.getsockname(fd) as P.SockaddrIn).port;
      const peer = pythonPeer(
        `
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(TIMEOUT)
        u.bind(('127.0.0.1', 0))
        n = u.sendmsg([b'pkt', b'info'], [], 0, ('127.0.0.1', A['port']))
        report({'sent': n, 'port': u.getsockname()[1]})
        `,
        { port },
      );
      const got = await P.recvmsg(fd, 100, P.CMSG_SPACE(12));
      const sender = await peerReport(peer);
      expect(sender.sent).toBe(7);
      expect(got.data.toString()).toBe('pktinfo');
      expect(got.address).toEqual({ family: P.AF_INET, address: '127.0.0.1', port: sender.port });
      expect(got.flags & P.MSG_CTRUNC).toBe(0);
      expect(got.control).toEqual([
        {
          level: P.IPPROTO_IP,
          type: P.IP_PKTINFO,
          name: 'IP_PKTINFO',
          data: expect.any(Buffer),
          ifindex: P.if_nametoindex('lo'),
          specDst: '127.0.0.1',
          addr: '127.0.0.1',
        },
      ]);
    });

    test('sendmsg with a typed IP_TTL control message {value: 9} → Python recvmsg with IP_RECVTTL sees ttl 9 (and the default without it)', async () => {
      const peer = pythonPeer(
        `
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(TIMEOUT)
        u.bind(('127.0.0.1', 0))
        u.setsockopt(socket.IPPROTO_IP, A['IP_RECVTTL'], 1)
        print('ready %d' % u.getsockname()[1], flush=True)
        got = []
        for _ in range(2):
            msg, anc, flags, addr = u.recvmsg(100, socket.CMSG_SPACE(4))
            ttls = [int.from_bytes(d[:4], sys.byteorder) for level, type, d in anc
                    if level == socket.IPPROTO_IP and type == A['IP_TTL']]
            got.append({'msg': msg.decode(), 'ttls': ttls, 'ctrunc': bool(flags & socket.MSG_CTRUNC)})
        report(got)
        `,
        { IP_RECVTTL: P.IP_RECVTTL, IP_TTL: P.IP_TTL },
      );
      const port = Number(/ready (\d+)/.exec(await peer.waitFor(/ready \d+\n/))![1]);
      const fd = s.socket(P.AF_INET, P.SOCK_DGRAM);
      const name = { family: P.AF_INET, address: '127.0.0.1', port };
      expect(await P.sendmsg(fd, { iov: ['ttl ', 'nine'], name, control: [{ level: P.IPPROTO_IP, type: P.IP_TTL, value: 9 }] })).toBe(8);
      expect(await P.sendmsg(fd, { iov: ['default'], name })).toBe(7);
      // The second datagram carries the socket's own TTL: 9 came from the control message alone.
      const socketTtl = P.getsockopt(fd, P.IPPROTO_IP, P.IP_TTL);
      expect(socketTtl).not.toBe(9);
      expect(await peerReport(peer)).toEqual([
        { msg: 'ttl nine', ttls: [9], ctrunc: false },
        { msg: 'default', ttls: [socketTtl], ctrunc: false },
      ]);
    });
  },
);
