// The linkers' words for a missing symbol, read from what GNU ld and wasm-ld really print for
// small objects (and from a recorded line for the forms that need other inputs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGnuLdOutput, readWasmLdOutput } from '../../src/toolchain/linker-output.js';

const dir = mkdtempSync(join(tmpdir(), 'bento-linker-output-'));

/** Runs a command that must fail, and returns its stderr. */
function failing(command: string, args: string[]): string {
  const r = spawnSync(command, args, { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr).not.toBe(0);
  return r.stderr;
}

function source(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

const arm = ['-mcpu=cortex-m4', '-mthumb', '-ffunction-sections'];

describe('readGnuLdOutput', () => {
  it('reads each missing symbol with its source line (debug information) and function', () => {
    const main = source('main.c', 'int pnig(int);\nint stranger(void);\nint main(void) {\n  return pnig(1) + stranger();\n}\n');
    const helper = source('helper.c', 'int stranger(void);\nint twice(void) { return 2 * stranger(); }\n');
    const args = [...arm, '-specs=nosys.specs', '-g', '-Wl,-u,twice', main, helper, '-o', join(dir, 'a.elf')];
    const report = readGnuLdOutput(failing('arm-none-eabi-gcc', args));
    expect(report.undefined.map((u) => [u.symbol, u.source, u.line, u.function])).toEqual([
      ['pnig', main, 4, 'main'],
      ['stranger', main, 4, 'main'],
      ['stranger', helper, 2, 'twice'],
    ]);
    expect(report.rest).toEqual([]);
  });

  it('without debug information, takes the object from the function line', () => {
    const main = source('nodebug.c', 'int pnig(int);\nint main(void) { return pnig(1); }\n');
    const object = join(dir, 'nodebug.o');
    expect(spawnSync('arm-none-eabi-gcc', [...arm, '-c', main, '-o', object]).status).toBe(0);
    const report = readGnuLdOutput(failing('arm-none-eabi-gcc', [...arm, '-specs=nosys.specs', object, '-o', join(dir, 'b.elf')]));
    expect(report.undefined).toEqual([{ symbol: 'pnig', object, function: 'main' }]);
  });

  it('keeps what is not about a missing symbol, in order, with its function heading', () => {
    const text = [
      '/usr/bin/arm-none-eabi-ld: main.o: in function `main\':',
      '/p/main.c:3: undefined reference to `pnig\'',
      '/p/main.c:4: more undefined references to `pnig\' follow',
      '/usr/bin/arm-none-eabi-ld: fast.o: in function `go\':',
      "(.text.go+0x4): relocation truncated to fit: R_ARM_THM_CALL against symbol `far'",
      '/usr/bin/arm-none-eabi-ld: region `RAM\' overflowed by 12 bytes',
      'collect2: error: ld returned 1 exit status',
    ].join('\n');
    const report = readGnuLdOutput(text);
    expect(report.undefined).toEqual([{ symbol: 'pnig', source: '/p/main.c', line: 3, object: 'main.o', function: 'main' }]);
    expect(report.rest).toEqual([
      '/usr/bin/arm-none-eabi-ld: fast.o: in function `go\':',
      "(.text.go+0x4): relocation truncated to fit: R_ARM_THM_CALL against symbol `far'",
      "/usr/bin/arm-none-eabi-ld: region `RAM' overflowed by 12 bytes",
    ]);
  });
});

describe('readWasmLdOutput', () => {
  it('reads each missing symbol with the object that uses it, and drops clang\'s summary', () => {
    const b = source('b.c', 'int helper(int);\nint other_fn(void);\n__attribute__((export_name("ping"))) int ping(int x) { return helper(x) + other_fn(); }\n');
    const object = join(dir, 'b.o');
    expect(spawnSync('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-c', b, '-o', object]).status).toBe(0);
    const text = failing('clang-14', ['-fcolor-diagnostics', '--target=wasm32-wasi', '--sysroot=/usr', '-mexec-model=reactor', '-o', join(dir, 'b.wasm'), object]);
    const report = readWasmLdOutput(text.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(report.undefined).toEqual([
      { symbol: 'helper', object },
      { symbol: 'other_fn', object },
    ]);
    expect(report.rest).toEqual([]);
  });

  it('keeps other errors', () => {
    const report = readWasmLdOutput('wasm-ld-14: error: initial memory too small, 70000 bytes needed\nclang: error: linker command failed with exit code 1 (use -v to see invocation)\n');
    expect(report).toEqual({ undefined: [], rest: ['wasm-ld-14: error: initial memory too small, 70000 bytes needed'] });
  });
});
