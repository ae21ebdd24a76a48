// A generator of structurally valid modules: types, imports, tables, a memory, globals, exports,
// a start function, element and data segments, and function bodies written type-first (every
// expression is asked for a value of one type), so most of them validate and go on to lowering.
// What it makes is "valid-ish": the mutator breaks it in its turn.
import { concat, name, section, sleb, uleb, vec, HEADER } from './encode.js';
import type { Rng } from './rng.js';

type Num = 'i32' | 'i64' | 'f32' | 'f64';
type Ref = 'funcref' | 'externref';
type Val = Num | Ref;

const code: Record<Val, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, funcref: 0x70, externref: 0x6f };
const nums: readonly Num[] = ['i32', 'i64', 'f32', 'f64'];

interface FuncType {
  params: Val[];
  results: Val[];
}

interface Ctx {
  rng: Rng;
  types: FuncType[];
  /** Type index of every function, imports first. */
  funcs: number[];
  globals: { type: Val; mutable: boolean }[];
  tables: Ref[];
  memory: boolean;
  elems: Ref[];
  datas: number;
  /** Functions that ref.func may name (declared in an element segment). */
  declared: number[];
  locals: Val[];
  results: Val[];
  /** What a branch to each enclosing label carries, innermost last. */
  labels: Val[][];
  /** Instructions left before the generator stops adding more. */
  budget: number;
}

// Opcodes by signature.
const unary: Record<Num, number[]> = { i32: [0x67, 0x68, 0x69, 0xc0, 0xc1], i64: [0x79, 0x7a, 0x7b, 0xc2, 0xc3, 0xc4], f32: [0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91], f64: [0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f] };
const binary: Record<Num, number[]> = {
  i32: range(0x6a, 0x78),
  i64: range(0x7c, 0x8a),
  f32: range(0x92, 0x98),
  f64: range(0xa0, 0xa6),
};
const compare: Record<Num, number[]> = { i32: range(0x46, 0x4f), i64: range(0x51, 0x5a), f32: range(0x5b, 0x60), f64: range(0x61, 0x66) };
/** Conversions: [opcode bytes, from, to]. */
const conversions: readonly (readonly [number[], Num, Num])[] = [
  [[0xa7], 'i64', 'i32'], [[0xa8], 'f32', 'i32'], [[0xa9], 'f32', 'i32'], [[0xaa], 'f64', 'i32'], [[0xab], 'f64', 'i32'],
  [[0xac], 'i32', 'i64'], [[0xad], 'i32', 'i64'], [[0xae], 'f32', 'i64'], [[0xaf], 'f32', 'i64'], [[0xb0], 'f64', 'i64'], [[0xb1], 'f64', 'i64'],
  [[0xb2], 'i32', 'f32'], [[0xb3], 'i32', 'f32'], [[0xb4], 'i64', 'f32'], [[0xb5], 'i64', 'f32'], [[0xb6], 'f64', 'f32'],
  [[0xb7], 'i32', 'f64'], [[0xb8], 'i32', 'f64'], [[0xb9], 'i64', 'f64'], [[0xba], 'i64', 'f64'], [[0xbb], 'f32', 'f64'],
  [[0xbc], 'f32', 'i32'], [[0xbd], 'f64', 'i64'], [[0xbe], 'i32', 'f32'], [[0xbf], 'i64', 'f64'],
  [[0xfc, 0], 'f32', 'i32'], [[0xfc, 1], 'f32', 'i32'], [[0xfc, 2], 'f64', 'i32'], [[0xfc, 3], 'f64', 'i32'],
  [[0xfc, 4], 'f32', 'i64'], [[0xfc, 5], 'f32', 'i64'], [[0xfc, 6], 'f64', 'i64'], [[0xfc, 7], 'f64', 'i64'],
];
/** Loads: [opcode, result, natural alignment]. */
const loads: readonly (readonly [number, Num, number])[] = [
  [0x28, 'i32', 2], [0x29, 'i64', 3], [0x2a, 'f32', 2], [0x2b, 'f64', 3], [0x2c, 'i32', 0], [0x2d, 'i32', 0], [0x2e, 'i32', 1], [0x2f, 'i32', 1],
  [0x30, 'i64', 0], [0x31, 'i64', 0], [0x32, 'i64', 1], [0x33, 'i64', 1], [0x34, 'i64', 2], [0x35, 'i64', 2],
];
const stores: readonly (readonly [number, Num, number])[] = [
  [0x36, 'i32', 2], [0x37, 'i64', 3], [0x38, 'f32', 2], [0x39, 'f64', 3], [0x3a, 'i32', 0], [0x3b, 'i32', 1], [0x3c, 'i64', 0], [0x3d, 'i64', 1], [0x3e, 'i64', 2],
];

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

