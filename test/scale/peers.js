// The other ends for hold.js, in a process of their own (each process may
// hold at most RLIMIT_NOFILE fds): connects N sockets to the port given,
// says "connected", and on "go" on stdin sends `m<i>` on socket i, then
// exits once stdin closes.
const path = require('node:path');
const P = require(path.join(__dirname, '..', '..', 'dist'));

const [N, port] = process.argv.slice(2).map(Number);
const fds = [];

async function main() {
  for (let i = 0; i < N; i++) {
    const fd = P.socket(P.AF_INET, P.SOCK_STREAM | P.SOCK_NONBLOCK);
    await P.connect(fd, { family: P.AF_INET, address: '127.0.0.1', port });
    fds.push(fd);
  }
  process.stdout.write('connected\n');
  let input = '';
  process.stdin.on('data', (d) => {
    input += d;
    if (input.includes('go')) {
      input = '';
      fds.forEach((fd, i) => P.sendSync(fd, `m${i}`));
    }
  });
  process.stdin.on('end', () => {
    for (const fd of fds) P.close(fd);
  });
}

main();
