import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProject } from '../build/build.js';
import { buildImage } from '../build/image.js';
import type { Board } from '../config/board.js';
import { region } from '../config/board.js';
import { loadRecipe } from '../config/recipe.js';
import { boardLinkFlags } from '../link/link.js';
import { measureObjects } from '../link/measure.js';
import { bentoRoot } from '../paths.js';
import { compileC, compileCached } from '../compile/native-c.js';
import { BentoError } from '../diagnostics/error.js';
import type { BoundsStrategy } from '../lower/types.js';
import { buildWasm2cVariant } from './wasm2c.js';

export const kernelsDir = join(bentoRoot, 'bench', 'kernels');
const harness = join(bentoRoot, 'bench', 'harness', 'main.c');

/** How one kernel is built: natively by either compiler, or as a Wasm box with a bounds strategy. */
export type Variant = { kind: 'native'; compiler: 'clang' | 'gcc' } | { kind: 'wasm'; bounds: BoundsStrategy } | { kind: 'wasm2c' };

export const allVariants: readonly Variant[] = [
  { kind: 'native', compiler: 'clang' },
  { kind: 'native', compiler: 'gcc' },
  { kind: 'wasm', bounds: 'software' },
  { kind: 'wasm', bounds: 'mask' },
  { kind: 'wasm', bounds: 'mpu' },
  { kind: 'wasm', bounds: 'none' },
  { kind: 'wasm2c' },
];

export const variantName = (v: Variant) => (v.kind === 'native' ? `native-${v.compiler}` : v.kind === 'wasm' ? `wasm-${v.bounds}` : 'wasm2c');

export function listKernels(): string[] {
  return readdirSync(kernelsDir)
    .filter((f) => f.endsWith('.c'))
    .map((f) => f.replace(/\.c$/, ''))
    .sort();
}

/** What a built variant is: its image, and the bytes of code its kernel compiled to. */
export interface BuiltVariant {
  kind: 'built';
  elf: string;
  kernelCode: number;
  /** Bytes of RAM the kernel needs: its data and bss natively; a Wasm box's linear memory (initial pages) and its own data. */
  kernelRam: number;
  /** Seconds the Wasm compiler took (Wasm variants). */
  compileSeconds?: number;
}

/**
 * A variant whose memory the board cannot hold (a Wasm box's 64 KiB linear memory on a 64 KiB
 * part, crc32's 64 KiB of data natively): nothing was linked or run. Bytes of RAM the image
 * needs, and the bytes the board's RAM has.
 */
export interface DidNotFit {
  kind: 'did-not-fit';
  needs: number;
  has: number;
}

/** The main stack, its MPU guard and the malloc heap of the native images (printf's buffers). */
export const nativeHost = { stack: 8 * 1024, stackGuard: 1024, heap: 4 * 1024 };

/**
 * Bytes of heap a kernel mallocs from in kernel_run, as its source declares them with a line
 * `#define KERNEL_HEAP_BYTES <n>` (bench/kernels/README.md); 0 for a kernel that does not allocate.
 */
export function kernelHeapOf(source: string): number {
  const m = /^#define KERNEL_HEAP_BYTES (\d+)\s*$/m.exec(source);
  return m ? Number(m[1]) : 0;
}

export const kernelHeap = (kernel: string) => kernelHeapOf(readFileSync(join(kernelsDir, `${kernel}.c`), 'utf8'));

/**
 * The host of an image with the kernel in a Wasm box: as small as the native one, so that a
 * 64 KiB linear memory fits beside it on a part with 128 KiB of RAM.
 */
const boxHost = { stack: '8 KiB', heap: '4 KiB' };

/** RAM an image with this host needs besides its own data: stack, guard (where there is an MPU) and heap. */
export function hostRam(board: Board, host: { stack: number; stackGuard: number; heap: number }): number {
  return host.stack + (board.mpu.kind === 'none' ? 0 : host.stackGuard) + host.heap;
}

/** A build the board's memory refused (B2001 from the plan, B3005 from the Wasm reader), as DidNotFit. */
export function asDidNotFit(err: unknown): DidNotFit | undefined {
  if (!(err instanceof BentoError)) return undefined;
  const d = err.diagnostics.find((x) => (x.code === 'B2001' || x.code === 'B3005') && x.fit);
  return d ? { kind: 'did-not-fit', needs: d.fit!.needs, has: d.fit!.has } : undefined;
}

// Same floating-point rules for every variant: no fused multiply-add (Wasm has none), and no
// errno from sqrt, which would add a libm call the Wasm build does not have.
const kernelFlags = ['-O2', '-ffp-contract=off', '-fno-math-errno'];

/**
 * Builds `kernel` as `variant` for `board` under `outDir`, reusing what is up to date; or says
 * that it does not fit the board's RAM.
 */
