import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bento, bentoBin, projectRoot } from '../support/cli.js';

const hello = join(projectRoot, 'examples/native-hello');
const fixtures = join(projectRoot, 'test/fixtures/native');
const boards = ['m4', 'm7'] as const;

/** QEMU processes still running an image: there must never be any once bento has returned. */
function qemuRunning(elf: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `qemu-system-arm.*${elf}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

async function buildFixture(name: string, board: string): Promise<string> {
  const r = await bento(['build', board, '--recipe', `${name}.toml`], fixtures);
  expect(r.stderr + r.stdout, 'fixture build').toMatch(/(linked |is up to date: )build\//);
  return join(fixtures, 'build', name, board, `${name}.elf`);
}

describe.each(boards)('native-hello on %s', (board) => {
  beforeAll(async () => {
    const r = await bento(['build', board], hello);
    if (r.code !== 0) throw new Error(`build failed:\n${r.stderr}`);
  });

  it('prints over the UART and exits 0', async () => {
    const r = await bento(['run', board], hello);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [`Hello from bento on ${board}!`, 'boxes keep faults contained (27 chars)', 'fib(20) = 6765', 'float check: 9813/1000', ''].join('\n'),
    );
    expect(readFileSync(join(hello, 'build', board, 'native-hello.uart.log'), 'utf8')).toBe(r.stdout);
  });

  it('writes the ELF, raw binary, map file and linker script, and reports sizes', async () => {
    const out = join(hello, 'build', board);
    for (const f of ['native-hello.elf', 'native-hello.bin', 'native-hello.map', 'link.ld']) expect(existsSync(join(out, f)), f).toBe(true);
    const bin = readFileSync(join(out, 'native-hello.bin'));
    // The raw image starts with the vector table: initial SP in RAM, then the Thumb reset vector.
    expect(bin.readUInt32LE(0) >>> 0).toBeGreaterThan(0x2000_0000);
    expect(bin.readUInt32LE(4) & 1).toBe(1);
  });

  it('recompiles nothing when nothing changed, and says so in one line (-v shows every step)', async () => {
    const r = await bento(['build', board], hello);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^native-hello for ${board} is up to date: build/${board}/native-hello\\.elf \\(RAM \\d+\\.\\d%, flash \\d+\\.\\d%\\)\\n$`));
    const verbose = await bento(['build', board, '-v'], hello);
    expect(verbose.stderr).not.toMatch(/^\s+compiled /m);
    expect(verbose.stderr).toMatch(/up to date main\.c/);
  });
});

