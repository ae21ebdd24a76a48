import type { Instr, NumType } from '../wasm/types.js';
import type { ModuleContext } from './context.js';
import type { FunctionLowering } from './function.js';
import { llvm } from './llvm.js';
import type { L } from './llvm.js';
import { emitTrapIf } from './trap-emit.js';

type Builder = L.IRBuilder;

/** Numeric instructions: constants, arithmetic, comparisons, conversions. False if not one. */
export function lowerNumericOp(f: FunctionLowering, instr: Instr): boolean {
  const dot = instr.op.indexOf('.');
  if (dot < 0) return false;
  const ty = instr.op.slice(0, dot) as NumType;
  const name = instr.op.slice(dot + 1);
  if (ty !== 'i32' && ty !== 'i64' && ty !== 'f32' && ty !== 'f64') return false;
  if (name === 'const') {
    f.push(constant(f, ty, instr));
    return true;
  }
  if (ty === 'i32' || ty === 'i64') return integerOp(f, ty, name) || conversionOp(f, ty, name);
  return floatOp(f, ty, name) || conversionOp(f, ty, name);
}

function constant(f: FunctionLowering, ty: NumType, instr: Instr): L.Value {
  const m = f.m;
  switch (ty) {
    case 'i32': {
      const v = m.const32(instr.value as number);
      intConstants.set(v, BigInt((instr.value as number) >>> 0));
      return v;
    }
    case 'i64': {
      const v = m.const64(instr.value as bigint);
      intConstants.set(v, BigInt.asUintN(64, instr.value as bigint));
      return v;
    }
    case 'f32':
    case 'f64': {
      const raw = ty === 'f32' ? BigInt((instr.bits as number) >>> 0) : (instr.bits as bigint);
      if (isSignallingNaN(ty, raw)) return floatConstant(m, ty, raw);
      // From the raw bits, so NaN payloads survive.
      const v = ty === 'f32' ? f.b.CreateBitCast(m.const32(instr.bits as number), m.f32) : f.b.CreateBitCast(m.const64(instr.bits as bigint), m.f64);
      floatConstants.set(v, ty === 'f32' ? new Float32Array(new Uint32Array([instr.bits as number]).buffer)[0]! : new Float64Array(new BigUint64Array([instr.bits as bigint]).buffer)[0]!);
      return v;
    }
  }
}

/** The value of each float constant pushed, to spot operations LLVM would fold to identities. */
const floatConstants = new WeakMap<object, number>();
/** The bits of each integer constant pushed, to spot a reinterpretation that makes a signalling NaN. */
const intConstants = new WeakMap<object, bigint>();

/** Whether `bits` of a float of type `ty` are a signalling NaN (all-ones exponent, quiet bit clear, payload not 0). */
export function isSignallingNaN(ty: 'f32' | 'f64', bits: bigint): boolean {
  const [exponent, quiet, payload] = ty === 'f32' ? [0x7f80_0000n, 0x40_0000n, 0x3f_ffffn] : [0x7ff0_0000_0000_0000n, 0x8_0000_0000_0000n, 0x7_ffff_ffff_ffffn];
  return (bits & exponent) === exponent && (bits & quiet) === 0n && (bits & payload) !== 0n;
}

/**
 * Integer bits LLVM cannot fold: `bits | bento_wasm_opaque_zero`, a zero the runtime keeps in
 * code memory (readable by every box). For signalling NaN constants: LLVM 14 folds `x op sNaN`
 * to the sNaN as it is (InstSimplify's propagateNaN does not quiet it), where Wasm wants a quiet
 * NaN; with the NaN unknown until run time the FPU does the operation, and quiets it.
 */
function opaqueBits(m: ModuleContext, ty: 'f32' | 'f64', bits: bigint): L.Value {
  const b = m.b;
  const symbol = 'bento_wasm_opaque_zero';
  const zero = m.module.getGlobalVariable(symbol, true) ?? new llvm.GlobalVariable(m.module, m.i32, false, llvm.GlobalValue.LinkageTypes.ExternalLinkage, null, symbol);
  const loaded = b.CreateLoad(m.i32, zero);
  if (ty === 'f32') return b.CreateOr(m.const32(Number(BigInt.asIntN(32, bits))), loaded);
  return b.CreateOr(m.const64(BigInt.asIntN(64, bits)), b.CreateZExt(loaded, m.i64));
}

