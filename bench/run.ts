// npm run bench: every workload, every implementation, back to back in one
// run, client and server as separate processes on loopback. Each figure is the
// median of BENCH_RUNS runs (default 3) and is reported as a ratio to C from
// the same run and the same CPU placement. The ping-pong and UDP workloads
// run in two placements: both processes on CPU 0 (one CPU: what a call costs,
// as every wake-up is a context switch on that CPU) and client on CPU 0,
// server on CPU 1 (two CPUs: latency, a wake-up across cores); the others run
// on one CPU. Then the batched datagrams (recvmmsg/sendmmsg against C's
// per-datagram loop and node:dgram: UDP floods, in both placements) and the
// cost of a gathering sendmsg (bench/msg.ts), each against its target. Then
// the targets for the engine, the waiting engine's own
// scenarios (bench/engine.ts), and the scale and leak checks (test/scale/
// hold.js and leaks.js, whose functional side the tests assert) with
// event-loop delay, memory per pending call and RSS growth against their
// targets. Every figure is reported, never failed on. Writes
// bench/results.json and bench/results.md.
//
// Environment: BENCH_RUNS (3), BENCH_SECONDS (2), BENCH_ONLY (a regexp: only
// the workloads whose names match — 'flood' the two UDP floods, 'sendmsg'
// the sendmsg micro-benchmark — and the engine scenarios whose 'engine
// <name>' matches: 'engine' runs all four, 'engine abort|engine icmp' two;
// the syscall counts and micro-benchmark run only without it, the scale and
// leak checks when it matches 'scale' or 'leaks' or is unset; a partial run
// does not replace results.md or results.json), BENCH_PIN (unset or
// 'both': the two placements above; 1: one CPU only; 2: two CPUs only; 0:
// unpinned only, the scheduler places both — on this 2-core VM that swings
// from run to run).
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const IMPLS = ['c', 'sync', 'promise', 'node'] as const;
type Impl = (typeof IMPLS)[number];
const started = Date.now();

/** Where client and server run: one CPU (both on 0), two CPUs (client 0, server 1), or wherever the scheduler puts them. */
type Mode = 'one' | 'two' | 'float';
const MODE_TITLE: Record<Mode, string> = {
  one: 'One CPU: client and server both on CPU 0 (cost per call)',
  two: 'Two CPUs: client on CPU 0, server on CPU 1 (latency)',
  float: 'Unpinned: the scheduler places client and server',
};
const MODE_SHORT: Record<Mode, string> = {
  one: 'client and server on CPU 0',
  two: 'client on CPU 0, server on CPU 1',
  float: 'unpinned',
};
/** The CPU each side runs on (taskset -c), or undefined to let it float. */
function cpuOf(mode: Mode, role: 'server' | 'client'): string | undefined {
  if (mode === 'float') return undefined;
  return mode === 'two' && role === 'server' ? '1' : '0';
}
const notes: string[] = [];
const MODES: Mode[] = (() => {
  const pin = process.env.BENCH_PIN ?? 'both';
  const modes: Mode[] | undefined = ({ both: ['one', 'two'], 1: ['one'], 2: ['two'], 0: ['float'] } as Record<string, Mode[]>)[pin];
  if (modes === undefined) throw new Error(`BENCH_PIN must be both, 1, 2 or 0, not ${pin}`);
  if (modes.includes('two') && !canRunOn('1')) {
    notes.push('Two-CPU placement not run: this process may not run on CPU 1 (taskset -c 1 failed).');
    return modes.length > 1 ? modes.filter((m) => m !== 'two') : ['float'];
  }
  return modes;
})();
/** Workloads that do not run in every placement run in this one: one CPU unless not chosen. */
const MAIN_MODE: Mode = MODES[0];

function canRunOn(cpu: string): boolean {
  try {
    execFileSync('taskset', ['-c', cpu, 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const here = __dirname;
// The scale and leak scripts require dist/, the peers load build/Release:
// bring both up to date first (incremental, as before npm test).
execFileSync(process.execPath, [path.join(here, '..', 'scripts', 'incremental-build.js')], { stdio: 'inherit' });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-bench-'));
const cBench = path.join(tmp, 'bench');
execFileSync('cc', ['-O2', '-Wall', '-o', cBench, path.join(here, 'c', 'bench.c')]);

function command(impl: Impl, args: string[], cpu: string | undefined): string[] {
  const base = impl === 'c' ? [cBench, ...args] : [process.execPath, '--import', 'tsx', path.join(here, 'peer.ts'), impl, ...args];
  return cpu === undefined ? base : ['taskset', '-c', cpu, ...base];
}

interface Proc {
  child: ChildProcess;
  ready: Promise<void>;
  result: Promise<Record<string, number>>;
}

function launch(argv: string[], prefix: string[] = []): Proc {
  const full = [...prefix, ...argv];
  const child = spawn(full[0], full.slice(1), { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.join(here, '..') });
  let out = '';
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (/^ready$/m.test(out)) readyResolve();
  });
  const result = new Promise<Record<string, number>>((resolve, reject) => {
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 && !line) reject(new Error(`${full.join(' ')} exited ${code}: ${out}`));
      else resolve(line ? JSON.parse(line) : {});
    });
  });
  return { child, ready, result };
}

// Below Linux's ephemeral range (32768 and up), so no earlier client connection holds them.
let portSeq = 20000 + (process.pid % 8000);
function freshAddr(unix: boolean): string {
  return unix ? path.join(tmp, `s${portSeq++}.sock`) : String(portSeq++);
}

