import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Board } from '../config/board.js';
import { fpuFlags } from '../config/board.js';
import { runtimeDir } from '../paths.js';
import { runTool } from '../toolchain/exec.js';
import { dirname, join } from 'node:path';
import { measureImage } from './size.js';
import { isFresh, stampOf } from '../compile/native-c.js';
import type { ImageSizes } from './size.js';

export interface LinkInput {
  board: Board;
  objects: readonly string[];
  linkerScript: string;
  /** The ELF to write; .bin and .map are written beside it. */
  elf: string;
  /** The linker's warnings are errors (--fatal-warnings). */
  fatalWarnings?: boolean;
}

export interface LinkedImage {
  elf: string;
  bin: string;
  map: string;
  sizes: ImageSizes;
}

/** arm-none-eabi-gcc driver flags that pick the newlib and libgcc multilib matching the board. */
export function boardLinkFlags(board: Board): string[] {
  const fpu = fpuFlags(board);
  return [`-mcpu=${board.cpu.core}`, '-mthumb', ...fpu, `-mfloat-abi=${board.cpu.floatAbi}`];
}

/**
 * Links with arm-none-eabi-gcc (clang-14 has no bare-metal Arm driver that finds newlib) into
 * temporary files first, so a failed link never leaves an image that looks good.
 */
export async function linkImage(input: LinkInput): Promise<LinkedImage & { cached: boolean }> {
  const base = input.elf.replace(/\.elf$/, '');
  const out = { elf: input.elf, bin: `${base}.bin`, map: `${base}.map` };
  const tmp = { elf: `${out.elf}.tmp`, bin: `${out.bin}.tmp`, map: `${out.map}.tmp` };
  // Nothing changed since the last link: keep the image (the stamp is written last, so an
  // interrupted link never looks finished).
  const fatal = input.fatalWarnings ? ['-Wl,--fatal-warnings'] : [];
  const stamp = stampOf([...boardLinkFlags(input.board), ...fatal, input.linkerScript, ...input.objects]);
  if (existsSync(out.bin) && existsSync(out.map) && isFresh(out.elf, `${out.elf}.cmd`, stamp, [input.linkerScript, ...input.objects])) {
    return { ...out, sizes: await measureImage(out.elf, input.board), cached: true };
  }
  for (const f of [...Object.values(out), ...Object.values(tmp), `${out.elf}.cmd`]) rmSync(f, { force: true });
  try {
    await runTool(
      'gcc',
      [
        ...boardLinkFlags(input.board),
        '-nostartfiles',
        '-specs=nano.specs',
        '-specs=nosys.specs',
        '-T',
        input.linkerScript,
        '-L',
        join(runtimeDir, 'link'),
        '-Wl,--gc-sections',
        '-Wl,--no-warn-rwx-segments',
        // newlib's objects carry no .note.GNU-stack; a Cortex-M stack has no execute permission to warn about.
        '-Wl,--no-warn-execstack',
        ...fatal,
        `-Wl,-Map=${tmp.map}`,
        '-o',
        tmp.elf,
        ...input.objects,
        '-lm',
      ],
      { failCode: 'B5003', doing: `linking ${out.elf}`, warnings: true },
    );
    await runTool('objcopy', ['-O', 'binary', tmp.elf, tmp.bin], { doing: `writing ${out.bin}` });
    const sizes = await measureImage(tmp.elf, input.board);
    renameSync(tmp.map, out.map);
    renameSync(tmp.bin, out.bin);
    renameSync(tmp.elf, out.elf);
    writeFileSync(`${out.elf}.cmd`, stamp);
    return { ...out, sizes, cached: false };
  } finally {
    for (const f of Object.values(tmp)) rmSync(f, { force: true });
  }
}

/** Writes a generated file only when its text changed, so what depends on it stays up to date. */
export function writeFileIfChanged(file: string, text: string): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, text);
  return true;
}

/** Writes a temporary beside `file` and renames it into place: `file` is whole or unchanged, and the temporary never stays. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const tmp = `${file}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}
