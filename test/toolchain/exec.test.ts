// Tool runs as bento makes them: warnings of a compile that succeeds reach the report sink once,
// coloured only for a sink that shows colours (without touching the cache key), and `-v`'s trace
// prints each command line so that a shell would run it again.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileC } from '../../src/compile/native-c.js';
import { loadBoard } from '../../src/config/board.js';
import { BentoError } from '../../src/diagnostics/error.js';
import { setReportSink } from '../../src/diagnostics/reporter.js';
import type { ReportKind } from '../../src/diagnostics/reporter.js';
import { failedToolOutput, runTool, traceTools } from '../../src/toolchain/exec.js';
import { formatCommand, shellQuote } from '../../src/toolchain/trace.js';
import { projectRoot } from '../support/cli.js';

/** A sink that keeps what it is given. */
function collect(colour: boolean) {
  const got: { kind: ReportKind; text: string }[] = [];
  setReportSink({ write: (kind, text) => got.push({ kind, text }), colour });
  return got;
}

afterEach(() => {
  traceTools(false);
  setReportSink(undefined);
});

const board = loadBoard('m4', projectRoot);
const uninitialised = '#include <stddef.h>\nint read_it(void) {\n    int *p;\n    return *p;\n}\n';

describe('warnings of a compile that succeeds', () => {
  it('are reported once: an object that is up to date reports nothing again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-warn-'));
    writeFileSync(join(dir, 'w.c'), uninitialised);
    const got = collect(false);
    const input = { board, source: join(dir, 'w.c'), object: join(dir, 'w.o'), flags: ['-O2', '-Wall'] };
    expect((await compileC(input)).cached).toBe(false);
    expect(got).toHaveLength(1);
    expect(got[0]!.kind).toBe('warning');
    expect(got[0]!.text).toMatch(/w\.c:4:13: warning: variable 'p' is uninitialized when used here \[-Wuninitialized\]/);
    expect(got[0]!.text).not.toContain('\x1b[');
    expect((await compileC(input)).cached).toBe(true);
    expect(got).toHaveLength(1);
  });

  it('come in colour for a sink that shows colours, and the colour flag is no part of the cache key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-warn-'));
    writeFileSync(join(dir, 'w.c'), uninitialised);
    const input = { board, source: join(dir, 'w.c'), object: join(dir, 'w.o'), flags: ['-O2', '-Wall'] };
    const coloured = collect(true);
    const first = await compileC(input);
    expect(coloured[0]!.text).toContain('\x1b[');
    expect(first.command.arguments.some((a) => a.includes('color'))).toBe(false);
    const plain = collect(false);
    expect((await compileC(input)).cached).toBe(true);
    expect(plain).toEqual([]);
  });

  it('turn into errors with -Werror, and the failure keeps what the compiler printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-warn-'));
    writeFileSync(join(dir, 'w.c'), uninitialised);
    collect(false);
    const err = await compileC({ board, source: join(dir, 'w.c'), object: join(dir, 'w.o'), flags: ['-O2', '-Wall', '-Werror'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BentoError);
    expect((err as BentoError).code).toBe('B5002');
    expect(failedToolOutput(err)).toContain('[-Werror,-Wuninitialized]');
  });

  it('a compile without warnings reports nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-warn-'));
    writeFileSync(join(dir, 'ok.c'), 'int ok(int x) { return x + 1; }\n');
    const got = collect(true);
    await compileC({ board, source: join(dir, 'ok.c'), object: join(dir, 'ok.o'), flags: ['-O2', '-Wall', '-Wextra'] });
    expect(got).toEqual([]);
  });
});

describe('the tool trace (-v)', () => {
  it('prints each command line before the tool runs, only while it is on', async () => {
    const got = collect(false);
    await runTool('clang', ['--version']);
    expect(got).toEqual([]);
    traceTools(true);
    await runTool('clang', ['--version']);
    await runTool('nm', ['--help'], { cwd: tmpdir() });
    expect(got).toEqual([
      { kind: 'trace', text: 'bento$ clang-14 --version' },
      { kind: 'trace', text: `bento$ cd ${tmpdir()} && arm-none-eabi-nm --help` },
    ]);
    traceTools(false);
    await runTool('clang', ['--version']);
    expect(got).toHaveLength(2);
  });

  it('names a failing run too, before it fails', async () => {
    const got = collect(false);
    traceTools(true);
    await expect(runTool('clang', ['-c', '/nonexistent/x.c'])).rejects.toBeInstanceOf(BentoError);
    expect(got.map((g) => g.text)).toEqual(['bento$ clang-14 -c /nonexistent/x.c']);
  });

  it('quotes words so that a shell reads back the same arguments', () => {
    const words = ['plain-word_1.c', '-DNAME="m4"', "it's", 'two words', '', '-DROWS={{1u,2u}}', '$HOME', 'a\\b', '*.c'];
    expect(words.map(shellQuote)).toEqual(['plain-word_1.c', `'-DNAME="m4"'`, `'it'\\''s'`, "'two words'", "''", "'-DROWS={{1u,2u}}'", "'$HOME'", "'a\\b'", "'*.c'"]);
    const line = formatCommand('printf', ['%s\\n', ...words]).slice('bento$ '.length);
    const back = execFileSync('sh', ['-c', line], { encoding: 'utf8' });
    expect(back).toBe(words.map((w) => `${w}\n`).join(''));
  });
});
