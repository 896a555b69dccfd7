// The waiting engine (lib/readiness.ts) under load, one scenario per process
// so no scenario inherits another's heap or fd table. bench/run.ts runs each
// BENCH_RUNS times and reports the medians; every figure is reported, never
// failed on.
// Usage: node --import tsx bench/engine.ts <scenario>
// Prints one JSON line: numbers (and a few strings saying how calls ended).
//
//   abort    100,000 promise recvs on one socketpair sharing one
//            AbortController: the time to create them, and from abort()
//            until the last has rejected.
//   timeout  100,000 recvs on one fd, each with { timeout: 50 }: wall time
//            until the last has rejected ETIMEDOUT, and the longest the event
//            loop stood still meanwhile.
//   icmp     (Linux) a UDP socket with IP_RECVERR connected to a closed port:
//            one send, the first recv rejects ECONNREFUSED, the ICMP error
//            stays in the error queue (POLLERR, level-triggered); then a
//            second recv waits 2 s with nothing arriving: the process CPU
//            time and the recv system calls (counted in the trace) in those
//            2 s. An engine that re-arms at once spins at 100% CPU here.
//   pingpong 100,000 promise round trips of 64 B in one process over an
//            AF_UNIX socketpair, after 20,000 warm-up: round trips/s and
//            CPU µs per round trip.
import * as P from '../lib';

const ms = () => performance.now();
/** Every scenario ends by then whatever happens (run.ts kills it later still). */
const DEADLINE_MS = 60_000;

function out(result: object): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}

function codeOf(e: unknown): string {
  return String((e as { code?: unknown })?.code ?? e);
}

/** Counts how calls ended, by code ('done' for a resolution). */
class Tally {
  readonly by: Record<string, number> = {};
  count = 0;
  add(outcome: string): void {
    this.by[outcome] = (this.by[outcome] ?? 0) + 1;
    this.count++;
  }
  text(): string {
    return Object.entries(this.by)
      .map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
      .join(', ');
  }
}

/** Resolves when `done()` is true, checked on every setImmediate; false if DEADLINE_MS passes first. */
function until(done: () => boolean, start = ms()): Promise<boolean> {
  return new Promise((resolve) => {
    const tick = () => {
      if (done()) resolve(true);
      else if (ms() - start > DEADLINE_MS) resolve(false);
      else setImmediate(tick);
    };
    tick();
  });
}

const N = 100_000;

async function abort(): Promise<void> {
  const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const ac = new AbortController();
  const tally = new Tally();
  let last = 0;
  const onSettled = (outcome: string) => {
    tally.add(outcome);
    if (tally.count === N) last = ms();
  };
  const ok = () => onSettled('done');
  const no = (e: unknown) => onSettled(codeOf(e));
  const t0 = ms();
  for (let i = 0; i < N; i++) P.recv(a, 64, 0, { signal: ac.signal }).then(ok, no);
  const created = ms() - t0;
  // Let the loop turn once, so the abort is measured on its own.
  await new Promise((r) => setImmediate(r));
  const t1 = ms();
  ac.abort();
  const completed = await until(() => tally.count === N, t1);
  const abortMs = (completed ? last : ms()) - t1;
  P.close(a);
  P.close(b);
  out({ calls: N, createMs: created, abortToAllRejectedMs: abortMs, completed: completed ? 1 : 0, outcomes: tally.text() });
}

async function timeout(): Promise<void> {
  const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  const tally = new Tally();
  let last = 0;
  const onSettled = (outcome: string) => {
    tally.add(outcome);
    if (tally.count === N) last = ms();
  };
  const ok = () => onSettled('done');
  const no = (e: unknown) => onSettled(codeOf(e));
  const t0 = ms();
  for (let i = 0; i < N; i++) P.recv(a, 64, 0, { timeout: 50 }).then(ok, no);
  const created = ms() - t0;
  // From here on, the loop's longest stall: the longest gap between two
  // turns of a setImmediate ticker. (monitorEventLoopDelay would miss it:
  // its first sample only starts its clock, and the timeouts, due since the
  // creation loop, fire before that sample.) The creation loop above is a
  // stall of its own, reported as createMs.
  let maxGap = 0;
  let prev = ms();
  const completed = await until(() => {
    const t = ms();
    if (t - prev > maxGap) maxGap = t - prev;
    prev = t;
    return tally.count === N;
  }, t0);
  const wall = (completed ? last : ms()) - t0;
  P.close(a);
  P.close(b);
  out({
    calls: N,
    createMs: created,
    wallMs: wall,
    maxStallMs: maxGap,
    completed: completed ? 1 : 0,
    outcomes: tally.text(),
  });
}

