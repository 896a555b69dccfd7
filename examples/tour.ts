// The guided tour (npm start): the classic exchange on loopback with every
// system call shown as it happens, then the classic failures, each with the
// kernel's real answer and a line on why. Offline, a few seconds, exits 0.
import * as P from '../lib';
import { describeSegment, handshakeOnLoopback, openLoopbackSniffer } from './handshake-sniff';

const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

P.trace(true, (line) => console.log(dim('    ' + line)));

function step(title: string): void {
  console.log(`\n${bold(title)}`);
}

function explain(text: string): void {
  console.log(`  → ${text}`);
}

const open: number[] = [];
function sock(domain: number, type: number): number {
  const fd = P.socket(domain, type);
  open.push(fd);
  return fd;
}

async function expectError(what: () => unknown | Promise<unknown>): Promise<P.SocketError> {
  try {
    await what();
  } catch (e) {
    if (e instanceof P.SocketError) return e;
    throw e;
  }
  throw new Error('the call was expected to fail but succeeded');
}

async function exchange(): Promise<void> {
  step('1. The classic exchange: server2 and client2 in one process');
  const server = sock(P.AF_INET, P.SOCK_STREAM);
  P.bind(server, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const address = P.getsockname(server);
  P.listen(server, 5);
  const accepted = P.accept(server);
  const [ai] = await P.getaddrinfo('localhost', String((address as P.SockaddrIn).port), {
    family: P.AF_INET,
    socktype: P.SOCK_STREAM,
  });
  const client = sock(ai.family, ai.socktype);
  await P.connect(client, ai.address);
  const { fd } = await accepted;
  open.push(fd);
  await P.send(fd, 'hello\r\n');
  console.log(`  client: I read ${JSON.stringify((await P.recv(client, 127)).toString())}`);
  await P.send(client, '0123456789');
  console.log(`  server: I read ${JSON.stringify((await P.recv(fd, 10)).toString())}`);
  explain('port 0 let the kernel choose a free port; getsockname() said which one.');
  explain('the promise calls tried first and waited only on EAGAIN, never blocking the event loop.');

  step('2. Reading after the peer closed → 0 bytes');
  P.close(fd);
  const eof = await P.recv(client, 100);
  console.log(`  recv returned ${eof.length} bytes`);
  explain('0 bytes is end-of-file: the other side closed. It is not an error, and not "no data yet".');
}

async function failures(): Promise<void> {
  step('3. connect() with nobody listening → ECONNREFUSED');
  const spare = sock(P.AF_INET, P.SOCK_STREAM);
  P.bind(spare, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const idle = P.getsockname(spare) as P.SockaddrIn;
  P.close(spare);
  open.splice(open.indexOf(spare), 1);
  let err = await expectError(() => P.connect(sock(P.AF_INET, P.SOCK_STREAM), idle));
  console.log(`  ${err.message}`);
  explain('no socket listens on that port, so the kernel answers the SYN with a RST.');

  step('4. connect() after bind() but before listen() → ECONNREFUSED');
  const bound = sock(P.AF_INET, P.SOCK_STREAM);
  P.bind(bound, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  err = await expectError(() => P.connect(sock(P.AF_INET, P.SOCK_STREAM), P.getsockname(bound)));
  console.log(`  ${err.message}`);
  explain('bind() only names the socket; until listen() the kernel refuses connections to it.');

  step('5. A second bind() to the same address → EADDRINUSE');
  const first = sock(P.AF_INET, P.SOCK_STREAM);
  P.bind(first, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  P.listen(first, 5);
  const taken = P.getsockname(first);
  err = await expectError(() => P.bind(sock(P.AF_INET, P.SOCK_STREAM), taken));
  console.log(`  ${err.message}`);
  explain('one address, one socket — unless both sockets opt in:');
  const a = sock(P.AF_INET, P.SOCK_STREAM);
  P.setsockopt(a, P.SOL_SOCKET, P.SO_REUSEPORT, 1);
  P.bind(a, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  P.listen(a, 5);
  const b = sock(P.AF_INET, P.SOCK_STREAM);
  P.setsockopt(b, P.SOL_SOCKET, P.SO_REUSEPORT, 1);
  P.bind(b, P.getsockname(a));
  P.listen(b, 5);
  explain('with SO_REUSEPORT on both, the second bind succeeds and the kernel spreads connections over them.');
  explain('SO_REUSEADDR is the everyday one: it lets a restarted server bind while old connections sit in TIME_WAIT.');

  step('6. A datagram bigger than the buffer → truncated');
  const rx = sock(P.AF_INET, P.SOCK_DGRAM);
  P.bind(rx, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const tx = sock(P.AF_INET, P.SOCK_DGRAM);
  await P.sendto(tx, 'a twenty-byte packet', 0, P.getsockname(rx));
  const { data } = await P.recvfrom(rx, 8);
  console.log(`  recvfrom with room for 8 bytes got ${JSON.stringify(data.toString())}`);
  explain('UDP keeps message boundaries: one recvfrom, one datagram; what does not fit is discarded.');

  step('7. Nothing to read, and the call may not wait (MSG_DONTWAIT) → EAGAIN');
  const [x, y] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  open.push(x, y);
  err = await expectError(() => P.recvSync(x, 10, P.MSG_DONTWAIT));
  console.log(`  ${err.message}`);
  explain('"try again later": the call would have blocked. poll() tells you when to retry.');
}

/** TCP_INFO's state of a socket, by name (Linux). */
function tcpState(fd: number): string {
  const info = P.getsockopt(fd, P.sockopt.TCP_INFO!);
  return P.tcpStateName(info.state) ?? String(info.state);
}

/** The state once it has left `passing` (a transition that waits on a packet); bounded at 2 s. */
async function settled(fd: number, passing: string): Promise<string> {
  for (let i = 0; i < 200 && tcpState(fd) === passing; i++) await new Promise((r) => setTimeout(r, 10));
  return tcpState(fd);
}

async function connectionLife(): Promise<void> {
  step("8. A connection's life, as the kernel's TCP_INFO reports it");
  if (P.sockopt.TCP_INFO === undefined) {
    explain('skipped: TCP_INFO is Linux only (macOS has TCP_CONNECTION_INFO, not typed here).');
    return;
  }
  // A backlog of 0 holds one connection waiting for accept(); a SYN beyond it is dropped.
  const server = sock(P.AF_INET, P.SOCK_STREAM);
  P.bind(server, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  P.listen(server, 0);
  const address = P.getsockname(server);
  console.log(`  listener: ${tcpState(server)}`);
  const client = sock(P.AF_INET, P.SOCK_STREAM);
  await P.connect(client, address);
  console.log(`  client after connect(): ${tcpState(client)}`);
  const late = sock(P.AF_INET, P.SOCK_STREAM);
  P.setNonBlocking(late);
  await expectError(() => P.connectSync(late, address));
  console.log(`  a second client, while the queue is full: ${tcpState(late)}`);
  explain('SYN_SENT: its SYN was dropped (the accept queue is full), so it waits for a SYN-ACK and will retry.');
  const { fd } = await P.accept(server);
  open.push(fd);
  const info = P.getsockopt(fd, P.sockopt.TCP_INFO);
  console.log(`  accepted: ${tcpState(fd)}, rtt ${info.rtt} µs, congestion window ${info.sndCwnd} segments of ${info.sndMss} bytes`);

  P.shutdown(client, P.SHUT_WR);
  await P.recv(fd, 10); // 0 bytes: the client's FIN has arrived
  console.log(`  client after shutdown(SHUT_WR): ${await settled(client, 'TCP_FIN_WAIT1')}; server: ${tcpState(fd)}`);
  explain('the client sent FIN and had it acknowledged (FIN_WAIT2); the server knows the peer is done (CLOSE_WAIT)');
  explain('but may still send: a half-closed connection.');
  P.shutdown(fd, P.SHUT_WR);
  await P.recv(client, 10);
  console.log(`  server after its own shutdown: ${await settled(fd, 'TCP_LAST_ACK')}; client: ${tcpState(client)}`);
  explain('the side that closed first keeps the connection in TIME_WAIT in the kernel (ss -tan shows it);');
  explain('its socket already reads CLOSE. The other side went LAST_ACK → CLOSE once its FIN was acknowledged.');
}

async function handshake(): Promise<void> {
  step('9. The three-way handshake on lo, seen through a packet socket (AF_PACKET)');
  if (P.AF_PACKET === undefined) {
    explain('skipped: packet sockets (AF_PACKET) are Linux only.');
    return;
  }
  let sniffer: number;
  try {
    sniffer = openLoopbackSniffer();
  } catch (e) {
    if ((e as P.SocketError).code !== 'EPERM') throw e;
    explain('skipped: a packet socket needs CAP_NET_RAW — run the tour as root (sudo npm start) to see the handshake.');
    return;
  }
  open.push(sniffer);
  for (const t of await handshakeOnLoopback(sniffer)) console.log(`  ${describeSegment(t)}`);
  explain('the client picks a sequence number (SYN); the server acknowledges it plus one and picks its own (SYN-ACK);');
  explain('the client acknowledges that plus one (ACK). connect() returned once the SYN-ACK came; accept() found the connection queued.');
}

async function main(): Promise<void> {
  console.log(bold('posix-sockets: a tour of the socket system calls on loopback'));
  console.log('Dimmed lines are the system calls, as the kernel answered them.');
  try {
    await exchange();
    await failures();
    await connectionLife();
    await handshake();
  } finally {
    P.trace(false);
    for (const fd of open) {
      try {
        P.close(fd);
      } catch {
        // closed by a step on purpose
      }
    }
  }
  console.log(`\nThat is the tour. Try the programs in examples/ (npm run example -- <name>),`);
  console.log('and POSIX_SOCKETS_TRACE=1 on any of them to see its system calls.');
}

main();