/** A float constant with these bits, emitted at the builder's position; a signalling NaN is built so that LLVM cannot fold it. */
export function floatConstant(m: ModuleContext, ty: 'f32' | 'f64', bits: bigint): L.Value {
  const type = ty === 'f32' ? m.f32 : m.f64;
  if (isSignallingNaN(ty, bits)) return m.b.CreateBitCast(opaqueBits(m, ty, bits), type);
  return m.b.CreateBitCast(ty === 'f32' ? m.const32(Number(bits)) : m.const64(bits), type);
}
/** Results of f64.promote_f32, so demote(promote(x)) can be kept from folding to x. */
const promotions = new WeakSet<object>();

/**
 * Wasm wants arithmetic on a signalling NaN to return a quiet one. LLVM assumes NaNs carry no
 * such meaning and folds x*1, x/-1, x-0, -0-x, 0+x to x or -x, which returns the signalling NaN
 * as it came. Where an operand is such an identity constant, a NaN input takes x + x instead
 * (which the FPU quiets); other values are untouched.
 */
function quietIfIdentity(f: FunctionLowering, name: string, x: L.Value, y: L.Value, result: L.Value): L.Value {
  const cx = floatConstants.get(x);
  const cy = floatConstants.get(y);
  const unit = (c: number | undefined) => c === 1 || c === -1;
  const zero = (c: number | undefined) => c === 0;
  let other: L.Value | undefined;
  if ((name === 'mul' && unit(cy)) || (name === 'div' && unit(cy)) || ((name === 'add' || name === 'sub') && zero(cy))) other = x;
  else if ((name === 'mul' && unit(cx)) || ((name === 'add' || name === 'sub') && zero(cx))) other = y;
  if (!other) return result;
  return quietNaN(f, other, result);
}

/** `result`, or the quietened NaN when `x` is a NaN. */
function quietNaN(f: FunctionLowering, x: L.Value, result: L.Value): L.Value {
  const b = f.b;
  return b.CreateSelect(b.CreateFCmpUNE(x, x), b.CreateFAdd(x, x), result);
}

function intType(f: FunctionLowering, ty: 'i32' | 'i64'): L.IntegerType {
  return ty === 'i32' ? f.m.i32 : f.m.i64;
}

function intConst(f: FunctionLowering, ty: 'i32' | 'i64', v: bigint): L.Value {
  return ty === 'i32' ? f.m.const32(Number(BigInt.asIntN(32, v))) : f.m.const64(v);
}

/** i1 -> i32, the type of every Wasm comparison result. */
function bool(f: FunctionLowering, v: L.Value): L.Value {
  return f.b.CreateZExt(v, f.m.i32);
}

