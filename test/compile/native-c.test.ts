// The vector table as the board's flags make it (boardCFlags -> runtime-c/startup/startup.c):
// a vector for every line of the board's NVIC, each to the dispatcher, and the section aligned
// as VTOR requires. Compiled for each board and read back from the object, without QEMU.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vectorTables } from '../support/vector-tables.js';
import { describe, expect, it } from 'vitest';
import { boardCFlags, compileC } from '../../src/compile/native-c.js';
import { loadBoard } from '../../src/config/board.js';
import { runtimeDir } from '../../src/paths.js';
import { projectRoot } from '../support/cli.js';

const readelf = (args: string[]) => execFileSync('arm-none-eabi-readelf', ['-W', ...args], { encoding: 'utf8' });

describe('the vector table startup.c compiles to', () => {
  // The m7 has the m4's table: one compile less.
  it.each(vectorTables.filter(([board]) => board !== 'm7'))('on %s has %i external vectors to the dispatcher (%i bytes, aligned to %i)', async (name, lines, bytes, align) => {
    const board = loadBoard(name, projectRoot);
    expect(boardCFlags(board)).toContain(`-DBENTO_IRQ_VECTORS=${lines}`);
    const object = join(mkdtempSync(join(tmpdir(), 'bento-vectors-')), 'startup.o');
    await compileC({ board, source: join(runtimeDir, 'startup', 'startup.c'), object, flags: ['-O2'] });

    // [Nr] Name Type Address Off Size ES Flg Lk Inf Al
    const section = /\]\s+\.vectors\s+PROGBITS\s+\S+\s+\S+\s+([0-9a-f]+)\s+\S+\s+A\s+\d+\s+\d+\s+(\d+)$/m.exec(readelf(['-S', object]));
    expect(section).not.toBeNull();
    expect(parseInt(section![1]!, 16)).toBe(bytes);
    expect(Number(section![2])).toBe(align);

    // One relocation per vector: the external ones all name the dispatcher, the last at the end.
    const relocations = readelf(['-r', object]).split(/\n\n/).find((part) => part.includes("'.rel.vectors'"))!;
    const toDispatcher = [...relocations.matchAll(/^([0-9a-f]{8})\s+\S+\s+R_ARM_ABS32\s+\S+\s+bento_irq_vector$/gm)].map((m) => parseInt(m[1]!, 16));
    expect(toDispatcher).toHaveLength(lines);
    expect(toDispatcher[0]).toBe(16 * 4);
    expect(toDispatcher.at(-1)).toBe(bytes - 4);
  });
});
