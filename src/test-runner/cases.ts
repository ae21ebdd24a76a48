import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { checkDocument } from '../config/schema.js';
import type { Field } from '../config/schema.js';
import { loadToml } from '../config/toml.js';
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/error.js';

/**
 * A test case, from a project's test/ folder: `test/<name>.toml` (the keys below), its expected
 * output `test/<name>.expected` beside it, or that file alone (every key at its default).
 */
export interface TestCase {
  name: string;
  /** The case file, or the expected-output file of a case that has none. */
  file: string;
  /** The recipe to build (absolute), and where the case names it. */
  recipe: string;
  recipeLocation: SourceLocation;
  /** Boards as written (names or paths relative to the case file); empty: only from --board. */
  boards: readonly { spec: string; location: SourceLocation }[];
  exitCode: number;
  expected?: { file: string; text: string };
  timeoutSeconds: number;
  icount: boolean;
}

export const defaultTimeoutSeconds = 60;

export const caseSchema: Record<string, Field> = {
  recipe: { kind: 'string', doc: "the recipe to build, a bento.toml or the folder holding one, relative to this file (default: the project's recipe)" },
  boards: { kind: 'array', doc: 'boards to run on: names bento ships (m4) or board files relative to this file; --board overrides them', of: { kind: 'string', doc: 'a board name or file' } },
  'exit-code': { kind: 'int', doc: 'the exit code the run must end with (default 0; 124 is a timeout, 150-155 faults)', min: 0, max: 255 },
  expected: { kind: 'string', doc: 'the file the UART output must match, relative to this file (default: <case>.expected beside it, if there is one)' },
  timeout: { kind: 'duration', doc: `how long a run may take, e.g. "30 s" (default ${defaultTimeoutSeconds} s)`, min: 1e6 },
  icount: { kind: 'bool', doc: 'deterministic virtual time: one instruction = 1 ns (QEMU -icount)' },
};

const caseExtension = '.toml';
const expectedExtension = '.expected';

/** The case names in a test folder: every <name>.toml and <name>.expected directly in it. */
export function caseNames(testDir: string): string[] {
  const names = new Set<string>();
  for (const entry of readdirSync(testDir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    for (const ext of [caseExtension, expectedExtension]) {
      if (entry.name.endsWith(ext) && entry.name.length > ext.length) names.add(entry.name.slice(0, -ext.length));
    }
  }
  return [...names].sort();
}

/**
 * Reads the named cases of a test folder. Every problem of every case is collected and thrown
 * together, each at its file:line:col.
 */
export function loadCases(testDir: string, names: readonly string[], projectRecipe: string): TestCase[] {
  const problems: Diagnostic[] = [];
  const cases: TestCase[] = [];
  for (const name of names) {
    try {
      cases.push(loadCase(testDir, name, projectRecipe, problems));
    } catch (err) {
      if (!(err instanceof BentoError)) throw err;
      problems.push(...err.diagnostics);
    }
  }
  if (problems.length > 0) throw new BentoError(problems);
  return cases;
}

/** A recipe given as a file or as the folder holding its bento.toml. */
function recipeFile(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, 'bento.toml') : path;
}

function loadCase(testDir: string, name: string, projectRecipe: string, problems: Diagnostic[]): TestCase {
  const caseFile = join(testDir, `${name}${caseExtension}`);
  const besideExpected = join(testDir, `${name}${expectedExtension}`);
  const hasCaseFile = existsSync(caseFile);
  const file = hasCaseFile ? caseFile : besideExpected;
  const doc = hasCaseFile ? loadToml(caseFile) : undefined;
  const raw = (doc ? checkDocument(doc, caseSchema) : {}) as {
    recipe?: string;
    boards?: string[];
    'exit-code'?: number;
    expected?: string;
    timeout?: number;
    icount?: boolean;
  };
  const at = (key: string): SourceLocation => doc?.values.get(key) ?? { file };

  const recipe = raw.recipe !== undefined ? recipeFile(resolve(testDir, raw.recipe)) : projectRecipe;
  if (!existsSync(recipe)) {
    problems.push(
      raw.recipe !== undefined
        ? { code: 'B1007', message: `case ${name}: no recipe at ${recipe}`, location: at('recipe') }
        : { code: 'B1007', message: `case ${name} builds the project's recipe, but there is none at ${recipe}`, location: { file }, hint: 'run bento test in the project folder, pass --recipe, or give the case its own: recipe = "path/to/bento.toml"' },
    );
  }

  if (raw.boards !== undefined && raw.boards.length === 0) {
    problems.push({ code: 'B1004', message: `case ${name}: 'boards' is empty`, location: at('boards'), hint: 'name at least one board, e.g. boards = ["m4"], or leave the key out and pass --board' });
  }
  const boards = (raw.boards ?? []).map((spec, i) => ({ spec, location: at(`boards[${i}]`) }));

  let expected: TestCase['expected'];
  const expectedFile = raw.expected !== undefined ? resolve(testDir, raw.expected) : existsSync(besideExpected) ? besideExpected : undefined;
  if (expectedFile !== undefined) {
    if (existsSync(expectedFile) && statSync(expectedFile).isFile()) expected = { file: expectedFile, text: readFileSync(expectedFile, 'utf8') };
    else problems.push({ code: 'B1007', message: `case ${name}: no expected-output file at ${relative(process.cwd(), expectedFile) || expectedFile}`, location: at('expected') });
  }

  return {
    name,
    file,
    recipe,
    recipeLocation: raw.recipe !== undefined ? at('recipe') : { file },
    boards,
    exitCode: raw['exit-code'] ?? 0,
    ...(expected ? { expected } : {}),
    timeoutSeconds: raw.timeout !== undefined ? raw.timeout / 1e9 : defaultTimeoutSeconds,
    icount: raw.icount ?? false,
  };
}

/** The folder a case's relative board paths start from. */
export const caseDir = (c: TestCase) => dirname(c.file);