function unusedUdpPort(): number {
  const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
  P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  const port = (P.getsockname(fd) as P.SockaddrIn).port;
  P.close(fd);
  return port;
}

async function icmp(): Promise<void> {
  if (process.platform !== 'linux' || P.IP_RECVERR === undefined) {
    out({ skipped: 'IP_RECVERR is Linux only' });
    return;
  }
  const WAIT = 2000;
  const fd = P.socket(P.AF_INET, P.SOCK_DGRAM);
  P.setsockopt(fd, P.IPPROTO_IP, P.IP_RECVERR, 1);
  P.bind(fd, { family: P.AF_INET, address: '127.0.0.1', port: 0 });
  P.connectSync(fd, { family: P.AF_INET, address: '127.0.0.1', port: unusedUdpPort() });
  P.sendSync(fd, 'to nobody');
  // The port-unreachable is reported to the next receive (sk_err) and stays
  // in the error queue: POLLERR from then on, until it is read.
  let first = 'done';
  await P.recv(fd, 100, 0, { timeout: 5000 }).catch((e) => (first = codeOf(e)));
  let recvCalls = 0;
  let lines = 0;
  P.trace(true, (line) => {
    lines++;
    if (line.startsWith('recv(')) recvCalls++;
  });
  let second = 'done';
  const cpu0 = process.cpuUsage();
  const t0 = ms();
  try {
    await P.recv(fd, 100, 0, { timeout: WAIT }).catch((e) => (second = codeOf(e)));
  } finally {
    P.trace(false);
  }
  const wall = ms() - t0;
  const cpu = process.cpuUsage(cpu0);
  P.close(fd);
  out({
    waitMs: wall,
    cpuMs: (cpu.user + cpu.system) / 1000,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    recvCalls,
    traceLines: lines,
    first,
    second,
  });
}

async function pingpong(): Promise<void> {
  const WARM = 20_000;
  const ROUNDS = 100_000;
  const MSG = 64;
  const [a, b] = P.socketpair(P.AF_UNIX, P.SOCK_STREAM);
  let stop = false;
  const readFull = async (fd: number, buf: Buffer): Promise<boolean> => {
    let got = 0;
    while (got < buf.length) {
      const n = await P.recvInto(fd, got === 0 ? buf : buf.subarray(got));
      if (n === 0) return false;
      got += n;
    }
    return true;
  };
  const server = (async () => {
    const buf = Buffer.alloc(MSG);
    while (await readFull(b, buf)) {
      let sent = 0;
      while (sent < MSG) sent += await P.send(b, sent === 0 ? buf : buf.subarray(sent));
    }
  })();
  const buf = Buffer.alloc(MSG, 0x78);
  const rounds = async (count: number, start: number): Promise<number> => {
    let i = 0;
    for (; i < count && !stop; i++) {
      let sent = 0;
      while (sent < MSG) sent += await P.send(a, sent === 0 ? buf : buf.subarray(sent));
      await readFull(a, buf);
      if ((i & 1023) === 0 && ms() - start > DEADLINE_MS) stop = true;
    }
    return i;
  };
  const begin = ms();
  await rounds(WARM, begin);
  const cpu0 = process.cpuUsage();
  const t0 = ms();
  const done = await rounds(ROUNDS, begin);
  const seconds = (ms() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  P.shutdown(a, P.SHUT_WR);
  await server;
  P.close(a);
  P.close(b);
  out({
    roundTrips: done,
    roundTripsPerSecond: done / seconds,
    cpuUsPerRoundTrip: (cpu.user + cpu.system) / done,
    completed: done === ROUNDS ? 1 : 0,
  });
}

const scenarios: Record<string, () => Promise<void>> = { abort, timeout, icmp, pingpong };
const name = process.argv[2];
const run = scenarios[name];
if (run === undefined) {
  process.stderr.write(`usage: engine.ts ${Object.keys(scenarios).join('|')}\n`);
  process.exit(2);
}
run().then(
  () => process.exit(0), // a stray handle must not keep the scenario alive
  (e) => {
    process.stderr.write(String((e as Error)?.stack ?? e) + '\n');
    process.exit(1);
  },
);
