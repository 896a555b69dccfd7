// unix-echo — an AF_UNIX stream echo server and client on a path, with the
// promise calls; the socket file is removed on exit (also on Ctrl-C).
// Usage: unix-echo [path] [message]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';

const sockPath = process.argv[2] ?? path.join(os.tmpdir(), `unix-echo-${process.pid}.sock`);
const message = process.argv[3] ?? 'hello over AF_UNIX';

// bind() fails with EADDRINUSE while the file exists, even if nobody
// listens: remove it on the way out.
function cleanUp(): void {
  fs.rmSync(sockPath, { force: true });
}
process.on('exit', cleanUp);
process.on('SIGINT', () => process.exit(130));

async function main(): Promise<void> {
  const server = P.socket(P.AF_UNIX, P.SOCK_STREAM);
  P.bind(server, { family: P.AF_UNIX, path: sockPath });
  P.listen(server, 5);
  console.log(`server: listening on ${sockPath}`);

  const served = (async () => {
    const { fd } = await P.accept(server);
    for (let data = await P.recv(fd, 4096); data.length > 0; data = await P.recv(fd, 4096)) await P.send(fd, data);
    P.close(fd);
  })();

  const client = P.socket(P.AF_UNIX, P.SOCK_STREAM);
  await P.connect(client, { family: P.AF_UNIX, path: sockPath });
  await P.send(client, message);
  console.log(`client: echoed "${(await P.recv(client, 4096)).toString()}"`);
  P.close(client);
  await served;
  P.close(server);
}

main();
