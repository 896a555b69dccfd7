// Plain files and FIFOs for the fd-passing tests (things to send that are
// not sockets), closed after each test, and what /proc says about this
// process's open fds (Linux) for the tests that count them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * fds opened with node:fs for a test, closed with fs.closeSync after it.
 * They are only ever used with Sync calls, so the package never watches them.
 */
export class Files {
  private readonly open = new Set<number>();

  /** A file at `dir/name` holding `content`, opened with `flags`. */
  file(dir: string, name: string, content: string, flags: fs.OpenMode = 'r'): { path: string; fd: number } {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return { path: p, fd: this.track(fs.openSync(p, flags)) };
  }

  /** A FIFO at `dir/name`: its read end (O_NONBLOCK, so opening it does not wait for a writer), then its write end. */
  fifo(dir: string, name = 'fifo'): { path: string; r: number; w: number } {
    const p = path.join(dir, name);
    execFileSync('mkfifo', [p]);
    const r = this.track(fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
    const w = this.track(fs.openSync(p, fs.constants.O_WRONLY));
    return { path: p, r, w };
  }

  track(fd: number): number {
    this.open.add(fd);
    return fd;
  }

  close(fd: number): void {
    this.open.delete(fd);
    fs.closeSync(fd);
  }

  closeAll(): void {
    for (const fd of this.open) {
      try {
        fs.closeSync(fd);
      } catch {
        // closed by the test
      }
    }
    this.open.clear();
  }
}

/** A Files whose fds are all closed after each test. */
export function useFiles(): Files {
  const f = new Files();
  afterEach(() => f.closeAll());
  return f;
}

/** How many fds this process has open (Linux: the entries of /proc/self/fd, less the one listing them). */
export function openFdCount(): number {
  return fs.readdirSync('/proc/self/fd').length - 1;
}

/** What /proc/self/fd/<fd> links to (Linux): a path, or 'socket:[inode]', 'pipe:[inode]'. */
export function fdTarget(fd: number): string {
  return fs.readlinkSync(`/proc/self/fd/${fd}`);
}

/** True when the two fds refer to the same file (fstat's device and inode agree). */
export function sameFile(a: number, b: number): boolean {
  const x = fs.fstatSync(a);
  const y = fs.fstatSync(b);
  return x.dev === y.dev && x.ino === y.ino;
}

/** Reads up to `max` bytes through `fd` at offset 0 (pread: the shared file offset is left alone). */
export function preadAll(fd: number, max = 4096): string {
  const buf = Buffer.alloc(max);
  const n = fs.readSync(fd, buf, 0, max, 0);
  return buf.toString('utf8', 0, n);
}
