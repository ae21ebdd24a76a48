import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { bento } from '../support/cli.js';
import { runInNode } from '../wasi/node-reference.js';
import { compileProgram, wasiPrograms } from '../wasi/programs.js';

const work = mkdtempSync(join(tmpdir(), 'bento-run-wasm-'));

function wat(name: string, text: string): string {
  const file = join(work, `${name}.wat`);
  writeFileSync(file, text);
  const out = join(work, `${name}.wasm`);
  execFileSync('wat2wasm', [file, '-o', out]);
  return out;
}

function runWasm(wasm: string, board: string, ...extra: string[]) {
  const name = wasm.replace(/^.*\//, '').replace(/\.wasm$/, '');
  return bento(['run-wasm', wasm, '--board', board, '--out-dir', join(work, 'out', board, name, extra.join('_') || 'default'), ...extra]);
}

describe.each(['m4', 'm7'])('C programs built for wasm32-wasi, on %s, match Node', (board) => {
  const wasms: Record<string, string> = {};
  beforeAll(() => {
    mkdirSync(join(work, 'programs'), { recursive: true });
    for (const name of Object.keys(wasiPrograms)) wasms[name] = compileProgram(name, join(work, 'programs'));
  });

  it.each(Object.keys(wasiPrograms))('%s', async (name) => {
    const reference = await runInNode(wasms[name]!);
    const r = await runWasm(wasms[name]!, board);
    expect(r.stdout).toBe(reference.stdout);
    expect(r.stderr).toBe(reference.stderr);
    expect(r.code).toBe(reference.exitCode);
  });
});

/** A module whose _start runs `body` with one page of memory and the two WASI imports it needs. */
function program(body: string, memory = '(memory 1)'): string {
  return `(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    ${memory}
    (func $recurse (param i32) (result i32) (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
    (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "_start") ${body}))`;
}

describe('traps', () => {
  it.each([
    ['oob-load', 'out of bounds memory access', '(drop (i32.load (i32.const 65533)))'],
    ['oob-offset-wrap', 'out of bounds memory access', '(drop (i32.load offset=4294967295 (i32.const 1)))'],
    ['unreachable', 'unreachable', '(unreachable)'],
    ['divide-by-zero', 'integer divide by zero', '(drop (call $div (i32.const 1) (i32.const 0)))'],
    ['overflow', 'integer overflow', '(drop (call $div (i32.const -2147483648) (i32.const -1)))'],
    ['nan-to-int', 'invalid conversion to integer', '(drop (i32.trunc_f32_s (f32.const nan)))'],
    ['stack', 'call stack exhausted', '(drop (call $recurse (i32.const 0)))'],
  ])('%s traps with "%s" and exit code 134', async (name, message, body) => {
    const r = await runWasm(wat(name, program(body)), 'm4');
    expect(r.stderr).toContain(`trap: ${message}\n`);
    expect(r.code).toBe(134);
  });

  it('recursion with frames larger than the stack reserve still traps cleanly', async () => {
    // 500 i64 locals live across the call: LLVM spills them, a frame of several KiB.
    const n = 500;
    const locals = Array.from({ length: n }, (_, i) => `(local $x${i} i64)`).join(' ');
    const loads = Array.from({ length: n }, (_, i) => `(local.set $x${i} (i64.load (i32.const ${(i * 8) % 4096})))`).join(' ');
    let sum = '(local.get $p)';
    for (let i = 0; i < n; i++) sum = `(i64.add ${sum} (local.get $x${i}))`;
    const text = `(module
      (memory 1)
      (func $deep (param $p i64) (result i64) ${locals} ${loads}
        (local.set $p (call $deep (i64.add (local.get $p) (i64.const 1)))) ${sum})
      (func (export "_start") (drop (call $deep (i64.const 0)))))`;
    const r = await runWasm(wat('big-frames', text), 'm4');
    expect(r.stderr).toContain('trap: call stack exhausted\n');
    expect(r.code).toBe(134);
  });

  it('an access in bounds after memory.grow succeeds', async () => {
    const r = await runWasm(wat('grow', program('(drop (memory.grow (i32.const 1))) (drop (i32.load (i32.const 131068))) (call $exit (i32.const 5))')), 'm4');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(5);
  });
});

describe('bounds strategies', () => {
  // Stores 42 at 65536 + 8 (one page past the end), then reads address 8 and exits with it.
  const wrapping = program('(i32.store (i32.const 65544) (i32.const 42)) (call $exit (i32.load (i32.const 8)))', '(memory 1 1)');

  it('software traps on an access past the end', async () => {
    const r = await runWasm(wat('wrap-software', wrapping), 'm4', '--bounds', 'software');
    expect(r.stderr).toContain('trap: out of bounds memory access');
    expect(r.code).toBe(134);
  });

  it('mask never traps: the address wraps inside the power-of-two memory', async () => {
    const r = await runWasm(wat('wrap-mask', wrapping), 'm4', '--bounds', 'mask');
    expect(r.code).toBe(42);
  });

  it('none runs correct code unchecked', async () => {
    const r = await runWasm(wat('none-ok', program('(i32.store (i32.const 100) (i32.const 7)) (call $exit (i32.load (i32.const 100)))')), 'm4', '--bounds', 'none');
    expect(r.code).toBe(7);
  });
});

describe('mpu bounds: the guest runs unprivileged in an MPU box', () => {
  it.each(['float-math', 'alloc', 'callbacks', 'recursion', 'exit-code'])('%s still matches Node', async (name) => {
    mkdirSync(join(work, 'programs'), { recursive: true });
    const wasm = compileProgram(name, join(work, 'programs'));
    const reference = await runInNode(wasm);
    const r = await runWasm(wasm, 'm4', '--bounds', 'mpu');
    expect(r.stdout).toBe(reference.stdout);
    expect(r.stderr).toBe(reference.stderr);
    expect(r.code).toBe(reference.exitCode);
  });

  it('unbounded recursion traps as stack exhaustion (the MPU guards the box stack)', async () => {
    const r = await runWasm(wat('mpu-stack', program('(drop (call $recurse (i32.const 0)))')), 'm4', '--bounds', 'mpu');
    expect(r.stderr).toContain('trap: call stack exhausted');
    expect(r.code).toBe(134);
  });

  /** The address of the guest's linear memory and its MPU region size, from a probe image. */
  async function memoryRegion() {
    const probe = wat('mpu-probe', program('(nop)'));
    const out = join(work, 'out', 'mpu-probe');
    await bento(['run-wasm', probe, '--board', 'm4', '--bounds', 'mpu', '--out-dir', out]);
    const nm = execFileSync('arm-none-eabi-nm', ['-S', join(out, 'mpu-probe.elf')], { encoding: 'utf8' });
    const m = /^([0-9a-f]+) ([0-9a-f]+) B wasm_mpu_probe_memory$/m.exec(nm)!;
    return { base: parseInt(m[1]!, 16), size: parseInt(m[2]!, 16) };
  }

  it.each([
    ['host RAM', 0x2000_0100],
    ['the UART', 0x4000_4000],
    ['the MPU control register', 0xe000_ed94],
  ])('a store aimed at %s by wrapping around stays inside the linear memory', async (_, target) => {
    const { base, size } = await memoryRegion();
    const addr = (target - base) >>> 0;
    const masked = addr & (size - 1);
    // Store through the wrapping address, then exit 1 if the value landed at the masked one.
    const body = `(i32.store (i32.const ${addr | 0}) (i32.const 0x41414141)) (call $exit (i32.eq (i32.load (i32.const ${masked})) (i32.const 0x41414141)))`;
    const r = await runWasm(wat('mpu-probe', program(body)), 'm4', '--bounds', 'mpu');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  }, 300_000); // two images built: the probe and the store

  it('an access spilling past the end of the region faults, and the host reports it', async () => {
    const { size } = await memoryRegion();
    const r = await runWasm(wat('mpu-probe', program(`(i32.store (i32.const ${size - 2}) (i32.const 1))`)), 'm4', '--bounds', 'mpu');
    expect(r.stderr).toMatch(/bento: fault 1 in the box at pc 0x[0-9a-f]{8}, address 0x[0-9a-f]{8}/);
    expect(r.stderr).toContain('trap: memory fault (MPU)');
    expect(r.code).toBe(134);
  });
});

describe('bad modules', () => {
  it('a truncated module is a located decode error, and nothing is built', async () => {
    const good = wat('truncate-me', program('(nop)'));
    const bad = join(work, 'truncated.wasm');
    writeFileSync(bad, readFileSync(good).subarray(0, 40));
    const out = join(work, 'truncated-out');
    const r = await bento(['run-wasm', bad, '--board', 'm4', '--out-dir', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/truncated\.wasm\+0x[0-9a-f]+ .*error\[B3001\]/);
    expect(existsSync(join(out, 'truncated.elf'))).toBe(false);
  });

  // Other modules' function imports are C functions the firmware defines (compile-standalone.test.ts).
  it('an unknown WASI import names module.field and its type', async () => {
    const r = await bento(['compile', wat('unknown-import', '(module (import "wasi_snapshot_preview1" "blink" (func (param i32 f64) (result i32))))'), '-o', join(work, 'x.o'), '--board', 'm4']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[B3004]: unknown import wasi_snapshot_preview1.blink (function (i32, f64) -> i32)');
    expect(existsSync(join(work, 'x.o'))).toBe(false);
  });

  it('a memory larger than the board is refused with the numbers', async () => {
    const r = await bento(['compile', wat('huge', '(module (memory 100))'), '-o', join(work, 'huge.o'), '--board', 'm4']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[B3005\]: the module's initial memory is 100 pages \(6400 KiB\), but only 4096 KiB/);
  });
});

describe('bento compile', () => {
  it('writes a Thumb object and the LLVM IR', async () => {
    const obj = join(work, 'fac.o');
    const ll = join(work, 'fac.ll');
    const r = await bento(['compile', wat('fac', program('(nop)')), '-o', obj, '--board', 'm7', '--emit-llvm', ll]);
    expect(r.code).toBe(0);
    expect(execFileSync('arm-none-eabi-readelf', ['-h', obj], { encoding: 'utf8' })).toMatch(/Machine:\s+ARM/);
    expect(execFileSync('arm-none-eabi-nm', [obj], { encoding: 'utf8' })).toMatch(/ T wasm_fac_export__5fstart$/m);
    expect(readFileSync(ll, 'utf8')).toContain('define void @wasm_fac_init()');
  });
});

describe('--icount', () => {
  it('reports the same instruction count on every run', async () => {
    // Stores keep the loop alive: proc_exit receives the instance and could read the memory.
    const loop = '(local $i i32) (loop $l (i32.store (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 2)) (local.get $i)) (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 100000)))) (call $exit (i32.const 0))';
    const wasm = wat('count', program(loop));
    const counts = [];
    for (const run of [1, 2]) {
      const r = await bento(['run-wasm', wasm, '--board', 'm4', '--icount', '--out-dir', join(work, 'out', `icount${run}`)]);
      expect(r.code).toBe(0);
      const m = /^bento: guest ran (\d+) instructions$/m.exec(r.stderr);
      expect(m, r.stderr).not.toBeNull();
      counts.push(Number(m![1]));
    }
    // 100000 iterations of a loop of a few instructions.
    expect(counts[0]).toBeGreaterThan(200_000);
    expect(counts[0]).toBeLessThan(2_000_000);
    expect(counts[1]).toBe(counts[0]);
  });
});
