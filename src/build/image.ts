import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Board } from '../config/board.js';
import { compileC } from '../compile/native-c.js';
import type { CompiledObject, CompileCommand } from '../compile/native-c.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { readGnuLdOutput } from '../toolchain/linker-output.js';
import type { LinkerReport } from '../toolchain/linker-output.js';
import { failedToolOutput } from '../toolchain/exec.js';
import { writeCompileDatabase } from './compile-database.js';
import { bentoRoot } from '../paths.js';
import { renderLinkerScript } from '../glue/linker-script.js';
import type { LinkerScriptInput } from '../glue/linker-script.js';
import { linkImage, writeFileIfChanged } from '../link/link.js';
import { region } from '../config/board.js';
import type { SourceLocation } from '../diagnostics/error.js';
import { BentoError } from '../diagnostics/error.js';
import type { LinkedImage } from '../link/link.js';
import { hostRuntimeSources } from './runtime-sources.js';
import { runLimited } from './run-limited.js';

export interface CSource {
  path: string;
  /** Where its object goes. */
  object: string;
  flags: readonly string[];
}

/** Everything one firmware image is made of. */
export interface ImageSpec {
  board: Board;
  name: string;
  outDir: string;
  /** C files to compile (the host runtime is added). */
  sources: readonly CSource[];
  /** Objects built elsewhere (compiled Wasm modules). */
  objects: readonly string[];
  /** Extra flags for the runtime's own C files. */
  runtimeFlags?: readonly string[];
  stack: number;
  stackGuard: number;
  heap: number;
  /** Board memory region for Wasm linear memories (default: RAM). */
  linearMemoryRegion?: string;
  /** MPU regions at the top of RAM, and what RAM is left to the host. */
  mpuRegions?: LinkerScriptInput['mpuRegions'];
  hostRam?: LinkerScriptInput['hostRam'];
  /** Where the recipe sizes the host's RAM (its heap, else its table): a host that does not fit is reported there. */
  hostRamLocation?: SourceLocation;
  boxes?: LinkerScriptInput['boxes'];
  codeSlot?: LinkerScriptInput['codeSlot'];
  /** Files the image derives from, named in generated files. */
  inputs: readonly string[];
  /** The link's warnings are errors. */
  fatalLinkWarnings?: boolean;
  /** Writes compile_commands.json here once everything is compiled: the image's C files and `otherCommands` (the boxes'). */
  compileDatabase?: { file: string; otherCommands: readonly CompileCommand[] };
  /** Turns the link's missing symbols into located errors, given each compiled object with its source. */
  explainUndefined?: (report: LinkerReport, sources: ReadonlyMap<string, string>) => Diagnostic[];
}

export interface ImageResult {
  linkerScript: string;
  objects: readonly CompiledObject[];
  image: LinkedImage;
}

export interface BuildOptions {
  /** Link for the board's application slot (after its bootloader), for `bento flash`. */
  application?: boolean;
  /** Called once per finished step, for progress output. */
  onStep?: (message: string) => void;
  /** Paths in progress messages are shown relative to this folder. */
  relativeTo?: string;
  /** Warnings of the project's own compiles and links are errors (`bento build --werror`). */
  werror?: boolean;
}

/** compile (C, skipping what is up to date) -> glue (linker script) -> link. */
export async function buildImage(spec: ImageSpec, options: BuildOptions = {}): Promise<ImageResult> {
  const step = options.onStep ?? (() => {});
  // The project's files relative to it; bento's own (the runtime) as bento's, not as ../../.. paths.
  const shown = (p: string) => {
    const rel = relative(options.relativeTo ?? process.cwd(), p);
    return rel.startsWith('..') && !relative(bentoRoot, p).startsWith('..') ? `bento's ${relative(bentoRoot, p)}` : rel;
  };
  mkdirSync(spec.outDir, { recursive: true });
  const runtime = hostRuntimeSources(spec.board).map((path) => ({
    path,
    object: join(spec.outDir, 'obj', 'runtime', path.split('/runtime-c/')[1]!.replace(/\.c$/, '.o')),
    flags: ['-O2', '-g', '-Wall', ...(spec.runtimeFlags ?? [])],
  }));
  const objects = await runLimited([...spec.sources, ...runtime], 2, async (src) => {
    const done = await compileC({ board: spec.board, source: src.path, object: src.object, flags: src.flags });
    step(`${done.cached ? 'up to date' : 'compiled'} ${shown(src.path)}`);
    return done;
  });
  if (spec.compileDatabase) writeCompileDatabase(spec.compileDatabase.file, [...spec.compileDatabase.otherCommands, ...objects.map((o) => o.command)]);
  const linkerScript = join(spec.outDir, 'link.ld');
  writeFileIfChanged(
    linkerScript,
    renderLinkerScript({
      board: spec.board,
      inputs: spec.inputs,
      stackSize: spec.stack,
      stackGuardSize: spec.stackGuard,
      heapSize: spec.heap,
      linearMemoryRegion: spec.linearMemoryRegion,
      mpuRegions: spec.mpuRegions,
      hostRam: spec.hostRam,
      boxes: spec.boxes,
      codeSlot: spec.codeSlot,
    }),
  );
  const image = await linkImage({
    board: spec.board,
    objects: [...objects.map((o) => o.object), ...spec.objects],
    linkerScript,
    elf: join(spec.outDir, `${spec.name}.elf`),
    fatalWarnings: spec.fatalLinkWarnings,
  }).catch((err: unknown) => {
    throw hostRamOverflow(err, spec) ?? undefinedSymbols(err, spec, objects) ?? err;
  });
  step(`${image.cached ? 'up to date' : 'linked'} ${shown(image.elf)}`);
  return { linkerScript, objects, image };
}

/** A link that failed on missing symbols, in the caller's words (explainUndefined), when it gives any. */
function undefinedSymbols(err: unknown, spec: ImageSpec, objects: readonly CompiledObject[]): BentoError | undefined {
  const output = failedToolOutput(err);
  if (output === undefined || !spec.explainUndefined) return undefined;
  const report = readGnuLdOutput(output);
  if (report.undefined.length === 0) return undefined;
  return new BentoError(spec.explainUndefined(report, new Map(objects.map((o) => [o.object, o.source]))), { cause: err });
}

/**
 * The host's RAM is what the boxes leave below them; the linker measures its data and bss. When
 * they do not fit, the error gives the numbers rather than the linker's words.
 */
function hostRamOverflow(err: unknown, spec: ImageSpec): BentoError | undefined {
  const m = err instanceof BentoError ? /region `RAM' overflowed by (\d+) bytes/.exec(err.message) : null;
  if (!m) return undefined;
  const has = spec.hostRam?.size ?? region(spec.board, 'ram').size;
  const needs = has + Number(m[1]);
  const fixed = spec.stack + spec.stackGuard + spec.heap;
  return new BentoError({
    code: 'B2001',
    message: `the host needs ${needs} bytes of RAM (stack ${spec.stack}, stack guard ${spec.stackGuard}, heap ${spec.heap}, data and bss ${needs - fixed}, as linked), but ${spec.boxes?.length ? 'the boxes leave it' : `${spec.board.name} has`} ${has}`,
    hint: 'shrink host.heap or host.stack in the recipe, or the boxes',
    fit: { needs, has },
    ...(spec.hostRamLocation ? { location: spec.hostRamLocation } : {}),
  });
}
