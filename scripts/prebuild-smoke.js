// The package's core calls, run against the built package (dist/ plus the
// addon node-gyp-build picks), with nothing but Node: for the prebuilds on
// hosts where jest cannot run (linux-arm64 under qemu-user) and in a
// consumer's fresh install (scripts/test-install.sh). Real kernel, loopback.
//
//   node scripts/prebuild-smoke.js [package-dir]   (default: this repository)
//
// Prints which .node was loaded and one line per check; exits 1 on a failure.
//
// Also run by Bun's musl build (scripts/test-musl.sh: the only musl runtime
// with N-API the npm registry has). Bun implements N-API but not libuv's
// uv_poll (oven-sh/bun#18546), which the promise calls wait with, so there the
// checks marked { poll: true } are skipped, saying so, and the blocking
// (…Sync) and threadpool ones run.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');

const dir = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const ngb = require(require.resolve('node-gyp-build', { paths: [dir] }));
const loaded = ngb.resolve(dir);
const ps = require(dir);

const runtime = process.versions.bun ? `bun ${process.versions.bun}` : `node ${process.version}`;
const noPoll = process.versions.bun !== undefined;
let passed = 0;
let failed = 0;
let skipped = 0;
async function check(name, fn, opts = {}) {
  if (opts.poll && noPoll) {
    skipped++;
    console.log(`skip ${name} (waits through libuv's uv_poll, which ${runtime} lacks)`);
    return;
  }
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n${err && err.stack}`);
  }
}

async function main() {
  console.log(`prebuild-smoke: ${process.platform}-${process.arch} ${runtime}, addon ${path.relative(dir, loaded)}`);
  const { AF_INET, AF_UNIX, SOCK_STREAM, SOCK_DGRAM } = ps;
  // LIBC=musl (Alpine, or scripts/test-musl.sh) must have chosen the musl build.
  if (process.env.LIBC === 'musl' && !loaded.endsWith('.musl.node')) {
    console.log(`FAIL LIBC=musl, yet ${loaded} was loaded`);
    process.exitCode = 1;
    return;
  }

  await check('tcp echo: socket/bind/listen/accept/connect/send/recv', async () => {
    const server = ps.socket(AF_INET, SOCK_STREAM);
    try {
      ps.bind(server, { family: AF_INET, address: '127.0.0.1', port: 0 });
      ps.listen(server, 8);
      const address = ps.getsockname(server);
      assert.equal(address.address, '127.0.0.1');
      assert.ok(address.port > 0);
      const accepted = ps.accept(server);
      const client = ps.socket(AF_INET, SOCK_STREAM);
      try {
        await ps.connect(client, address);
        const { fd } = await accepted;
        try {
          assert.equal(await ps.send(client, 'hello, kernel'), 13);
          const got = await ps.recv(fd, 100);
          assert.equal(got.toString(), 'hello, kernel');
          await ps.send(fd, got);
          assert.equal((await ps.recv(client, 100)).toString(), 'hello, kernel');
          ps.close(client);
          assert.equal((await ps.recv(fd, 100)).length, 0, 'EOF after the peer closed');
        } finally {
          ps.close(fd);
        }
      } finally {
        try { ps.close(client); } catch { /* closed above */ }
      }
    } finally {
      ps.close(server);
    }
  }, { poll: true });

  await check('udp: sendto/recvfrom', async () => {
    const a = ps.socket(AF_INET, SOCK_DGRAM);
    const b = ps.socket(AF_INET, SOCK_DGRAM);
    try {
      ps.bind(b, { family: AF_INET, address: '127.0.0.1', port: 0 });
      const to = ps.getsockname(b);
      assert.equal(await ps.sendto(a, 'datagram', 0, to), 8);
      const { data, address } = await ps.recvfrom(b, 100);
      assert.equal(data.toString(), 'datagram');
      assert.equal(address.address, '127.0.0.1');
    } finally {
      ps.close(a);
      ps.close(b);
    }
  }, { poll: true });

  await check('unix: socketpair', async () => {
    const [x, y] = ps.socketpair(AF_UNIX, SOCK_STREAM);
    try {
      await ps.send(x, 'pair');
      assert.equal((await ps.recv(y, 10)).toString(), 'pair');
    } finally {
      ps.close(x);
      ps.close(y);
    }
  }, { poll: true });

  await check('errors: ECONNREFUSED from connect, EBADF from close', async () => {
    // A port just released: nothing listens there.
    const probe = ps.socket(AF_INET, SOCK_STREAM);
    ps.bind(probe, { family: AF_INET, address: '127.0.0.1', port: 0 });
    const free = ps.getsockname(probe);
    ps.close(probe);
    const s = ps.socket(AF_INET, SOCK_STREAM);
    try {
      await assert.rejects(ps.connect(s, free), (e) => e instanceof ps.SocketError && e.code === 'ECONNREFUSED' && e.syscall === 'connect');
    } finally {
      ps.close(s);
    }
    assert.throws(() => ps.close(s), (e) => e instanceof ps.SocketError && e.code === 'EBADF');
  }, { poll: true });

  await check('tcp echo, blocking calls: connectSync/acceptSync/sendSync/recvSync', () => {
    const server = ps.socket(AF_INET, SOCK_STREAM);
    const client = ps.socket(AF_INET, SOCK_STREAM);
    let fd = -1;
    try {
      ps.bind(server, { family: AF_INET, address: '127.0.0.1', port: 0 });
      ps.listen(server, 8);
      // The kernel completes a loopback handshake into the backlog: connect
      // returns before accept is called.
      ps.connectSync(client, ps.getsockname(server));
      ({ fd } = ps.acceptSync(server));
      assert.equal(ps.sendSync(client, 'hello, kernel'), 13);
      assert.equal(ps.recvSync(fd, 100).toString(), 'hello, kernel');
      ps.shutdown(client, ps.SHUT_WR);
      assert.equal(ps.recvSync(fd, 100).length, 0, 'EOF after the peer shut down');
    } finally {
      if (fd >= 0) ps.close(fd);
      ps.close(client);
      ps.close(server);
    }
  });

  await check('udp, blocking calls: sendtoSync/recvfromSync', () => {
    const a = ps.socket(AF_INET, SOCK_DGRAM);
    const b = ps.socket(AF_INET, SOCK_DGRAM);
    try {
      ps.bind(b, { family: AF_INET, address: '127.0.0.1', port: 0 });
      assert.equal(ps.sendtoSync(a, 'datagram', 0, ps.getsockname(b)), 8);
      const { data, address } = ps.recvfromSync(b, 100);
      assert.equal(data.toString(), 'datagram');
      assert.equal(address.address, '127.0.0.1');
    } finally {
      ps.close(a);
      ps.close(b);
    }
  });

  await check('fd passing: sendFdsSync/recvFdsSync (SCM_RIGHTS, the libc\'s CMSG macros)', () => {
    const [x, y] = ps.socketpair(AF_UNIX, SOCK_STREAM);
    const [p, q] = ps.socketpair(AF_UNIX, SOCK_STREAM);
    let got = [];
    try {
      ps.sendFdsSync(x, 'fd', [p]);
      const r = ps.recvFdsSync(y, 10, 4);
      got = r.fds;
      assert.equal(r.data.toString(), 'fd');
      assert.equal(got.length, 1);
      // The received fd is the same socket: what q sends, it reads.
      ps.sendSync(q, 'through');
      assert.equal(ps.recvSync(got[0], 10).toString(), 'through');
    } finally {
      for (const fd of [x, y, p, q, ...got]) ps.close(fd);
    }
  });

  await check('errors: ECONNREFUSED from connectSync, EADDRINUSE from bind', () => {
    const probe = ps.socket(AF_INET, SOCK_STREAM);
    const s = ps.socket(AF_INET, SOCK_STREAM);
    try {
      ps.bind(probe, { family: AF_INET, address: '127.0.0.1', port: 0 });
      const taken = ps.getsockname(probe);
      assert.throws(() => ps.bind(s, taken), (e) => e instanceof ps.SocketError && e.code === 'EADDRINUSE' && e.syscall === 'bind');
      // Bound, not listening: a connect there is refused.
      assert.throws(() => ps.connectSync(s, taken), (e) => e instanceof ps.SocketError && e.code === 'ECONNREFUSED' && typeof e.errno === 'number');
    } finally {
      ps.close(s);
      ps.close(probe);
    }
  });

  await check('typed options: SO_LINGER and SO_RCVBUF round trip', () => {
    const s = ps.socket(AF_INET, SOCK_STREAM);
    try {
      ps.setsockopt(s, ps.sockopt.SO_LINGER, { onoff: true, linger: 0 });
      assert.deepEqual(ps.getsockopt(s, ps.sockopt.SO_LINGER), { onoff: true, linger: 0 });
      ps.setsockopt(s, ps.sockopt.SO_RCVBUF, 8192);
      assert.ok(ps.getsockopt(s, ps.sockopt.SO_RCVBUF) >= 8192);
    } finally {
      ps.close(s);
    }
  });

  await check('programmer errors: a C++ exception becomes a TypeError', () => {
    assert.throws(() => ps.socket('inet', SOCK_STREAM), TypeError);
  });

  await check('getaddrinfo (threadpool) and getprotobyname', async () => {
    const list = await ps.getaddrinfo('127.0.0.1', '80', { socktype: SOCK_STREAM });
    assert.ok(list.some((ai) => ai.address.address === '127.0.0.1' && ai.address.port === 80));
    await assert.rejects(ps.getaddrinfo('no such host.invalid', null), (e) => e instanceof ps.SocketError);
    const tcp = ps.getprotobyname('tcp');
    // /etc/protocols may be missing in a minimal system: then null.
    if (tcp !== null) assert.equal(tcp.proto, 6);
  });

  await check('netdb: getservbyname, inet_aton, gethostbyname (threadpool)', async () => {
    // /etc/services may be missing in a minimal system: then null.
    const http = ps.getservbyname('http', 'tcp');
    if (http !== null) assert.equal(http.port, 80);
    assert.deepEqual([...ps.inet_aton('127.1')], [127, 0, 0, 1]);
    const host = await ps.gethostbyname('127.0.0.1');
    assert.deepEqual(host.addresses, ['127.0.0.1']);
  });

  console.log(`prebuild-smoke: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
