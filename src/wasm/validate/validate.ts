// Module validation (spec "Validation > Modules"): every index, limit, type and constant
// expression outside function bodies, then each function body. All problems found are reported
// together as B3002 diagnostics.
import { defaultPageSizeLog2 } from '../types.js';
import type { Limits, MemType, WasmModule } from '../types.js';
import { buildContext, type ModuleContext } from './context.js';
import { checkConstExpr } from './const-expr.js';
import { validateFunction } from './function.js';
import { Problems } from './problems.js';

/** The largest memory Wasm 2.0 allows: 4 GiB, 65536 pages of 64 KiB. */
const MAX_MEMORY_BYTES = 2 ** 32;

export function validateModule(module: WasmModule): void {
  const ctx = buildContext(module);
  const problems = new Problems(module.file);
  const sectionOffset = (name: string): number | undefined => module.sections?.find((s) => s.name === name && s.id !== 0)?.offset;

  module.imports.forEach((imp, i) => {
    const where = `section import, import ${i} (${imp.module}.${imp.name})`;
    const { desc } = imp;
    if (desc.kind === 'func' && ctx.types[desc.typeIndex] === undefined) problems.add(`unknown type ${desc.typeIndex}`, imp.offset, where);
    if (desc.kind === 'table') checkLimits(problems, desc.table.limits, undefined, imp.offset, where);
    if (desc.kind === 'memory') checkMemType(problems, desc.memory, imp.offset, where);
  });
  module.funcTypes.forEach((typeIndex, i) => {
    if (ctx.types[typeIndex] === undefined) problems.add(`unknown type ${typeIndex}`, sectionOffset('function'), `section function, entry ${i}`);
  });
  module.tables.forEach((table, i) => checkLimits(problems, table.limits, undefined, sectionOffset('table'), `section table, entry ${i}`));
  module.memories.forEach((memory, i) => checkMemType(problems, memory, sectionOffset('memory'), `section memory, entry ${i}`));
  if (ctx.mems.length > 1) problems.add(`multiple memories: ${ctx.mems.length}, Wasm 2.0 allows one`, sectionOffset('memory'), 'section memory');

  module.globals.forEach((global, i) => {
    const context = `section global, global ${ctx.importedGlobals + i}`;
    problems.check(() => checkConstExpr(ctx, global.init, global.type.type, { offset: global.offset, context }));
  });
  checkExports(ctx, module, problems);
  if (module.start !== undefined) checkStart(ctx, module.start, problems, sectionOffset('start'));
  checkElems(ctx, module, problems);
  checkDatas(ctx, module, problems);
  checkBodies(ctx, module, problems);
  problems.throwIfAny();
}

/** Page sizes of one byte and of 64 KiB only; at most 4 GiB in those pages. */
function checkMemType(problems: Problems, memory: MemType, offset: number | undefined, context: string): void {
  if (memory.pageSizeLog2 !== 0 && memory.pageSizeLog2 !== defaultPageSizeLog2) {
    problems.add(`invalid custom page size: 2^${memory.pageSizeLog2} bytes (1 or 65536 only)`, offset, context);
    return;
  }
  checkLimits(problems, memory.limits, MAX_MEMORY_BYTES / 2 ** memory.pageSizeLog2, offset, context);
}

function checkLimits(problems: Problems, limits: Limits, maxPages: number | undefined, offset: number | undefined, context: string): void {
  if (maxPages !== undefined) {
    if (limits.min > maxPages) problems.add(`memory size must be at most ${maxPages} pages (4GiB): minimum is ${limits.min}`, offset, context);
    if (limits.max !== undefined && limits.max > maxPages) problems.add(`memory size must be at most ${maxPages} pages (4GiB): maximum is ${limits.max}`, offset, context);
  }
  if (limits.max !== undefined && limits.min > limits.max) {
    problems.add(`size minimum must not be greater than maximum (${limits.min} > ${limits.max})`, offset, context);
  }
}

function checkExports(ctx: ModuleContext, module: WasmModule, problems: Problems): void {
  const names = new Set<string>();
  const spaces = { func: ctx.funcs, table: ctx.tables, memory: ctx.mems, global: ctx.globals } as const;
  for (const e of module.exports) {
    const context = `section export, "${e.name}"`;
    if (names.has(e.name)) problems.add(`duplicate export name "${e.name}"`, e.offset, context);
    names.add(e.name);
    const space = spaces[e.kind];
    if (e.index >= space.length) problems.add(`unknown ${e.kind === 'func' ? 'function' : e.kind} ${e.index}`, e.offset, context);
  }
}

function checkStart(ctx: ModuleContext, start: number, problems: Problems, offset: number | undefined): void {
  const typeIndex = ctx.funcs[start];
  if (typeIndex === undefined) {
    problems.add(`unknown function ${start}`, offset, 'section start');
    return;
  }
  const type = ctx.types[typeIndex];
  if (type !== undefined && (type.params.length !== 0 || type.results.length !== 0)) {
    problems.add(`start function ${start} must take no parameters and return nothing`, offset, 'section start');
  }
}

function checkElems(ctx: ModuleContext, module: WasmModule, problems: Problems): void {
  module.elems.forEach((seg, i) => {
    const context = `section element, segment ${i}`;
    const place = { offset: seg.offset, context };
    if (seg.mode === 'active') {
      const table = ctx.tables[seg.table];
      if (table === undefined) problems.add(`unknown table ${seg.table}`, seg.offset, context);
      else if (table.elem !== seg.type) problems.add(`type mismatch: segment of ${seg.type} for table ${seg.table} of ${table.elem}`, seg.offset, context);
      if (seg.offsetExpr !== undefined) problems.check(() => checkConstExpr(ctx, seg.offsetExpr!, 'i32', place));
    }
    for (const item of seg.items) problems.check(() => checkConstExpr(ctx, item, seg.type, place));
  });
}

function checkDatas(ctx: ModuleContext, module: WasmModule, problems: Problems): void {
  module.datas.forEach((seg, i) => {
    if (seg.mode !== 'active') return;
    const context = `section data, segment ${i}`;
    if (ctx.mems[seg.memory] === undefined) problems.add(`unknown memory ${seg.memory}`, seg.offset, context);
    if (seg.offsetExpr !== undefined) problems.check(() => checkConstExpr(ctx, seg.offsetExpr!, 'i32', { offset: seg.offset, context }));
  });
}

function checkBodies(ctx: ModuleContext, module: WasmModule, problems: Problems): void {
  const importedFuncs = ctx.funcs.length - module.funcTypes.length;
  module.codes.forEach((body, i) => {
    const funcIndex = importedFuncs + i;
    const type = ctx.types[body.typeIndex];
    // A missing type was reported with the function section.
    if (type === undefined) return;
    problems.check(() => validateFunction(ctx, funcIndex, type, body));
  });
}