interface Workload {
  name: string;
  unit: string;
  /** Runs in every chosen placement (else only in MAIN_MODE). */
  everyMode: boolean;
  /** One measurement with the given server and client implementations, client and server placed as `mode` says. */
  measure(impl: Impl, mode: Mode): Promise<{ value: number; extra?: string }>;
}

async function pair(
  mode: Mode,
  serverImpl: Impl,
  clientImpl: Impl,
  workload: string,
  addr: string,
  serverArgs: string[],
  clientArgs: string[],
): Promise<[Record<string, number>, Record<string, number>]> {
  const server = launch(command(serverImpl, ['server', workload, addr, ...serverArgs], cpuOf(mode, 'server')));
  await server.ready;
  const client = launch(command(clientImpl, ['client', workload, addr, ...clientArgs], cpuOf(mode, 'client')));
  const c = await client.result;
  const s = await server.result;
  return [s, c];
}

/** The connection-rate run: both processes in a fresh network namespace, so no TIME_WAIT is left from earlier runs. */
async function inFreshNetns(mode: Mode, impl: Impl, count: number): Promise<Record<string, number>> {
  const addr = '5555';
  const server = launch(command(impl, ['server', 'connect', addr, String(count)], cpuOf(mode, 'server')), [
    'unshare', '-n', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh',
  ]);
  await server.ready;
  const client = launch(command(impl, ['client', 'connect', addr, String(count)], cpuOf(mode, 'client')), [
    'nsenter', '-t', String(server.child.pid), '-n', '--',
  ]);
  const r = await client.result;
  await server.result;
  return r;
}

const CONNECTS = 5000;
const FANIN_CONNS = 1000;
const FANIN_ROUNDS = 30;

