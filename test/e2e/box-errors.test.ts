// Bad recipes and bad box sources: a located message, a non-zero exit, and no image left
// behind that could pass for a good one.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento } from '../support/cli.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bento-box-errors-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const host = 'name = "bad"\n[host]\nsources = ["main.c"]\n';
const main = '#include "bento_host.h"\nint main(void) { return 0; }\n';
const box = (extra: string) => `[box.b]\nruntime = "wasm"\nsources = ["b.c"]\n${extra}\n`;

async function build(dir: string) {
  const r = await bento(['build', 'm4'], dir);
  expect(existsSync(join(dir, 'build', 'm4', 'bad.elf')), 'no image after a failed build').toBe(false);
  expect(existsSync(join(dir, 'build', 'm4', 'bad.bin'))).toBe(false);
  return r;
}

describe('bad box projects', () => {
  it('an import nobody exports names the importer and its place in the recipe', async () => {
    const dir = project({ 'bento.toml': `${host}imports.pnig = "fn(i32) -> err"\n${box('exports.ping = "fn(i32) -> err"')}`, 'main.c': main, 'b.c': '' });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bento.toml:4:16: error[B2003]: the host imports 'pnig', which neither the host nor any other box exports");
    expect(r.stderr).toContain("did you mean 'ping'?");
  });

  it('a box source that does not compile is a compiler error with its file and line', async () => {
    const dir = project({ 'bento.toml': `${host}${box('exports.ping = "fn(i32) -> err"')}`, 'main.c': main, 'b.c': '#include "bento_b.h"\nint32_t ping(int32_t x) { return x +; }\n' });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[B5002\]: box b: compiling b\.c for wasm32 failed/);
    expect(r.stderr).toMatch(/b\.c:2:\d+: error: expected expression/);
  });

  it('a module whose export does not match the recipe is refused, naming box and function', async () => {
    const dir = project({
      'bento.toml': `${host}imports.ping = "fn(i64) -> err"\n${box('exports.ping = "fn(i64) -> err"')}`,
      'main.c': main,
      'b.c': '#include <stdint.h>\n__attribute__((export_name("ping"))) int32_t ping(int32_t x) { return x; }\n',
    });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[B2006]: box b: \'ping\' is (i32) -> i32 in the module, but the recipe\'s "fn(i64) -> err" is (i64) -> i32');
  });

  it('a native box that does not define its export is refused', async () => {
    const dir = project({
      'bento.toml': `${host}imports.ping = "fn(i32) -> err"\n[box.n]\nruntime = "native"\nsources = ["n.c"]\nexports.ping = "fn(i32) -> err"\n`,
      'main.c': main,
      'n.c': 'int unrelated(void) { return 1; }\n',
    });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bento\.toml:8:\d+: error\[B2006\]: box n: the recipe exports 'ping', but no source of the box defines it/);
  });

  it('a box too big for the board names it, with what is left', async () => {
    const dir = project({ 'bento.toml': `${host}${box('ram = "4 MiB"\nexports.ping = "fn(i32) -> err"')}`, 'main.c': main, 'b.c': '#include "bento_b.h"\nint32_t ping(int32_t x) { return x; }\n' });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[B2001\]: box b linear memory needs 4096 KiB of ram \(an MPU region of power-of-two eighths\), \d+(\.\d)? KiB left/);
  });

  it('a failed build removes the image an earlier good build made', async () => {
    const dir = project({ 'bento.toml': `${host}imports.ping = "fn(i32) -> err"\n${box('exports.ping = "fn(i32) -> err"')}`, 'main.c': main, 'b.c': '#include "bento_b.h"\nint32_t ping(int32_t x) { return x; }\n' });
    const good = await bento(['build', 'm4'], dir);
    expect(good.code, good.stderr).toBe(0);
    expect(existsSync(join(dir, 'build', 'm4', 'bad.elf'))).toBe(true);
    writeFileSync(join(dir, 'b.c'), 'this is not C\n');
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'build', 'm4', 'bad.elf'))).toBe(false);
    // bento run builds first: the same compile error, and nothing runs.
    const run = await bento(['run', 'm4'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('B5002');
    expect(run.stdout).toBe('');
  });

  it('a CPU budget too long for the board\'s SysTick count is refused at its place in the recipe', async () => {
    const dir = project({
      'bento.toml': `${host}imports.ping = "fn(i32) -> err"\n[box.n]\nruntime = "native"\nsources = ["n.c"]\nbudget = "200 s"\nexports.ping = "fn(i32) -> err"\n`,
      'main.c': main,
      'n.c': '#include "bento_n.h"\nint32_t ping(int32_t x) { return x; }\n',
    });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bento.toml:8:10: error[B1004]: box n: a budget of 200 s is 5000000000 ticks of m4's 25 MHz core clock");
  });
});

