// Per-call overhead: a call that fails at once (recv with MSG_DONTWAIT on an
// empty socket → EAGAIN), through the raw binding, the ...Sync call (which
// builds a SocketError) and the promise call (which rejects). Prints ns/call.
import * as P from '../lib';
import { native } from '../lib/native';

const n = Number(process.argv[2] ?? 1_000_000);
const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
const buf = Buffer.alloc(64);

function time(count: number, f: () => void): number {
  const start = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - start) / count;
}

async function timeAsync(count: number, f: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - start) / count;
}

async function main(): Promise<void> {
  const binding = () => {
    for (let i = 0; i < n; i++) native.recv(a, buf, P.MSG_DONTWAIT);
  };
  const sync = (count: number) => () => {
    for (let i = 0; i < count; i++) {
      try {
        P.recvIntoSync(a, buf, P.MSG_DONTWAIT);
      } catch {
        // EAGAIN, as expected
      }
    }
  };
  const promise = (count: number) => async () => {
    for (let i = 0; i < count; i++) await P.recvInto(a, buf, P.MSG_DONTWAIT).catch(() => undefined);
  };
  time(n / 10, binding); // warm up
  const results = {
    binding: time(n, binding),
    sync: time(n / 10, sync(n / 10)),
    promise: await timeAsync(n / 10, promise(n / 10)),
  };
  P.close(a);
  P.close(b);
  process.stdout.write(JSON.stringify(results) + '\n');
}

main();
