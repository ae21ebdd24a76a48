import { join, relative } from 'node:path';
import type { Board } from '../config/board.js';
import type { Recipe } from '../config/recipe.js';
import { fail } from '../diagnostics/error.js';
import { buildImage } from './image.js';
import type { BuildOptions, ImageResult } from './image.js';

export type { BuildOptions } from './image.js';

export function buildDir(recipe: Recipe, board: Board): string {
  return join(recipe.dir, 'build', board.name);
}

/** Builds a recipe for a board. */
export async function buildProject(recipe: Recipe, board: Board, options: BuildOptions = {}): Promise<ImageResult & { outDir: string }> {
  if (recipe.boxes.length > 0) {
    fail('B1004', `${recipe.name}: this version of bento builds the host only; building boxes (${recipe.boxes.map((b) => b.name).join(', ')}) is not there yet`, {
      location: { file: recipe.file },
    });
  }
  const outDir = buildDir(recipe, board);
  const hostFlags = [
    '-O2',
    '-g',
    '-Wall',
    ...recipe.host.include.flatMap((d) => ['-I', d]),
    ...recipe.host.defines.map((d) => `-D${d}`),
    ...recipe.host.cflags,
  ];
  const sources = recipe.host.sources.map((path) => ({
    path,
    object: join(outDir, 'obj', 'host', relative(recipe.dir, path).replace(/\.\.\//g, '__/').replace(/\.[^./]+$/, '.o')),
    flags: hostFlags,
  }));
  const result = await buildImage(
    { board, name: recipe.name, outDir, sources, objects: [], stack: recipe.host.stack, stackGuard: recipe.host.stackGuard, heap: recipe.host.heap, inputs: [board.file, recipe.file] },
    { relativeTo: recipe.dir, ...options },
  );
  return { ...result, outDir };
}
