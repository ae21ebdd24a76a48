// A Wasm box's native stack (issue 14): sized to what its compiled code needs when that has a
// static bound, the recipe's `stack` when it has none (recursion), and an overflow of it still
// ends the box with -25 and touches nothing else. Also checks bento's allowances for the helpers
// compiled Wasm calls against the code the examples actually link.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCallGraph } from '../../src/compile/call-graph.js';
import { entryGlueBytes, exceptionFrameBytes, helperStack } from '../../src/compile/helper-stacks.js';
import { measureNativeStack } from '../../src/compile/native-stack.js';
import { loadBoard } from '../../src/config/board.js';
import { loadRecipe } from '../../src/config/recipe.js';
import { bento, projectRoot } from '../support/cli.js';
import { imageReachableFrames, imageStackDepth, readImageFunctions } from '../support/image-stack.js';

const work = mkdtempSync(join(tmpdir(), 'bento-native-stack-'));

function symbols(elf: string): Map<string, number> {
  const table = new Map<string, number>();
  for (const line of execFileSync('arm-none-eabi-nm', [elf], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n')) {
    const m = /^([0-9a-f]{8}) \S (\S+)$/.exec(line);
    if (m) table.set(m[2]!, parseInt(m[1]!, 16));
  }
  return table;
}

/** Copies an example away from examples.test.ts's build folders and builds it. */
async function buildExample(example: string, board: string): Promise<{ dir: string; out: string; stdout: string }> {
  const dir = join(work, `${example}-${board}`);
  cpSync(join(projectRoot, 'examples', example), dir, { recursive: true, filter: (src) => !src.includes('/build') });
  const built = await bento(['build', board], dir);
  expect(built.code, built.stderr).toBe(0);
  return { dir, out: join(dir, 'build', board), stdout: built.stdout + built.stderr };
}

const wasmBoxes = (out: string) => readdirSync(join(out, 'obj', 'box')).filter((b) => readdirSync(join(out, 'obj', 'box', b)).includes('module.o'));

describe.each([
  ['mandelbrot', 'm4'],
  ['qsort', 'm33'],
  ['hello', 'm4'],
  ['small-part', 'lm3s6965'],
])('%s on %s', (example, board) => {
  it('reserves for each Wasm box the native stack its code needs, and the helpers stay within their allowances', { timeout: 300_000 }, async () => {
    const { out, stdout } = await buildExample(example, board);
    const elf = join(out, `${example}.elf`);
    const image = symbols(elf);
    const functions = readImageFunctions(elf);
    const recipe = loadRecipe(join(out, '..', '..', 'bento.toml'));
    const recipeStack = (box: string) => recipe.boxes.find((b) => b.name === box)!.stack;
    let measuredBoxes = 0;
    for (const box of wasmBoxes(out)) {
      const prefix = `box_${box}`;
      const object = join(out, 'obj', 'box', box, 'module.o');
      const planned = image.get(`__bento_box_${box}_stack_top`)! - image.get(`__bento_box_${box}_stack_bottom`)!;
      const straightBox = recipe.boxes.find((b) => b.name === box)!.bounds === 'software';
      const gateBytes = (s: string) => (straightBox && (s.startsWith(`${prefix}_wasi_`) || s.startsWith(`${prefix}_import_`)) ? 8 : 0);
      const measured = measureNativeStack({ graph: await readCallGraph(object), external: (s) => { const h = helperStack(s, prefix); return h === undefined ? undefined : h + gateBytes(s); }, boundary: entryGlueBytes + exceptionFrameBytes(loadBoard(board)) });
      if (measured.bounded) {
        measuredBoxes++;
        expect(planned, box).toBe(measured.bytes);
        expect(planned, box).toBeLessThan(recipeStack(box));
        expect(stdout).toContain(`box ${box}: native stack ${planned} bytes, measured`);
      } else {
        expect(planned, box).toBe(recipeStack(box));
        expect(stdout).toContain(`box ${box}: native stack ${planned} bytes, the recipe's stack (no static bound: ${measured.reason.replace(new RegExp(`\\b${prefix}[_.]`, 'g'), '')})`);
      }
      expect(readFileSync(join(out, 'plan.txt'), 'utf8')).toContain(`box ${box} native stack: ${planned} bytes of its RAM`);

      // Every helper the module calls takes at most its allowance in the linked code: compiled C
      // by its deepest chain, hand-written libgcc (which jumps between entry points) by the frames
      // of everything it reaches. The trap entry moves SP only on the host's path: a box goes
      // straight on to bento_wasm_on_trap, whose printf path is the host's too.
      // A box entered straight (software bounds) leaves its stack for good through
      // bento_box_direct_abort / _resume, and its gates keep r4 and lr on it (8 bytes more than
      // an SVC gate) before moving to the main stack.
      const hostOnly = new Set(['bento_wasm_trap_name', 'printf', 'iprintf', 'fflush', 'bento_exit', 'bento_box_direct_abort', 'bento_box_direct_resume']);
      functions.set('bento_wasm_trap', { frame: 0, calls: new Set(['bento_wasm_on_trap']), jumps: new Set(), dynamic: false });
      functions.set('bento_box_direct_gate', { frame: 8, calls: new Set(), jumps: new Set(), dynamic: false });
      const straight = recipe.boxes.find((b) => b.name === box)!.bounds === 'software';
      const gateExtra = (symbol: string) => (straight && (symbol.startsWith(`${prefix}_wasi_`) || symbol.startsWith(`${prefix}_import_`)) ? 8 : 0);
      const undefinedSymbols = execFileSync('arm-none-eabi-nm', ['-u', object], { encoding: 'utf8' }).split('\n').flatMap((l) => (/U (\S+)/.exec(l) ? [/U (\S+)/.exec(l)![1]!] : []));
      for (const symbol of undefinedSymbols) {
        const base = helperStack(symbol, prefix);
        if (base === undefined) continue; // data (the linear memory), or what makes the box unmeasured
        const allowance = base + gateExtra(symbol);
        const used = symbol.startsWith('__') ? imageReachableFrames(functions, symbol) : imageStackDepth(functions, symbol, hostOnly);
        expect(used, `${box}: ${symbol}`).toBeLessThanOrEqual(allowance);
      }
      for (const entry of [...functions.keys()].filter((f) => f.startsWith(`${prefix}_entry_`))) {
        const exports = new Set([...functions.keys()].filter((f) => f.startsWith(`${prefix}_export_`)));
        expect(imageStackDepth(functions, entry, exports), entry).toBeLessThanOrEqual(entryGlueBytes);
      }
    }
    expect(measuredBoxes).toBeGreaterThan(0);
  });
});

describe('a recursive Wasm box', () => {
  it('keeps the recipe\'s stack, says why, and an overflow of it ends the box with -25', { timeout: 300_000 }, async () => {
    const dir = join(work, 'recursion');
    cpSync(join(projectRoot, 'test', 'fixtures', 'boxes', 'native-stack'), dir, { recursive: true });
    const built = await bento(['build', 'm4'], dir);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout + built.stderr).toContain("box deep: native stack 2048 bytes, the recipe's stack (no static bound: recursion: down -> down)");
    // The box beside it has no recursion: measured, far below its recipe's stack.
    expect(built.stdout + built.stderr).toMatch(/box flat: native stack \d+ bytes, measured/);
    const image = symbols(join(dir, 'build', 'm4', 'native-stack.elf'));
    expect(image.get('__bento_box_deep_stack_top')! - image.get('__bento_box_deep_stack_bottom')!).toBe(2048);
    const run = await bento(['run', 'm4', '--timeout', '60'], dir);
    expect(run.stdout).toContain('descend(3) = 6');
    expect(run.stdout).toContain('descend(100000) = -25');
    expect(run.stdout).toContain('flat checksum intact: 1');
    expect(run.stdout).toContain('descend(4) after the restart = 10');
    expect(run.code, run.stderr).toBe(0);

    // `native-stack` sizes it apart from `stack` (the shadow stack of a C box).
    const toml = join(dir, 'bento.toml');
    writeFileSync(toml, readFileSync(toml, 'utf8').replace('stack = "2 KiB"', 'stack = "2 KiB"\nnative-stack = "1 KiB"'));
    const rebuilt = await bento(['build', 'm4'], dir);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout + rebuilt.stderr).toContain("box deep: native stack 1024 bytes, the recipe's native-stack (no static bound: recursion: down -> down)");
    const smaller = symbols(join(dir, 'build', 'm4', 'native-stack.elf'));
    expect(smaller.get('__bento_box_deep_stack_top')! - smaller.get('__bento_box_deep_stack_bottom')!).toBe(1024);
  });
});

writeFileSync(join(work, 'README'), 'native-stack.test.ts scratch folder\n');