const workloads: Workload[] = [
  {
    name: 'TCP ping-pong 64 B',
    unit: 'round trips/s',
    everyMode: true,
    async measure(impl, mode) {
      const [, c] = await pair(mode, impl, impl, 'pingpong', freshAddr(false), [], [String(SECONDS)]);
      return { value: c.ops / c.seconds };
    },
  },
  {
    name: 'AF_UNIX ping-pong 64 B',
    unit: 'round trips/s',
    everyMode: true,
    async measure(impl, mode) {
      const [, c] = await pair(mode, impl, impl, 'pingpong', freshAddr(true), [], [String(SECONDS)]);
      return { value: c.ops / c.seconds };
    },
  },
  {
    name: 'TCP bulk, 64 KiB writes',
    unit: 'MiB/s',
    everyMode: false,
    async measure(impl, mode) {
      const [s] = await pair(mode, impl, impl, 'bulk', freshAddr(false), [], [String(SECONDS)]);
      return { value: s.bytes / s.seconds / 2 ** 20 };
    },
  },
  {
    name: 'UDP 64 B sendto → recvfrom',
    unit: 'datagrams/s received',
    everyMode: true,
    async measure(impl, mode) {
      const [s, c] = await pair(mode, impl, impl, 'udp', freshAddr(false), [], [String(SECONDS)]);
      const loss = c.sent > 0 ? 1 - s.received / c.sent : 0;
      return { value: s.received / s.seconds, extra: `loss ${(loss * 100).toFixed(1)}%` };
    },
  },
  {
    name: `TCP connect+close / accept+close (${CONNECTS} per run, fresh netns)`,
    unit: 'connections/s',
    everyMode: false,
    async measure(impl, mode) {
      const c = await inFreshNetns(mode, impl, CONNECTS);
      return { value: c.ops / c.seconds };
    },
  },
  {
    name: `Fan-in: ${FANIN_CONNS} clients ping-ponging (C client, server varies)`,
    unit: 'round trips/s',
    everyMode: false,
    async measure(impl, mode) {
      const [, c] = await pair(mode, impl, 'c', 'fanin', freshAddr(false), [String(FANIN_CONNS)], [String(FANIN_CONNS), String(FANIN_ROUNDS)]);
      return { value: c.ops / c.seconds };
    },
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---- syscalls per operation, with perf stat (strace would slow the traced
// process until every reply is already queued, hiding the waiting path).

function perfCount(argv: string[]): number {
  const file = path.join(tmp, `perf-${portSeq++}.csv`);
  execFileSync('perf', ['stat', '-x,', '-o', file, '-e', 'raw_syscalls:sys_enter', '--', ...argv], { stdio: ['ignore', 'ignore', 'inherit'] });
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.includes('raw_syscalls'))!;
  return Number(line.split(',')[0]);
}

/** Client syscalls per operation: the difference between a run of 2N and one of N ops, over N. */
async function syscallsPerOp(impl: Impl, workload: 'pingpong-count' | 'connect', n: number): Promise<number> {
  const counts: number[] = [];
  for (const ops of [n, 2 * n]) {
    const addr = freshAddr(false);
    const server = launch(command(impl, ['server', workload, addr, String(ops)], cpuOf(MAIN_MODE, 'server')));
    await server.ready;
    const argv = command(impl, ['client', workload, addr, String(ops)], cpuOf(MAIN_MODE, 'client'));
    counts.push(perfCount(argv));
    await server.result;
  }
  return (counts[1] - counts[0]) / n;
}

function haveTool(name: string, args: string[]): boolean {
  try {
    execFileSync(name, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function microOverhead(): Promise<Record<string, number>> {
  const n = 1_000_000;
  const c = JSON.parse(execFileSync(cBench, ['micro', 'eagain', String(n)], { encoding: 'utf8' }));
  const js = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'micro.ts'), String(n)], {
      encoding: 'utf8',
      cwd: path.join(here, '..'),
    }),
  );
  return { c: (c.seconds / n) * 1e9, ...js };
}

// ---- scale and leaks: the figures test/scale.test.ts and test/leaks.test.ts
// used to assert, now measured and reported here against the same targets.

const SCALE_N = 10000;
const LEAK_CYCLES = 100000;
const LEAK_WAITS = 10000;

interface TargetRow {
  measured: string;
  unit: string;
  runs: number[];
  median: number;
  /** Met when the median is below this. */
  below: number;
  met: boolean;
}

function runScaleScript(script: string, args: string[]): Record<string, any> {
  const out = execFileSync(process.execPath, ['--expose-gc', path.join(here, '..', 'test', 'scale', script), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 300000,
  });
  return JSON.parse(out);
}

function hardFdLimit(): number {
  const text = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return text === 'unlimited' ? Infinity : Number(text);
}

/** hold.js and leaks.js, RUNS times each; each row is the median against its target. */
function scaleAndLeaks(): { rows: TargetRow[]; notRun: string[]; raw: Record<string, unknown[]> } {
  const rows: TargetRow[] = [];
  const notRun: string[] = [];
  const raw: Record<string, unknown[]> = { scale: [], leaks: [] };
  const row = (measured: string, unit: string, runs: number[], below: number): void => {
    const m = median(runs);
    rows.push({ measured, unit, runs, median: m, below, met: m < below });
  };
  // hold.js and its peers each hold SCALE_N sockets (see test/scale.test.ts).
  const limit = hardFdLimit();
  if (limit < SCALE_N + 256) {
    notRun.push(`scale: needs ${SCALE_N + 256} fds per process, the hard RLIMIT_NOFILE is ${limit}`);
  } else {
    const runs = Array.from({ length: RUNS }, (_, r) => {
      const x = runScaleScript('hold.js', [String(SCALE_N)]);
      console.error(`  scale · run ${r + 1}: ${JSON.stringify(x)}`);
      return x;
    });
    raw.scale = runs;
    row(`event-loop delay p99 while ${SCALE_N.toLocaleString('en-US')} recvs pend`, 'ms', runs.map((x) => x.loopDelayP99Ms), 10);
    row('JS memory (heap + external) per pending recv', 'bytes', runs.map((x) => x.bytesPerPendingCall.js), 8 * 1024);
    row('RSS per pending recv (no target; for the record)', 'bytes', runs.map((x) => x.bytesPerPendingCall.rss), Infinity);
  }
  const runs = Array.from({ length: RUNS }, (_, r) => {
    const x = runScaleScript('leaks.js', [String(LEAK_CYCLES), String(LEAK_WAITS)]);
    console.error(`  leaks · run ${r + 1}: ${JSON.stringify(x)}`);
    return x;
  });
  raw.leaks = runs;
  // The first half settles the heap; a leak shows as growth in the second.
  row(
    `RSS growth over the second half of ${LEAK_CYCLES.toLocaleString('en-US')} + ${LEAK_CYCLES.toLocaleString('en-US')} cycles and ${LEAK_WAITS.toLocaleString('en-US')} abandoned waits`,
    'MiB',
    runs.map((x) => x.rssAfter - x.rssMid),
    8,
  );
  row('open fds after the leak run minus before (no target: npm test requires 0)', 'fds', runs.map((x) => x.fdsAfter - x.fdsBefore), Infinity);
  return { rows, notRun, raw };
}

// ---- the waiting engine's own scenarios (bench/engine.ts), each in a fresh
// process, RUNS times, interleaved; on CPU 0 unless unpinned.

interface EngineScenario {
  name: string;
  title: string;
  /** [field in engine.ts's JSON, what it measures, unit] */
  rows: [string, string, string][];
  /** How its calls ended, from one run's JSON. */
  outcome?(r: Record<string, any>): string;
}

const ENGINE: EngineScenario[] = [
  {
    name: 'abort',
    title: '(a) engine abort: 100,000 promise recvs on one socketpair sharing one AbortController, then abort()',
    rows: [
      ['createMs', 'create the 100,000 calls', 'ms'],
      ['abortToAllRejectedMs', 'abort() until all 100,000 have rejected', 'ms'],
    ],
    outcome: (r) => r.outcomes,
  },
  {
    name: 'timeout',
    title: '(b) engine timeout: 100,000 recvs on one fd, each with { timeout: 50 }',
    rows: [
      ['createMs', 'create the 100,000 calls', 'ms'],
      ['wallMs', 'first call until all have rejected', 'ms'],
      ['maxStallMs', 'longest event-loop stall after creation (setImmediate ticker)', 'ms'],
    ],
    outcome: (r) => r.outcomes,
  },
  {
    name: 'icmp',
    title: '(c) engine icmp: UDP with IP_RECVERR connected to a closed port, ICMP error queued; a second recv waits 2 s',
    rows: [
      ['cpuMs', 'process CPU time during the 2 s wait', 'ms'],
      ['recvCalls', 'recv system calls during the 2 s (trace lines)', 'calls'],
    ],
    outcome: (r) => `first recv ${r.first}, second ${r.second}`,
  },
  {
    name: 'pingpong',
    title: '(d) engine pingpong: promise ping-pong in one process, AF_UNIX socketpair, 100,000 round trips after 20,000 warm-up',
    rows: [
      ['roundTripsPerSecond', 'round trips/s', 'round trips/s'],
      ['cpuUsPerRoundTrip', 'CPU time per round trip (user + system)', 'µs'],
    ],
  },
];

interface EngineResult {
  runs: Record<string, any>[];
  medians: Record<string, number>;
  skipped?: string;
}

function runEngine(chosen: EngineScenario[]): { results: Record<string, EngineResult>; failures: string[] } {
  const results: Record<string, EngineResult> = {};
  const failures: string[] = [];
  for (const sc of chosen) results[sc.name] = { runs: [], medians: {} };
  for (let r = 0; r < RUNS; r++) {
    for (const sc of chosen) {
      const argv = [process.execPath, '--import', 'tsx', path.join(here, 'engine.ts'), sc.name];
      const cpu = cpuOf(MAIN_MODE, 'client');
      const full = cpu === undefined ? argv : ['taskset', '-c', cpu, ...argv];
      try {
        const text = execFileSync(full[0], full.slice(1), {
          encoding: 'utf8',
          cwd: path.join(here, '..'),
          stdio: ['ignore', 'pipe', 'inherit'],
          timeout: 180000,
        });
        const x = JSON.parse(text.split('\n').filter((l) => l.startsWith('{')).pop()!);
        console.error(`  ${sc.name} · run ${r + 1}: ${JSON.stringify(x)}`);
        if (x.skipped) results[sc.name].skipped = x.skipped;
        else results[sc.name].runs.push(x);
      } catch (e) {
        failures.push(`${sc.name}, run ${r + 1}: ${String((e as Error).message).split('\n')[0]}`);
        console.error(`  ${sc.name} · run ${r + 1} failed: ${(e as Error).message}`);
      }
    }
  }
  for (const sc of chosen) {
    const res = results[sc.name];
    if (res.runs.length === 0) continue;
    for (const [key] of sc.rows) res.medians[key] = median(res.runs.map((x) => Number(x[key])));
  }
  return { results, failures };
}

// ---- the engine issue's targets, on one CPU.

const TCP_PINGPONG = 'TCP ping-pong 64 B';
const UDP = 'UDP 64 B sendto → recvfrom';

type PerImpl = Record<Impl, { runs: number[]; median: number; extra?: string }>;

interface Target {
  target: string;
  /** What was measured on one CPU, and on two (no target; for the record). */
  one: string;
  two: string;
  /** undefined: not measured. */
  met: boolean | undefined;
}

function targets(results: Partial<Record<Mode, Record<string, PerImpl>>>): Target[] {
  const out: Target[] = [];
  const against = (name: string, impl: Impl, other: Impl, unit: string, min?: number) => {
    const show = (per: PerImpl | undefined) => {
      if (per === undefined) return { text: 'not measured', met: undefined };
      const a = per[impl].median;
      const b = per[other].median;
      const ratio = a / b;
      const text =
        other === 'c'
          ? `${ratio.toFixed(2)}× (${fmt(a)} vs C ${fmt(b)} ${unit})`
          : `${fmt(a)} vs ${fmt(b)} ${unit} (${ratio.toFixed(2)}×)`;
      return { text, met: min === undefined ? a > b : ratio >= min };
    };
    const one = show(results.one?.[name]);
    const two = show(results.two?.[name]);
    return { one: one.text, two: two.text, met: one.met };
  };
  out.push({ target: 'promise TCP ping-pong ≥ 0.70× C', ...against(TCP_PINGPONG, 'promise', 'c', 'round trips/s', 0.7) });
  out.push({ target: 'promise TCP ping-pong ahead of node:net', ...against(TCP_PINGPONG, 'promise', 'node', 'round trips/s') });
  out.push({ target: 'promise UDP ≥ 0.75× C', ...against(UDP, 'promise', 'c', 'datagrams/s', 0.75) });
  out.push({ target: 'promise UDP ahead of node:dgram', ...against(UDP, 'promise', 'node', 'datagrams/s') });
  out.push({ target: '…Sync UDP ≥ 0.85× C', ...against(UDP, 'sync', 'c', 'datagrams/s', 0.85) });
  return out;
}

// ---- batched datagrams (the sendmmsg/recvmmsg issue): UDP floods of 64-byte
// datagrams, in every chosen placement. One side is always C so only the
// other differs: the receive flood has C's sendmmsg sender and the receiver
// varies, the send flood C's recvmmsg receiver and the sender varies. 'c' is
// C's plain per-datagram loop (recvfrom or sendto, one call a datagram), what
// the targets compare with; 'c-mmsg' C's own batched loop, for the record;
// this package batches FLOOD_BATCH (64) a call (bench/peer.ts), node:dgram
// has one event or send() a datagram. Every receiver asks for a 4 MiB
// SO_RCVBUF and stops once nothing has come for 300 ms.

const FLOOD_IMPLS = ['c', 'c-mmsg', 'sync', 'promise', 'node'] as const;
type FloodImpl = (typeof FLOOD_IMPLS)[number];
const FLOOD_TITLE: Record<FloodImpl, string> = {
  c: 'C, one call a datagram',
  'c-mmsg': 'C, recvmmsg/sendmmsg ×64',
  sync: '…mmsgSync ×64',
  promise: 'promise …mmsg ×64',
  node: 'node:dgram',
};

interface Flood {
  name: string;
  /** Which side varies; the other is C batched. */
  varies: 'receiver' | 'sender';
  unit: string;
}

const FLOOD_RECV = 'UDP flood receive 64 B (C sendmmsg sender; receiver varies)';
const FLOOD_SEND = 'UDP flood send 64 B (C recvmmsg receiver; sender varies)';
const FLOODS: Flood[] = [
  { name: FLOOD_RECV, varies: 'receiver', unit: 'datagrams/s received' },
  { name: FLOOD_SEND, varies: 'sender', unit: 'datagrams/s sent' },
];

function floodCommand(impl: FloodImpl, role: 'server' | 'client', addr: string, args: string[], cpu: string | undefined): string[] {
  if (impl === 'c' || impl === 'c-mmsg') {
    const base = [cBench, role, impl === 'c' ? 'flood' : 'flood-mmsg', addr, ...args];
    return cpu === undefined ? base : ['taskset', '-c', cpu, ...base];
  }
  return command(impl, [role, 'flood', addr, ...args], cpu);
}

interface FloodRun {
  /** The varying side's rate: datagrams received (or sent) per second. */
  value: number;
  sent: number;
  received: number;
  /** Datagrams per recvmmsg on the receiving side, where it batches. */
  batch?: number;
}

async function measureFlood(f: Flood, impl: FloodImpl, mode: Mode): Promise<FloodRun> {
  const recvImpl: FloodImpl = f.varies === 'receiver' ? impl : 'c-mmsg';
  const sendImpl: FloodImpl = f.varies === 'sender' ? impl : 'c-mmsg';
  const addr = freshAddr(false);
  const server = launch(floodCommand(recvImpl, 'server', addr, [], cpuOf(mode, 'server')));
  await server.ready;
  const client = launch(floodCommand(sendImpl, 'client', addr, [String(SECONDS)], cpuOf(mode, 'client')));
  const c = await client.result;
  const s = await server.result;
  const value = f.varies === 'receiver' ? s.received / s.seconds : c.sent / c.seconds;
  return { value, sent: c.sent, received: s.received, batch: s.calls ? s.received / s.calls : undefined };
}

interface FloodCell {
  runs: number[];
  median: number;
  /** Loss (1 − received/sent) of each run, and its median. */
  losses: number[];
  loss: number;
  /** Median datagrams per recvmmsg, where the receiver batches. */
  batch?: number;
}
type FloodPer = Record<FloodImpl, FloodCell>;

async function floods(chosen: Flood[]): Promise<Partial<Record<Mode, Record<string, FloodPer>>>> {
  const out: Partial<Record<Mode, Record<string, FloodPer>>> = {};
  for (const m of MODES) out[m] = {};
  for (const f of chosen) {
    const per = {} as Record<Mode, FloodPer>;
    const batches = {} as Record<Mode, Record<FloodImpl, number[]>>;
    for (const m of MODES) {
      per[m] = {} as FloodPer;
      batches[m] = {} as Record<FloodImpl, number[]>;
      for (const impl of FLOOD_IMPLS) {
        per[m][impl] = { runs: [], median: 0, losses: [], loss: 0 };
        batches[m][impl] = [];
      }
    }
    for (let r = 0; r < RUNS; r++) {
      for (const m of MODES) {
        for (const impl of FLOOD_IMPLS) {
          const x = await measureFlood(f, impl, m);
          const loss = x.sent > 0 ? 1 - x.received / x.sent : 0;
          per[m][impl].runs.push(x.value);
          per[m][impl].losses.push(loss);
          if (x.batch !== undefined) batches[m][impl].push(x.batch);
          console.error(
            `  ${f.name} · ${m} CPU${m === 'one' ? '' : 's'} · ${impl} · run ${r + 1}: ${x.value.toFixed(0)} ${f.unit}` +
              ` (sent ${x.sent}, received ${x.received}, loss ${(loss * 100).toFixed(1)}%${x.batch !== undefined ? `, ${x.batch.toFixed(1)} a recvmmsg` : ''})`,
          );
        }
      }
    }
    for (const m of MODES) {
      for (const impl of FLOOD_IMPLS) {
        const cell = per[m][impl];
        cell.median = median(cell.runs);
        cell.loss = median(cell.losses);
        if (batches[m][impl].length) cell.batch = median(batches[m][impl]);
      }
      out[m]![f.name] = per[m];
    }
  }
  return out;
}

// ---- sendmsg with 3 iov entries against one send of the joined bytes
// (bench/msg.ts, and C's own pair from bench.c "micro sendmsg"), on CPU 0
// unless unpinned: ns per call, median of RUNS processes.

const SENDMSG = 'sendmsg 3 iov vs send of the joined bytes (micro)';
const SENDMSG_CALLS = 100_000;

interface SendmsgBench {
  /** Per shape (total bytes): per variant, ns per call (median of the runs). */
  js: Record<string, Record<string, number>>;
  c: Record<string, Record<string, number>>;
  runs: { js: unknown; c: unknown }[];
}

function sendmsgBench(): SendmsgBench {
  const cpu = cpuOf(MAIN_MODE, 'client');
  const pin = (argv: string[]) => (cpu === undefined ? argv : ['taskset', '-c', cpu, ...argv]);
  const runs: { js: Record<string, Record<string, number>>; c: Record<string, number> }[] = [];
  for (let r = 0; r < RUNS; r++) {
    const cArgv = pin([cBench, 'micro', 'sendmsg', String(SENDMSG_CALLS)]);
    const c = JSON.parse(execFileSync(cArgv[0], cArgv.slice(1), { encoding: 'utf8' }));
    const jsArgv = pin([process.execPath, '--import', 'tsx', path.join(here, 'msg.ts'), String(SENDMSG_CALLS)]);
    const js = JSON.parse(
      execFileSync(jsArgv[0], jsArgv.slice(1), { encoding: 'utf8', cwd: path.join(here, '..'), stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    console.error(`  ${SENDMSG} · run ${r + 1}: ${JSON.stringify({ c, js })}`);
    runs.push({ js, c });
  }
  const js: Record<string, Record<string, number>> = {};
  const c: Record<string, Record<string, number>> = {};
  for (const shape of Object.keys(runs[0].js)) {
    js[shape] = {};
    for (const v of Object.keys(runs[0].js[shape])) js[shape][v] = median(runs.map((x) => x.js[shape][v]));
    c[shape] = {
      send: median(runs.map((x) => x.c[`send${shape}`])),
      sendmsg: median(runs.map((x) => x.c[`sendmsg${shape}`])),
    };
  }
  return { js, c, runs };
}

// ---- the sendmmsg/recvmmsg issue's targets, on one CPU (two for the record).

function floodTargets(res: Partial<Record<Mode, Record<string, FloodPer>>>, sm: SendmsgBench | undefined): Target[] {
  const out: Target[] = [];
  const against = (name: string, impl: FloodImpl, other: FloodImpl, min: number) => {
    const show = (per: FloodPer | undefined) => {
      if (per === undefined) return { text: 'not measured', met: undefined };
      const a = per[impl].median;
      const b = per[other].median;
      const ratio = a / b;
      // What C itself reaches on the same yardstick: how far the target is within reach on this machine.
      const ref =
        other === 'c'
          ? `C's own batched loop ${(per['c-mmsg'].median / b).toFixed(2)}×`
          : `C's per-datagram loop ${(per.c.median / b).toFixed(2)}×`;
      return {
        text: `${ratio.toFixed(2)}× (${fmt(a)} vs ${fmt(b)} datagrams/s; loss ${pct(per[impl].loss)} vs ${pct(per[other].loss)}; ${ref})`,
        met: ratio >= min,
      };
    };
    const one = show(res.one?.[name]);
    const two = show(res.two?.[name]);
    return { one: one.text, two: two.text, met: one.met };
  };
  out.push({ target: 'promise recvmmsg ×64 receive ≥ 1.0× C recvfrom loop', ...against(FLOOD_RECV, 'promise', 'c', 1) });
  out.push({ target: 'recvmmsgSync ×64 receive ≥ 1.0× C recvfrom loop', ...against(FLOOD_RECV, 'sync', 'c', 1) });
  out.push({ target: 'promise recvmmsg ×64 receive ≥ 2× node:dgram', ...against(FLOOD_RECV, 'promise', 'node', 2) });
  out.push({ target: 'recvmmsgSync ×64 receive ≥ 2× node:dgram', ...against(FLOOD_RECV, 'sync', 'node', 2) });
  out.push({ target: 'promise sendmmsg ×64 send ≥ 1.0× C sendto loop', ...against(FLOOD_SEND, 'promise', 'c', 1) });
  out.push({ target: 'sendmmsgSync ×64 send ≥ 1.0× C sendto loop', ...against(FLOOD_SEND, 'sync', 'c', 1) });
  out.push({ target: 'promise sendmmsg ×64 send ≥ 2× node:dgram', ...against(FLOOD_SEND, 'promise', 'node', 2) });
  out.push({ target: 'sendmmsgSync ×64 send ≥ 2× node:dgram', ...against(FLOOD_SEND, 'sync', 'node', 2) });
  if (sm) {
    for (const shape of Object.keys(sm.js)) {
      const j = sm.js[shape];
      const ratio = j.sendmsgSync / j.sendSync;
      out.push({
        target: `sendmsgSync of 3 iov (${shape} B) ≤ 1.0× sendSync of the joined bytes (ns per call)`,
        one: `${ratio.toFixed(2)}× (${fmt(j.sendmsgSync)} vs ${fmt(j.sendSync)} ns; C's own sendmsg/send ${(sm.c[shape].sendmsg / sm.c[shape].send).toFixed(2)}×)`,
        two: '—',
        met: ratio <= 1,
      });
    }
  }
  return out;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

async function main(): Promise<void> {
  console.error(`posix-sockets benchmark: ${RUNS} runs × ${SECONDS} s; ${MODES.map((m) => MODE_TITLE[m]).join('; ')}`);
  const results: Partial<Record<Mode, Record<string, PerImpl>>> = {};
  for (const m of MODES) results[m] = {};
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
  const chosen = workloads.filter((w) => !only || only.test(w.name));
  for (const w of chosen) {
    const modes = w.everyMode ? MODES : [MAIN_MODE];
    const per = {} as Record<Mode, PerImpl>;
    for (const m of modes) {
      per[m] = {} as PerImpl;
      for (const impl of IMPLS) per[m][impl] = { runs: [], median: 0 };
    }
    for (let r = 0; r < RUNS; r++) {
      // Interleaved, so slow spells of the machine touch every implementation and placement alike.
      for (const m of modes) {
        for (const impl of IMPLS) {
          const x = await w.measure(impl, m);
          per[m][impl].runs.push(x.value);
          if (x.extra) per[m][impl].extra = x.extra;
          console.error(`  ${w.name} · ${m} CPU${m === 'one' ? '' : 's'} · ${impl} · run ${r + 1}: ${x.value.toFixed(0)} ${w.unit}${x.extra ? ` (${x.extra})` : ''}`);
        }
      }
    }
    for (const m of modes) {
      for (const impl of IMPLS) per[m][impl].median = median(per[m][impl].runs);
      results[m]![w.name] = per[m];
    }
  }

  const floodChosen = FLOODS.filter((f) => !only || only.test(f.name));
  const flood = floodChosen.length ? await floods(floodChosen) : undefined;
  const sendmsg = !only || only.test(SENDMSG) ? sendmsgBench() : undefined;
  const floodGoals = flood || sendmsg ? floodTargets(flood ?? {}, sendmsg) : [];

  const syscalls: Record<string, Record<Impl, number>> = {};
  if (!only && haveTool('perf', ['stat', '-e', 'raw_syscalls:sys_enter', 'true'])) {
    for (const [label, wl, n] of [
      ['TCP ping-pong (client, per round trip)', 'pingpong-count', 20000],
      ['connect+close (client, per connection)', 'connect', 2000],
    ] as const) {
      syscalls[label] = {} as Record<Impl, number>;
      for (const impl of IMPLS) syscalls[label][impl] = await syscallsPerOp(impl, wl, n);
    }
  }
  const micro = only ? undefined : await microOverhead();
  const engineChosen = ENGINE.filter((sc) => !only || only.test(`engine ${sc.name}`));
  const engine = engineChosen.length ? runEngine(engineChosen) : undefined;
  const scale = !only || only.test('scale') || only.test('leaks') ? scaleAndLeaks() : undefined;
  const goals = targets(results);
  const elapsed = (Date.now() - started) / 1000;

  // ---- report
  const lines: string[] = [];
  lines.push(
    `Median of ${RUNS} runs of ${SECONDS} s each; ratios are to C in the same run and the same placement. ` +
      `${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? ''}, Node ${process.version}, ${os.platform()} ${os.release()}. ` +
      `This run took ${(elapsed / 60).toFixed(1)} min, build included.`,
  );
  for (const n of notes) lines.push('', n);
  const table = (m: Mode) => {
    const ws = chosen.filter((w) => results[m]![w.name] !== undefined);
    if (ws.length === 0) return;
    lines.push('', `### ${MODE_TITLE[m]}`, '');
    lines.push('| workload | unit | C | …Sync | promise | node:net/dgram |');
    lines.push('|---|---|---|---|---|---|');
    for (const w of ws) {
      const per = results[m]![w.name];
      const c = per.c.median;
      const cell = (impl: Impl) =>
        impl === 'c'
          ? `${fmt(c)}${per.c.extra ? ` (${per.c.extra})` : ''}`
          : `${fmt(per[impl].median)} (**${(per[impl].median / c).toFixed(2)}×**)${per[impl].extra ? ` ${per[impl].extra}` : ''}`;
      lines.push(`| ${w.name} | ${w.unit} | ${cell('c')} | ${cell('sync')} | ${cell('promise')} | ${cell('node')} |`);
    }
  };
  for (const m of MODES) table(m);
  if (goals.some((g) => g.met !== undefined)) {
    lines.push('', '### Targets (engine issue), on one CPU', '');
    lines.push('| target | measured, one CPU | met? | two CPUs (no target; for the record) |');
    lines.push('|---|---|---|---|');
    for (const g of goals) {
      const met = g.met === undefined ? '—' : g.met ? 'met' : '**not met**';
      lines.push(`| ${g.target} | ${g.one} | ${met} | ${g.two} |`);
    }
  }
  if (flood) {
    for (const m of MODES) {
      lines.push('', `### Batched datagrams, ${MODE_TITLE[m].replace(/^./, (ch) => ch.toLowerCase())}`, '');
      lines.push(
        "Each cell: the varying side's datagrams/s (ratio to C's per-datagram loop), loss = 1 − received/sent, " +
          'and for a batching receiver the datagrams each recvmmsg returned (median).',
      );
      lines.push('');
      lines.push(`| workload | unit | ${FLOOD_IMPLS.map((i) => FLOOD_TITLE[i]).join(' | ')} |`);
      lines.push(`|---|---|${FLOOD_IMPLS.map(() => '---').join('|')}|`);
      for (const f of floodChosen) {
        const per = flood[m]![f.name];
        const c = per.c.median;
        const cell = (impl: FloodImpl) => {
          const x = per[impl];
          const ratio = impl === 'c' ? '' : ` (**${(x.median / c).toFixed(2)}×**)`;
          const batch = x.batch !== undefined ? `, ${x.batch.toFixed(1)}/call` : '';
          return `${fmt(x.median)}${ratio} loss ${pct(x.loss)}${batch}`;
        };
        lines.push(`| ${f.name} | ${f.unit} | ${FLOOD_IMPLS.map(cell).join(' | ')} |`);
      }
    }
  }
  if (sendmsg) {
    const cpu = cpuOf(MAIN_MODE, 'client') === undefined ? 'unpinned' : 'on CPU 0';
    lines.push('');
    lines.push(
      `${SENDMSG}: ns per call on an AF_UNIX SOCK_DGRAM socketpair, only the sends timed (bench/msg.ts; ${cpu}; median of ${RUNS} runs). ` +
        'Shapes: 16 + 32 + 16 B and 64 + 1024 + 64 B. sendSync: the bytes already joined; concat: Buffer.concat each call; raw binding: lib/ skipped.',
    );
    lines.push('');
    lines.push(
      '| bytes | C send | C sendmsg 3 iov | sendSync | sendmsgSync 3 iov | ratio (target ≤ 1.0) | sendSync(Buffer.concat) | sendmsgSync 1 iov | raw send | raw sendmsg 3 iov | promise send | promise sendmsg 3 iov |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const shape of Object.keys(sendmsg.js)) {
      const j = sendmsg.js[shape];
      const c = sendmsg.c[shape];
      lines.push(
        `| ${shape} | ${fmt(c.send)} | ${fmt(c.sendmsg)} | ${fmt(j.sendSync)} | ${fmt(j.sendmsgSync)} | **${(j.sendmsgSync / j.sendSync).toFixed(2)}×** | ` +
          `${fmt(j.sendSyncConcat)} | ${fmt(j.sendmsgSync1)} | ${fmt(j.bindingSend)} | ${fmt(j.bindingSendmsg)} | ${fmt(j.send)} | ${fmt(j.sendmsg)} |`,
      );
    }
  }
  if (floodGoals.some((g) => g.met !== undefined)) {
    lines.push('', '### Targets (sendmmsg/recvmmsg issue), on one CPU', '');
    lines.push('| target | measured, one CPU | met? | two CPUs (no target; for the record) |');
    lines.push('|---|---|---|---|');
    for (const g of floodGoals) {
      const met = g.met === undefined ? '—' : g.met ? 'met' : '**not met**';
      lines.push(`| ${g.target} | ${g.one} | ${met} | ${g.two} |`);
    }
  }
  if (engine) {
    const where = cpuOf(MAIN_MODE, 'client') === undefined ? 'unpinned' : 'on CPU 0';
    lines.push('', `### Waiting engine (bench/engine.ts: one process per run, ${where}; median of ${RUNS} runs)`, '');
    lines.push('| scenario | measured | median | runs | how the calls ended (last run) |');
    lines.push('|---|---|---|---|---|');
    for (const sc of engineChosen) {
      const res = engine.results[sc.name];
      if (res.skipped !== undefined || res.runs.length === 0) {
        lines.push(`| ${sc.title} | — | ${res.skipped !== undefined ? `skipped: ${res.skipped}` : 'no run completed'} | | |`);
        continue;
      }
      const last = res.runs[res.runs.length - 1];
      sc.rows.forEach(([key, what, unit], i) => {
        const f = (x: number) => (unit === 'calls' ? String(x) : fmt(x));
        const incomplete = res.runs.some((x) => x.completed === 0) ? ' (some runs hit the 60 s limit)' : '';
        lines.push(
          `| ${i === 0 ? sc.title : ''} | ${what} | ${f(res.medians[key])} ${unit}${incomplete} | ${res.runs.map((x) => f(Number(x[key]))).join(', ')} | ${i === 0 && sc.outcome ? sc.outcome(last) : ''} |`,
        );
      });
    }
    for (const f of engine.failures) lines.push(`\nFailed: ${f}.`);
  }
  if (Object.keys(syscalls).length) {
    lines.push('');
    lines.push(
      `System calls per operation (perf stat -e raw_syscalls:sys_enter, difference of a 2N and an N run; ${MODE_SHORT[MAIN_MODE]}):`,
    );
    lines.push('');
    lines.push('| measured | C | …Sync | promise | node |');
    lines.push('|---|---|---|---|---|');
    for (const [label, per] of Object.entries(syscalls)) {
      lines.push(`| ${label} | ${IMPLS.map((i) => per[i].toFixed(2)).join(' | ')} |`);
    }
  }
  if (micro) {
    lines.push('');
    lines.push('Cost of one call that fails at once (recv with MSG_DONTWAIT on an empty socket → EAGAIN):');
    lines.push('');
    lines.push('| C | raw binding (returns -EAGAIN) | recvIntoSync (throws SocketError) | recvInto promise (rejects) |');
    lines.push('|---|---|---|---|');
    lines.push(`| ${micro.c.toFixed(0)} ns | ${micro.binding.toFixed(0)} ns | ${micro.sync.toFixed(0)} ns | ${micro.promise.toFixed(0)} ns |`);
  }
  if (scale) {
    lines.push('');
    lines.push(
      `Scale and leaks (test/scale/hold.js, test/scale/leaks.js; median of ${RUNS} runs). ` +
        'npm test checks that every call is served and no fd is left; these figures are reported, never failed on:',
    );
    lines.push('');
    lines.push('| measured | median | runs | target | met? |');
    lines.push('|---|---|---|---|---|');
    for (const r of scale.rows) {
      const f = (x: number) => (r.unit === 'ms' || r.unit === 'MiB' ? x.toFixed(2) : fmt(x));
      const target = r.below === Infinity ? '—' : `< ${fmt(r.below)} ${r.unit}`;
      const met = r.below === Infinity ? '—' : r.met ? 'met' : '**not met**';
      lines.push(`| ${r.measured} | ${f(r.median)} ${r.unit} | ${r.runs.map(f).join(', ')} | ${target} | ${met} |`);
    }
    for (const n of scale.notRun) lines.push(`\nNot run: ${n}.`);
  }
  const md = lines.join('\n') + '\n';
  process.stdout.write(md);
  if (only) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return; // a partial run does not replace the recorded results
  }
  fs.writeFileSync(path.join(here, 'results.md'), md);
  fs.writeFileSync(
    path.join(here, 'results.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        runs: RUNS,
        seconds: SECONDS,
        modes: MODES,
        elapsedSeconds: elapsed,
        results,
        targets: goals,
        floods: flood,
        sendmsg,
        floodTargets: floodGoals,
        engine,
        syscalls,
        micro,
        scale,
      },
      null,
      2,
    ) + '\n',
  );
  fs.rmSync(tmp, { recursive: true, force: true });
}

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
