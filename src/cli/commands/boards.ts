import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Board } from '../../config/board.js';
import { loadBoard } from '../../config/board.js';
import { hex32 } from '../../glue/render.js';
import { boardsDir } from '../../paths.js';
import type { Command } from '../command.js';

function emulation(b: Board): string {
  return b.qemu ? `-M ${b.qemu.machine}${b.qemu.cpu ? ` -cpu ${b.qemu.cpu}` : ''}` : 'not emulated (build only)';
}

export const boardsCommand: Command = {
  name: 'boards',
  summary: 'list the boards bento ships, or show one in full',
  usage: '[board]',
  options: {},
  async run(positionals) {
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
    const boards = readdirSync(boardsDir)
      .filter((f) => f.endsWith('.toml'))
      .sort()
      .map((file) => ({ file, b: loadBoard(join(boardsDir, file)) }));
    const nameWidth = Math.max(6, ...boards.map(({ b }) => b.name.length));
    const fileWidth = Math.max(10, ...boards.map(({ file }) => file.length));
    for (const { file, b } of boards) {
      console.log(`${b.name.padEnd(nameWidth)} boards/${file.padEnd(fileWidth)} ${b.description}${b.qemu ? '' : ' [not emulated]'}`);
    }
    return 0;
  },
};
