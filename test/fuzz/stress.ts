// Valid modules at the edges: deep nesting, a deep value stack, many locals, params and results,
// long br_tables, huge tables and memory limits, extreme memarg offsets, many functions. Each is
// small enough to compile, so it also tests lowering, opt and llc on what the validator accepts.
import { concat, name, section, sleb, uleb, vec, HEADER } from './encode.js';
import type { Rng } from './rng.js';

const I32 = 0x7f;
const I64 = 0x7e;

function funcType(params: number[], results: number[]): number[] {
  return [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];
}

function body(locals: number[][], code: number[]): number[] {
  const bytes = [...vec(locals), ...code, 0x0b];
  return [...uleb(bytes.length), ...bytes];
}

interface Parts {
  types: number[][];
  funcs: number[];
  bodies: number[][];
  tables?: number[][];
  memory?: number[];
  exports?: number[][];
  elems?: number[][];
  datas?: number[][];
}

function assemble(p: Parts): Uint8Array {
  const out: Uint8Array[] = [HEADER, section(1, vec(p.types)), section(3, vec(p.funcs.map((f) => uleb(f))))];
  if (p.tables !== undefined) out.push(section(4, vec(p.tables)));
  if (p.memory !== undefined) out.push(section(5, vec([p.memory])));
  if (p.exports !== undefined) out.push(section(7, vec(p.exports)));
  if (p.elems !== undefined) out.push(section(9, vec(p.elems)));
  if (p.datas !== undefined) out.push(section(12, uleb(p.datas.length)));
  out.push(section(10, vec(p.bodies)));
  if (p.datas !== undefined) out.push(section(11, vec(p.datas)));
  return concat(out);
}

function repeat(n: number, bytes: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(...bytes);
  return out;
}

const builders: readonly ((rng: Rng) => Uint8Array)[] = [
  // Blocks, loops or ifs nested thousands deep, with a value through them.
  (rng) => {
    const n = rng.pick([500, 2000, 10000]);
    const opener = rng.pick([[0x02, I32], [0x03, I32], [0x41, 1, 0x04, I32]]);
    const closer = opener[0] === 0x41 ? [0x05, 0x41, 2, 0x0b] : [0x0b];
    const code = [...repeat(n, opener), 0x41, 7, ...repeat(n, closer)];
    return assemble({ types: [funcType([], [I32])], funcs: [0], bodies: [body([], code)], exports: [[...name('f'), 0, 0]] });
  },
  // A value stack thousands deep.
  (rng) => {
    const n = rng.pick([1000, 5000, 20000]);
    const code = [...repeat(n, [0x41, 1]), ...repeat(n - 1, [0x6a])];
    return assemble({ types: [funcType([], [I32])], funcs: [0], bodies: [body([], code)], exports: [[...name('f'), 0, 0]] });
  },
  // Nearly as many locals as the decoder allows, the last one used.
  (rng) => {
    const n = rng.pick([1000, 49_999, 50_000]);
    const type = rng.pick([I32, I64, 0x7c, 0x70]);
    const last = uleb(n - 1);
    const code = type === 0x70 ? [0x20, ...last, 0xd1] : [0x20, ...last, 0x21, ...uleb(n >> 1), 0x41, 0];
    return assemble({ types: [funcType([], [I32])], funcs: [0], bodies: [body([[...uleb(n), type]], code)] });
  },
  // Many functions, each with many locals: past the module's cap, or a few within it.
  (rng) => {
    const [n, locals] = rng.pick([[21, 50_000], [3, 20_000]]);
    const bodies = Array.from({ length: n }, () => body([[...uleb(locals), I64]], [0x20, ...uleb(locals - 1)]));
    return assemble({ types: [funcType([], [I64])], funcs: Array.from({ length: n }, () => 0), bodies });
  },
  // Many parameters and many results, through a call and a block typed by index.
  (rng) => {
    const n = rng.pick([16, 100, 1000]);
    const params = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? I32 : I64));
    const caller = [...params.flatMap((p) => (p === I32 ? [0x41, 1] : [0x42, 1])), 0x10, 0, 0x02, 0, 0x0b, ...repeat(n, [0x1a])];
    return assemble({ types: [funcType(params, params), funcType([], [])], funcs: [0, 1], bodies: [body([], params.map((_, i) => [0x20, ...uleb(i)]).flat()), body([], caller)], exports: [[...name('g'), 0, 1]] });
  },
  // A br_table with thousands of targets.
  (rng) => {
    const n = rng.pick([1000, 30000]);
    const depth = 8;
    const code = [...repeat(depth, [0x02, 0x40]), 0x20, 0, 0x0e, ...uleb(n), ...Array.from({ length: n }, (_, i) => i % depth), depth - 1, ...repeat(depth, [0x0b])];
    return assemble({ types: [funcType([I32], [])], funcs: [0], bodies: [body([], code)], exports: [[...name('f'), 0, 0]] });
  },
  // Huge table limits, with call_indirect, grow, fill and an element segment.
  (rng) => {
    const min = rng.pick([0, 65536, 1 << 24, 0xffffffff]);
    const limits = rng.chance(0.5) ? [0x00, ...uleb(min)] : [0x01, ...uleb(min), ...uleb(0xffffffff)];
    const code = [0x20, 0, 0x20, 0, 0x11, 0, 0, 0xd0, 0x70, 0x41, 5, 0xfc, 15, 0, 0x1a, 0x41, 0, 0xd0, 0x70, 0x41, 3, 0xfc, 17, 0, 0xfc, 16, 0, 0x1a];
    return assemble({ types: [funcType([I32], [])], funcs: [0], bodies: [body([], code)], tables: [[0x70, ...limits]], elems: [[0x00, 0x41, ...sleb(rng.pick([0, 0x7fffffff, -1])), 0x0b, ...vec([[0]])]], exports: [[...name('f'), 0, 0]] });
  },
  // The largest memory, extreme memarg offsets, a data segment at the far end.
  (rng) => {
    const offset = rng.pick([0xffffffff, 0xfffffff0, 0x80000000, 65536]);
    const memory = rng.pick([[0x01, 0, ...uleb(65536)], [0x00, ...uleb(rng.pick([0, 1, 16]))], [0x01, 1, 1]]);
    const code = [0x20, 0, 0x29, 3, ...uleb(offset), 0x20, 0, 0x42, 1, 0x37, 0, ...uleb(offset), 0x41, 0, 0x40, 0, 0x1a, 0x20, 0, 0x41, 0, 0x41, 0x7f, 0xfc, 11, 0];
    const datas = [[0x00, 0x41, ...sleb(rng.pick([-1, 0x7ffffff0, 0])), 0x0b, ...vec([[1], [2]])], [0x01, ...vec([[3]])]];
    return assemble({ types: [funcType([I32], [I64])], funcs: [0], bodies: [body([], code)], memory, datas, exports: [[...name('f'), 0, 0]] });
  },
  // Thousands of functions calling the next one.
  (rng) => {
    const n = rng.pick([500, 3000]);
    const bodies = Array.from({ length: n }, (_, i) => body([], i + 1 < n ? [0x20, 0, 0x10, ...uleb(i + 1)] : [0x20, 0]));
    return assemble({ types: [funcType([I32], [I32])], funcs: Array.from({ length: n }, () => 0), bodies, exports: [[...name('f'), 0, 0]] });
  },
];

export function generateStress(rng: Rng): Uint8Array {
  return rng.pick(builders)(rng);
}
