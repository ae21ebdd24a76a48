// A pty whose other side closes (QEMU ending) hangs up: serialport's own read loop then reads 0
// bytes forever at full CPU and never reports the close. Through bento's binding the link fails.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openLink } from '../../src/flash/byte-link.js';

/** A pty pair held by python3: prints the slave's name, closes the master on a line from stdin. */
function ptyPair() {
  const script = 'import os,pty,sys\nm,s=pty.openpty()\nprint(os.ttyname(s),flush=True)\nos.close(s)\nsys.stdin.readline()\nos.close(m)\nsys.stdin.readline()\n';
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const name = new Promise<string>((resolve) => child.stdout.setEncoding('utf8').once('data', (d: string) => resolve(d.trim())));
  return { name, hangUp: () => child.stdin.write('\n'), end: () => child.kill() };
}

describe('a serial link whose other side hangs up', () => {
  it('fails its reads with B6005 at once, without spinning', { timeout: 30_000 }, async () => {
    const pair = ptyPair();
    try {
      const link = await openLink(await pair.name, { baud: 115200, parity: 'none' });
      const before = process.cpuUsage();
      pair.hangUp();
      const started = Date.now();
      let failure: unknown;
      while (Date.now() - started < 5_000) {
        try {
          await link.readSome(200);
        } catch (err) {
          failure = err;
          break;
        }
      }
      expect((failure as { code?: string })?.code).toBe('B6005');
      // Two seconds more: a read loop still running would burn them.
      await new Promise((r) => setTimeout(r, 2_000));
      const used = process.cpuUsage(before);
      expect((used.user + used.system) / 1000, 'ms of CPU').toBeLessThan(600);
      await link.close();
    } finally {
      pair.end();
    }
  });
});
