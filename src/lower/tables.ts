import type { Instr } from '../wasm/types.js';
import type { FunctionLowering } from './function.js';
import { llvm } from './llvm.js';
import type { L } from './llvm.js';
import { emitTrapIf } from './trap-emit.js';

function field(f: FunctionLowering, table: number, index: number): L.Value {
  const m = f.m;
  return f.b.CreateInBoundsGEP(m.tableTy, m.tables[table]!.global, [m.const32(0), m.const32(index)]);
}

/** Where entry `elem` of a table is, after checking it lies below the table's size. */
function entryPointer(f: FunctionLowering, table: number, elem: L.Value): L.Value {
  const m = f.m;
  const b = f.b;
  const size = b.CreateLoad(m.i32, field(f, table, 1));
  emitTrapIf(f, b.CreateICmpUGE(elem, size), 'tableOutOfBounds');
  const entries = b.CreateLoad(llvm.PointerType.getUnqual(m.ptr), field(f, table, 0));
  return b.CreateGEP(m.ptr, entries, elem);
}

/** Entry `elem` of a table (a funcref record pointer or an externref), bounds-checked. */
export function lowerTableEntry(f: FunctionLowering, table: number, elem: L.Value): L.Value {
  return f.b.CreateLoad(f.m.ptr, entryPointer(f, table, elem));
}

/** Table and reference instructions. False if `instr` is none of them. */
export function lowerTableOp(f: FunctionLowering, instr: Instr): boolean {
  const m = f.m;
  const b = f.b;
  const tablePtr = llvm.PointerType.getUnqual(m.tableTy);
  const entryList = llvm.PointerType.getUnqual(m.ptr);
  switch (instr.op) {
    case 'ref.null':
      f.push(llvm.Constant.getNullValue(m.ptr));
      return true;
    case 'ref.is_null':
      f.push(b.CreateZExt(b.CreateICmpEQ(f.pop(), llvm.Constant.getNullValue(m.ptr)), m.i32));
      return true;
    case 'ref.func':
      f.push(llvm.ConstantExpr.getBitCast(m.funcref(instr.index!), m.ptr));
      return true;
    case 'table.get':
      f.push(lowerTableEntry(f, instr.index!, f.pop()));
      return true;
    case 'table.set': {
      const value = f.pop();
      b.CreateStore(value, entryPointer(f, instr.index!, f.pop()));
      return true;
    }
    case 'table.size':
      f.push(b.CreateLoad(m.i32, field(f, instr.index!, 1)));
      return true;
    case 'table.grow': {
      const [init, n] = f.popN(2);
      const grow = m.runtimeFunc('bento_wasm_table_grow', m.i32, [tablePtr, m.ptr, m.i32]);
      f.push(b.CreateCall(grow, [m.tables[instr.index!]!.global, init!, n!]));
      return true;
    }
    case 'table.fill': {
      const [at, value, n] = f.popN(3);
      const fill = m.runtimeFunc('bento_wasm_table_fill', m.voidTy, [tablePtr, m.i32, m.ptr, m.i32]);
      b.CreateCall(fill, [m.tables[instr.index!]!.global, at!, value!, n!]);
      return true;
    }
    case 'table.copy': {
      const [dst, src, n] = f.popN(3);
      const copy = m.runtimeFunc('bento_wasm_table_copy', m.voidTy, [tablePtr, tablePtr, m.i32, m.i32, m.i32]);
      b.CreateCall(copy, [m.tables[instr.index!]!.global, m.tables[instr.index2!]!.global, dst!, src!, n!]);
      return true;
    }
    case 'table.init': {
      const [dst, src, n] = f.popN(3);
      const seg = m.elems[instr.index!]!;
      const init = m.runtimeFunc('bento_wasm_table_init', m.voidTy, [tablePtr, m.i32, m.i32, m.i32, entryList, m.i32]);
      b.CreateCall(init, [m.tables[instr.index2!]!.global, dst!, src!, n!, seg.items, b.CreateLoad(m.i32, seg.length)]);
      return true;
    }
    case 'elem.drop':
      b.CreateStore(m.const32(0), m.elems[instr.index!]!.length);
      return true;
    default:
      return false;
  }
}
