import { mkdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Board } from '../config/board.js';
import type { Recipe } from '../config/recipe.js';
import { compileC } from '../compile/native-c.js';
import type { CompiledObject } from '../compile/native-c.js';
import { renderLinkerScript } from '../glue/linker-script.js';
import { linkImage, writeFileAtomic } from '../link/link.js';
import type { LinkedImage } from '../link/link.js';
import { runtimeDir } from '../paths.js';
import { hostRuntimeSources } from './runtime-sources.js';

export interface BuildResult {
  outDir: string;
  linkerScript: string;
  objects: readonly CompiledObject[];
  image: LinkedImage;
}

export interface BuildOptions {
  /** Called once per finished step, for progress output. */
  onStep?: (message: string) => void;
}

export function buildDir(recipe: Recipe, board: Board): string {
  return join(recipe.dir, 'build', board.name);
}

/** Builds a recipe for a board: compile -> glue (linker script) -> link. */
export async function buildProject(recipe: Recipe, board: Board, options: BuildOptions = {}): Promise<BuildResult> {
  const step = options.onStep ?? (() => {});
  const outDir = buildDir(recipe, board);
  const objDir = join(outDir, 'obj');
  mkdirSync(objDir, { recursive: true });

  const hostFlags = [
    '-O2',
    '-g',
    '-Wall',
    ...recipe.host.include.flatMap((d) => ['-I', d]),
    ...recipe.host.defines.map((d) => `-D${d}`),
    ...recipe.host.cflags,
  ];
  const jobs = [
    ...recipe.host.sources.map((source) => ({ source, object: join(objDir, 'host', objectName(relative(recipe.dir, source))), flags: hostFlags })),
    ...hostRuntimeSources.map((source) => ({ source, object: join(objDir, 'runtime', objectName(relative(runtimeDir, source))), flags: ['-O2', '-g', '-Wall'] })),
  ];
  const objects = await runLimited(jobs, 2, async (job) => {
    const done = await compileC({ board, ...job });
    step(`${done.cached ? 'up to date' : 'compiled'} ${relative(recipe.dir, job.source)}`);
    return done;
  });

  const linkerScript = join(outDir, 'link.ld');
  writeFileAtomic(linkerScript, renderLinkerScript({ board, inputs: [board.file, recipe.file], stackSize: recipe.host.stack, stackGuardSize: recipe.host.stackGuard, heapSize: recipe.host.heap }));
  const image = await linkImage({ board, objects: objects.map((o) => o.object), linkerScript, elf: join(outDir, `${recipe.name}.elf`) });
  step(`linked ${relative(recipe.dir, image.elf)}`);
  return { outDir, linkerScript, objects, image };
}

function objectName(sourcePath: string): string {
  return sourcePath.replace(/\.\.\//g, '__/').replace(/\.[^./]+$/, '.o') || `${basename(sourcePath)}.o`;
}

/** Runs `work` over `items` with at most `limit` at once, keeping the order of results. */
async function runLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
