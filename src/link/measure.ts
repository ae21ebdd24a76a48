import { runTool } from '../toolchain/exec.js';

/** Bytes an object file (or several) puts in code memory and in RAM. */
export interface ObjectSizes {
  /** .text, .rodata and friends: code memory. */
  code: number;
  /** .data: RAM, with its initial values in code memory too. */
  data: number;
  bss: number;
}

/** Sums the sections of object files by kind (arm-none-eabi-size -A). */
export async function measureObjects(objects: readonly string[]): Promise<ObjectSizes> {
  const sizes: ObjectSizes = { code: 0, data: 0, bss: 0 };
  if (objects.length === 0) return sizes;
  const { stdout } = await runTool('size', ['-A', ...objects], { doing: 'measuring objects' });
  for (const line of stdout.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+\d+/.exec(line);
    if (!m) continue;
    const [name, bytes] = [m[1]!, Number(m[2])];
    if (/^\.(text|rodata|ARM\.exidx|ARM\.extab)/.test(name)) sizes.code += bytes;
    else if (/^\.data/.test(name)) sizes.data += bytes;
    else if (/^\.bss/.test(name)) sizes.bss += bytes;
  }
  return sizes;
}

/**
 * The most padding the linker may put before the .data and .bss input sections of `objects`
 * (objdump -h): each may move up to its alignment less one byte. A bound for the RAM a box's
 * objects take beyond their sizes, without guessing.
 */
export async function dataPadding(objects: readonly string[]): Promise<number> {
  if (objects.length === 0) return 0;
  const { stdout } = await runTool('objdump', ['-h', ...objects], { doing: 'reading section alignments' });
  let padding = 0;
  for (const line of stdout.split('\n')) {
    const m = /^\s*\d+\s+\.(data|bss)\S*\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+2\*\*(\d+)$/.exec(line);
    if (m) padding += 2 ** Number(m[2]) - 1;
  }
  return padding;
}