describe.each(boards)('runner on %s', (board) => {
  it("returns the firmware's exit code", async () => {
    const elf = await buildFixture('exit-code', board);
    const r = await bento(['run', elf, '--board', board]);
    expect(r.code).toBe(42);
    expect(r.stdout).toBe('exiting with 42');
    expect(r.stderr).toContain('firmware exited with code 42');
  });

  it('stops a firmware that never exits, with exit code 124, and leaves no QEMU behind', async () => {
    const elf = await buildFixture('hang', board);
    const started = Date.now();
    const r = await bento(['run', elf, '--board', board, '--timeout', '2']);
    expect(r.code).toBe(124);
    expect(r.stdout).toBe('spinning forever\n');
    expect(r.stderr).toMatch(/timeout: the firmware did not exit within 2 s/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(qemuRunning(elf)).toEqual([]);
  });

  it.each([
    ['fault-bus', 152, ['*** bento: BusFault', 'PRECISERR', 'BFAR 0x3f000000', '  PC 0x']],
    ['fault-udf', 153, ['*** bento: UsageFault', 'UNDEFINSTR', '  PC 0x']],
    ['fault-stack', 151, ['*** bento: MemManage', 'MSTKERR', 'likely a stack overflow']],
  ] as const)('%s prints a fault report and exits %i', async (name, code, lines) => {
    const elf = await buildFixture(name, board);
    const r = await bento(['run', elf, '--board', board, '--timeout', '10']);
    expect(r.stdout).toMatch(/^about to fault\n/);
    for (const l of lines) expect(r.stdout).toContain(l);
    expect(r.code).toBe(code);
  });
});

describe('no QEMU is left behind', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('when bento gets %s', async (signal) => {
    const elf = await buildFixture('hang', 'm4');
    let pid = 0;
    const running = bento(['run', elf, '--board', 'm4', '--timeout', '60'], projectRoot, (p) => (pid = p));
    // Wait until the firmware is really running under QEMU.
    for (let i = 0; i < 100 && qemuRunning(elf).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(qemuRunning(elf).length).toBe(1);
    process.kill(pid, signal);
    const r = await running;
    expect(r.code).toBe(signal === 'SIGINT' ? 130 : 143);
    for (let i = 0; i < 20 && qemuRunning(elf).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(qemuRunning(elf)).toEqual([]);
  });
});

describe('a reader that goes away', () => {
  it('ends bento run quietly with 141 (128 + SIGPIPE), and no QEMU is left', async () => {
    const elf = await buildFixture('chatter', 'm4');
    const child = spawn(process.execPath, [bentoBin, 'run', elf, '--board', 'm4', '--timeout', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Like `bento run | head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(141);
    for (let i = 0; i < 20 && qemuRunning(elf).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(qemuRunning(elf)).toEqual([]);
  });
});

describe('bad input', () => {
  function project(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'bento-test-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  it('a C syntax error is a compile error with the compiler location, and no image', async () => {
    const dir = project({ 'bento.toml': 'name = "broken"\n[host]\nsources = ["main.c"]\n', 'main.c': 'int main(void) {\n  return 0\n}\n' });
    const r = await bento(['build', 'm4'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[B5002]: compiling');
    expect(r.stderr).toMatch(/main\.c:2:11: error: expected ';'/);
    expect(existsSync(join(dir, 'build/m4/broken.elf'))).toBe(false);
  });

  it('an undefined symbol is a link error, and no image is left behind', async () => {
    const dir = project({ 'bento.toml': 'name = "unlinked"\n[host]\nsources = ["main.c"]\n', 'main.c': 'int missing(void);\nint main(void) { return missing(); }\n' });
    const r = await bento(['build', 'm4'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("main.c:2 (symbol missing): error[B2010]: main.c uses 'missing' in main(), which neither the host's sources nor any box's exports define");
    expect(r.stderr).toContain('hint: define it in one of host.sources, or export it from a box and add it to host.imports');
    const out = join(dir, 'build/m4');
    for (const f of ['unlinked.elf', 'unlinked.bin', 'unlinked.map', 'unlinked.elf.tmp']) expect(existsSync(join(out, f)), f).toBe(false);
  });

  it('a recipe with an unknown key and a missing source reports both with locations', async () => {
    const dir = project({ 'bento.toml': 'name = "x"\n[host]\nsources = ["nope.c"]\nstak = 4096\n' });
    const r = await bento(['build', 'm4'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bento\.toml:4:1: error\[B1001\]: unknown key 'host\.stak'\n  hint: did you mean 'stack'\?/);
  });

  it('an emulator that cannot start the board is one clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-test-'));
    cpSync(join(projectRoot, 'boards/m4.toml'), join(dir, 'm4.toml'));
    writeFileSync(join(dir, 'bad.toml'), readFileSync(join(dir, 'm4.toml'), 'utf8').replace('machine = "mps2-an386"', 'machine = "no-such-machine"'));
    const elf = await buildFixture('exit-code', 'm4');
    const r = await bento(['run', elf, '--board', join(dir, 'bad.toml')]);
    expect(r.code).toBe(1);
    // QEMU's own words come once: in the message, or (when they came after the hold-back period
    // of a loaded machine) streamed just above it.
    expect(r.stderr).toMatch(/error\[B6002\]: QEMU could not run .*exit-code\.elf(:\nqemu-system-arm: unsupported machine type| \(its messages are above\))/);
    expect(r.stderr.match(/qemu-system-arm: unsupported machine type/g)).toHaveLength(1);
  });
});
