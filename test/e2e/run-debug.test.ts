import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, bentoBin, projectRoot } from '../support/cli.js';

// bento run: builds before running, leaves no QEMU behind even when SIGKILLed, waits for
// gdb-multiarch with --gdb, and names the function and line of a fault. One board each.
const fixtures = join(projectRoot, 'test/fixtures/native');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function buildFixture(name: string, board: string): Promise<string> {
  const r = await bento(['build', board, '--recipe', `${name}.toml`], fixtures);
  expect(r.stderr + r.stdout, 'fixture build').toMatch(/(linked |is up to date: )build\//);
  return join(fixtures, 'build', name, board, `${name}.elf`);
}

/** The line number of the first line of `file` containing `marker`. */
function lineOf(file: string, marker: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker));
  expect(index, `${marker} in ${file}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

/** Live (not zombie) processes whose parent is `ppid` and whose command line mentions `text`. */
function childrenOf(ppid: number, text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(parent) !== ppid || state === 'Z') continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) found.push(Number(entry));
    } catch {
      // the process ended while being read
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('bento run <board> builds first', () => {
  it('runs an edited source without a separate build (m7)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-run-'));
    cpSync(join(fixtures, 'exit-code.c'), join(dir, 'exit-code.c'));
    cpSync(join(fixtures, 'exit-code.toml'), join(dir, 'bento.toml'));
    const first = await bento(['run', 'm7', '--timeout', '120'], dir);
    expect(first.stdout).toBe('exiting with 42');
    expect(first.code).toBe(42);
    expect(first.stderr).toMatch(/^ {2}compiled exit-code\.c$/m);

    writeFileSync(join(dir, 'exit-code.c'), readFileSync(join(dir, 'exit-code.c'), 'utf8').replace('exiting with 42");\n    return 42', 'edited, exiting with 7");\n    return 7'));
    const second = await bento(['run', 'm7', '--timeout', '120'], dir);
    expect(second.stdout).toBe('edited, exiting with 7');
    expect(second.code).toBe(7);
    expect(second.stderr).toMatch(/^ {2}linked build\/m7\/exit-code\.elf$/m);

    // Nothing changed: no build lines, only the run.
    const third = await bento(['run', 'm7', '--timeout', '120'], dir);
    expect(third.stdout).toBe('edited, exiting with 7');
    expect(third.stderr).not.toMatch(/compiled|linked/);
  }, 300_000);
});

describe('QEMU dies with bento', () => {
  it('even when bento is SIGKILLed (m4)', async () => {
    const elf = await buildFixture('chatter', 'm4');
    const child = spawn(process.execPath, [bentoBin, 'run', elf, '--board', 'm4', '--timeout', '120'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    const closed = new Promise((r) => child.on('close', r));
    let qemu: number[] = [];
    for (let i = 0; i < 300 && qemu.length === 0; i++) {
      await sleep(100);
      qemu = childrenOf(child.pid!, elf);
    }
    expect(qemu.length, 'a QEMU child of bento running the image').toBe(1);
    child.kill('SIGKILL');
    await closed;
    for (let i = 0; i < 50 && alive(qemu[0]!); i++) await sleep(100);
    expect(alive(qemu[0]!), `QEMU (pid ${qemu[0]}) still running after bento was killed`).toBe(false);
  }, 120_000);

  it('a missing qemu-system-arm is B5001, not a message from setpriv', async () => {
    const elf = await buildFixture('exit-code', 'm4');
    const bin = mkdtempSync(join(tmpdir(), 'bento-path-'));
    symlinkSync('/usr/bin/setpriv', join(bin, 'setpriv'));
    const r = await bento(['run', elf, '--board', 'm4'], projectRoot, undefined, { ...process.env, PATH: bin });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[B5001\]: qemu-system-arm not found/);
  }, 120_000);
});

describe('bento run --gdb (m33)', () => {
  it('waits for gdb-multiarch, which stops at main and lets the firmware finish', async () => {
    const elf = await buildFixture('exit-code', 'm33');
    const port = 20000 + (process.pid % 20000);
    let stderr = '';
    const child = spawn(process.execPath, [bentoBin, 'run', elf, '--board', 'm33', '--gdb', '--gdb-port', String(port)], { cwd: fixtures, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = new Promise<number | null>((r) => child.on('close', r));
    for (let i = 0; i < 300 && !stderr.includes('target remote'); i++) await sleep(100);
    const attach = `gdb-multiarch build/exit-code/m33/exit-code.elf -ex 'target remote :${port}'`;
    expect(stderr).toContain(attach);

    const gdb = await run('gdb-multiarch', ['--batch', '-nx', elf, '-ex', `target remote :${port}`, '-ex', 'break main', '-ex', 'continue', '-ex', 'info symbol $pc', '-ex', 'bt', '-ex', 'continue']);
    expect(gdb.output).toMatch(/Breakpoint 1, main \(\) at .*exit-code\.c:\d+/);
    expect(gdb.output).toMatch(/^main(?: \+ \d+)? in section \.text/m);
    expect(gdb.output).toMatch(/^#0 +main \(\) at .*exit-code\.c:\d+/m);
    // exit(42) through semihosting: gdb sees the inferior end with 052 (octal).
    expect(gdb.output).toMatch(/exited with code 052/);
    expect(await code).toBe(42);
    expect(stdout).toBe('exiting with 42');
  }, 180_000);
});

describe('fault reports name the function and line (m4)', () => {
  it('of the PC and of the LR, on stderr, and leave the UART bytes alone', async () => {
    const elf = await buildFixture('fault-call', 'm4');
    const r = await bento(['run', elf, '--board', 'm4', '--timeout', '60']);
    expect(r.code).toBe(152);
    const source = join(fixtures, 'fault-call.c');
    const pc = new RegExp(`^bento: PC 0x[0-9a-f]{8} in store_far at \\S*fault-call\\.c:${lineOf(source, '/* PC')}$`, 'm');
    const lr = new RegExp(`^bento: LR 0x[0-9a-f]{8} in main at \\S*fault-call\\.c:${lineOf(source, '/* LR')}$`, 'm');
    expect(r.stderr).toMatch(pc);
    expect(r.stderr).toMatch(lr);
    expect(r.stdout).toContain('*** bento: BusFault');
    expect(r.stdout).not.toContain('bento: PC');
    expect(readFileSync(elf.replace(/\.elf$/, '.uart.log'), 'utf8')).toBe(r.stdout);
  }, 120_000);
});

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
