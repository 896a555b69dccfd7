// Every example runs, and prints what the course programs print. Each test
// uses a port that is free at the time, so tests can run side by side.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';
import { example, root, start } from './helpers/processes';
import { isLinux, isRoot, unusedPort, useSockets } from './helpers/sockets';

const s = useSockets();

describe('server1 / client1', () => {
  test('the client prints "Connect returned 0" and the server accepts it', async () => {
    const port = String(unusedPort());
    const server = example('server1', [port]);
    await server.waitFor(/Waiting for a connection on port \d+\n/);
    const client = await example('client1', ['localhost', port]).done;
    expect(client.stdout).toBe('Connect returned 0\n');
    const done = await server.done;
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^Waiting for a connection on port \d+\nAccepted a connection from \{AF_INET, 127\.0\.0\.1:\d+\}\n$/);
  });

  test('with no server the client shows what the kernel said', async () => {
    const client = await example('client1', ['localhost', String(unusedPort())]).done;
    expect(client.code).toBe(1);
    expect(client.stdout).toBe('Connect returned -1\n');
    expect(client.stderr).toBe('connect: Connection refused\n');
  });
});

test('server2 / client2: hello\\r\\n one way, 0123456789 the other', async () => {
  const port = String(unusedPort());
  const server = example('server2', [port]);
  await server.waitFor(/Waiting/);
  const client = await example('client2', ['localhost', port]).done;
  expect(client.stdout).toBe('I read hello\r\n');
  const done = await server.done;
  expect(done.stdout).toBe(`Waiting for a connection on port ${port}\nI read 012345678\n`);
});

describe('interop with the C programs', () => {
  let dir: string;
  let cServer: string;
  let cClient: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-c-'));
    cServer = path.join(dir, 'server');
    cClient = path.join(dir, 'client');
    execFileSync('cc', ['-Wall', '-o', cServer, path.join(root, 'examples', 'c', 'server.c')]);
    execFileSync('cc', ['-Wall', '-o', cClient, path.join(root, 'examples', 'c', 'client.c')]);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  type Side = 'c' | 'ts';
  async function exchange(serverSide: Side, clientSide: Side): Promise<[string, string]> {
    const port = String(unusedPort());
    const server = serverSide === 'c' ? start(cServer, [port]) : example('server2', [port]);
    await server.waitFor(/Waiting/);
    const client = clientSide === 'c' ? start(cClient, ['localhost', port]) : example('client2', ['localhost', port]);
    const [c, sv] = await Promise.all([client.done, server.done]);
    expect(c.code).toBe(0);
    expect(sv.code).toBe(0);
    return [sv.stdout, c.stdout];
  }

  test('C server ↔ C client, TS client → C server, C client → TS server: the same bytes', async () => {
    const reference = await exchange('c', 'c');
    expect(reference[1]).toBe('I read hello\r\n');
    expect(reference[0]).toMatch(/I read 012345678\n$/);
    for (const [sv, cl] of [
      ['c', 'ts'],
      ['ts', 'c'],
    ] as [Side, Side][]) {
      const got = await exchange(sv, cl);
      // Server output names its port, which differs per run.
      expect(got[0].replace(/port \d+/, 'port N')).toBe(reference[0].replace(/port \d+/, 'port N'));
      expect(got[1]).toBe(reference[1]);
    }
  });
});

test('showip lists every address getaddrinfo gives', async () => {
  const list = await P.getaddrinfo('localhost', null, { socktype: P.SOCK_STREAM });
  const expected =
    'IP addresses for localhost:\n\n' +
    list.map((ai) => `  ${ai.family === P.AF_INET ? 'IPv4' : 'IPv6'}: ${(ai.address as P.SockaddrIn).address}\n`).join('');
  const out = await example('showip', ['localhost']).done;
  expect(out.stdout).toBe(expected);
});

test('fork-server hands each client to its own child process', async () => {
  const port = unusedPort();
  const server = example('fork-server', [String(port), '--max', '2']);
  await server.waitFor(/Waiting/);
  for (let i = 0; i < 2; i++) {
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    await P.connect(fd, { family: P.AF_INET, address: '127.0.0.1', port });
    expect((await P.recv(fd, 100)).toString()).toBe('hello\r\n');
    await P.send(fd, '0123456789');
    expect((await P.recv(fd, 100)).length).toBe(0); // the child closed it and exited
    s.close(fd);
  }
  const done = await server.done;
  expect(done.code).toBe(0);
  const pids = [...done.stdout.matchAll(/child (\d+): I read 0123456789/g)].map((m) => m[1]);
  expect(pids.length).toBe(2);
  expect(new Set(pids).size).toBe(2);
});

