import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Board } from '../config/board.js';
import { region } from '../config/board.js';
import { compileC } from '../compile/native-c.js';
import { fail } from '../diagnostics/error.js';
import { hex32 } from '../glue/render.js';
import { boardLinkFlags } from '../link/link.js';
import { isFresh, stampOf } from '../compile/native-c.js';
import { runtimeDir } from '../paths.js';
import { runTool } from '../toolchain/exec.js';
import { writeFileSync } from 'node:fs';

/**
 * Builds the board's resident bootloader (runtime-c/bootloader) into outDir/bootloader.elf,
 * with its layout from the board's [bootloader] table. Skips what is up to date.
 */
export async function buildBootloader(board: Board, outDir: string, onStep: (m: string) => void = () => {}): Promise<string> {
  const bl = board.bootloader;
  if (!bl) fail('B1004', `board ${board.name} has no [bootloader] table`, { location: { file: board.file } });
  if (bl.kind !== 'an3155') fail('B1004', `board ${board.name}'s bootloader is the part's own (${bl.kind}), in its system memory: bento has nothing to build or emulate there`, { location: { file: board.file }, hint: `flash a real part with \`bento flash ${board.name} --port PORT\`` });
  const code = region(board, 'code');
  const dir = join(runtimeDir, 'bootloader');
  const flags = [
    '-Os',
    '-Wall',
    `-DCODE_BASE=${hex32(code.origin)}u`,
    `-DCODE_END=${hex32(code.origin + code.size)}u`,
    `-DBOOTLOADER_END=${hex32(code.origin + bl.size)}u`,
    `-DPAGE_SIZE=${bl.pageSize}u`,
    `-DFLASH_ALIAS_BASE=${hex32(bl.alias)}u`,
    `-DIMAGE_OFFSET=${hex32(bl.header)}u`,
  ];
  const objects = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.c')).sort()) {
    const done = await compileC({ board, source: join(dir, file), object: join(outDir, 'obj', file.replace(/\.c$/, '.o')), flags });
    if (!done.cached) onStep(`compiled bootloader/${file}`);
    objects.push(done.object);
  }
  const elf = join(outDir, 'bootloader.elf');
  const args = [...boardLinkFlags(board), '-nostartfiles', '-nostdlib', '-T', join(dir, 'bootloader.ld'), '-Wl,--gc-sections', '-Wl,--no-warn-rwx-segments', '-o', elf, ...objects, '-lgcc'];
  const stamp = stampOf(args);
  if (!isFresh(elf, `${elf}.cmd`, stamp, [...objects, join(dir, 'bootloader.ld')])) {
    await runTool('gcc', args, { doing: 'linking the bootloader', failCode: 'B5003' });
    writeFileSync(`${elf}.cmd`, stamp);
    onStep(`linked ${elf}`);
  }
  return elf;
}
