// unix-echo — an AF_UNIX stream echo server and client on a path, with the
// promise calls; the socket file it created is removed on exit (also on
// Ctrl-C). It never removes anything else: if the path already exists, bind
// fails with EADDRINUSE and the file is left as it was.
// Usage: unix-echo [path] [message]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as P from '../lib';

const sockPath = process.argv[2] ?? path.join(os.tmpdir(), `unix-echo-${process.pid}.sock`);
const message = process.argv[3] ?? 'hello over AF_UNIX';

// bind() creates the socket file, and it stays after close() (a second bind
// would fail with EADDRINUSE): remove it on the way out — but only the file
// this process created. Its identity is recorded right after bind, and on
// exit the path is removed only if it still names that same socket file.
let bound: fs.Stats | undefined;
function cleanUp(): void {
  if (!bound) return;
  try {
    const now = fs.lstatSync(sockPath);
    if (now.isSocket() && now.ino === bound.ino && now.dev === bound.dev) fs.unlinkSync(sockPath);
  } catch {
    // already gone
  }
}
process.on('exit', cleanUp);
process.on('SIGINT', () => process.exit(130));

async function main(): Promise<void> {
  const server = P.socket(P.AF_UNIX, P.SOCK_STREAM);
  P.bind(server, { family: P.AF_UNIX, path: sockPath });
  bound = fs.lstatSync(sockPath);
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

main().catch((err: Error) => {
  console.error(err.message); // e.g. bind: Address already in use (EADDRINUSE) /tmp/x
  process.exitCode = 1;
});