// Native boxes: what their objects may hold and call (src/build/native-box-check.ts).
const nativeBox = (extra = '') => `${host}imports.ping = "fn(i32) -> err"\n[box.n]\nruntime = "native"\nsources = ["n.c"]\nexports.ping = "fn(i32) -> err"\n${extra}`;

describe('bad native boxes', () => {
  it('a constructor is refused at its source and section', async () => {
    const dir = project({
      'bento.toml': nativeBox(),
      'main.c': main,
      'n.c': '#include "bento_n.h"\nstatic volatile int32_t base;\n__attribute__((constructor)) static void setup(void) { base = 1; }\nint32_t ping(int32_t x) { return x + base; }\n',
    });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/n\.c \(section \.init_array\): error\[B2007\]: box n: /);
    expect(r.stderr).toContain('hint: do the initialisation in an exported function the host calls first');
  });

  it('printf is refused without the printf service, with the libc line to add', async () => {
    const dir = project({ 'bento.toml': nativeBox(), 'main.c': main, 'n.c': '#include <stdio.h>\n#include "bento_n.h"\nint32_t ping(int32_t x) {\n    printf("%d\\n", (int)x);\n    return x;\n}\n' });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/n\.c:4 \(symbol printf\): error\[B2008\]: box n: n\.c uses 'printf'/);
    expect(r.stderr).toContain('hint: the C library\'s "printf" service provides it: add libc = ["printf"] to [box.n]');
  });

  it('a host function the box did not import is refused, with the line to add', async () => {
    const dir = project({
      'bento.toml': `${nativeBox()}\n[box.m]\nruntime = "native"\nsources = ["m.c"]\nimports.log_line = "fn(const u8[len], usize len) -> err"\n`.replace('[host]\n', '[host]\nexports.log_line = "fn(const u8[len], usize len) -> err"\n'),
      'main.c': '#include "bento_host.h"\nint32_t log_line(const uint8_t *s, size_t n) { (void)s; return (int32_t)n; }\nint main(void) { return 0; }\n',
      'n.c': '#include "bento_n.h"\nint32_t log_line(const uint8_t *s, size_t n);\nint32_t ping(int32_t x) { return log_line((const uint8_t *)"n", 1) + x; }\n',
      'm.c': '',
    });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/n\.c:3 \(symbol log_line\): error\[B2008\]: box n: n\.c uses 'log_line'/);
    expect(r.stderr).toContain('hint: the host exports it: add imports.log_line = "fn(const u8[len], usize len) -> err32" to [box.n] (bento.toml:6:1)');
  });

  it('a section the box layout does not know is refused', async () => {
    const dir = project({ 'bento.toml': nativeBox(), 'main.c': main, 'n.c': '#include "bento_n.h"\n__attribute__((section(".ramfunc"))) int32_t ping(int32_t x) { return x; }\n' });
    const r = await build(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/n\.c \(section \.ramfunc\): error\[B2007\]: box n: n\.c has section \.ramfunc/);
  });

  it('a box using memcpy, strlen and 64-bit division builds and runs', async () => {
    const dir = project({
      'bento.toml': nativeBox(),
      'main.c': '#include <stdio.h>\n#include "bento_host.h"\nint main(void) { printf("ping %ld\\n", (long)ping(7)); return 0; }\n',
      'n.c': [
        '#include <string.h>',
        '#include "bento_n.h"',
        'static char buf[32];',
        'static volatile uint64_t big = 123456789012345ull;',
        'int32_t ping(int32_t x) {',
        '    memcpy(buf, "seventeen chars!!", 18);',
        '    uint64_t q = big / (uint64_t)(x + 1000);',
        '    int64_t s = -(int64_t)big % (int64_t)x;',
        '    return (int32_t)strlen(buf) + (int32_t)(q % 1000u) + (int32_t)s;',
        '}',
        '',
      ].join('\n'),
    });
    const built = await bento(['build', 'm4'], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', 'm4', '--timeout', '30'], dir);
    expect(run.code, run.stderr).toBe(0);
    // 17 + (123456789012345 / 1007) % 1000 + (-123456789012345 % 7)
    const expected = 17 + Number((123456789012345n / 1007n) % 1000n) + Number(-123456789012345n % 7n);
    expect(run.stdout).toContain(`ping ${expected}\n`);
  });
});