function constant(rng: Rng, type: Num): number[] {
  switch (type) {
    case 'i32':
      return [0x41, ...sleb(rng.weighted([[3, rng.range(-4, 16)], [1, rng.interestingU32() | 0]]))];
    case 'i64':
      return [0x42, ...sleb(rng.chance(0.7) ? BigInt(rng.range(-4, 16)) : BigInt.asIntN(64, (BigInt(rng.next()) << 32n) | BigInt(rng.next())))];
    case 'f32':
      return [0x43, ...Buffer.from(new Float32Array([rng.pick([0, -0, 1.5, -2, NaN, Infinity, 3.4e38, 2 ** 31, rng.next()])]).buffer)];
    case 'f64':
      return [0x44, ...Buffer.from(new Float64Array([rng.pick([0, -0, 1.5, -2, NaN, -Infinity, 1e300, 2 ** 63, rng.next()])]).buffer)];
  }
}

function memarg(rng: Rng, natural: number): number[] {
  return [...uleb(rng.int(natural + 1)), ...uleb(rng.weighted([[4, rng.int(16)], [1, rng.interestingU32()]]))];
}

/** An address: small constants, mostly, so a run would stay in bounds. */
function address(c: Ctx): number[] {
  return c.rng.chance(0.6) ? [0x41, ...sleb(c.rng.int(64))] : expr(c, 'i32', 1);
}

function localOf(c: Ctx, type: Val): number | undefined {
  const found = c.locals.flatMap((t, i) => (t === type ? [i] : []));
  return found.length > 0 ? c.rng.pick(found) : undefined;
}

/** Instructions that leave exactly one value of `type`. */
function expr(c: Ctx, type: Val, depth: number): number[] {
  c.budget--;
  const { rng } = c;
  if (type === 'funcref' || type === 'externref') return refExpr(c, type, depth);
  const leaf = depth <= 0 || c.budget <= 0;
  const options: [number, () => number[] | undefined][] = [
    [3, () => constant(rng, type)],
    [3, () => { const l = localOf(c, type); return l === undefined ? undefined : [0x20, ...uleb(l)]; }],
    [1, () => { const g = c.globals.flatMap((x, i) => (x.type === type ? [i] : [])); return g.length ? [0x23, ...uleb(rng.pick(g))] : undefined; }],
  ];
  if (!leaf) {
    const d = depth - 1;
    options.push(
      [4, () => [...expr(c, type, d), ...expr(c, type, d), rng.pick(binary[type])]],
      [2, () => [...expr(c, type, d), rng.pick(unary[type])]],
      [2, () => { if (type !== 'i32') return undefined; const t = rng.pick(nums); return [...expr(c, t, d), ...expr(c, t, d), rng.pick(compare[t])]; }],
      [1, () => { if (type !== 'i32') return undefined; return rng.chance(0.5) ? [...expr(c, 'i32', d), 0x45] : [...expr(c, 'i64', d), 0x50]; }],
      [2, () => { const conv = conversions.filter(([, , to]) => to === type); const [ops, from] = rng.pick(conv); return [...expr(c, from, d), ...ops]; }],
      [2, () => { if (!c.memory) return undefined; const [op, , natural] = rng.pick(loads.filter(([, t]) => t === type)); return [...address(c), op, ...memarg(rng, natural)]; }],
      [1, () => [...expr(c, type, d), ...expr(c, type, d), ...expr(c, 'i32', d), ...(rng.chance(0.5) ? [0x1b] : [0x1c, 1, code[type]])]],
      [2, () => block(c, [type], d)],
      [2, () => ifElse(c, type, d)],
      [1, () => { const l = localOf(c, type); return l === undefined ? undefined : [...expr(c, type, d), 0x22, ...uleb(l)]; }],
      [2, () => call(c, type, d)],
      [1, () => { if (type !== 'i32' || !c.memory) return undefined; return rng.chance(0.5) ? [0x3f, 0] : [...expr(c, 'i32', d), 0x40, 0]; }],
      [1, () => { if (type !== 'i32' || c.tables.length === 0) return undefined; const t = rng.int(c.tables.length); return rng.chance(0.5) ? [0xfc, 16, ...uleb(t)] : [...refExpr(c, c.tables[t]!, d), ...expr(c, 'i32', d), 0xfc, 15, ...uleb(t)]; }],
      [1, () => { if (type !== 'i32') return undefined; return [...refExpr(c, rng.pick<Ref>(['funcref', 'externref']), d), 0xd1]; }],
    );
  }
  for (;;) {
    const made = rng.weighted(options)();
    if (made !== undefined) return made;
  }
}

