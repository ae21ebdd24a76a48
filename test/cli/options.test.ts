// The command line a user types: bento's own messages for every mistake in it, colours only on a
// terminal, --json from the commands that describe things, boards found in the project's own
// boards/, and the shell completion script.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, bentoBin, projectRoot } from '../support/cli.js';

describe('option mistakes get bento messages, never the parser text', () => {
  it.each([
    [['build', 'm4', '--recpie', 'x.toml'], "unknown option '--recpie'", "did you mean '--recipe'?"],
    [['build', 'm4', '-r'], '-r needs a value (FILE)', 'bento build --help'],
    [['build', 'm4', '--app=yes'], "--app takes no value (got 'yes')", 'bento build --help'],
    [['compile', 'x.wasm', '-b', 'm4', '--bounds', 'sofware'], "--bounds must be software, mask, mpu or none, not 'sofware'", "did you mean 'software'?"],
    [['bench', '--examples', 'hello'], '--examples needs --ram', 'bento bench --help'],
    [['build', 'm4', '-vq'], '--verbose and --quiet contradict each other', 'give one of them'],
    [['build'], 'bento build needs a board', '`bento boards` lists them'],
    [['build', 'm4', '--board', 'm7'], 'give the board as an argument or with --board, not both', 'bento build m4'],
    [['size', '-z', 'm4'], "unknown option '-z'", 'bento size --help'],
    [['run', 'm4', '--with-app'], '--with-app needs --bootloader', 'bento run --help'],
    [['run', 'm4', '--gdb-port', '3333'], '--gdb-port needs --gdb', 'bento run --help'],
    [['run', 'm4', '--board', 'm7'], 'give the board as an argument or with --board, not both', 'bento run m4'],
  ])('bento %j', async (args, message, hint) => {
    const r = await bento(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[B9001]: `);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(`hint: `);
    expect(r.stderr).toContain(hint);
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|To specify a positional argument|\n\s+at /);
  });

  it('takes bundled short flags and --name=value', async () => {
    const r = await bento(['boards', '-qh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: bento boards/);
    const eq = await bento(['compile', 'nope.wasm', '--board=m4', '-o', '/tmp/x.o']);
    expect(eq.stderr).not.toContain('B9001');
  });
});

describe('colour', () => {
  const plainEnv = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined } as NodeJS.ProcessEnv;
  it('is off when stderr is not a terminal, on with FORCE_COLOR, off again with NO_COLOR', async () => {
    const piped = await bento(['build', 'no-such-board'], projectRoot, undefined, plainEnv);
    expect(piped.stderr).toMatch(/^error\[B1007\]: no board file 'no-such-board'/);
    const forced = await bento(['build', 'no-such-board'], projectRoot, undefined, { ...plainEnv, FORCE_COLOR: '1' });
    expect(forced.stderr).toContain('\x1b[1;31merror[B1007]\x1b[0m: ');
    expect(forced.stderr).toContain('\x1b[36mhint\x1b[0m: ');
    const none = await bento(['build', 'no-such-board'], projectRoot, undefined, { ...plainEnv, FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(none.stderr).not.toContain('\x1b[');
  });

  // util-linux's script(1) gives bento a real pseudo-terminal.
  const inTerminal = (env: NodeJS.ProcessEnv) =>
    execFileSync('script', ['-qec', `${process.execPath} ${bentoBin} build no-such-board`, '/dev/null'], { cwd: projectRoot, env, encoding: 'utf8' }).toString();
  it('is on in a terminal, and NO_COLOR turns it off there', () => {
    let coloured = '';
    try {
      inTerminal(plainEnv);
    } catch (err) {
      coloured = String((err as { stdout: string }).stdout);
    }
    expect(coloured).toContain('\x1b[1;31merror[B1007]');
    let plain = '';
    try {
      inTerminal({ ...plainEnv, NO_COLOR: '1' });
    } catch (err) {
      plain = String((err as { stdout: string }).stdout);
    }
    expect(plain).toContain('error[B1007]');
    expect(plain).not.toContain('\x1b[');
  });
});

describe('-v', () => {
  it('prints the command line of every tool bento runs, quoted for a shell', async () => {
    const r = await bento(['doctor', '-v']);
    expect(r.stderr).toMatch(/^bento\$ qemu-system-arm --version$/m);
    expect(r.stderr).toMatch(/^bento\$ clang-14 --version$/m);
    const plain = await bento(['doctor']);
    expect(plain.stderr).not.toContain('bento$ ');
  });
});

describe('--json', () => {
  it('bento doctor --json says what it checked', async () => {
    const r = await bento(['doctor', '--json']);
    const doc = JSON.parse(r.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(doc.ok).toBe(r.code === 0);
    expect(doc.checks.map((c) => c.name)).toContain('qemu-system-arm');
  });
});

describe("the project's own boards", () => {
  it('are found by name and listed first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-boards-'));
    mkdirSync(join(dir, 'boards'));
    const m4 = readFileSync(join(projectRoot, 'boards', 'm4.toml'), 'utf8');
    writeFileSync(join(dir, 'boards', 'my-part.toml'), m4.replace(/^name = "m4"/m, 'name = "my-part"').replace(/^description = ".*"/m, 'description = "our own part"'));
    const list = await bento(['boards'], dir);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^my-part +boards\/my-part\.toml +our own part \[this project\]$/);
    expect(list.stdout).toMatch(/^m7 /m);
    const one = await bento(['boards', 'my-part'], dir);
    expect(one.stdout).toMatch(/^my-part: our own part/);
    const names = await bento(['boards', '--names'], dir);
    expect(names.stdout.split('\n')).toContain('my-part');
  });
});

describe('shell completion', () => {
  const script = join(mkdtempSync(join(tmpdir(), 'bento-completion-')), 'bento.bash');
  const complete = (line: string[], cwd = projectRoot) =>
    execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _bento; echo "\${COMPREPLY[*]}"`], { cwd, encoding: 'utf8' }).trim();

  it('bash: commands, options, option values and boards', async () => {
    const r = await bento(['completion', 'bash']);
    expect(r.code).toBe(0);
    writeFileSync(script, r.stdout);
    expect(complete(['bento', 'bu'])).toBe('build');
    expect(complete(['bento', 'build', '--rec'])).toBe('--recipe');
    expect(complete(['bento', 'build', 'm'])).toBe('m33 m4 m55 m7');
    expect(complete(['bento', 'size', '--board', 'stm32f4'])).toBe('stm32f405');
    expect(complete(['bento', 'compile', 'x.wasm', '--bounds', 'm'])).toBe('mask mpu');
    expect(complete(['bento', 'help', 'run'])).toBe('run run-wasm');
    const own = mkdtempSync(join(tmpdir(), 'bento-own-board-'));
    mkdirSync(join(own, 'boards'));
    copyFileSync(join(projectRoot, 'boards', 'm4.toml'), join(own, 'boards', 'mine.toml'));
    expect(complete(['bento', 'size', 'mi'], own)).toBe('mine');
  });

  it('zsh loads the same through bashcompinit; anything else is refused', async () => {
    const zsh = await bento(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef bento\n/);
    expect(zsh.stdout).toContain('bashcompinit');
    expect(zsh.stdout).toContain('complete -F _bento bento');
    const fish = await bento(['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain("bento completion takes bash or zsh, not 'fish'");
  });
});
