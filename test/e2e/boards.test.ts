// Boards beyond QEMU's MPS2: the STM32F405 (netduinoplus2) and the LM3S6965 (lm3s6965evb) run
// native C, WASI programs, a box example and spec-suite files on QEMU; the three boards QEMU
// cannot emulate build and link, and `bento run` refuses them. No wall-clock assertions; QEMU
// runs get long timeouts.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';
import { specSuite, specSuiteMissing } from '../support/spec-suite.js';
import { normalise } from '../support/uart.js';
import { runInNode } from '../wasi/node-reference.js';
import { programsDir } from '../wasi/programs.js';

const work = mkdtempSync(join(tmpdir(), 'bento-boards-'));
const hello = join(projectRoot, 'examples/native-hello');
const emulated = ['stm32f405', 'lm3s6965'] as const;
const notEmulated = ['nucleo-f446re', 'stm32f746g-disco', 'nrf52840-dk'] as const;

describe.each(emulated)('native C on %s', (board) => {
  beforeAll(async () => {
    const r = await bento(['build', board], hello);
    if (r.code !== 0) throw new Error(`build failed:\n${r.stderr}`);
  });

  it('runs native-hello with its expected output', async () => {
    const r = await bento(['run', board, '--timeout', '60'], hello);
    expect(r.stdout).toBe([`Hello from bento on ${board}!`, 'boxes keep faults contained (27 chars)', 'fib(20) = 6765', 'float check: 9813/1000', ''].join('\n'));
    // QEMU's own start-up line on lm3s6965evb is left out (qemu.quiet in the board file).
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it.each([
    [1, 153, ['*** bento: UsageFault', 'UNDEFINSTR', '  PC 0x']],
    [2, 151, ['*** bento: MemManage', 'MSTKERR', 'likely a stack overflow']],
  ] as const)('fault kind %i prints a fault report and exits %i', async (kind, code, lines) => {
    // test/fixtures/native/fault.c with a heap small enough for 64 KiB of RAM
    const dir = join(work, `fault-${board}-${kind}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(projectRoot, 'test/fixtures/native/fault.c'), join(dir, 'fault.c'));
    writeFileSync(join(dir, 'bento.toml'), `name = "fault"\n[host]\nsources = ["fault.c"]\ndefines = ["FAULT_KIND=${kind}"]\nstack = "4 KiB"\nheap = "4 KiB"\n`);
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const r = await bento(['run', board, '--timeout', '60'], dir);
    expect(r.stdout).toMatch(/^about to fault\n/);
    for (const l of lines) expect(r.stdout).toContain(l);
    expect(r.code).toBe(code);
  });
});

describe.each(emulated)('a CPU budget on %s', (board) => {
  // SysTick counts cpu.clock-hz and the counter counter.hz: if either board number were off,
  // the 2 ms budget would end the call after another time on the counter. Virtual time under
  // --icount, so the time is exact, not wall-clock.
  it('ends an endless native box after 2 ms of counter time', async () => {
    const dir = join(work, `budget-${board}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'bento.toml'),
      'name = "budget"\n[host]\nsources = ["main.c"]\nheap = "4 KiB"\nimports.spin = "fn() -> err"\n' +
        '[box.spinner]\nruntime = "native"\nsources = ["spin.c"]\nbudget = "2 ms"\nexports.spin = "fn() -> err"\n',
    );
    writeFileSync(join(dir, 'spin.c'), '#include "bento_spinner.h"\nstatic volatile uint32_t turns;\nint32_t spin(void) { for (;;) turns++; }\n');
    writeFileSync(
      join(dir, 'main.c'),
      `#include <stdio.h>
#include "bento_host.h"
#include "bento/counter.h"
int main(void) {
    uint32_t t0 = bento_counter_read();
    int32_t r = spin();
    uint32_t t1 = bento_counter_read();
    printf("spin() = %ld after %lu us\\n", (long)r, (unsigned long)((uint64_t)(t1 - t0) * 1000000u / BENTO_COUNTER_HZ));
    return 0;
}
`,
    );
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const r = await bento(['run', board, '--icount', '--timeout', '60'], dir);
    expect(r.code, r.stderr).toBe(0);
    const m = /spin\(\) = (-?\d+) after (\d+) us/.exec(r.stdout);
    expect(m?.[1]).toBe('-8'); // BENTO_E_BUDGET
    expect(Number(m?.[2])).toBeGreaterThanOrEqual(2000);
    expect(Number(m?.[2])).toBeLessThan(2100);
  });
});

/** A test program for a 128 KiB part: a 16 KiB shadow stack and one 64 KiB page in all. */
function compileSmall(name: string): string {
  const out = join(work, 'wasm', `${name}.wasm`);
  mkdirSync(join(work, 'wasm'), { recursive: true });
  execFileSync('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', join(programsDir, `${name}.c`), '-o', out, '-lm', '-Wl,-z,stack-size=16384', '-Wl,--initial-memory=65536'], { stdio: 'pipe' });
  return out;
}

