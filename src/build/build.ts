import { rmSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Board, UartKind } from '../config/board.js';
import { applicationSlot } from '../config/board.js';
import { writeSlotImage } from '../flash/app-image.js';
import type { Recipe } from '../config/recipe.js';
import { renderBoxGlue, renderBoxHeaders } from '../glue/box-glue.js';
import { boxEntry } from '../plan/entry.js';
import { renderInterruptTable, renderIrqLinesHeader } from '../glue/interrupts.js';
import { pointerRanges } from '../config/signature.js';
import { hex32 } from '../glue/render.js';
import { writeFileIfChanged } from '../link/link.js';
import { measureObjects } from '../link/measure.js';
import { callbackTypes, resolveLinks } from '../plan/links.js';
import { planBudgets } from '../plan/budgets.js';
import { checkHeaps } from '../plan/heaps.js';
import { planInterrupts, vectorTable } from '../plan/interrupts.js';
import { planServerless, requestUartDrivers, serverlessManifest } from '../plan/serverless.js';
import { renderServerlessTable } from '../glue/serverless.js';
import { formatPlan, planMemory } from '../plan/plan.js';
import type { MemoryPlan } from '../plan/plan.js';
import { runtimeDir } from '../paths.js';
import { boxHeaderDir, boxObjectDir, buildBoxObjects } from './box-objects.js';
import type { BoxObjects } from './box-objects.js';
import { buildImage } from './image.js';
import { renderLibcServices } from './box-libc.js';
import type { BuildOptions, CSource, ImageResult } from './image.js';
import { wasmRuntimeSources } from './wasm-program.js';
import { BentoError } from '../diagnostics/error.js';
import { hostUndefined, recipeExports } from './undefined-symbols.js';

export type { BuildOptions } from './image.js';

/**
 * The folder under build/ (beside the recipe) that a recipe's builds go to: none for the usual
 * bento.toml, the file's name without `.toml` for any other (`small-ram.toml` -> `small-ram`),
 * so two recipes of one folder never share objects and rebuild each other's. Recipes in other
 * folders have other build/ folders.
 */
export function recipeBuildFolder(recipe: Pick<Recipe, 'file'>): string {
  const name = basename(recipe.file);
  if (name === 'bento.toml') return '';
  return name.endsWith('.toml') && name !== '.toml' ? name.slice(0, -'.toml'.length) : name;
}

/**
 * build/<board>/ for bento.toml, build/<recipe>/<board>/ for another recipe file; <board>-app
 * instead of <board> for the image linked into the bootloader's slot.
 */
export function buildDir(recipe: Pick<Recipe, 'file' | 'dir'>, board: Pick<Board, 'name'>, application = false): string {
  return join(recipe.dir, 'build', recipeBuildFolder(recipe), application ? `${board.name}-app` : board.name);
}

export interface ProjectResult extends ImageResult {
  outDir: string;
  /** The memory plan, when the recipe has boxes. */
  plan?: MemoryPlan;
  boxes: readonly BoxObjects[];
}

/** The serverless runtime (runtime-c/serverless/) with the request UART's driver. */
function serverlessRuntimeSources(kind: UartKind): string[] {
  const pieces = ['crc32.c', 'queue.c', 'rx.c', 'tx.c', 'dispatch.c', 'snapshot.c'].map((f) => join(runtimeDir, 'serverless', f));
  return [...pieces, join(runtimeDir, requestUartDrivers[kind]!)];
}

/**
 * Builds a recipe for a board: the boxes to objects, the plan, the glue, then one image with
 * the host. Unchanged sources are not recompiled, and generated files are rewritten only when
 * their text changes, so a second build does nothing but link.
 */
export async function buildProject(recipe: Recipe, board: Board, options: BuildOptions = {}): Promise<ProjectResult> {
  try {
    return await buildAll(recipe, board, options);
  } catch (err) {
    // A failed build leaves no image behind that `bento run` could take for this build's.
    const image = join(buildDir(recipe, board, options.application), recipe.name);
    for (const f of ['.elf', '.bin', '.map', '.elf.cmd', '.slot.bin']) rmSync(`${image}${f}`, { force: true });
    throw err;
  }
}

