// Opens sockets for a test and closes every one of them after it, so no test
// leaks an fd into the next. Close through `s.close(fd)` so a number the
// test closed itself is not closed again (it may have been reused).
import * as P from '../../lib';

export class Sockets {
  private readonly open = new Set<number>();

  /** Tracks an fd that something else created (accept, socketpair). */
  adopt(fd: number): number {
    this.open.add(fd);
    return fd;
  }

  socket(domain: number, type: number, protocol = 0): number {
    return this.adopt(P.socket(domain, type, protocol));
  }

  socketpair(domain: number, type: number, protocol = 0): [number, number] {
    const [a, b] = P.socketpair(domain, type, protocol);
    this.open.add(a);
    this.open.add(b);
    return [a, b];
  }

  close(fd: number): void {
    this.open.delete(fd);
    P.close(fd);
  }

  closeAll(): void {
    for (const fd of this.open) {
      try {
        P.close(fd);
      } catch {
        // already closed by the code under test
      }
    }
    this.open.clear();
  }

  /** socket → bind (port 0) → listen, returning the fd and the port the kernel chose. */
  listener(
    family: number = P.AF_INET,
    type = P.SOCK_STREAM,
    backlog = 16,
  ): { fd: number; address: P.SockaddrIn | P.SockaddrIn6 } {
    const fd = this.socket(family, type);
    const address = family === P.AF_INET6 ? '::1' : '127.0.0.1';
    P.bind(fd, { family, address, port: 0 } as P.SockaddrInput);
    P.listen(fd, backlog);
    return { fd, address: P.getsockname(fd) as P.SockaddrIn | P.SockaddrIn6 };
  }

  /** A connected TCP pair on loopback: [accepted server side, client]. */
  async tcpPair(family: number = P.AF_INET): Promise<{ server: number; client: number; listener: number }> {
    const l = this.listener(family);
    const client = this.socket(family, P.SOCK_STREAM);
    const accepted = P.accept(l.fd);
    await P.connect(client, l.address);
    const server = this.adopt((await accepted).fd);
    return { server, client, listener: l.fd };
  }
}

/** A Sockets whose fds are all closed after each test. */
export function useSockets(): Sockets {
  const s = new Sockets();
  afterEach(() => s.closeAll());
  return s;
}

/** A port on 127.0.0.1 with nothing listening: bound, then closed, so free now. */
export function unusedPort(): number {
  const fd = P.socket(P.AF_INET, P.SOCK_STREAM);
  try {
    P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
    return (P.getsockname(fd) as P.SockaddrIn).port;
  } finally {
    P.close(fd);
  }
}

/** Awaits a promise expected to reject, returning the reason. */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Calls f expecting it to throw, returning what it threw. */
export function thrown(f: () => unknown): any {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw, but the call returned');
}

export const isLinux = process.platform === 'linux';
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Sends with MSG_DONTWAIT until the kernel answers EAGAIN; returns the bytes queued. */
export function fillSendBuffer(fd: number): number {
  const chunk = Buffer.alloc(4096, 0x61);
  let queued = 0;
  // Bounded: socket buffers hold far less than 40 MiB.
  for (let i = 0; i < 10000; i++) {
    try {
      queued += P.sendSync(fd, chunk, P.MSG_DONTWAIT);
    } catch (e) {
      if ((e as P.SocketError).code !== 'EAGAIN') throw e;
      return queued;
    }
  }
  throw new Error('the send buffer never filled');
}