/** One build folder per board and options, so the runtime is compiled once for all programs. */
function runWasm(wasm: string, board: string, ...extra: string[]) {
  return bento(['run-wasm', wasm, '--board', board, '--timeout', '120', '--out-dir', join(work, 'out', board, extra.join('_') || 'default'), ...extra]);
}

describe('WASI programs on stm32f405 match Node', () => {
  const programs = ['int-math', 'float-math', 'strings', 'host-services', 'exit-code'];
  const wasms: Record<string, string> = {};
  beforeAll(() => {
    for (const name of programs) wasms[name] = compileSmall(name);
  });

  const runs: [string, string][] = programs.flatMap((p): [string, string][] => [[p, 'software'], ...(['int-math', 'float-math'].includes(p) ? [[p, 'mpu'] as [string, string]] : [])]);
  it.each(runs)('%s, bounds %s', async (name, bounds) => {
    const reference = await runInNode(wasms[name]!);
    const r = await runWasm(wasms[name]!, 'stm32f405', '--bounds', bounds);
    expect(r.stdout).toBe(reference.stdout);
    expect(r.stderr).toBe(reference.stderr);
    expect(r.code).toBe(reference.exitCode);
  });

  it('counts the same instructions run after run under --icount (TIM2: one tick a nanosecond)', async () => {
    const counts = [];
    for (let i = 0; i < 2; i++) {
      const r = await runWasm(wasms['int-math']!, 'stm32f405', '--icount');
      expect(r.code).toBe(0);
      counts.push(/bento: guest ran (\d+) instructions/.exec(r.stderr)?.[1]);
    }
    expect(Number(counts[0])).toBeGreaterThan(10_000);
    expect(counts[1]).toBe(counts[0]);
  });
});

describe('Wasm on lm3s6965 (Cortex-M3, soft float, 64 KiB of RAM)', () => {
  // A 64 KiB page cannot fit beside the runtime in 64 KiB of RAM, so these modules have a
  // memory of 0 pages (exported, for Node's WASI) and report through their exit code.
  const wat = (name: string, body: string) => {
    const file = join(work, `${name}.wat`);
    writeFileSync(
      file,
      `(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 0)
        (func $fib (param i32) (result i32)
          (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
            (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
        (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
        (func (export "_start") ${body}))`,
    );
    const out = join(work, `${name}.wasm`);
    execFileSync('wat2wasm', [file, '-o', out]);
    return out;
  };
  const cases = [
    // fib(20) + trunc(sqrt(2) * 1e6) = 1420978, mod 100 = 78: integer calls and soft-float f64
    ['fib-sqrt', '(call $exit (i32.rem_u (i32.add (call $fib (i32.const 20)) (i32.trunc_f64_s (f64.mul (f64.sqrt (f64.const 2)) (f64.const 1e6)))) (i32.const 100)))'],
    ['f32-trap', '(drop (i32.trunc_f32_s (f32.div (f32.const 1) (f32.const 0))))'],
    ['div-trap', '(drop (call $div (i32.const 1) (i32.const 0)))'],
  ] as const;

  it.each(cases.flatMap(([n, b]) => [[n, 'software', b], [n, 'mpu', b]]))('%s, bounds %s, exits as in Node', async (name, bounds, body) => {
    const wasm = wat(`${name}-${bounds}`, body);
    const reference = await runInNode(wasm);
    const r = await runWasm(wasm, 'lm3s6965', '--bounds', bounds);
    expect(r.code).toBe(reference.exitCode);
    if (reference.exitCode === 134) expect(r.stderr).toMatch(/^trap: /m);
  });

  it('refuses a C program whose 64 KiB page does not fit, with the numbers', async () => {
    const r = await runWasm(compileSmall('int-math'), 'lm3s6965');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/int-math\.wasm: error\[B3005\]: the module's initial memory is 1 pages \(64 KiB\), but only \d+ KiB of RAM is available for it/);
  });
});

