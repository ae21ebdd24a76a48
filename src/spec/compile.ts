// Compiles one instance of a script with compileWasm, the pipeline every Wasm build uses, into an
// object kept in a cache named by the hash of everything the object depends on.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Board } from '../config/board.js';
import { compileWasm } from '../compile/wasm.js';
import type { LoweredModule } from '../lower/module.js';
import type { ResolvedImport } from '../lower/types.js';
import { bentoRoot } from '../paths.js';
import type { PlannedInstance } from './plan.js';

/** What the rest of the image needs of a lowered module (its symbols), as kept in the cache. */
export type LoweredInfo = Omit<LoweredModule, 'module'>;

export interface CompiledInstance {
  object: string;
  lowered: LoweredInfo;
  cached: boolean;
}

export interface InstanceCompileInput {
  instance: PlannedInstance;
  board: Board;
  /** One resolution per import of the instance, in order. */
  imports: readonly ResolvedImport[];
  cacheDir: string;
  /** compilerFingerprint(): objects from another compiler are not reused. */
  compiler: string;
}

/** llc's arguments for the board (those src/compile/wasm.ts uses), for the generated driver. */
export function llcArgs(board: Board, input: string, output: string): string[] {
  const features = board.llvm.features.length > 0 ? [`-mattr=${board.llvm.features.join(',')}`] : [];
  return [
    '-O2',
    `-mtriple=${board.llvm.triple}`,
    `-mcpu=${board.llvm.cpu}`,
    ...features,
    `-float-abi=${board.cpu.floatAbi === 'hard' ? 'hard' : 'soft'}`,
    '-relocation-model=static',
    '-function-sections',
    '-data-sections',
    '-filetype=obj',
    input,
    '-o',
    output,
  ];
}

/** A hash of the compiler's sources (decoder, validator, lowering, compileWasm, this file): objects made by other sources are stale. */
export function compilerFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) hash.update(path).update(readFileSync(path));
    }
  };
  for (const dir of ['lower', 'wasm']) walk(join(bentoRoot, 'src', dir));
  for (const file of ['compile/wasm.ts', 'spec/compile.ts', 'spec/driver-ir.ts']) hash.update(readFileSync(join(bentoRoot, 'src', file)));
  return hash.digest('hex').slice(0, 16);
}

function cacheKey(input: InstanceCompileInput): string {
  const { instance, board } = input;
  const key = {
    compiler: input.compiler,
    wasm: instance.hash,
    prefix: instance.prefix,
    memoryReserve: instance.memoryReserve,
    imports: input.imports,
    target: [board.llvm.triple, board.llvm.cpu, ...board.llvm.features, board.cpu.floatAbi],
  };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 32);
}

/** Entries each table may grow by (table_grow.wast grows a table by hundreds of entries). */
export const specTableReserve = 1024;

/** Compiles an instance with the same pipeline as every Wasm build, or finds it in the cache. */
export async function compileInstance(input: InstanceCompileInput): Promise<CompiledInstance> {
  const key = cacheKey(input);
  mkdirSync(input.cacheDir, { recursive: true });
  const object = join(input.cacheDir, `${key}.o`);
  const info = join(input.cacheDir, `${key}.json`);
  if (existsSync(object) && existsSync(info)) {
    return { object, lowered: JSON.parse(readFileSync(info, 'utf8')) as LoweredInfo, cached: true };
  }
  const { instance } = input;
  const compiled = await compileWasm({
    wasm: instance.wasm,
    board: input.board,
    object,
    bounds: 'software',
    prefix: instance.prefix,
    // The lowering reserves min(declared maximum, this), at least the minimum.
    memoryLimit: instance.memoryReserve,
    tableReserve: specTableReserve,
    resolveImport: (imp) => input.imports[instance.wasm.imports.indexOf(imp)]!,
  });
  writeFileSync(info, JSON.stringify(compiled.lowered));
  return { object, lowered: compiled.lowered, cached: false };
}
