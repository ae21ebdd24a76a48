// The C library of native boxes (runtime-c/box-libc/), built once per board into archives that
// each native box's objects are combined with (`ld -r`): the members a box uses join its own
// object, so their state lands in the box's RAM region and their symbols become the box's
// alone. What every native box gets: assert, snprintf and friends, and memcpy, memmove and
// memset. What a box gets only when its recipe names it (`box.<name>.libc`): the services that
// keep state, "heap" (malloc in its own region) and "printf" (console output through the host).
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Board } from '../config/board.js';
import type { RecipeBox } from '../config/recipe.js';
import { compileC, isFresh, stampOf } from '../compile/native-c.js';
import type { CompileCommand } from '../compile/native-c.js';
import { banner, renderTemplate } from '../glue/render.js';
import { runtimeDir } from '../paths.js';
import { runTool } from '../toolchain/exec.js';

import { libcServices } from '../config/recipe.js';
import type { LibcService } from '../config/recipe.js';

/** runtime-c/box-libc/ sources: the stateless part, then each service's. */
const baseSources = ['string.c', 'format.c', 'assert.c', 'calls.c'];
const serviceSources: Record<LibcService, string[]> = { heap: ['heap.c'], printf: ['print.c'] };

/** The heap bounds heap.c uses, renamed to the box's own when it is combined. */
export const libcHeapSymbols = { start: '__bento_libc_heap_start', end: '__bento_libc_heap_end' } as const;

/** What a service provides: for the hint of a box that calls one of these without it. */
export const libcServiceSymbols: Record<LibcService, readonly string[]> = {
  heap: ['malloc', 'free', 'calloc', 'realloc'],
  printf: ['printf', 'vprintf', 'puts', 'putchar'],
};

/** The archives of the C library for one board, and how each of their files was compiled. */
export interface LibcArchives {
  /** Always combined with a native box's objects (last: the services call into it). */
  base: string;
  services: Record<LibcService, string>;
  compiled: readonly CompileCommand[];
}

const libcDir = join(runtimeDir, 'box-libc');

/**
 * Compiled for size: every copy of it is a box's code, and its hot part (string.c) is assembly.
 * -O2 made format.c 7.9 KB and heap.c 1.4 KB; -Os makes them 3.1 KB and 0.6 KB (m4).
 */
const libcFlags = ['-Os', '-g', '-Wall', '-ffunction-sections', '-fdata-sections'];

async function archive(board: Board, dir: string, name: string, sources: readonly string[]): Promise<{ path: string; compiled: CompileCommand[] }> {
  const objects: string[] = [];
  const compiled: CompileCommand[] = [];
  for (const source of sources) {
    const object = join(dir, source.replace(/\.c$/, '.o'));
    const done = await compileC({ board, source: join(libcDir, source), object, flags: libcFlags });
    objects.push(object);
    compiled.push(done.command);
  }
  const path = join(dir, `${name}.a`);
  const stamp = stampOf(objects);
  if (!isFresh(path, `${path}.cmd`, stamp, objects)) {
    // Rewritten whole (no member of an older archive stays), with a symbol index for ld.
    rmSync(`${path}.tmp`, { force: true });
    await runTool('ar', ['rcsD', `${path}.tmp`, ...objects], { doing: `archiving ${name}.a`, failCode: 'B5003' });
    renameSync(`${path}.tmp`, path);
    writeFileSync(`${path}.cmd`, stamp);
  }
  return { path, compiled };
}

/** Compiles the C library of native boxes for a board (what is up to date is kept), under obj/box-libc/. */
export async function buildLibcArchives(board: Board, outDir: string): Promise<LibcArchives> {
  const dir = join(outDir, 'obj', 'box-libc');
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const base = await archive(board, dir, 'libbox', baseSources);
  const heap = await archive(board, dir, 'libbox-heap', serviceSources.heap);
  const printf = await archive(board, dir, 'libbox-printf', serviceSources.printf);
  return { base: base.path, services: { heap: heap.path, printf: printf.path }, compiled: [...base.compiled, ...heap.compiled, ...printf.compiled] };
}

/** The archives one box's objects are combined with: its services first, the base last. */
export function libcInputs(box: RecipeBox, archives: LibcArchives): string[] {
  return [...libcServices.filter((s) => box.libc.includes(s)).map((s) => archives.services[s]), archives.base];
}

/** The renames that give heap.c the box's own heap bounds. */
export function libcRenames(box: RecipeBox): string[] {
  return [
    ['--redefine-sym', `${libcHeapSymbols.start}=__bento_box_${box.name}_heap_start`],
    ['--redefine-sym', `${libcHeapSymbols.end}=__bento_box_${box.name}_heap_end`],
  ].flat();
}

/** The service a symbol belongs to, for the hint of a box that uses it without the service. */
export function serviceOf(symbol: string): LibcService | undefined {
  return libcServices.find((s) => libcServiceSymbols[s].includes(symbol));
}

/** The view of templates/libc-services.c.hbs: the boxes given the `printf` service. Pure. */
export function libcServicesView(boxes: readonly RecipeBox[], inputs: readonly string[]) {
  return {
    banner: banner(inputs),
    console: boxes.filter((b) => b.runtime === 'native' && b.libc.includes('printf')).map((b) => b.name),
  };
}

/** build/<board>/glue/libc_services.c: the host's list of the boxes that may write to the console. */
export function renderLibcServices(boxes: readonly RecipeBox[], inputs: readonly string[]): string {
  return renderTemplate('libc-services.c.hbs', libcServicesView(boxes, inputs));
}