/** `if` with both arms giving one `type`; the arms see the if's label. */
function ifElse(c: Ctx, type: Val, depth: number): number[] {
  const cond = expr(c, 'i32', depth);
  c.labels.push([type]);
  const then = [...stmts(c, depth, [type]), ...expr(c, type, depth)];
  const other = expr(c, type, depth);
  c.labels.pop();
  return [...cond, 0x04, code[type], ...then, 0x05, ...other, 0x0b];
}

function refExpr(c: Ctx, type: Ref, depth: number): number[] {
  const { rng } = c;
  const options: [number, () => number[] | undefined][] = [
    [2, () => [0xd0, code[type]]],
    [2, () => { const l = localOf(c, type); return l === undefined ? undefined : [0x20, ...uleb(l)]; }],
    [2, () => (type === 'funcref' && c.declared.length > 0 ? [0xd2, ...uleb(rng.pick(c.declared))] : undefined)],
    [1, () => { const t = c.tables.flatMap((x, i) => (x === type ? [i] : [])); return t.length > 0 && depth > 0 ? [...address(c), 0x25, ...uleb(rng.pick(t))] : undefined; }],
  ];
  for (;;) {
    const made = rng.weighted(options)();
    if (made !== undefined) return made;
  }
}

/** A call of a function that returns exactly `type`, or undefined. */
function call(c: Ctx, type: Val, depth: number): number[] | undefined {
  const candidates = c.funcs.flatMap((t, i) => (c.types[t]!.results.length === 1 && c.types[t]!.results[0] === type ? [i] : []));
  if (candidates.length === 0) return undefined;
  const f = c.rng.pick(candidates);
  return [...c.types[c.funcs[f]!]!.params.flatMap((p) => expr(c, p, depth)), 0x10, ...uleb(f)];
}

/** A block that produces `results`; sometimes a loop, sometimes typed by index with parameters. */
function block(c: Ctx, results: Val[], depth: number): number[] {
  const { rng } = c;
  const indexed = c.types.findIndex((t) => t.results.length === results.length && t.results.every((r, i) => r === results[i]));
  const useIndex = indexed >= 0 && rng.chance(0.4);
  const params = useIndex ? c.types[indexed]!.params : [];
  const loop = rng.chance(0.3);
  const head = [...params.flatMap((p) => expr(c, p, depth)), loop ? 0x03 : 0x02, ...(useIndex ? sleb(indexed) : results.length === 0 ? [0x40] : [code[results[0]!]])];
  c.labels.push(loop ? params : results);
  const inner = [...params.map(() => 0x1a), ...stmts(c, depth, results), ...results.flatMap((r) => expr(c, r, depth))];
  c.labels.pop();
  return [...head, ...inner, 0x0b];
}

