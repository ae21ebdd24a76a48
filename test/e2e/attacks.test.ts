// The malicious-box suite (test/fixtures/boxes/attacks): attacker boxes try every way out of
// their memory, on both boards. For each attempt the host checksums the victims' memory, its
// own data, code memory and the protection registers before and after, calls the attacker, and
// prints a line with the code the call ended in and "unchanged"; after every attempt the
// victims must still answer with their next count. The lines the host prints must be exactly
// expected.txt; the runtime's own "[bento] ..." reports in between are checked apart.
//
// Wasm attackers run with each bounds strategy: software traps every attempt (-21 .. -25);
// mask and mpu wrap most accesses inside the box's own memory (no error: 0) and the MPU stops
// the ones that spill past its region (-26); none has no checks, so the MPU stops everything
// that leaves the memory (-26) and the rest lands in the box's own memory (0).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

const root = join(projectRoot, 'test/fixtures/boxes/attacks');
const boards = ['m4', 'm7'] as const;

// Attempts, how many left everything unchanged, and how many ended in an error code.
// The native system also runs on the STM32F405 (code in flash, 128 KiB of RAM); the Wasm ones'
// attacker keeps a 64 KiB page, which with the climber's does not fit there.
const systems = [
  { name: 'wasm-software', tried: 113, contained: 113, errors: 112, boards },
  { name: 'wasm-mask', tried: 113, contained: 113, errors: 31, boards },
  { name: 'wasm-mpu', tried: 113, contained: 113, errors: 31, boards },
  { name: 'wasm-none', tried: 113, contained: 113, errors: 84, boards },
  { name: 'native', tried: 115, contained: 115, errors: 110, boards: [...boards, 'stm32f405'] },
] as const;

// Boxes that must never be aborted: an attack reaching them is an escape.
const victims = /\[bento\] box (victim|vault)\b/;

describe.each(systems)('attacks: $name', (system) => {
  const dir = join(root, system.name);
  const expected = readFileSync(join(dir, 'expected.txt'), 'utf8');

  it.each(system.boards)('every attempt is contained on %s', async (board) => {
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board, '--timeout', '120'], dir);
    const lines = run.stdout.split('\n');
    const host = lines.filter((l) => !l.startsWith('[bento]')).join('\n');
    const runtime = lines.filter((l) => l.startsWith('[bento]'));
    expect(host).toBe(expected);
    expect(run.code, run.stderr).toBe(0);
    expect(runtime.filter((l) => victims.test(l))).toEqual([]);
    expect(run.stdout).not.toContain('*** bento');
    expect(host).toContain(`attacks: ${system.tried} tried, ${system.contained} contained, ${system.errors} ended in an error code\n`);
    // Every attempt printed its line, and none of them saw a change.
    expect(host.match(/: -?\d+ \(.*\), unchanged$/gm)?.length).toBe(system.tried);
    expect(host).not.toContain('CHANGED');
  });
});
