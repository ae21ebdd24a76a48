import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Board } from '../../config/board.js';
import { loadBoard } from '../../config/board.js';
import { hex32 } from '../../glue/render.js';
import { boardsDir } from '../../paths.js';
import type { Command } from '../command.js';

/** A folder as the user would type it from here: relative inside the current folder, else absolute. */
function shownDir(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

function emulation(b: Board): string {
  return b.qemu ? `-M ${b.qemu.machine}${b.qemu.cpu ? ` -cpu ${b.qemu.cpu}` : ''}` : 'not emulated (build only)';
}

export const boardsCommand: Command = {
  name: 'boards',
  positionals: 'boards',
  summary: "list the boards (the project's boards/ and those bento ships), or show one in full",
  usage: '[board]',
  options: { names: { type: 'boolean', description: 'only the names, one a line (for scripts and shell completion)' } },
  async run(positionals, options) {
    if (positionals.length > 0) {
      const b = loadBoard(positionals[0]!);
      console.log(`${b.name}: ${b.description}`);
      console.log(`  file       ${b.file}`);
      console.log(`  cpu        ${b.cpu.core} (${b.cpu.arch}), fpu ${b.cpu.fpu}, float ABI ${b.cpu.floatAbi}, ${b.cpu.clockHz / 1e6} MHz`);
      console.log(`  llvm       ${b.llvm.triple} -mcpu=${b.llvm.cpu} ${b.llvm.features.join(',')}`);
      for (const m of b.memory) console.log(`  memory     ${m.name.padEnd(6)} ${hex32(m.origin)} ${(m.size / 1024).toString().padStart(6)} KiB ${m.access}`);
      console.log(`  mpu        ${b.mpu.kind}, ${b.mpu.regions} regions`);
      console.log(`  uart       ${b.uart.kind} at ${hex32(b.uart.base)}`);
      console.log(`  counter    ${b.counter.kind} at ${hex32(b.counter.address)}, ${b.counter.hz / 1e6} MHz`);
      console.log(`  qemu       ${emulation(b)}`);
      return 0;
    }
    // The project's own boards/ (found by name as well) before the ones bento ships.
    const projectBoards = join(process.cwd(), 'boards');
    const dirs = [...(existsSync(projectBoards) && resolve(projectBoards) !== resolve(boardsDir) ? [{ dir: projectBoards, shown: 'boards/', own: true }] : []), { dir: boardsDir, shown: `${shownDir(boardsDir)}/`, own: false }];
    const boards = dirs.flatMap(({ dir, shown, own }) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.toml'))
        .sort()
        .map((file) => ({ file: `${shown}${file}`, own, b: loadBoard(join(dir, file)) })),
    );
    if (options.names) {
      for (const name of new Set(boards.map(({ b }) => b.name))) console.log(name);
      return 0;
    }
    const nameWidth = Math.max(6, ...boards.map(({ b }) => b.name.length));
    const fileWidth = Math.max(10, ...boards.map(({ file }) => file.length));
    for (const { file, own, b } of boards) {
      console.log(`${b.name.padEnd(nameWidth)} ${file.padEnd(fileWidth)} ${b.description}${b.qemu ? '' : ' [not emulated]'}${own ? ' [this project]' : ''}`);
    }
    return 0;
  },
};
