import { describe, expect, it } from 'vitest';
import { bento } from '../support/cli.js';

describe('bento command line', () => {
  it('prints an overview with every command', async () => {
    const r = await bento(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['build', 'run', 'boards', 'doctor']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'));
  });

  it.each(['build', 'run', 'boards', 'doctor'])('bento %s --help shows usage and options', async (cmd) => {
    const r = await bento([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: bento ${cmd}`));
    expect(r.stdout).toContain('--help');
  });

  it('bento help <command> is <command> --help, and a typo there gets the did-you-mean', async () => {
    const r = await bento(['help', 'build']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await bento(['build', '--help'])).stdout);
    const typo = await bento(['help', 'biuld']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean `bento build`?');
  });

  it('bento spec without the suite says where to get it', async () => {
    const r = await bento(['spec', '--board', 'm4', '--suite', '/nonexistent/wasm-testsuite']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[B1007]: no spec test suite at /nonexistent/wasm-testsuite');
    expect(r.stderr).toContain('git clone https://github.com/WebAssembly/testsuite');
  });

  it('suggests a command for a typo and exits 2', async () => {
    const r = await bento(['biuld']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[B9001]');
    expect(r.stderr).toContain('did you mean `bento build`?');
  });

  it('rejects an unknown option without a stack trace', async () => {
    const r = await bento(['run', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[B9001\].*frobnicate/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a missing ELF with one clear line', async () => {
    const r = await bento(['run', 'nope.elf', '--board', 'm4']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^error\[B6001\]: no firmware at .*nope\.elf$/);
  });

  it('reports a file that is not an ELF', async () => {
    const r = await bento(['run', 'package.json', '--board', 'm4']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not an ELF file');
  });

  it('reports a bad board file with file:line:col', async () => {
    const r = await bento(['boards', 'test/fixtures/boards/typo.toml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/typo\.toml:6:1: error\[B1001\]: unknown key 'cpu\.clock'/);
    expect(r.stderr).toContain("did you mean 'clock-hz'?");
  });

  it('lists the boards bento ships', async () => {
    const r = await bento(['boards']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^m4 .*mps2-an386/m);
    expect(r.stdout).toMatch(/^m7 .*mps2-an500/m);
  });

  it('doctor finds every tool on this machine', async () => {
    const r = await bento(['doctor']);
    expect(r.stdout).not.toContain('MISSING');
    expect(r.stdout).toMatch(/^ok\s+qemu-system-arm\s+7\./m);
    expect(r.code).toBe(0);
  });
});

describe('bento doctor without tools', () => {
  it('names what is missing and the packages that fix it', async () => {
    const r = await bento(['doctor'], undefined, undefined, { ...process.env, PATH: '/nonexistent' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^MISSING\s+clang-14\s+not found on PATH/m);
    expect(r.stdout).toMatch(/Fix: apt-get install .*clang-14.*qemu-system-arm/);
  });
});