/** A few instructions that leave the stack as they found it. */
function stmts(c: Ctx, depth: number, _enclosing: Val[]): number[] {
  const out: number[] = [];
  const n = depth <= 0 || c.budget <= 0 ? 0 : c.rng.int(3);
  for (let i = 0; i < n; i++) out.push(...stmt(c, depth - 1));
  return out;
}

function stmt(c: Ctx, depth: number): number[] {
  const { rng } = c;
  const d = Math.max(0, depth);
  const anyType = (): Val => rng.pick<Val>(nums);
  const options: [number, () => number[] | undefined][] = [
    [3, () => { const i = rng.int(Math.max(1, c.locals.length)); return c.locals[i] === undefined ? undefined : [...expr(c, c.locals[i]!, d), 0x21, ...uleb(i)]; }],
    [2, () => { const g = c.globals.flatMap((x, i) => (x.mutable ? [i] : [])); if (g.length === 0) return undefined; const i = rng.pick(g); return [...expr(c, c.globals[i]!.type, d), 0x24, ...uleb(i)]; }],
    [3, () => { if (!c.memory) return undefined; const [op, t, natural] = rng.pick(stores); return [...address(c), ...expr(c, t, d), op, ...memarg(rng, natural)]; }],
    [2, () => [...expr(c, anyType(), d), 0x1a]],
    [2, () => { const f = rng.int(c.funcs.length); const t = c.types[c.funcs[f]!]!; return [...t.params.flatMap((p) => expr(c, p, d)), 0x10, ...uleb(f), ...t.results.map(() => 0x1a)]; }],
    [2, () => { const tables = c.tables.flatMap((x, i) => (x === 'funcref' ? [i] : [])); if (tables.length === 0) return undefined; const ti = rng.int(c.types.length); const t = c.types[ti]!; return [...t.params.flatMap((p) => expr(c, p, d)), ...expr(c, 'i32', d), 0x11, ...uleb(ti), ...uleb(rng.pick(tables)), ...t.results.map(() => 0x1a)]; }],
    [2, () => { const cond = expr(c, 'i32', d); c.labels.push([]); const then = stmts(c, d, []); c.labels.pop(); return [...cond, 0x04, 0x40, ...then, 0x0b]; }],
    [2, () => block(c, [], d)],
    [2, () => { if (c.labels.length === 0) return undefined; const l = rng.int(c.labels.length); const carried = c.labels[c.labels.length - 1 - l]!; return [...carried.flatMap((t) => expr(c, t, d)), ...expr(c, 'i32', d), 0x0d, ...uleb(l), ...carried.map(() => 0x1a)]; }],
    [1, () => { const empty = c.labels.flatMap((t, i) => (t.length === 0 ? [c.labels.length - 1 - i] : [])); if (empty.length === 0) return undefined; const targets = Array.from({ length: rng.int(4) }, () => rng.pick(empty)); return [0x02, 0x40, ...expr(c, 'i32', d), 0x0e, ...uleb(targets.length), ...targets.flatMap((t) => uleb(t + 1)), ...uleb(rng.pick(empty) + 1), 0x0b]; }],
    [1, () => { if (!c.memory) return undefined; const op = rng.pick([10, 11, 8, 9]); if ((op === 8 || op === 9) && c.datas === 0) return undefined; if (op === 9) return [0xfc, 9, ...uleb(rng.int(c.datas))]; const args = [...address(c), ...address(c), ...address(c)]; return op === 8 ? [...args, 0xfc, 8, ...uleb(rng.int(c.datas)), 0] : op === 10 ? [...args, 0xfc, 10, 0, 0] : [...args, 0xfc, 11, 0]; }],
    [1, () => { if (c.tables.length === 0) return undefined; const t = rng.int(c.tables.length); const ref = c.tables[t]!; return rng.chance(0.5) ? [...address(c), ...refExpr(c, ref, d), 0x26, ...uleb(t)] : [...address(c), ...refExpr(c, ref, d), ...address(c), 0xfc, 17, ...uleb(t)]; }],
    [1, () => { const same = c.tables.flatMap((x, i) => c.tables.flatMap((y, j) => (x === y ? [[i, j]] : []))); if (same.length === 0) return undefined; const [i, j] = rng.pick(same); return [...address(c), ...address(c), ...address(c), 0xfc, 14, ...uleb(i!), ...uleb(j!)]; }],
    [1, () => { const pairs = c.elems.flatMap((e, s) => c.tables.flatMap((t, i) => (t === e ? [[s, i]] : []))); if (pairs.length === 0) return undefined; const [s, t] = rng.pick(pairs); return rng.chance(0.7) ? [...address(c), ...address(c), ...address(c), 0xfc, 12, ...uleb(s!), ...uleb(t!)] : [0xfc, 13, ...uleb(s!)]; }],
    [1, () => [0x01]],
    [1, () => (rng.chance(0.2) ? [...c.results.flatMap((r) => expr(c, r, d)), 0x0f] : undefined)],
  ];
  for (;;) {
    const made = rng.weighted(options)();
    if (made !== undefined) return made;
  }
}