async function buildAll(recipe: Recipe, board: Board, options: BuildOptions): Promise<ProjectResult> {
  const outDir = buildDir(recipe, board, options.application);
  const slot = options.application ? applicationSlot(board) : undefined;
  if (options.application && !slot) {
    const why = board.bootloader ? `its ${board.bootloader.kind} bootloader takes the image whole, at the start of flash` : 'it has no [bootloader]';
    throw new BentoError({ code: 'B1004', message: `board ${board.name} has no application slot to link for: ${why}`, location: { file: board.file }, hint: board.bootloader ? `\`bento build ${board.name}\` links the image bento flash writes` : undefined });
  }
  if (slot) {
    // VTOR's rule (vectorTable): the application's table, right after its header, must be
    // aligned to its size rounded up to a power of two.
    const table = vectorTable(board);
    const start = slot.origin + slot.header;
    if (start % table.align !== 0) {
      throw new BentoError({
        code: 'B1004',
        message: `the application's vector table would start at ${hex32(start)}, after the bootloader and its ${slot.header}-byte header, but ${board.name}'s table (${table.lines} lines, ${table.bytes} bytes) must be aligned to ${table.align}`,
        location: { file: board.file },
        hint: `make 'bootloader.size' and 'bootloader.header' multiples of ${table.align}`,
      });
    }
  }
  const step = options.onStep ?? (() => {});
  const glueDir = join(outDir, 'glue');
  const headerDir = join(glueDir, 'include');
  const inputs = [board.file, recipe.file];
  const hasBoxes = recipe.boxes.length > 0;
  if (hasBoxes && board.mpu.kind === 'none') {
    throw new BentoError({ code: 'B2002', message: `${board.name} has no MPU, and boxes need one`, location: { file: recipe.file } });
  }

  const links = resolveLinks(recipe);
  const callbacks = callbackTypes(recipe);
  const budgets = planBudgets(recipe.boxes, board);
  checkHeaps(recipe);
  const serverless = planServerless(recipe, board);
  const interrupts = planInterrupts([...recipe.host.interrupts, ...(serverless?.interrupts ?? [])], board, recipe.boxes);
  const boxLines = interrupts.interrupts.filter((i) => i.box);
  // PendSV's runner (runtime-c/irq/deferred.c): box-owned lines' bottom halves, and the preemption of serverless functions.
  const deferredRunner = boxLines.length > 0 || serverless !== undefined;
  let boxes: BoxObjects[] = [];
  let plan: MemoryPlan | undefined;
  const glueSources: CSource[] = [];
  if (hasBoxes) {
    const headers = renderBoxHeaders({ boxes: recipe.boxes, links, types: recipe.types, callbacks, inputs });
    writeFileIfChanged(join(headerDir, 'bento_host.h'), headers.host);
    writeFileIfChanged(join(headerDir, 'bento_types.h'), headers.types);
    for (const [name, text] of headers.boxes) {
      writeFileIfChanged(join(headerDir, `bento_${name}.h`), text);
      // The same include in every box: each box's sources see their own box's header as bento_box.h.
      writeFileIfChanged(join(boxHeaderDir(headerDir, name), 'bento_box.h'), `/* ${name}: see bento_${name}.h */\n#include "bento_${name}.h"\n`);
    }

    const ctx = { board, outDir, headerDir, recipeDir: recipe.dir, onStep: step, werror: options.werror === true, exported: recipeExports(recipe), links, definitions: new Map() };
    boxes = [];
    for (const box of recipe.boxes) boxes.push(await buildBoxObjects(box, ctx));

    const hostObjects = await measureObjects([]);
    plan = planMemory({
      board,
      // The host's data and bss are measured when the image links (build/image.ts says if they do not fit).
      host: { code: hostObjects.code, ram: recipe.host.stack + recipe.host.stackGuard + recipe.host.heap },
      boxes: boxes.map((b) => ({
        name: b.box.name,
        code: b.sizes.code,
        ram: Math.max(b.ramNeeds, b.box.ram !== undefined && b.box.runtime === 'native' ? b.box.ram : 0),
        memory: b.wasm?.memorySize,
        nativeStack: b.wasm ? { bytes: b.stack.bytes, source: b.stack.source === 'measured' ? `measured (${b.stack.why})` : `the recipe's ${b.stack.why.replace(/^its /, '')}` } : undefined,
        location: b.box.keyLocations.get('ram') ?? b.box.location,
      })),
    });
    for (const b of boxes) {
      if (b.box.code !== undefined && b.sizes.code > b.box.code) {
        throw new BentoError({ code: 'B2001', message: `box ${b.box.name} needs ${b.sizes.code} bytes of code, but its recipe allows ${b.box.code}`, location: b.box.keyLocations.get('code') ?? b.box.location });
      }
      if (b.box.runtime === 'native' && b.box.ram !== undefined && b.box.ram < b.ramNeeds) {
        throw new BentoError({ code: 'B2001', message: `box ${b.box.name} needs ${b.ramNeeds} bytes of RAM (stack ${b.box.stack}, data ${b.sizes.data}, bss ${b.sizes.bss}, heap ${b.box.heap}), but its ram is ${b.box.ram}`, location: b.box.keyLocations.get('ram') ?? b.box.location });
      }
    }

    for (const link of links) {
      const callee = boxes.find((b) => b.box.name === link.exporter);
      if (callee?.wasm && !callee.wasm.stackPointer && pointerRanges(link.signature).length > 0) {
        throw new BentoError({
          code: 'B2006',
          message: `box ${callee.box.name}: '${link.exportName}' takes pointers, but the module has no shadow stack pointer (a mutable i32 first global) to copy them onto`,
          location: callee.box.exports.get(link.exportName)?.location ?? { file: recipe.file },
        });
      }
    }
    const glue = renderBoxGlue({
      board,
      links,
      callbacks,
      interruptHandlers: boxLines.map((i) => ({ box: i.box!, handler: i.handler, fallible: i.fallible ?? false })),
      inputs,
      boxes: boxes.map((b) => ({ box: b.box, prefix: b.prefix, ramSize: plan!.boxes.find((p) => p.name === b.box.name)!.ram.size, budgetTicks: budgets.get(b.box.name), wasm: b.wasm, ...(b.stack.limit !== undefined ? { stackLimit: b.stack.limit } : {}), entry: boxEntry(b.box, { bounded: b.stack.bounded ?? false, checked: b.stack.limit !== undefined }) })),
    });
    const hostGlue = join(glueDir, 'boxes.c');
    writeFileIfChanged(hostGlue, glue.hostGlue);
    glueSources.push({ path: hostGlue, object: join(outDir, 'obj', 'glue', 'boxes.o'), flags: ['-O2', '-g', '-Wall', '-I', headerDir] });
    // Which native boxes may write to the console (their `libc` has "printf").
    const services = join(glueDir, 'libc_services.c');
    writeFileIfChanged(services, renderLibcServices(recipe.boxes, inputs));
    glueSources.push({ path: services, object: join(outDir, 'obj', 'glue', 'libc_services.o'), flags: ['-O2', '-g', '-Wall'] });
    for (const [name, text] of glue.boxGlue) {
      const file = join(glueDir, `box_${name}.c`);
      writeFileIfChanged(file, text);
      glueSources.push({ path: file, object: join(boxObjectDir(outDir, name), 'glue.o'), flags: ['-O2', '-g', '-Wall', '-I', headerDir] });
    }
    if (serverless) {
      const table = join(glueDir, 'serverless.c');
      const functionBoxes = new Map(boxes.filter((b) => b.box.function && b.wasm).map((b) => [b.box.name, { prefix: b.prefix, memorySize: b.wasm!.memorySize }]));
      writeFileIfChanged(table, renderServerlessTable({ plan: serverless, interrupts, boxes: functionBoxes, inputs }));
      glueSources.push({ path: table, object: join(outDir, 'obj', 'glue', 'serverless.o'), flags: ['-O2', '-g', '-Wall', '-I', headerDir] });
    }
    const runtime = [...wasmRuntimeSources(), join(runtimeDir, 'box-policy', 'policy.c'), ...(deferredRunner ? [join(runtimeDir, 'irq', 'deferred.c')] : [])];
    for (const path of runtime) {
      glueSources.push({ path, object: join(outDir, 'obj', 'runtime', path.split('/runtime-c/')[1]!.replace(/\.c$/, '.o')), flags: ['-O2', '-g', '-Wall'] });
    }
    if (serverless) {
      const uart = serverless.uart;
      const flags = ['-O2', '-g', '-Wall', `-DBENTO_SL_UART_BASE=0x${uart.base.toString(16)}u`, `-DBENTO_SL_UART_CLOCK_HZ=${uart.clockHz}u`, `-DBENTO_SL_UART_BAUD=${uart.baud}u`];
      for (const path of serverlessRuntimeSources(uart.kind)) {
        glueSources.push({ path, object: join(outDir, 'obj', 'runtime', path.split('/runtime-c/')[1]!.replace(/\.c$/, '.o')), flags });
      }
    }
  }

  writeFileIfChanged(join(headerDir, 'bento_irqs.h'), renderIrqLinesHeader(board, [board.file]));
  if (interrupts.interrupts.length > 0) {
    const table = join(glueDir, 'interrupts.c');
    writeFileIfChanged(table, renderInterruptTable({ plan: interrupts, inputs, deferredRunner }));
    glueSources.push({ path: table, object: join(outDir, 'obj', 'glue', 'interrupts.o'), flags: ['-O2', '-g', '-Wall'] });
  }

  // bento's own glue and runtime keep bento's flags: a recipe's -Werror is for its own sources.
  const hostWerror = options.werror === true || recipe.host.werror;
  const hostFlags = [
    '-O2',
    '-g',
    '-Wall',
    '-I',
    headerDir,
    ...recipe.host.include.flatMap((d) => ['-I', d]),
    ...recipe.host.defines.map((d) => `-D${d}`),
    ...recipe.host.cflags,
    ...(hostWerror ? ['-Werror'] : []),
  ];
  const sources = recipe.host.sources.map((path) => ({
    path,
    object: join(outDir, 'obj', 'host', relative(recipe.dir, path).replace(/\.\.\//g, '__/').replace(/\.[^./]+$/, '.o')),
    flags: hostFlags,
  }));
  const result = await buildImage(
    {
      board,
      name: recipe.name,
      outDir,
      sources: [...sources, ...glueSources],
      objects: boxes.flatMap((b) => b.objects),
      stack: recipe.host.stack,
      stackGuard: recipe.host.stackGuard,
      heap: recipe.host.heap,
      inputs,
      fatalLinkWarnings: hostWerror,
      compileDatabase: { file: join(outDir, 'compile_commands.json'), otherCommands: boxes.flatMap((b) => b.compiled) },
      explainUndefined: (report, compiled) => hostUndefined({ recipe, report, sources: compiled, glueDir }),
      hostRam: plan?.host.ram,
      hostRamLocation: recipe.host.keyLocations.get('heap') ?? recipe.host.location,
      codeSlot: slot ? { origin: slot.origin + slot.header, size: slot.size - slot.header } : undefined,
      boxes: plan
        ? boxes.map((b) => {
            const placed = plan!.boxes.find((p) => p.name === b.box.name)!;
            return { name: b.box.name, ram: placed.ram, memory: placed.memory, stack: b.stack.bytes, heap: b.box.heap, objects: `/obj/box/${b.box.name}/*` };
          })
        : undefined,
    },
    { relativeTo: recipe.dir, ...options },
  );
  if (plan) writeFileIfChanged(join(outDir, 'plan.txt'), `${formatPlan(plan)}\n`);
  const manifest = join(outDir, 'serverless.json');
  if (serverless) writeFileIfChanged(manifest, `${JSON.stringify(serverlessManifest(serverless, recipe.name, board, result.image.elf), null, 2)}\n`);
  else rmSync(manifest, { force: true });
  if (slot) writeSlotImage(board, result.image.bin);
  return { ...result, outDir, plan, boxes };
}