export async function buildVariant(kernel: string, variant: Variant, board: Board, outDir: string): Promise<BuiltVariant | DidNotFit> {
  const dir = join(outDir, board.name, kernel, variantName(variant));
  mkdirSync(dir, { recursive: true });
  const source = join(kernelsDir, `${kernel}.c`);
  if (variant.kind === 'wasm2c') return buildWasm2cVariant(kernel, board, dir);
  const heap = kernelHeap(kernel);
  if (variant.kind === 'native') {
    // A kernel that allocates gets its heap beside newlib's own.
    const host = { ...nativeHost, heap: nativeHost.heap + heap };
    const object = join(dir, 'obj', 'kernel.o');
    if (variant.compiler === 'gcc') {
      const args = [...boardLinkFlags(board), ...kernelFlags, '-ffunction-sections', '-fdata-sections', '-MMD', '-MF', `${object}.d`, '-c', source, '-o', object];
      await compileCached('gcc', args, object, `compiling ${kernel} with gcc`);
    } else {
      await compileC({ board, source, object, flags: kernelFlags });
    }
    const sizes = await measureObjects([object]);
    // The kernel's data beside the host's stack and heap (the runtime's and newlib's own data,
    // a few hundred bytes, are left to the linker).
    const needs = hostRam(board, host) + sizes.data + sizes.bss;
    const has = region(board, 'ram').size;
    if (needs > has) return { kind: 'did-not-fit', needs, has };
    const result = await buildImage({
      board,
      name: 'bench',
      outDir: dir,
      sources: [{ path: harness, object: join(dir, 'obj', 'main.o'), flags: ['-O2', '-I', kernelsDir] }],
      objects: [object],
      ...host,
      inputs: [board.file, source],
    });
    return { kind: 'built', elf: result.image.elf, kernelCode: sizes.code, kernelRam: sizes.data + sizes.bss };
  }
  // A Wasm box: the kernel's three functions are its exports, included after the box header
  // that gives them their export names. A kernel that allocates also exports the size of its
  // memory, which the harness prints before and after kernel_run. Reading the size tells bento
  // that the module manages its own memory: the box keeps 64 KiB pages and wasi-libc's malloc,
  // which grows the memory (memory.grow) into the box's heap, up to its region.
  const pages = 'uint32_t kernel_memory_pages(void) { return (uint32_t)__builtin_wasm_memory_size(0); }\n';
  writeFileSync(join(dir, 'kernel_box.c'), `/* generated by bento bench */\n#include "bento_kernel.h"\n#include "${source}"\n${heap > 0 ? pages : ''}`);
  const grows = (line: string) => (heap > 0 ? [line] : []);
  writeFileSync(
    join(dir, 'bento.toml'),
    [
      '# generated by bento bench',
      'name = "bench"',
      '[host]',
      `sources = ["${harness}"]`,
      `stack = "${boxHost.stack}"`,
      `heap = "${boxHost.heap}"`,
      heap > 0 ? 'defines = ["BENCH_IN_BOX", "BENCH_GROWS"]' : 'defines = ["BENCH_IN_BOX"]',
      'imports.kernel_init = "fn()"',
      'imports.kernel_run = "fn()"',
      'imports.kernel_checksum = "fn() -> u32"',
      ...grows('imports.kernel_memory_pages = "fn() -> u32"'),
      '[box.kernel]',
      'runtime = "wasm"',
      'sources = ["kernel_box.c"]',
      `include = ["${kernelsDir}"]`,
      `cflags = ${JSON.stringify(kernelFlags)}`,
      `bounds = "${variant.bounds}"`,
      'stack = "8 KiB"',
      ...grows(`heap = ${heap}`),
      'exports.kernel_init = "fn()"',
      'exports.kernel_run = "fn()"',
      'exports.kernel_checksum = "fn() -> u32"',
      ...grows('exports.kernel_memory_pages = "fn() -> u32"'),
      '',
    ].join('\n'),
  );
  const recipe = loadRecipe(dir);
  let result;
  try {
    result = await buildProject(recipe, board);
  } catch (err) {
    const refused = asDidNotFit(err);
    if (refused) return refused;
    throw err;
  }
  const box = result.boxes[0]!;
  const { readWasm } = await import('../compile/wasm.js');
  const module = readWasm(join(result.outDir, 'obj', 'box', 'kernel', 'module.wasm'), 1 << 30);
  const initial = (module.memories[0]?.limits.min ?? 0) * 65536;
  // A memory that grows may take its heap too, in whole pages.
  const memory = heap > 0 ? Math.ceil((initial + heap) / 65536) * 65536 : initial;
  return { kind: 'built', elf: result.image.elf, kernelCode: box.sizes.code, kernelRam: memory + box.sizes.data + box.sizes.bss, compileSeconds: box.compileSeconds };
}

