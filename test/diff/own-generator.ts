// bento's own module generator, for what binaryen 108's fuzzer leaves out here: reference types
// and tables (it only makes invalid `anyref` modules with them), and NaNs (its modules are
// de-NaN'd). Each module has a memory, a funcref and an externref table, active, passive and
// declared element segments, passive data, and exported test functions of two kinds:
//  - expressions: a random typed tree of numeric operators over the parameters, special
//    constants (signalling and quiet NaNs among them), globals and loads. A float result comes
//    back as its bits, a NaN reduced to its class (quiet or signalling): sign and payload of a
//    NaN are each engine's choice, its class is not.
//  - state: a few table, element, memory, data and global operations, then a result that reads
//    the state back (table size, an indirect call through the table, a loaded byte...).
// The text goes through wat2wasm.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FuzzModule } from './generate.js';
import { Random } from './random.js';

type Num = 'i32' | 'i64' | 'f32' | 'f64';

const params: Record<Num, string> = { i32: '$a', i64: '$b', f32: '$c', f64: '$d' };

const constants: Record<Num, readonly string[]> = {
  i32: ['0', '1', '-1', '2', '31', '32', '33', '0x7fffffff', '0x80000000', '0x7f', '0x80', '0xff', '0x8000', '0xffff', '65535', '65536', '-65536'],
  i64: ['0', '1', '-1', '63', '64', '65', '0x7fffffffffffffff', '0x8000000000000000', '0xffffffff', '0x100000000', '0x80000000', '-0x80000000'],
  f32: ['0', '-0', '1', '-1', '0.5', '-0.5', '1.5', '2.5', '-2.5', 'inf', '-inf', 'nan', '-nan', 'nan:0x200000', 'nan:0x1', '-nan:0x7fffff', '0x1p-149', '0x1.fffffep127', '2147483648', '-2147483904', '4294967296', '9.2233720e18', '1e-40'],
  f64: ['0', '-0', '1', '-1', '0.5', '-0.5', '1.5', '2.5', '-2.5', 'inf', '-inf', 'nan', '-nan', 'nan:0x4000000000000', 'nan:0x1', '-nan:0xfffffffffffff', '0x1p-1074', '0x1.fffffffffffffp1023', '2147483648', '-2147483649', '4294967296', '9223372036854775808', '-9223372036854777856', '1e-310'],
};

const binary: Record<Num, readonly string[]> = {
  i32: ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'],
  i64: ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'],
  f32: ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'],
  f64: ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'],
};

const unary: Record<Num, readonly string[]> = {
  i32: ['clz', 'ctz', 'popcnt', 'eqz', 'extend8_s', 'extend16_s'],
  i64: ['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s', 'extend32_s'],
  f32: ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'],
  f64: ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'],
};

/** Operators that take another type: [result, operand, name]. */
const conversions: readonly (readonly [Num, Num, string])[] = [
  ['i32', 'i64', 'i32.wrap_i64'],
  ['i32', 'i64', 'i64.eqz'],
  ['i32', 'f32', 'i32.trunc_f32_s'],
  ['i32', 'f32', 'i32.trunc_f32_u'],
  ['i32', 'f64', 'i32.trunc_f64_s'],
  ['i32', 'f64', 'i32.trunc_f64_u'],
  ['i32', 'f32', 'i32.trunc_sat_f32_s'],
  ['i32', 'f32', 'i32.trunc_sat_f32_u'],
  ['i32', 'f64', 'i32.trunc_sat_f64_s'],
  ['i32', 'f64', 'i32.trunc_sat_f64_u'],
  ['i32', 'f32', 'i32.reinterpret_f32'],
  ['i64', 'i32', 'i64.extend_i32_s'],
  ['i64', 'i32', 'i64.extend_i32_u'],
  ['i64', 'f32', 'i64.trunc_f32_s'],
  ['i64', 'f32', 'i64.trunc_f32_u'],
  ['i64', 'f64', 'i64.trunc_f64_s'],
  ['i64', 'f64', 'i64.trunc_f64_u'],
  ['i64', 'f32', 'i64.trunc_sat_f32_s'],
  ['i64', 'f32', 'i64.trunc_sat_f32_u'],
  ['i64', 'f64', 'i64.trunc_sat_f64_s'],
  ['i64', 'f64', 'i64.trunc_sat_f64_u'],
  ['i64', 'f64', 'i64.reinterpret_f64'],
  ['f32', 'i32', 'f32.convert_i32_s'],
  ['f32', 'i32', 'f32.convert_i32_u'],
  ['f32', 'i64', 'f32.convert_i64_s'],
  ['f32', 'i64', 'f32.convert_i64_u'],
  ['f32', 'f64', 'f32.demote_f64'],
  ['f32', 'i32', 'f32.reinterpret_i32'],
  ['f64', 'i32', 'f64.convert_i32_s'],
  ['f64', 'i32', 'f64.convert_i32_u'],
  ['f64', 'i64', 'f64.convert_i64_s'],
  ['f64', 'i64', 'f64.convert_i64_u'],
  ['f64', 'f32', 'f64.promote_f32'],
  ['f64', 'i64', 'f64.reinterpret_i64'],
];

