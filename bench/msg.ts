// sendmsg with three iov entries against one send of the same bytes already
// joined: what gathering costs (the sendmsg issue's target: no more than the
// send). On an AF_UNIX SOCK_DGRAM socketpair with 4 MiB buffers, as
// bench/c/bench.c's "micro sendmsg" measures C: only the sends are timed, in
// rounds of ROUND calls that go round the variants in turn (a slow spell of
// the machine touches them all alike); after each round the reader drains,
// untimed. Two shapes: header 16 + body 32 + trailer 16 (64 B), and
// 64 + 1024 + 64 (1152 B).
// Usage: node --import tsx bench/msg.ts [calls per variant and shape]
// Prints one JSON line: { "<bytes>": { <variant>: ns per call } }.
import * as P from '../lib';
import { native } from '../lib/native';

const n = Number(process.argv[2] ?? 100_000);
const ROUND = 256;
const SHAPES: [number, number, number][] = [
  [16, 32, 16],
  [64, 1024, 64],
];

type Variant = (fd: number, h: Buffer, b: Buffer, t: Buffer, whole: Buffer) => unknown;

/** What each variant does per call; a promise variant is awaited before the next call. */
const VARIANTS: Record<string, { sync: boolean; call: Variant }> = {
  // The target pair.
  sendmsgSync: { sync: true, call: (fd, h, b, t) => P.sendmsgSync(fd, { iov: [h, b, t] }) },
  sendSync: { sync: true, call: (fd, _h, _b, _t, whole) => P.sendSync(fd, whole) },
  // For the record: what the caller would otherwise write, and where the time goes.
  sendSyncConcat: { sync: true, call: (fd, h, b, t) => P.sendSync(fd, Buffer.concat([h, b, t])) },
  sendmsgSync1: { sync: true, call: (fd, _h, _b, _t, whole) => P.sendmsgSync(fd, { iov: [whole] }) },
  bindingSendmsg: { sync: true, call: (fd, h, b, t) => native.sendmsg(fd, [h, b, t], null, null, 0) },
  bindingSend: { sync: true, call: (fd, _h, _b, _t, whole) => native.send(fd, whole, 0) },
  sendmsg: { sync: false, call: (fd, h, b, t) => P.sendmsg(fd, { iov: [h, b, t] }) },
  send: { sync: false, call: (fd, _h, _b, _t, whole) => P.send(fd, whole) },
};

async function main(): Promise<void> {
  const [a, r] = P.socketpair(P.AF_UNIX, P.SOCK_DGRAM);
  P.setsockopt(a, P.SOL_SOCKET, P.SO_SNDBUF, 4 << 20);
  P.setsockopt(r, P.SOL_SOCKET, P.SO_RCVBUF, 4 << 20);
  const sink = Buffer.alloc(4096);
  const result: Record<string, Record<string, number>> = {};
  for (const shape of SHAPES) {
    const [h, b, t] = shape.map((len, i) => Buffer.alloc(len, 0x61 + i));
    const whole = Buffer.concat([h, b, t]);
    const names = Object.keys(VARIANTS);
    const total: Record<string, number> = Object.fromEntries(names.map((k) => [k, 0]));
    const round = async (name: string): Promise<number> => {
      const { sync, call } = VARIANTS[name];
      const t0 = performance.now();
      if (sync) for (let i = 0; i < ROUND; i++) call(a, h, b, t, whole);
      else for (let i = 0; i < ROUND; i++) await call(a, h, b, t, whole);
      const ms = performance.now() - t0;
      for (let i = 0; i < ROUND; i++) {
        if (P.recvIntoSync(r, sink) !== whole.length) throw new Error(`${name}: a short datagram`);
      }
      return ms;
    };
    // Warm up: every variant optimized before any is timed.
    for (let done = 0; done < n / 10; done += ROUND) for (const k of names) await round(k);
    let rounds = 0;
    for (let done = 0; done < n; done += ROUND, rounds++) for (const k of names) total[k] += await round(k);
    result[String(whole.length)] = Object.fromEntries(names.map((k) => [k, (total[k] / (rounds * ROUND)) * 1e6]));
  }
  P.close(a);
  P.close(r);
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