function integerOp(f: FunctionLowering, ty: 'i32' | 'i64', name: string): boolean {
  const b = f.b;
  const t = intType(f, ty);
  const bits = ty === 'i32' ? 32 : 64;
  const binary = (op: (b: Builder, x: L.Value, y: L.Value) => L.Value) => {
    const y = f.pop();
    const x = f.pop();
    f.push(op(b, x, y));
  };
  const compare = (op: (b: Builder, x: L.Value, y: L.Value) => L.Value) => binary((b, x, y) => bool(f, op(b, x, y)));
  const bitCount = (id: number, withFlag: boolean) => {
    const fn = f.m.intrinsic(id, [t], `${id}.${ty}`);
    const x = f.pop();
    f.push(b.CreateCall(fn, withFlag ? [x, b.getFalse()] : [x]));
  };
  // Shift counts are taken modulo the width; LLVM's shifts are poison past it.
  const shiftMask = (y: L.Value) => b.CreateAnd(y, intConst(f, ty, BigInt(bits - 1)));
  switch (name) {
    case 'eqz':
      f.push(bool(f, b.CreateICmpEQ(f.pop(), intConst(f, ty, 0n))));
      return true;
    case 'eq': compare((b, x, y) => b.CreateICmpEQ(x, y)); return true;
    case 'ne': compare((b, x, y) => b.CreateICmpNE(x, y)); return true;
    case 'lt_s': compare((b, x, y) => b.CreateICmpSLT(x, y)); return true;
    case 'lt_u': compare((b, x, y) => b.CreateICmpULT(x, y)); return true;
    case 'gt_s': compare((b, x, y) => b.CreateICmpSGT(x, y)); return true;
    case 'gt_u': compare((b, x, y) => b.CreateICmpUGT(x, y)); return true;
    case 'le_s': compare((b, x, y) => b.CreateICmpSLE(x, y)); return true;
    case 'le_u': compare((b, x, y) => b.CreateICmpULE(x, y)); return true;
    case 'ge_s': compare((b, x, y) => b.CreateICmpSGE(x, y)); return true;
    case 'ge_u': compare((b, x, y) => b.CreateICmpUGE(x, y)); return true;
    case 'clz': bitCount(llvm.Intrinsic.ctlz, true); return true;
    case 'ctz': bitCount(llvm.Intrinsic.cttz, true); return true;
    case 'popcnt': bitCount(llvm.Intrinsic.ctpop, false); return true;
    case 'add': {
      const before = f.body[f.position - 1];
      binary((b, x, y) => {
        const sum = b.CreateAdd(x, y);
        if (ty === 'i32' && before?.op === 'i32.const') f.constantSums.set(sum, { x, c: before.value as number });
        return sum;
      });
      return true;
    }
    case 'sub': binary((b, x, y) => b.CreateSub(x, y)); return true;
    case 'mul': binary((b, x, y) => b.CreateMul(x, y)); return true;
    case 'and': binary((b, x, y) => b.CreateAnd(x, y)); return true;
    case 'or': binary((b, x, y) => b.CreateOr(x, y)); return true;
    case 'xor': binary((b, x, y) => b.CreateXor(x, y)); return true;
    case 'shl': binary((b, x, y) => b.CreateShl(x, shiftMask(y))); return true;
    case 'shr_s': binary((b, x, y) => b.CreateAShr(x, shiftMask(y))); return true;
    case 'shr_u': binary((b, x, y) => b.CreateLShr(x, shiftMask(y))); return true;
    case 'rotl':
    case 'rotr': {
      const id = name === 'rotl' ? llvm.Intrinsic.fshl : llvm.Intrinsic.fshr;
      const fn = f.m.intrinsic(id, [t], `${name}.${ty}`);
      binary((b, x, y) => b.CreateCall(fn, [x, x, y]));
      return true;
    }
    case 'div_s':
    case 'div_u':
    case 'rem_s':
    case 'rem_u':
      division(f, ty, name);
      return true;
    case 'extend8_s':
    case 'extend16_s':
    case 'extend32_s': {
      const from = llvm.IntegerType.get(f.m.ctx, Number(name.slice(6, -2)));
      f.push(b.CreateSExt(b.CreateTrunc(f.pop(), from), t));
      return true;
    }
    default:
      return false;
  }
}

/** Division traps where LLVM's would be undefined: by zero, and INT_MIN / -1 for div_s. */
function division(f: FunctionLowering, ty: 'i32' | 'i64', name: string): void {
  const b = f.b;
  const y = f.pop();
  const x = f.pop();
  emitTrapIf(f, b.CreateICmpEQ(y, intConst(f, ty, 0n)), 'divideByZero');
  const min = intConst(f, ty, ty === 'i32' ? -(2n ** 31n) : -(2n ** 63n));
  const minusOne = intConst(f, ty, -1n);
  switch (name) {
    case 'div_u':
      f.push(b.CreateUDiv(x, y));
      return;
    case 'rem_u':
      f.push(b.CreateURem(x, y));
      return;
    case 'div_s':
      emitTrapIf(f, b.CreateAnd(b.CreateICmpEQ(x, min), b.CreateICmpEQ(y, minusOne)), 'integerOverflow');
      f.push(b.CreateSDiv(x, y));
      return;
    case 'rem_s': {
      // INT_MIN rem -1 is 0 in Wasm; srem would be undefined. Dividing by 1 instead gives 0.
      const safe = b.CreateSelect(b.CreateICmpEQ(y, minusOne), intConst(f, ty, 1n), y);
      f.push(b.CreateSRem(x, safe));
      return;
    }
  }
}

