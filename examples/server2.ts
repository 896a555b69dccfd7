// server2 — accept one client, write "hello\r\n", read 10 bytes back.
// Usage: server2 [port]
import * as P from '../lib';
import { portArg, positional } from './args';

const port = portArg(positional()[0]);
const listenfd = P.socket(P.AF_INET, P.SOCK_STREAM);
P.setsockopt(listenfd, P.SOL_SOCKET, P.SO_REUSEADDR, 1);
P.bind(listenfd, { family: P.AF_INET, address: process.env.HOST ?? '127.0.0.1', port });
P.listen(listenfd, 5);
console.log(`Waiting for a connection on port ${port}`);

const { fd } = P.acceptSync(listenfd);
P.sendSync(fd, 'hello\r\n'); // write(fd, "hello\r\n", 7)

// char buf[10]; read(fd, buf, 10); buf[9] = '\0'; printf("I read %s\n", buf);
// The C program reads all 10 bytes and then needs a byte for the string's
// terminator: it overwrites the last one, so it prints only 9 characters.
const buf = Buffer.alloc(10);
const n = P.recvIntoSync(fd, buf);
buf[buf.length - 1] = 0;
console.log(`I read ${cString(buf.subarray(0, Math.max(n, 0)))}`);
P.close(fd);
P.close(listenfd);

/** The bytes up to the first NUL, as printf("%s") would print them. */
function cString(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.subarray(0, nul === -1 ? b.length : nul).toString('latin1');
}
