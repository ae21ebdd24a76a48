// Linear memory: the only place that decides how a Wasm address becomes a machine address, so
// each bounds strategy lives here and nowhere else.
import type { Instr } from '../wasm/types.js';
import type { FunctionLowering } from './function.js';
import { llvm } from './llvm.js';
import type { L } from './llvm.js';
import { emitTrapIf } from './trap-emit.js';

interface Access {
  /** Bytes moved. */
  size: number;
  /** The Wasm value type on the stack. */
  value: 'i32' | 'i64' | 'f32' | 'f64';
  /** For narrow loads: sign- or zero-extend. */
  extend?: 's' | 'u';
}

const loads: Record<string, Access> = {
  'i32.load': { size: 4, value: 'i32' },
  'i64.load': { size: 8, value: 'i64' },
  'f32.load': { size: 4, value: 'f32' },
  'f64.load': { size: 8, value: 'f64' },
  'i32.load8_s': { size: 1, value: 'i32', extend: 's' },
  'i32.load8_u': { size: 1, value: 'i32', extend: 'u' },
  'i32.load16_s': { size: 2, value: 'i32', extend: 's' },
  'i32.load16_u': { size: 2, value: 'i32', extend: 'u' },
  'i64.load8_s': { size: 1, value: 'i64', extend: 's' },
  'i64.load8_u': { size: 1, value: 'i64', extend: 'u' },
  'i64.load16_s': { size: 2, value: 'i64', extend: 's' },
  'i64.load16_u': { size: 2, value: 'i64', extend: 'u' },
  'i64.load32_s': { size: 4, value: 'i64', extend: 's' },
  'i64.load32_u': { size: 4, value: 'i64', extend: 'u' },
};

/** Bytes a load instruction reads, or undefined when `op` is no load. */
export function loadSize(op: string): number | undefined {
  return loads[op]?.size;
}

const stores: Record<string, Access> = {
  'i32.store': { size: 4, value: 'i32' },
  'i64.store': { size: 8, value: 'i64' },
  'f32.store': { size: 4, value: 'f32' },
  'f64.store': { size: 8, value: 'f64' },
  'i32.store8': { size: 1, value: 'i32' },
  'i32.store16': { size: 2, value: 'i32' },
  'i64.store8': { size: 1, value: 'i64' },
  'i64.store16': { size: 2, value: 'i64' },
  'i64.store32': { size: 4, value: 'i64' },
};

/** The current memory size in bytes: a constant when it cannot change, else from the instance record. */
export function memorySize(f: FunctionLowering): L.Value {
  const m = f.m;
  if (m.memoryFixed) return m.const32(m.memoryMinBytes);
  return f.b.CreateLoad(m.i32, f.b.CreateInBoundsGEP(m.instanceTy, m.instance, [m.const32(0), m.const32(1)]));
}

/**
 * The machine address of `size` bytes at Wasm address `addr` + `offset`, checked as the
 * module's bounds strategy says.
 */
export function effectiveAddress(f: FunctionLowering, addr: L.Value, offset: number, size: number): L.Value {
  const m = f.m;
  const b = f.b;
  const end = offset + size;
  switch (m.options.bounds) {
    case 'software': {
      if (end <= m.memoryMinBytes && m.memoryFixed) {
        // A memory of fixed size: a compare against a constant, merged with the check of an
        // earlier access through the same address where that is exact (check-merge.ts).
        if (!f.checks.covered(addr, end)) {
          const reach = f.checks.reach(addr, end, f.body, f.position, m.memoryMinBytes);
          emitTrapIf(f, b.CreateICmpUGT(addr, m.const32(m.memoryMinBytes - reach)), 'memoryOutOfBounds');
        }
      } else if (end <= m.memoryMinBytes) {
        // Memory never shrinks below its initial size, so size - end cannot wrap: one 32-bit
        // compare against a value LLVM can hoist out of loops.
        // umax(size, initial size) changes nothing at run time but tells LLVM the lower bound,
        // so it can drop checks of addresses known to lie inside the initial memory.
        const size = memorySize(f);
        const min = m.const32(m.memoryMinBytes);
        const limit = b.CreateSub(b.CreateSelect(b.CreateICmpUGT(size, min), size, min), m.const32(end));
        emitTrapIf(f, b.CreateICmpUGT(addr, limit), 'memoryOutOfBounds');
      } else {
        // The effective address is a 33-bit quantity: compare in 64 bits.
        const last = b.CreateAdd(b.CreateZExt(addr, m.i64), m.const64(BigInt(end)));
        emitTrapIf(f, b.CreateICmpUGT(last, b.CreateZExt(memorySize(f), m.i64)), 'memoryOutOfBounds');
      }
      return offsetAddress(f, addr, offset);
    }
    case 'mask':
      // Never traps: the address wraps inside the power-of-two reservation (not spec-exact).
      return b.CreateGEP(m.i8, m.memoryBase, b.CreateAnd(b.CreateAdd(addr, m.const32(offset)), m.const32(m.memoryReserve - 1)));
    case 'mpu':
      // The memory is one MPU region of a power-of-two size: masking keeps every access inside
      // it, so the guest cannot reach its own stack or records in box RAM by wrapping around.
      // An access at the last bytes may spill past the region end, where the MPU faults.
      return b.CreateGEP(m.i8, m.memoryBase, b.CreateAnd(b.CreateAdd(addr, m.const32(offset)), m.const32(2 ** Math.ceil(Math.log2(Math.max(m.memoryReserve, 32))) - 1)));
    case 'none':
      return offsetAddress(f, addr, offset);
  }
}

