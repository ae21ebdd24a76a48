import { relative } from 'node:path';
import { buildProject } from '../../build/build.js';
import type { BuildOptions, ProjectResult } from '../../build/build.js';
import { loadBoard } from '../../config/board.js';
import type { Board } from '../../config/board.js';
import { loadRecipe } from '../../config/recipe.js';
import type { Recipe } from '../../config/recipe.js';
import { sizeReport } from '../../link/size-report.js';
import type { SizeReport } from '../../link/size-report.js';
import type { OptionValues } from '../command.js';
import { buildSteps, printJsonValue } from '../output.js';
import { boardArguments } from './shared.js';

/** One board's build, with what the size report and --json need. */
export interface ProjectBuild {
  board: Board;
  recipe: Recipe;
  result: ProjectResult;
  /** Nothing was compiled or linked: the image was up to date. */
  upToDate: boolean;
  seconds: number;
  sizes: SizeReport;
}

/**
 * Builds the recipe (--recipe, default bento.toml) for each board the command was given, one after
 * another: the boards share nothing but the sources. Progress goes to stderr as buildSteps says.
 */
export async function buildForBoards(command: string, positionals: string[], options: OptionValues, extra: Partial<BuildOptions> = {}, one = false): Promise<ProjectBuild[]> {
  const boards = boardArguments(positionals, options, command, one).map((b) => loadBoard(b));
  const recipe = loadRecipe(options.recipe as string);
  const builds: ProjectBuild[] = [];
  for (const board of boards) {
    const started = performance.now();
    const steps = buildSteps(`Building ${recipe.name} for ${board.name} (${board.description})`);
    const result = await buildProject(recipe, board, { ...extra, onStep: steps.onStep });
    builds.push({ board, recipe, result, upToDate: !steps.worked, seconds: (performance.now() - started) / 1000, sizes: projectSizes(result) });
  }
  return builds;
}

/** The size report of a built project: the host and every box as planned. */
export function projectSizes(result: ProjectResult): SizeReport {
  return sizeReport(
    result.image.map,
    result.image.sizes,
    result.boxes.map((b) => {
      const placed = result.plan?.boxes.find((p) => p.name === b.box.name);
      return { name: b.box.name, runtime: b.box.runtime, bounds: b.box.runtime === 'wasm' ? b.box.bounds : undefined, region: placed?.ram.size ?? 0, memory: placed?.memory?.size };
    }),
  );
}

/** A build as --json gives it: paths relative to the current folder, sizes in bytes. */
export function buildJson(b: ProjectBuild): Record<string, unknown> {
  const rel = (p: string) => relative(process.cwd(), p) || '.';
  return {
    recipe: rel(b.recipe.file),
    name: b.recipe.name,
    board: b.board.name,
    elf: rel(b.result.image.elf),
    bin: rel(b.result.image.bin),
    map: rel(b.result.image.map),
    upToDate: b.upToDate,
    seconds: Number(b.seconds.toFixed(3)),
    ...b.sizes,
  };
}

/** --json output: one object for one board, an array for several. */
export function printJson(items: readonly unknown[]): void {
  printJsonValue(items.length === 1 ? items[0] : items);
}
