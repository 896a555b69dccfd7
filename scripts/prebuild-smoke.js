// The package's core calls, run against the built package (dist/ plus the
// addon node-gyp-build picks), with nothing but Node: for the prebuilds on
// hosts where jest cannot run (linux-arm64 under qemu-user) and in a
// consumer's fresh install (scripts/test-install.sh). Real kernel, loopback.
//
//   node scripts/prebuild-smoke.js [package-dir]   (default: this repository)
//
// Prints which .node was loaded and one line per check; exits 1 on a failure.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');

const dir = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const ngb = require(require.resolve('node-gyp-build', { paths: [dir] }));
const loaded = ngb.resolve(dir);
const ps = require(dir);

let passed = 0;
let failed = 0;
async function check(name, fn) {
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
  console.log(`prebuild-smoke: ${process.platform}-${process.arch} node ${process.version}, addon ${path.relative(dir, loaded)}`);
  const { AF_INET, AF_UNIX, SOCK_STREAM, SOCK_DGRAM } = ps;

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
  });

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
  });

  await check('unix: socketpair', async () => {
    const [x, y] = ps.socketpair(AF_UNIX, SOCK_STREAM);
    try {
      await ps.send(x, 'pair');
      assert.equal((await ps.recv(y, 10)).toString(), 'pair');
    } finally {
      ps.close(x);
      ps.close(y);
    }
  });

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

  console.log(`prebuild-smoke: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