test('handoff: three generations serve on one listening socket, handed over with SCM_RIGHTS', async () => {
  const port = unusedPort();
  const server = example('handoff', [String(port), '--generations', '3']);
  await server.waitFor(/listening on/);
  const pids = new Set<string>();
  for (let g = 1; g <= 3; g++) {
    // Never refused: the port stays bound and listening across each handoff.
    const fd = s.socket(P.AF_INET, P.SOCK_STREAM);
    await P.connect(fd, { family: P.AF_INET, address: '127.0.0.1', port });
    let line = '';
    for (let chunk = await P.recv(fd, 100); chunk.length > 0; chunk = await P.recv(fd, 100)) line += chunk.toString();
    const m = /^served by generation (\d) \(pid (\d+)\)\n$/.exec(line);
    expect(m && m[1]).toBe(String(g));
    pids.add(m![2]);
    s.close(fd);
  }
  expect(pids.size).toBe(3);
  const done = await server.done;
  expect(done.code).toBe(0);
  expect(done.stdout).toMatch(/generation 2 \(pid \d+\): got the listening socket as fd \d+, \{AF_INET, 127\.0\.0\.1:\d+\}/);
  expect(done.stdout).toMatch(/generation 2: handed the listening socket to pid \d+/);
});

test('select-server relays a line from one client to the other', async () => {
  const port = unusedPort();
  const server = example('select-server', [String(port), '--max-clients', '2']);
  await server.waitFor(/Waiting/);
  const a = s.socket(P.AF_INET, P.SOCK_STREAM);
  const b = s.socket(P.AF_INET, P.SOCK_STREAM);
  await P.connect(a, { family: P.AF_INET, address: '127.0.0.1', port });
  await server.waitFor(/new connection.*\n/);
  await P.connect(b, { family: P.AF_INET, address: '127.0.0.1', port });
  await server.waitFor(/new connection[^]*new connection.*\n/);
  await P.send(a, 'hi there\n');
  expect((await P.recv(b, 100)).toString()).toBe('hi there\n');
  await P.send(b, 'hello back\n');
  expect((await P.recv(a, 100)).toString()).toBe('hello back\n');
  s.close(a);
  s.close(b);
  const done = await server.done;
  expect(done.code).toBe(0);
  expect(done.stdout).toContain('says: hi there\n');
  expect(done.stdout.match(/closed the connection/g)?.length).toBe(2);
});

test('udp-talker → udp-listener', async () => {
  const port = String(unusedPort());
  const listener = example('udp-listener', [port]);
  await listener.waitFor(/waiting to recvfrom/);
  const talker = await example('udp-talker', ['localhost', 'hello, datagram', port]).done;
  expect(talker.stdout).toBe('talker: sent 15 bytes to localhost\n');
  const done = await listener.done;
  expect(done.stdout).toBe(
    'listener: waiting to recvfrom...\n' +
      'listener: got packet from 127.0.0.1\n' +
      'listener: packet is 15 bytes long\n' +
      'listener: packet contains "hello, datagram"\n',
  );
});