function valType(rng: Rng, refs: boolean): Val {
  return refs && rng.chance(0.1) ? rng.pick<Ref>(['funcref', 'externref']) : rng.pick(nums);
}

function funcTypeBytes(t: FuncType): number[] {
  return [0x60, ...vec(t.params.map((p) => [code[p]])), ...vec(t.results.map((r) => [code[r]]))];
}

function limits(rng: Rng, min: number, max: number | undefined): number[] {
  return max === undefined ? [0x00, ...uleb(min)] : [0x01, ...uleb(min), ...uleb(max)];
}

/** A new module; most of what it makes validates. */
export function generateModule(rng: Rng): Uint8Array {
  const types: FuncType[] = [{ params: [], results: [] }];
  for (let i = rng.int(6); i > 0; i--) {
    types.push({ params: Array.from({ length: rng.int(5) }, () => valType(rng, true)), results: Array.from({ length: rng.weighted([[2, 0], [5, 1], [1, 2], [1, 3]]) }, () => valType(rng, true)) });
  }
  const imports: number[][] = [];
  const funcs: number[] = [];
  const globals: Ctx['globals'] = [];
  const tables: Ref[] = [];
  let memory = false;
  if (rng.chance(0.3)) {
    const t = rng.int(types.length);
    funcs.push(t);
    imports.push([...name('env'), ...name('f'), 0x00, ...uleb(t)]);
  }
  if (rng.chance(0.2)) {
    globals.push({ type: 'i32', mutable: false });
    imports.push([...name('env'), ...name('g'), 0x03, 0x7f, 0x00]);
  }
  const importedGlobals = globals.length;
  if (rng.chance(0.15)) {
    memory = true;
    imports.push([...name('env'), ...name('memory'), 0x02, ...limits(rng, rng.int(2), rng.chance(0.5) ? rng.range(1, 4) : undefined)]);
  }
  const definedFuncs = rng.range(1, 5);
  for (let i = 0; i < definedFuncs; i++) funcs.push(rng.int(types.length));
  const tableDefs: number[][] = [];
  if (rng.chance(0.6)) {
    tables.push('funcref');
    tableDefs.push([0x70, ...limits(rng, rng.int(8) + 4, rng.chance(0.5) ? rng.range(12, 64) : undefined)]);
    if (rng.chance(0.3)) {
      tables.push('externref');
      tableDefs.push([0x6f, ...limits(rng, rng.int(4), undefined)]);
    }
  }
  const memDefs: number[][] = [];
  if (!memory && rng.chance(0.7)) {
    memory = true;
    memDefs.push(limits(rng, rng.int(2), rng.chance(0.5) ? rng.range(1, 4) : undefined));
  }
  const globalDefs: number[][] = [];
  for (let i = rng.int(4); i > 0; i--) {
    const type = rng.pick(nums);
    const mutable = rng.chance(0.6);
    globals.push({ type, mutable });
    const init = importedGlobals > 0 && type === 'i32' && rng.chance(0.3) ? [0x23, 0] : constant(rng, type);
    globalDefs.push([code[type], mutable ? 1 : 0, ...init, 0x0b]);
  }
  const declared = Array.from({ length: rng.int(3) + 1 }, () => rng.int(funcs.length));
  const elems: Ref[] = [];
  const elemDefs: number[][] = [];
  if (tables[0] === 'funcref') {
    elems.push('funcref');
    elemDefs.push([0x00, 0x41, ...sleb(rng.int(4)), 0x0b, ...vec(declared.map((f) => uleb(f)))]);
  }
  elems.push('funcref');
  elemDefs.push([0x03, 0x00, ...vec(declared.map((f) => uleb(f)))]); // declarative
  if (rng.chance(0.3)) {
    elems.push('funcref');
    elemDefs.push([0x05, 0x70, ...vec([[0xd0, 0x70, 0x0b], [0xd2, ...uleb(declared[0]!), 0x0b]])]); // passive, expressions
  }
  const dataDefs: number[][] = [];
  if (memory) {
    dataDefs.push([0x00, 0x41, ...sleb(rng.int(32)), 0x0b, ...vec(Array.from({ length: rng.int(8) }, () => [rng.int(256)]))]);
    if (rng.chance(0.5)) dataDefs.push([0x01, ...vec(Array.from({ length: rng.int(8) }, () => [rng.int(256)]))]);
  }
  const ctx: Ctx = { rng, types, funcs, globals, tables, memory, elems, datas: dataDefs.length, declared, locals: [], results: [], labels: [], budget: 0 };
  const bodies: number[][] = [];
  for (let i = funcs.length - definedFuncs; i < funcs.length; i++) {
    const type = types[funcs[i]!]!;
    const extra = Array.from({ length: rng.int(4) }, () => valType(rng, true));
    ctx.locals = [...type.params, ...extra];
    ctx.results = type.results;
    ctx.labels = [type.results];
    ctx.budget = rng.range(4, 60);
    const depth = rng.range(1, 4);
    const body = [...stmts(ctx, depth, type.results), ...stmts(ctx, depth, type.results), ...type.results.flatMap((r) => expr(ctx, r, depth)), 0x0b];
    const locals = vec(extra.map((t) => [1, code[t]]));
    const bytes = [...locals, ...body];
    bodies.push([...uleb(bytes.length), ...bytes]);
  }
  const exports: number[][] = [];
  for (let i = funcs.length - definedFuncs; i < funcs.length; i++) if (rng.chance(0.6)) exports.push([...name(`f${i}`), 0x00, ...uleb(i)]);
  if (memory && rng.chance(0.5)) exports.push([...name('memory'), 0x02, 0x00]);
  const startCandidates = funcs.flatMap((t, i) => (i >= funcs.length - definedFuncs && types[t]!.params.length === 0 && types[t]!.results.length === 0 ? [i] : []));

  const parts: Uint8Array[] = [HEADER, section(1, vec(types.map(funcTypeBytes)))];
  if (imports.length > 0) parts.push(section(2, vec(imports)));
  parts.push(section(3, vec(funcs.slice(funcs.length - definedFuncs).map((t) => uleb(t)))));
  if (tableDefs.length > 0) parts.push(section(4, vec(tableDefs)));
  if (memDefs.length > 0) parts.push(section(5, vec(memDefs)));
  if (globalDefs.length > 0) parts.push(section(6, vec(globalDefs)));
  if (exports.length > 0) parts.push(section(7, vec(exports)));
  if (startCandidates.length > 0 && rng.chance(0.2)) parts.push(section(8, uleb(rng.pick(startCandidates))));
  parts.push(section(9, vec(elemDefs)));
  if (dataDefs.length > 0) parts.push(section(12, uleb(dataDefs.length)));
  parts.push(section(10, vec(bodies)));
  if (dataDefs.length > 0) parts.push(section(11, vec(dataDefs)));
  return concat(parts);
}