/**
 * base + addr + offset, with the constant part first: clang addresses a global array as
 * `i32.const <its address>; i32.add`, so for addr = x + C this is (base + C + offset) + x, a
 * constant (the memory's symbol plus C) plus x. Then table[i] loads as LDR r, [table, i, LSL #2]
 * as native code does, where base + (x + C) took an ADD and a register for C on every access.
 * Exact: addresses are 32 bits, so every order of the additions wraps alike.
 */
function offsetAddress(f: FunctionLowering, addr: L.Value, offset: number): L.Value {
  const m = f.m;
  const sum = f.constantSums.get(addr);
  const constant = (offset + (sum?.c ?? 0)) | 0;
  return f.b.CreateGEP(m.i8, f.b.CreateGEP(m.i8, m.memoryBase, m.const32(constant)), sum?.x ?? addr);
}

/**
 * The integer type that moves `a` through memory when the FPU does not. Floats go through
 * integers then: an unaligned double loads as LDR, LDR, VMOV instead of a round trip through
 * the stack.
 */
function accessType(f: FunctionLowering, a: Access): L.Type {
  return llvm.IntegerType.get(f.m.ctx, a.size * 8);
}

function floatType(f: FunctionLowering, a: Access): L.Type | undefined {
  return a.value === 'f32' ? f.m.f32 : a.value === 'f64' ? f.m.f64 : undefined;
}

/**
 * True when the FPU should move this float itself: the module promises natural alignment (the
 * hint a compiler writes for a float it knows is aligned) and the board's FPU has the type.
 * A plain load then gets the type's ABI alignment and becomes VLDR; the rare access that breaks
 * the promise faults and the runtime emulates it.
 */
function fpuMoves(f: FunctionLowering, a: Access, alignLog2: number): boolean {
  const fpu = f.m.options.fpuAccess;
  if (!fpu || a.extend || 2 ** alignLog2 < a.size) return false;
  return a.value === 'f32' ? fpu.f32 : a.value === 'f64' ? fpu.f64 : false;
}

function memcpy(f: FunctionLowering): L.Function {
  const m = f.m;
  return m.intrinsic(llvm.Intrinsic.memcpy, [m.ptr, m.ptr, m.i32], 'memcpy');
}

/**
 * Wasm allows any alignment, but LLVM assumes natural alignment for a plain load and then emits
 * LDRD/VLDR, which fault on unaligned addresses. A memcpy through a local becomes an align-1 load
 * after SROA: LDR pairs on Cortex-M, which take unaligned addresses.
 */
function load(f: FunctionLowering, ptr: L.Value, a: Access, alignLog2: number): L.Value {
  const m = f.m;
  const b = f.b;
  if (fpuMoves(f, a, alignLog2)) {
    const ft = floatType(f, a)!;
    return b.CreateLoad(ft, b.CreateBitCast(ptr, llvm.PointerType.getUnqual(ft)));
  }
  const t = accessType(f, a);
  let v: L.Value;
  if (a.size === 1) v = b.CreateLoad(t, ptr);
  else {
    const tmp = f.alloca(t);
    b.CreateCall(memcpy(f), [b.CreateBitCast(tmp, m.ptr), ptr, m.const32(a.size), b.getFalse()]);
    v = b.CreateLoad(t, tmp);
  }
  const ft = floatType(f, a);
  if (ft) return b.CreateBitCast(v, ft);
  if (!a.extend) return v;
  const wide = a.value === 'i64' ? m.i64 : m.i32;
  return a.extend === 's' ? b.CreateSExt(v, wide) : b.CreateZExt(v, wide);
}

function store(f: FunctionLowering, ptr: L.Value, a: Access, value: L.Value, alignLog2: number): void {
  const m = f.m;
  const b = f.b;
  if (fpuMoves(f, a, alignLog2)) {
    b.CreateStore(value, b.CreateBitCast(ptr, llvm.PointerType.getUnqual(floatType(f, a)!)));
    return;
  }
  const t = accessType(f, a);
  const ft = floatType(f, a);
  const v = ft ? b.CreateBitCast(value, t) : a.size < (a.value === 'i64' ? 8 : 4) ? b.CreateTrunc(value, t) : value;
  if (a.size === 1) {
    b.CreateStore(v, ptr);
    return;
  }
  const tmp = f.alloca(t);
  b.CreateStore(v, tmp);
  b.CreateCall(memcpy(f), [ptr, b.CreateBitCast(tmp, m.ptr), m.const32(a.size), b.getFalse()]);
}