describe('boxes on stm32f405 (128 KiB of RAM)', () => {
  it('builds and runs examples/mandelbrot with its small-RAM recipe, with the expected output', async () => {
    const dir = join(projectRoot, 'examples/mandelbrot');
    const built = await bento(['build', 'stm32f405', '--recipe', 'small-ram.toml'], dir);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/^RAM: +\[.*\] +\d+\.\d% \(used \d+ bytes from 131072 bytes\)$/m);
    const run = await bento(['run', 'stm32f405', '--recipe', 'small-ram.toml', '--timeout', '120'], dir);
    expect(normalise(run.stdout)).toBe(readFileSync(join(dir, 'test', 'mandelbrot.expected'), 'utf8').replaceAll('{board}', 'stm32f405'));
    expect(run.code, run.stderr).toBe(0);
  });

  it('builds and runs examples/hello, whose C boxes get memories sized to what they use', async () => {
    const dir = join(projectRoot, 'examples/hello');
    const built = await bento(['build', 'stm32f405'], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', 'stm32f405', '--timeout', '120'], dir);
    expect(normalise(run.stdout)).toBe(readFileSync(join(dir, 'test', 'hello.expected'), 'utf8').replaceAll('{board}', 'stm32f405'));
    expect(run.code, run.stderr).toBe(0);
  });

  it('refuses examples/qsort, whose sorter takes a 64 KiB memory for its 40 KB buffer, naming the box and its need, and links nothing', async () => {
    const dir = join(work, 'qsort');
    execFileSync('cp', ['-r', join(projectRoot, 'examples/qsort'), dir]);
    rmSync(join(dir, 'build'), { recursive: true, force: true });
    const r = await bento(['build', 'stm32f405'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[B2001\]: box sorter linear memory needs 64 KiB of ram/);
    expect(existsSync(join(dir, 'build/stm32f405/qsort.elf'))).toBe(false);
  });
});

// A share of the official spec suite (skipped without it). These boards have no PSRAM: the
// linear memories share RAM with the rest of the image (src/spec/build.ts, specLayout). The
// stm32f405's 128 KiB hold one module's 64 KiB page beside the runtime (endianness, traps and
// skip-stack-guard-page have one each); on the lm3s6965's 64 KiB no page fits, so its files
// have no memory (f32 and the conversions in software: a Cortex-M3 has no FPU).
const specFiles: Record<(typeof emulated)[number], string[]> = {
  stm32f405: ['i64.wast', 'f64.wast', 'endianness.wast', 'traps.wast', 'skip-stack-guard-page.wast'],
  lm3s6965: ['i32.wast', 'f32.wast', 'conversions.wast', 'func_ptrs.wast'],
};
const missing = specSuiteMissing();
describe.skipIf(missing !== undefined).each(emulated)('bento spec on %s', (board) => {
  it(`passes every command of ${specFiles[board].join(', ')}`, async () => {
    const r = await bento(['spec', '--board', board, '--suite', specSuite, ...specFiles[board]]);
    for (const file of specFiles[board]) expect(r.stdout).toMatch(new RegExp(`^${file.replace('.', '\\.')}: [1-9]\\d* passed, 0 failed, \\d+ skipped$`, 'm'));
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed, \d+ skipped$/m);
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);
});
if (missing !== undefined) it.skip(`bento spec on the small boards: ${missing}`, () => {});

describe.each(notEmulated)('%s (not emulated)', (board) => {
  it('builds and links native-hello, with its size report', async () => {
    const r = await bento(['build', board], hello);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^RAM: +\[.*\] +\d+\.\d% \(used \d+ bytes from \d+ bytes\)$/m);
    expect(r.stdout).toMatch(/^Flash: +\[.*\] +\d+\.\d% \(used \d+ bytes from \d+ bytes\)$/m);
    expect(existsSync(join(hello, 'build', board, 'native-hello.elf'))).toBe(true);
  });

  it('cannot be run: a located error and exit code 1', async () => {
    const r = await bento(['run', board], hello);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`boards/${board}\\.toml:\\d+:1: error\\[B6010\\]: QEMU cannot emulate board '${board}'`));
  });
});

describe('box examples on the boards QEMU cannot emulate', () => {
  it.each([
    ['mandelbrot', 'nrf52840-dk'],
    ['mixed', 'stm32f746g-disco'],
  ])('%s builds and links for %s', async (example, board) => {
    const r = await bento(['build', board], join(projectRoot, 'examples', example));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^RAM: +\[.*\]/m);
  });

  it('lists them as not emulated', async () => {
    const r = await bento(['boards']);
    for (const board of notEmulated) expect(r.stdout).toMatch(new RegExp(`^${board} .*\\[not emulated\\]$`, 'm'));
    for (const board of emulated) expect(r.stdout).not.toMatch(new RegExp(`^${board} .*not emulated`, 'm'));
  });
});
