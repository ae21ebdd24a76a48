import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadBoard } from '../../config/board.js';
import { hex32 } from '../../glue/render.js';
import { boardsDir } from '../../paths.js';
import type { Command } from '../command.js';

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
      console.log(`  qemu       -M ${b.qemu.machine}${b.qemu.cpu ? ` -cpu ${b.qemu.cpu}` : ''}`);
      return 0;
    }
    for (const file of readdirSync(boardsDir).filter((f) => f.endsWith('.toml')).sort()) {
      const b = loadBoard(join(boardsDir, file));
      console.log(`${b.name.padEnd(6)} boards/${file.padEnd(10)} ${b.description}`);
    }
    return 0;
  },
};