const compares = { int: ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'], float: ['eq', 'ne', 'lt', 'gt', 'le', 'ge'] };

const loads: Record<Num, readonly string[]> = {
  i32: ['i32.load', 'i32.load8_s', 'i32.load8_u', 'i32.load16_s', 'i32.load16_u'],
  i64: ['i64.load', 'i64.load8_s', 'i64.load8_u', 'i64.load16_s', 'i64.load16_u', 'i64.load32_s', 'i64.load32_u'],
  f32: ['f32.load'],
  f64: ['f64.load'],
};

const stores: Record<Num, readonly string[]> = {
  i32: ['i32.store', 'i32.store8', 'i32.store16'],
  i64: ['i64.store', 'i64.store8', 'i64.store16', 'i64.store32'],
  f32: ['f32.store'],
  f64: ['f64.store'],
};

const nums: readonly Num[] = ['i32', 'i64', 'f32', 'f64'];

/** Float operators whose NaN results are only specified up to sign and payload. */
const bitExact = new Set(['abs', 'neg', 'copysign', 'f32.reinterpret_i32', 'f64.reinterpret_i64']);

/**
 * An operator's expression, with a float arithmetic result reduced to its NaN class ($c32/$c64:
 * a NaN becomes one quiet or one signalling pattern), so the bits that later reach memory, a
 * reinterpretation or a sign are the same in every correct engine.
 */
function arithmetic(t: Num, op: string, text: string): string {
  if (t === 'i32' || t === 'i64' || bitExact.has(op)) return text;
  return `(call $c${t.slice(1)} ${text})`;
}

/** Table sizes: $t0 (funcref) and $t1 (externref) start at these, and may grow to twice. */
const tableMin = { t0: 8, t1: 4 };

class Writer {
  constructor(private readonly random: Random) {}

  /** An address: mostly in the first bytes, sometimes at the end of a page or past it, or a parameter. */
  address(): string {
    const r = this.random;
    switch (r.below(6)) {
      case 0:
        return '(local.get $a)';
      case 1:
        return `(i32.const ${65536 - r.below(12)})`;
      case 2:
        return `(i32.const ${131072 - r.below(12)})`;
      case 3:
        return `(i32.and (local.get $a) (i32.const 0xff))`;
      default:
        return `(i32.const ${r.below(64)})`;
    }
  }

  memarg(op: string): string {
    const r = this.random;
    const offset = r.below(4) === 0 ? r.pick([0, 1, 7, 65535, 65536, 0xffff_fff0]) : r.below(32);
    const natural = /8/.test(op.split('.')[1]!) ? 0 : /16/.test(op.split('.')[1]!) ? 1 : /32/.test(op.split('.')[1]!) || /^(i32|f32)\.(load|store)$/.test(op) ? 2 : 3;
    const align = 1 << r.below(natural + 1);
    return `offset=${offset} align=${align}`;
  }

  leaf(t: Num): string {
    const r = this.random;
    switch (r.below(6)) {
      case 0:
      case 1:
        return `(local.get ${params[t]})`;
      case 2:
        return `(${t}.const ${r.pick(constants[t])})`;
      case 3:
        return `(global.get $g${t})`;
      case 4: {
        const op = r.pick(loads[t]);
        return `(${op} ${this.memarg(op)} ${this.address()})`;
      }
      default:
        // Any bits, NaNs included, from an integer parameter.
        if (t === 'f32') return '(f32.reinterpret_i32 (local.get $a))';
        if (t === 'f64') return '(f64.reinterpret_i64 (local.get $b))';
        return `(${t}.const ${r.pick(constants[t])})`;
    }
  }

  expr(t: Num, depth: number): string {
    const r = this.random;
    if (depth <= 0 || r.below(5) === 0) return this.leaf(t);
    const sub = (u: Num) => this.expr(u, depth - 1);
    switch (r.below(9)) {
      case 0:
      case 1: {
        const op = r.pick(binary[t]);
        return arithmetic(t, op, `(${t}.${op} ${sub(t)} ${sub(t)})`);
      }
      case 2: {
        const op = r.pick(unary[t]);
        return arithmetic(t, op, `(${t}.${op} ${sub(t)})`);
      }
      case 3: {
        const [, from, op] = r.pick(conversions.filter(([to]) => to === t));
        return arithmetic(t, op, `(${op} ${sub(from)})`);
      }
      case 4: {
        if (t !== 'i32') {
          const op = r.pick(binary[t]);
          return arithmetic(t, op, `(${t}.${op} ${sub(t)} ${sub(t)})`);
        }
        const u = r.pick(nums);
        const op = r.pick(u.startsWith('i') ? compares.int : compares.float);
        return `(${u}.${op} ${sub(u)} ${sub(u)})`;
      }
      case 5:
        return `(select ${sub(t)} ${sub(t)} ${sub('i32')})`;
      case 6:
        return `(if (result ${t}) ${sub('i32')} (then ${sub(t)}) (else ${sub(t)}))`;
      case 7: {
        // A value through a local: LLVM sees it as a variable, not a literal.
        return `(block (result ${t}) (local.set $tmp${t} ${sub(t)}) (global.set $g${t} (local.get $tmp${t})) (local.get $tmp${t}))`;
      }
      default: {
        const u = r.pick(nums);
        const op = r.pick(stores[u]);
        return `(block (result ${t}) (${op} ${this.memarg(op)} ${this.address()} ${sub(u)}) ${sub(t)})`;
      }
    }
  }

  /** A funcref table index: in range, at the edge, past it, or from a parameter. */
  index(table: 't0' | 't1'): string {
    const r = this.random;
    if (r.below(4) === 0) return '(local.get $a)';
    return `(i32.const ${r.below(tableMin[table] * 2 + 3)})`;
  }

  small(): string {
    return this.random.below(4) === 0 ? '(local.get $a)' : `(i32.const ${this.random.below(6)})`;
  }

  funcref(): string {
    const r = this.random;
    switch (r.below(4)) {
      case 0:
        return '(ref.null func)';
      case 1:
        return `(table.get $t0 ${this.index('t0')})`;
      case 2:
        return '(global.get $gf)';
      default:
        return `(ref.func $f${r.below(4)})`;
    }
  }

  externref(): string {
    return this.random.below(2) === 0 ? '(ref.null extern)' : `(table.get $t1 ${this.index('t1')})`;
  }

  statement(): string {
    const r = this.random;
    switch (r.below(16)) {
      case 0:
        return `(table.set $t0 ${this.index('t0')} ${this.funcref()})`;
      case 1:
        return `(table.set $t1 ${this.index('t1')} ${this.externref()})`;
      case 2:
        return `(global.set $gi32 (table.grow $t0 ${this.funcref()} ${this.small()}))`;
      case 3:
        return `(drop (table.grow $t1 ${this.externref()} ${this.small()}))`;
      case 4:
        return `(table.fill $t0 ${this.index('t0')} ${this.funcref()} ${this.small()})`;
      case 5:
        return `(table.copy $t0 $t0 ${this.index('t0')} ${this.index('t0')} ${this.small()})`;
      case 6:
        return `(table.init $t0 $e${1 + r.below(2)} ${this.index('t0')} (i32.const ${r.below(4)}) ${this.small()})`;
      case 7:
        return `(elem.drop $e${1 + r.below(2)})`;
      case 8:
        return `(global.set $gf ${this.funcref()})`;
      case 9:
        return `(memory.fill ${this.address()} ${this.small()} ${this.small()})`;
      case 10:
        return `(memory.copy ${this.address()} ${this.address()} ${this.small()})`;
      case 11:
        return `(memory.init $d1 ${this.address()} (i32.const ${r.below(10)}) ${this.small()})`;
      case 12:
        return '(data.drop $d1)';
      case 13:
        return `(global.set $gi32 (memory.grow ${this.random.below(3) === 0 ? '(local.get $a)' : `(i32.const ${r.below(2)})`}))`;
      case 14:
        return `(table.fill $t1 ${this.index('t1')} ${this.externref()} ${this.small()})`;
      default: {
        const t = r.pick(nums);
        const op = r.pick(stores[t]);
        return `(${op} ${this.memarg(op)} ${this.address()} ${this.expr(t, 1)})`;
      }
    }
  }

  /** What a state function returns: the state read back. */
  readBack(): string {
    const r = this.random;
    switch (r.below(8)) {
      case 0:
        return '(table.size $t0)';
      case 1:
        return '(i32.add (table.size $t1) (i32.mul (memory.size) (i32.const 1000)))';
      case 2:
        return `(ref.is_null (table.get $t0 ${this.index('t0')}))`;
      case 3:
        return `(ref.is_null (table.get $t1 ${this.index('t1')}))`;
      case 4:
        return '(ref.is_null (global.get $gf))';
      case 5:
        return `(i32.load8_u ${this.address()})`;
      default:
        if (r.below(4) === 0) return `(call_indirect $t0 (type $vi) ${this.index('t0')})`;
        return `(call_indirect $t0 (type $ii) (local.get $a) ${this.index('t0')})`;
    }
  }
}

const prelude = `  (type $ii (func (param i32) (result i32)))
  (type $vi (func (result i32)))
  (func $f0 (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $f1 (type $ii) (i32.mul (local.get 0) (i32.const 3)))
  (func $f2 (type $vi) (i32.const 77))
  (func $f3 (type $ii) (global.set $gi32 (local.get 0)) (i32.const -5))
  (func $n32 (param f32) (result i32)
    (if (result i32) (f32.eq (local.get 0) (local.get 0))
      (then (i32.reinterpret_f32 (local.get 0)))
      (else (select (i32.const 0x7fc00000) (i32.const 0x7f800001)
        (i32.and (i32.reinterpret_f32 (local.get 0)) (i32.const 0x400000))))))
  (func $n64 (param f64) (result i64)
    (if (result i64) (f64.eq (local.get 0) (local.get 0))
      (then (i64.reinterpret_f64 (local.get 0)))
      (else (select (i64.const 0x7ff8000000000000) (i64.const 0x7ff0000000000001)
        (i64.ne (i64.and (i64.reinterpret_f64 (local.get 0)) (i64.const 0x8000000000000)) (i64.const 0))))))
  (func $c32 (param f32) (result f32)
    (if (result f32) (f32.eq (local.get 0) (local.get 0))
      (then (local.get 0))
      (else (f32.reinterpret_i32 (call $n32 (local.get 0))))))
  (func $c64 (param f64) (result f64)
    (if (result f64) (f64.eq (local.get 0) (local.get 0))
      (then (local.get 0))
      (else (f64.reinterpret_i64 (call $n64 (local.get 0))))))
  (memory (export "memory") 1 3)
  (table $t0 ${tableMin.t0} ${tableMin.t0 * 2} funcref)
  (table $t1 ${tableMin.t1} ${tableMin.t1 * 2} externref)
  (elem $e0 (table $t0) (i32.const 1) func $f0 $f1 $f2)
  (elem $e1 func $f3 $f2 $f1 $f0)
  (elem $e2 funcref (ref.null func) (ref.func $f1) (ref.null func) (ref.func $f3))
  (elem declare func $f0 $f1 $f2 $f3)
  (global $gi32 (mut i32) (i32.const 7))
  (global $gi64 (mut i64) (i64.const -7))
  (global $gf32 (mut f32) (f32.const nan:0x200000))
  (global $gf64 (mut f64) (f64.const -0.25))
  (global $gf (mut funcref) (ref.func $f1))
`;

function byteString(random: Random, n: number): string {
  return [...random.bytes(n)].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}

/** The module of `seed`, as `<dir>/gen-<seed>.wat` and `.wasm`. */
export function generateOwnModule(seed: number, dir: string): FuzzModule {
  mkdirSync(dir, { recursive: true });
  const random = new Random(seed ^ 0x0bad_c0de);
  const w = new Writer(random);
  const funcs: string[] = [];
  const signature = '(param $a i32) (param $b i64) (param $c f32) (param $d f64)';
  const locals = nums.map((t) => `(local $tmp${t} ${t})`).join(' ');
  const count = 10 + random.below(10);
  for (let i = 0; i < count; i++) {
    if (random.below(3) === 0) {
      const body = Array.from({ length: 1 + random.below(4) }, () => `    ${w.statement()}`).join('\n');
      funcs.push(`  (func (export "s${i}") ${signature} (result i32) ${locals}\n${body}\n    ${w.readBack()})`);
      continue;
    }
    const t = random.pick(nums);
    const e = w.expr(t, 2 + random.below(3));
    const body = t === 'f32' ? `(call $n32 ${e})` : t === 'f64' ? `(call $n64 ${e})` : e;
    funcs.push(`  (func (export "e${i}") ${signature} (result ${t === 'f32' ? 'i32' : t === 'f64' ? 'i64' : t}) ${locals}\n    ${body})`);
  }
  const data = `  (data $d0 (i32.const 3) "${byteString(random, 24)}")\n  (data $d1 "${byteString(random, 12)}")\n`;
  const text = `(module\n${prelude}${data}${funcs.join('\n')}\n)\n`;
  const wat = join(dir, `gen-${seed}.wat`);
  const file = join(dir, `gen-${seed}.wasm`);
  writeFileSync(wat, text);
  execFileSync('wat2wasm', [wat, '-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { id: `gen-${seed}`, seed, file, bytes: readFileSync(file) };
}
