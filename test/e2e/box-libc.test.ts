// The C library of native boxes (runtime-c/box-libc, test/fixtures/boxes/libc): assert aborts
// the box with BENTO_E_ASSERT and the failed expression, and the host goes on; snprintf agrees
// with the build machine's C on a table of format cases; memcpy, memmove and memset are right at
// every alignment; a box with libc = ["heap", "printf"] mallocs in its own region and prints;
// a box without the printf service gets nothing from the console SVC; abort texts the box
// forges are shown as one line of printable text, and only from the box's RAM. And point 6 of issue 16:
// the host heap newlib's first printf needs, measured, and refused below it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';
import { hostPrintfHeap } from '../../src/plan/heaps.js';

const dir = join(projectRoot, 'test/fixtures/boxes/libc');

/** The format cases compiled with the build machine's gcc and glibc: what snprintf must print. */
function hostFormats(): string[] {
  const scratch = mkdtempSync(join(tmpdir(), 'bento-box-libc-'));
  const program = join(scratch, 'formats.c');
  writeFileSync(
    program,
    [
      '#include <stdio.h>',
      '#include <string.h>',
      '#include <stddef.h>',
      '#include <sys/types.h>',
      '#include "cases.h"',
      'int main(void) {',
      '    char buf[64];',
      '    int i = 0;',
      '#define RUN(size, ...) memset(buf, 0, sizeof buf); { int n = snprintf(buf, (size) < 64 ? (size) : 64, __VA_ARGS__); printf("format %d: %d [%s]\\n", i, n, buf); } i++;',
      '    FORMAT_CASES(RUN)',
      '    return 0;',
      '}',
      '',
    ].join('\n'),
  );
  execFileSync('gcc', ['-w', '-I', dir, program, '-o', join(scratch, 'formats')]);
  return execFileSync(join(scratch, 'formats'), { encoding: 'utf8' }).trimEnd().split('\n');
}

describe.each(['m4', 'm33', 'lm3s6965'])('the C library of native boxes on %s', (board) => {
  it('asserts, formats, copies, mallocs and prints', async () => {
    const run = await bento(['run', board], dir);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    // assert: the box ends with -12 and its expression; the host goes on and the box restarts;
    // abort() ends it with -1.
    expect(lines.slice(0, 8)).toEqual([
      'check(5) = 5',
      '[bento] box n: assertion failed: n.c:14: x > 0 (in check)',
      '[bento] box n aborted: assertion failed (-12), restart 1 of 3 on its next call',
      'check(-1) = -12 (assertion failed)',
      'check(3) = 3 after the restart',
      '[bento] box n: abort() called',
      '[bento] box n aborted: aborted (-1), restart 2 of 3 on its next call',
      'stop() = -1',
    ]);
    expect(lines.filter((l) => l.startsWith('format '))).toEqual(hostFormats());
    expect(lines).toContain('memtest: 0 failures');
    expect(lines).toContain('sneak = -1');
    expect(run.stdout).not.toContain('this box has no printf service');
    const greeting = lines.slice(lines.indexOf('sneak = -1') + 1);
    const blocks = /^heap: (\d+) blocks of 100 bytes, (\d+) again; calloc\+realloc ok$/.exec(greeting[1] ?? '');
    expect(blocks, greeting.join('\n')).not.toBeNull();
    // 1 KiB of heap holds at least nine 104-byte blocks, and freeing them all gives them back:
    // as many fit again, or one more (next fit passes the hole `name` left until it wraps around,
    // and the second round starts there with it merged).
    expect(Number(blocks![1])).toBeGreaterThanOrEqual(9);
    expect(Number(blocks![2]) - Number(blocks![1])).toBeGreaterThanOrEqual(0);
    expect(Number(blocks![2]) - Number(blocks![1])).toBeLessThanOrEqual(1);
    expect(greeting).toEqual([
      'hello from box h, call 1: odd',
      greeting[1],
      'puts works',
      '!',
      `greet(1) = ${blocks![1]}`,
      'hello from box h, call 2: even',
      greeting[1],
      'puts works',
      '!',
      `greet(2) = ${blocks![1]}`,
      // An abort text is shown up to its first line break, control characters as '?', and
      // only from the box's own RAM: a pointer to code memory shows nothing.
      '[bento] box n: bad?',
      '[bento] box n aborted: aborted (-1), restart 3 of 3 on its next call',
      'lie(0) = -1',
      '[bento] box n aborted: error (-40), held: no restarts left',
      'lie(1) = -40',
    ]);
    // The functions are the box's own: box-libc's members joined its object, as local symbols.
    const symbols = execFileSync('arm-none-eabi-nm', [join(dir, 'build', board, 'obj/box/n/box.o')], { encoding: 'utf8' });
    for (const name of ['memcpy', 'memmove', 'memset', 'snprintf', '__assert_func']) expect(symbols).toMatch(new RegExp(`^[0-9a-f]+ t ${name}$`, 'm'));
    expect(symbols).not.toMatch(/ t malloc$/m); // n has no heap service
  }, 600_000);
});

describe('the heap newlib-nano needs (issue 16, point 6)', () => {
  const host = join(projectRoot, 'test/fixtures/heaps/host');

  function withHeap(heap: number): string {
    const scratch = mkdtempSync(join(tmpdir(), 'bento-heaps-'));
    cpSync(host, scratch, { recursive: true, filter: (p) => !p.includes('/build') });
    const recipe = join(scratch, 'bento.toml');
    writeFileSync(recipe, readFileSync(recipe, 'utf8').replace(/^heap = .*$/m, `heap = ${heap}`));
    return scratch;
  }

  it(`the first printf takes ${hostPrintfHeap} bytes when that is all there is, and runs`, async () => {
    const run = await bento(['run', 'm4'], withHeap(hostPrintfHeap));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`first line 1\nheap taken by the first printf: ${hostPrintfHeap} bytes\n`);
  }, 300_000);

  it('a host heap below it is refused at its line, with the number', async () => {
    const run = await bento(['build', 'm4'], withHeap(hostPrintfHeap - 4));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`bento.toml:7:8: error[B2001]: 'host.heap' is ${hostPrintfHeap - 4} bytes, but newlib's printf needs ${hostPrintfHeap} bytes`);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 300_000);

  it("a Wasm box's printf needs no heap: wasi-libc's stdout buffer is static", async () => {
    const run = await bento(['run', 'm4'], join(projectRoot, 'test/fixtures/heaps/wasm'));
    expect(run.code, run.stderr).toBe(0);
    const row = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(2, '0')}-abcdefghijklmnopqrstuvwxyz|`).join('');
    expect(run.stdout).toBe(`talker: 7, no heap\n${row}\ntalker: malloc(16) succeeded\nspeak = 7\n`);
  }, 300_000);
});