function floatOp(f: FunctionLowering, ty: 'f32' | 'f64', name: string): boolean {
  const b = f.b;
  const m = f.m;
  const t = ty === 'f32' ? m.f32 : m.f64;
  const binary = (op: (x: L.Value, y: L.Value) => L.Value) => {
    const y = f.pop();
    const x = f.pop();
    f.push(op(x, y));
  };
  const compare = (op: (x: L.Value, y: L.Value) => L.Value) => binary((x, y) => bool(f, op(x, y)));
  const unaryIntrinsic = (id: number, key: string) => {
    const fn = m.intrinsic(id, [t], `${key}.${ty}`);
    f.push(b.CreateCall(fn, [f.pop()]));
  };
  // Without a rounding instruction (the M4) these are libm calls, which hand a signalling NaN
  // back unchanged: quiet it.
  const rounding = (id: number, key: string) => {
    const x = f.pop();
    f.push(quietNaN(f, x, b.CreateCall(m.intrinsic(id, [t], `${key}.${ty}`), [x])));
  };
  switch (name) {
    case 'eq': compare((x, y) => b.CreateFCmpOEQ(x, y)); return true;
    // Unordered: NaN != anything is true.
    case 'ne': compare((x, y) => b.CreateFCmpUNE(x, y)); return true;
    case 'lt': compare((x, y) => b.CreateFCmpOLT(x, y)); return true;
    case 'gt': compare((x, y) => b.CreateFCmpOGT(x, y)); return true;
    case 'le': compare((x, y) => b.CreateFCmpOLE(x, y)); return true;
    case 'ge': compare((x, y) => b.CreateFCmpOGE(x, y)); return true;
    case 'add': binary((x, y) => quietIfIdentity(f, name, x, y, b.CreateFAdd(x, y))); return true;
    case 'sub': binary((x, y) => quietIfIdentity(f, name, x, y, b.CreateFSub(x, y))); return true;
    case 'mul': binary((x, y) => quietIfIdentity(f, name, x, y, b.CreateFMul(x, y))); return true;
    case 'div': binary((x, y) => quietIfIdentity(f, name, x, y, b.CreateFDiv(x, y))); return true;
    case 'neg': f.push(b.CreateFNeg(f.pop())); return true;
    case 'abs': unaryIntrinsic(llvm.Intrinsic.fabs, 'fabs'); return true;
    case 'sqrt': unaryIntrinsic(llvm.Intrinsic.sqrt, 'sqrt'); return true;
    case 'ceil': rounding(llvm.Intrinsic.ceil, 'ceil'); return true;
    case 'floor': rounding(llvm.Intrinsic.floor, 'floor'); return true;
    case 'trunc': rounding(llvm.Intrinsic.trunc, 'trunc'); return true;
    // Round to nearest, ties to even: the default rounding mode.
    case 'nearest': rounding(llvm.Intrinsic.nearbyint, 'nearbyint'); return true;
    case 'copysign': {
      const fn = m.intrinsic(llvm.Intrinsic.copysign, [t], `copysign.${ty}`);
      binary((x, y) => b.CreateCall(fn, [x, y]));
      return true;
    }
    case 'min':
    case 'max':
      binary((x, y) => minMax(f, ty, name, x, y));
      return true;
    default:
      return false;
  }
}

/**
 * Wasm min/max: NaN if either operand is NaN, and -0 < +0. Branch-free: equal operands (the
 * signed-zero case) combine their bits with OR for min and AND for max.
 */
function minMax(f: FunctionLowering, ty: 'f32' | 'f64', name: 'min' | 'max', x: L.Value, y: L.Value): L.Value {
  const b = f.b;
  const it = ty === 'f32' ? f.m.i32 : f.m.i64;
  const ft = ty === 'f32' ? f.m.f32 : f.m.f64;
  const xi = b.CreateBitCast(x, it);
  const yi = b.CreateBitCast(y, it);
  const merged = b.CreateBitCast(name === 'min' ? b.CreateOr(xi, yi) : b.CreateAnd(xi, yi), ft);
  const pick = b.CreateSelect(name === 'min' ? b.CreateFCmpOLT(x, y) : b.CreateFCmpOGT(x, y), x, y);
  const r = b.CreateSelect(b.CreateFCmpOEQ(x, y), merged, pick);
  // Either operand NaN: x + y is a NaN carrying one of their payloads, quietened.
  const eitherNaN = b.CreateOr(b.CreateFCmpUNE(x, x), b.CreateFCmpUNE(y, y));
  return b.CreateSelect(eitherNaN, b.CreateFAdd(x, y), r);
}