/** Bytes up to which memory.copy and memory.fill of a constant length are left to LLVM, which moves them inline. */
const inlineCopyBytes = 16;

/** True when the length operand of the instruction at `f.position` is an i32.const of a few bytes, pushed just before it. */
function isSmallConstant(f: FunctionLowering): boolean {
  const before = f.body[f.position - 1];
  return before?.op === 'i32.const' && typeof before.value === 'number' && before.value >>> 0 <= inlineCopyBytes;
}

/**
 * memory.copy and memory.fill trap, before they write anything, unless every range [addr, addr + n)
 * lies inside the memory, with every bounds strategy (the spec's rule; without 32-bit wrap-around).
 * Inline, so that the copy itself is one call of the runtime's block copies (runtime-c/string).
 */
function checkRange(f: FunctionLowering, addrs: L.Value[], n: L.Value): void {
  const m = f.m;
  const b = f.b;
  const size = memorySize(f);
  let outside = b.CreateICmpUGT(n, size);
  const room = b.CreateSub(size, n);
  for (const addr of addrs) outside = b.CreateOr(outside, b.CreateICmpUGT(addr, room));
  emitTrapIf(f, outside, 'memoryOutOfBounds');
}

/** Loads, stores and the memory instructions. False if `instr` is none of them. */
export function lowerMemoryOp(f: FunctionLowering, instr: Instr): boolean {
  const m = f.m;
  const b = f.b;
  const l = loads[instr.op];
  if (l) {
    const ptr = effectiveAddress(f, f.pop(), instr.memarg!.offset, l.size);
    f.push(load(f, ptr, l, instr.memarg!.align));
    return true;
  }
  const s = stores[instr.op];
  if (s) {
    const value = f.pop();
    const ptr = effectiveAddress(f, f.pop(), instr.memarg!.offset, s.size);
    store(f, ptr, s, value, instr.memarg!.align);
    return true;
  }
  const instPtr = llvm.PointerType.getUnqual(m.instanceTy);
  switch (instr.op) {
    case 'memory.size':
      f.push(b.CreateLShr(memorySize(f), m.const32(m.memoryPageSizeLog2)));
      return true;
    case 'memory.grow': {
      const grow = m.runtimeFunc('bento_wasm_memory_grow', m.i32, [instPtr, m.i32, m.i32]);
      f.push(b.CreateCall(grow, [m.instance, f.pop(), m.const32(m.memoryPageSizeLog2)]));
      return true;
    }
    case 'memory.fill': {
      const [dst, value, n] = f.popN(3);
      checkRange(f, [dst!], n!);
      const at = b.CreateGEP(m.i8, m.memoryBase, dst!);
      if (isSmallConstant(f)) {
        // LLVM stores a few words inline; a call would cost more than the fill.
        b.CreateCall(m.intrinsic(llvm.Intrinsic.memset, [m.ptr, m.i32], 'memset'), [at, b.CreateTrunc(value!, m.i8), n!, b.getFalse()]);
      } else {
        const fill = m.runtimeFunc('bento_memset', m.ptr, [m.ptr, m.i32, m.i32]);
        b.CreateCall(fill, [at, b.CreateAnd(value!, m.const32(0xff)), n!]);
      }
      return true;
    }
    case 'memory.copy': {
      const [dst, src, n] = f.popN(3);
      checkRange(f, [dst!, src!], n!);
      const to = b.CreateGEP(m.i8, m.memoryBase, dst!);
      const from = b.CreateGEP(m.i8, m.memoryBase, src!);
      if (isSmallConstant(f)) {
        b.CreateCall(m.intrinsic(llvm.Intrinsic.memmove, [m.ptr, m.ptr, m.i32], 'memmove'), [to, from, n!, b.getFalse()]);
      } else {
        const copy = m.runtimeFunc('bento_memmove', m.ptr, [m.ptr, m.ptr, m.i32]);
        b.CreateCall(copy, [to, from, n!]);
      }
      return true;
    }
    case 'memory.init': {
      const [dst, src, n] = f.popN(3);
      const seg = m.datas[instr.index!]!;
      const init = m.runtimeFunc('bento_wasm_memory_init', m.voidTy, [instPtr, m.i32, m.i32, m.i32, m.ptr, m.i32]);
      b.CreateCall(init, [m.instance, dst!, src!, n!, seg.bytes, b.CreateLoad(m.i32, seg.length)]);
      return true;
    }
    case 'data.drop':
      b.CreateStore(m.const32(0), m.datas[instr.index!]!.length);
      return true;
    default:
      return false;
  }
}
