import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BentoError, fail } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { checkDocument } from './schema.js';
import type { Field } from './schema.js';
import { loadToml } from './toml.js';

/** A project: the host program (and, later, its boxes), read from bento.toml. */
export interface Recipe {
  file: string;
  /** The folder holding bento.toml; sources are relative to it. */
  dir: string;
  name: string;
  host: {
    sources: readonly string[];
    include: readonly string[];
    defines: readonly string[];
    cflags: readonly string[];
    stack: number;
    /** Bytes of no-access MPU guard below the stack (0 = none). */
    stackGuard: number;
    heap: number;
  };
}

const stringList = (doc: string): Field => ({ kind: 'array', doc, of: { kind: 'string', doc } });

export const recipeSchema: Record<string, Field> = {
  name: { kind: 'string', doc: 'project name: the image is build/<board>/<name>.elf', required: true },
  host: {
    kind: 'table',
    doc: 'the privileged host program',
    required: true,
    fields: {
      sources: { ...stringList('C source files, relative to bento.toml'), required: true },
      include: stringList('include folders, relative to bento.toml'),
      defines: stringList('preprocessor definitions, NAME or NAME=VALUE'),
      cflags: stringList('extra compiler flags'),
      stack: { kind: 'size', doc: 'main stack size (default 8 KiB)' },
      'stack-guard': { kind: 'size', doc: 'MPU no-access guard below the stack: a power of two >= 32, or 0 for none (default 1 KiB)' },
      heap: { kind: 'size', doc: 'heap size for malloc (default 64 KiB)' },
    },
  },
};

/** `spec` is a bento.toml or the folder holding one. */
export function loadRecipe(spec: string, cwd = process.cwd()): Recipe {
  let file = resolve(cwd, spec);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'bento.toml');
  if (!existsSync(file)) fail('B1007', `no recipe at ${file}`, { hint: 'run bento in a project folder holding bento.toml, or pass --recipe' });
  const doc = loadToml(file);
  const raw = checkDocument(doc, recipeSchema) as any;
  const dir = dirname(file);
  const host = raw.host;
  const problems: Diagnostic[] = [];
  (host.sources as string[]).forEach((src, i) => {
    if (!existsSync(resolve(dir, src))) {
      problems.push({ code: 'B1007', message: `source file '${src}' not found`, location: doc.values.get(`host.sources[${i}]`) ?? { file } });
    }
  });
  const stackGuard = host['stack-guard'] ?? 1024;
  if (stackGuard !== 0 && (stackGuard < 32 || (stackGuard & (stackGuard - 1)) !== 0)) {
    problems.push({ code: 'B1004', message: `'host.stack-guard' is ${stackGuard}, must be 0 or a power of two >= 32 (an MPU region)`, location: doc.values.get('host.stack-guard') ?? { file } });
  }
  if (problems.length > 0) throw new BentoError(problems);
  return {
    file,
    dir,
    name: raw.name,
    host: {
      sources: host.sources.map((s: string) => resolve(dir, s)),
      include: (host.include ?? []).map((s: string) => resolve(dir, s)),
      defines: host.defines ?? [],
      cflags: host.cflags ?? [],
      stack: host.stack ?? 8 * 1024,
      stackGuard,
      heap: host.heap ?? 64 * 1024,
    },
  };
}
