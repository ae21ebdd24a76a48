import { join, relative } from 'node:path';
import { buildDir } from '../build/build.js';
import { loadBoard } from '../config/board.js';
import type { Board } from '../config/board.js';
import { loadRecipe } from '../config/recipe.js';
import type { Recipe } from '../config/recipe.js';
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { caseDir } from './cases.js';
import type { TestCase } from './cases.js';

/** One case on one board: the unit that passes, fails or is skipped. */
export interface TestPair {
  testCase: TestCase;
  board: Board;
  /** The case's recipe, or why it could not be read (the pair then fails without a build). */
  recipe: Recipe | BentoError;
}

/**
 * Every (case, board) pair, in case order and each case's board order. Boards come from
 * `override` (--board) when given, else from each case. Bad boards, cases without boards and two
 * builds that would write one image are errors, all reported together; a recipe that does not
 * load only fails its own pairs.
 */
export function planPairs(cases: readonly TestCase[], override?: readonly Board[]): TestPair[] {
  const problems: Diagnostic[] = [];
  const recipes = new Map<string, Recipe | BentoError>();
  const recipeOf = (file: string) => {
    if (!recipes.has(file)) {
      try {
        recipes.set(file, loadRecipe(file));
      } catch (err) {
        if (!(err instanceof BentoError)) throw err;
        recipes.set(file, err);
      }
    }
    return recipes.get(file)!;
  };
  const pairs: TestPair[] = [];
  for (const testCase of cases) {
    const boards = override ?? caseBoards(testCase, problems);
    if (!override && testCase.boards.length === 0) {
      problems.push({ code: 'B1003', message: `case ${testCase.name} names no boards`, location: { file: testCase.file }, hint: `add boards = ["m4"] to test/${testCase.name}.toml, or pass --board` });
    }
    for (const board of boards) pairs.push({ testCase, board, recipe: recipeOf(testCase.recipe) });
  }
  problems.push(...clashes(pairs));
  if (problems.length > 0) throw new BentoError(problems);
  return pairs;
}

/** A case's boards, each error put at the place the case names the board. */
function caseBoards(testCase: TestCase, problems: Diagnostic[]): Board[] {
  const boards: Board[] = [];
  for (const { spec, location } of testCase.boards) {
    try {
      boards.push(loadBoard(spec, caseDir(testCase)));
    } catch (err) {
      if (!(err instanceof BentoError)) throw err;
      // A missing board is the case's mistake; a broken board file keeps its own location.
      problems.push(...err.diagnostics.map((d) => (d.code === 'B1007' ? { ...d, location } : d)));
    }
  }
  return boards;
}

/**
 * A recipe's builds go to build/<board>/ (or build/<recipe>/<board>/) and write <name>.elf there:
 * two board files with one name, or two recipe files that come to one folder (`x` and `x.toml`),
 * would overwrite each other's image.
 */
function clashes(pairs: readonly TestPair[]): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const boardFiles = new Map<string, string>();
  const images = new Map<string, string>();
  for (const { board, recipe, testCase } of pairs) {
    const seen = boardFiles.get(board.name);
    if (seen !== undefined && seen !== board.file) {
      problems.push({ code: 'B1004', message: `boards ${relative(process.cwd(), seen)} and ${relative(process.cwd(), board.file)} are both named '${board.name}': their builds would share build/${board.name}/`, location: { file: testCase.file }, hint: 'give one board file another name' });
    }
    boardFiles.set(board.name, board.file);
    if (recipe instanceof BentoError) continue;
    const image = join(buildDir(recipe, board), `${recipe.name}.elf`);
    const other = images.get(image);
    if (other !== undefined && other !== recipe.file) {
      problems.push({ code: 'B1004', message: `recipes ${relative(process.cwd(), other)} and ${relative(process.cwd(), recipe.file)} would both build ${relative(process.cwd(), image)}`, location: { file: testCase.file }, hint: 'give one recipe another name, or run the cases on different boards' });
    }
    images.set(image, recipe.file);
  }
  // One report per clash, not one per pair that meets it.
  return problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i);
}