test('unix-echo echoes over a path and removes the socket file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-ue-'));
  const sock = path.join(dir, 'echo.sock');
  try {
    const out = await example('unix-echo', [sock, 'ping over unix']).done;
    expect(out.stdout).toBe(`server: listening on ${sock}\nclient: echoed "ping over unix"\n`);
    expect(fs.existsSync(sock)).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('unix-echo pointed at an existing file fails with EADDRINUSE and leaves the file as it was', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-ue-'));
  try {
    // A regular file of the user's, and a socket file someone else bound and left behind.
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'keep me\n');
    const stale = path.join(dir, 'stale.sock');
    const fd = s.socket(P.AF_UNIX, P.SOCK_STREAM);
    P.bind(fd, { family: P.AF_UNIX, path: stale });
    s.close(fd);
    for (const target of [file, stale]) {
      const before = fs.lstatSync(target);
      const out = await example('unix-echo', [target]).done;
      expect(out.code).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toBe(`bind: Address already in use (EADDRINUSE) ${target}\n`);
      const after = fs.lstatSync(target);
      expect([after.ino, after.dev, after.isSocket()]).toEqual([before.ino, before.dev, before.isSocket()]);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('echo: the README\'s program is examples/echo.ts, and it echoes', async () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /## An echo server and client\n\n```ts\n([^]*?)```/.exec(readme)?.[1];
  const file = fs.readFileSync(path.join(root, 'examples', 'echo.ts'), 'utf8');
  // The file without its opening comment, importing from the package by name.
  const program = file.replace(/^(\/\/.*\n)+/, '').replace("from '../lib';", "from 'posix-sockets';");
  expect(block).toBe(program);
  const out = await example('echo').done;
  expect(out.code).toBe(0);
  expect(out.stdout).toMatch(/^server: accepted \{ family: 2, address: '127\.0\.0\.1', port: \d+ \}\nclient: echoed "hello, kernel\\n"\n$/);
});

test('ephemeral-port prints the port the kernel chose', async () => {
  const out = await example('ephemeral-port').done;
  const port = Number(/^bound to port (\d+)$/m.exec(out.stdout)?.[1]);
  expect(port).toBeGreaterThan(0);
  expect(port).toBeLessThan(65536);
});

(isLinux && isRoot ? test : test.skip)('handshake-sniff (root): SYN, SYN-ACK, ACK on lo, each acknowledging the other side’s sequence number + 1', async () => {
  const out = await example('handshake-sniff').done;
  expect(out.code).toBe(0);
  const lines = out.stdout.trim().split('\n');
  const port = Number(/^watching lo for a connection to 127\.0\.0\.1:(\d+)$/.exec(lines[0])?.[1]);
  const segment = /^(\S+) +127\.0\.0\.1:(\d+) > 127\.0\.0\.1:(\d+) seq=(\d+)(?: ack=(\d+))?$/;
  const [syn, synAck, ack] = lines.slice(1).map((l) => segment.exec(l)!);
  expect([syn[1], synAck[1], ack[1]]).toEqual(['SYN', 'SYN-ACK', 'ACK']);
  const client = Number(syn[2]);
  expect([syn[3], synAck[2], synAck[3], ack[2], ack[3]].map(Number)).toEqual([port, port, client, client, port]);
  const plus1 = (n: string) => String((Number(n) + 1) % 2 ** 32);
  expect(synAck[5]).toBe(plus1(syn[4]));
  expect([ack[4], ack[5]]).toEqual([plus1(syn[4]), plus1(synAck[4])]);
});

test('npm run example -- <name> runs an example by name', async () => {
  const out = await start('npm', ['run', '--silent', 'example', '--', 'ephemeral-port'], {}).done;
  expect(out.code).toBe(0);
  expect(out.stdout).toMatch(/^bound to port \d+\n/);
});

test('npm start: the guided tour runs offline and shows each classic answer', async () => {
  const out = await start('npm', ['start', '--silent'], {}).done;
  expect(out.code).toBe(0);
  expect(out.stdout).toContain('client: I read "hello\\r\\n"');
  expect(out.stdout).toContain('server: I read "0123456789"');
  expect(out.stdout).toContain('recv returned 0 bytes');
  expect(out.stdout.match(/connect: Connection refused \(ECONNREFUSED\) 127\.0\.0\.1:\d+/g)?.length).toBe(2);
  expect(out.stdout).toMatch(/bind: Address already in use \(EADDRINUSE\)/);
  expect(out.stdout).toContain('recvfrom with room for 8 bytes got "a twenty"');
  expect(out.stdout).toContain('recv: Resource temporarily unavailable (EAGAIN)');
  if (process.platform === 'linux') {
    // A connection's life through TCP_INFO.
    expect(out.stdout).toContain('listener: TCP_LISTEN');
    expect(out.stdout).toContain('client after connect(): TCP_ESTABLISHED');
    expect(out.stdout).toContain('a second client, while the queue is full: TCP_SYN_SENT');
    expect(out.stdout).toContain('client after shutdown(SHUT_WR): TCP_FIN_WAIT2; server: TCP_CLOSE_WAIT');
    expect(out.stdout).toContain('server after its own shutdown: TCP_CLOSE; client: TCP_CLOSE');
    expect(out.stdout).toMatch(/getsockopt\(\d+, IPPROTO_TCP, TCP_INFO, \{tcpi_state=TCP_ESTABLISHED, /);
    // The handshake through a packet socket, as root; a line saying why not otherwise.
    if (isRoot) {
      expect(out.stdout).toMatch(/\n {2}SYN {6}127\.0\.0\.1:\d+ > 127\.0\.0\.1:\d+ seq=\d+\n {2}SYN-ACK {2}127\.0\.0\.1:\d+ > 127\.0\.0\.1:\d+ seq=\d+ ack=\d+\n {2}ACK {6}/);
    } else {
      expect(out.stdout).toContain('skipped: a packet socket needs CAP_NET_RAW');
    }
  }
  // The system calls are shown as they happen.
  expect(out.stdout).toMatch(/socket\(AF_INET, SOCK_STREAM(\|SOCK_CLOEXEC)?, 0\) = \d+/);
});