function conversionOp(f: FunctionLowering, ty: NumType, name: string): boolean {
  const b = f.b;
  const m = f.m;
  const typeOf = (n: string): L.Type => ({ i32: m.i32, i64: m.i64, f32: m.f32, f64: m.f64 })[n as NumType];
  const to = typeOf(ty);
  switch (name) {
    case 'wrap_i64': f.push(b.CreateTrunc(f.pop(), to)); return true;
    case 'extend_i32_s': f.push(b.CreateSExt(f.pop(), to)); return true;
    case 'extend_i32_u': f.push(b.CreateZExt(f.pop(), to)); return true;
    case 'demote_f64': {
      const x = f.pop();
      // LLVM folds demote(promote(x)) to x, which would not quiet a signalling NaN.
      const narrow = b.CreateFPTrunc(x, to);
      f.push(promotions.has(x) ? b.CreateSelect(b.CreateFCmpUNE(x, x), b.CreateFPTrunc(b.CreateFAdd(x, x), to), narrow) : narrow);
      return true;
    }
    case 'promote_f32': {
      const v = b.CreateFPExt(f.pop(), to);
      promotions.add(v);
      f.push(v);
      return true;
    }
    case 'convert_i32_s':
    case 'convert_i64_s': f.push(b.CreateSIToFP(f.pop(), to)); return true;
    case 'convert_i32_u':
    case 'convert_i64_u': f.push(b.CreateUIToFP(f.pop(), to)); return true;
    case 'reinterpret_i32':
    case 'reinterpret_i64': {
      // A signalling NaN made from an integer literal: hidden from LLVM like a float literal.
      const x = f.pop();
      const bits = intConstants.get(x);
      const float = ty as 'f32' | 'f64';
      f.push(b.CreateBitCast(bits !== undefined && isSignallingNaN(float, bits) ? opaqueBits(f.m, float, bits) : x, to));
      return true;
    }
    case 'reinterpret_f32':
    case 'reinterpret_f64': f.push(b.CreateBitCast(f.pop(), to)); return true;
  }
  const trunc = /^trunc_(sat_)?(f32|f64)_([su])$/.exec(name);
  if (!trunc || (ty !== 'i32' && ty !== 'i64')) return false;
  const [, sat, from, sign] = trunc;
  const x = f.pop();
  if (sat) {
    const id = sign === 's' ? llvm.Intrinsic.fptosi_sat : llvm.Intrinsic.fptoui_sat;
    const fn = m.intrinsic(id, [to, typeOf(from!)], `${name}.${ty}`);
    f.push(b.CreateCall(fn, [x]));
    return true;
  }
  // Trapping truncation: NaN is an invalid conversion; anything that truncates outside the
  // integer range overflows. The bounds are exact powers of two in both float types.
  const ft = typeOf(from!);
  emitTrapIf(f, b.CreateFCmpUNE(x, x), 'invalidConversion');
  const bits = ty === 'i32' ? 32 : 64;
  const [lowest, above] = sign === 's' ? [-(2 ** (bits - 1)), 2 ** (bits - 1)] : [0, 2 ** bits];
  const fp = (v: number) => llvm.ConstantFP.get(ft, v);
  // Signed: x >= -2^(n-1) when that is exact, else x > -2^(n-1) - 1 (f64 for i32). Unsigned: x > -1.
  let lowOk: L.Value;
  if (sign === 'u') lowOk = b.CreateFCmpOGT(x, fp(-1));
  else if (ty === 'i32' && from === 'f64') lowOk = b.CreateFCmpOGT(x, fp(lowest - 1));
  else lowOk = b.CreateFCmpOGE(x, fp(lowest));
  const inRange = b.CreateAnd(lowOk, b.CreateFCmpOLT(x, fp(above)));
  emitTrapIf(f, b.CreateNot(inRange), 'integerOverflow');
  f.push(sign === 's' ? b.CreateFPToSI(x, to) : b.CreateFPToUI(x, to));
  return true;
}
