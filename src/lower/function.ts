import type { BlockType, FuncBody, Instr, ValType } from '../wasm/types.js';
import type { ModuleContext } from './context.js';
import { llvm } from './llvm.js';
import type { L } from './llvm.js';
import { lowerMemoryOp } from './memory.js';
import { lowerNumericOp } from './numeric.js';
import { CheckMerger } from './check-merge.js';
import { DebugInfo } from './debug-info.js';
import { globalType } from './globals.js';
import { lowerTableEntry, lowerTableOp } from './tables.js';
import { emitTrapIf, emitTrap } from './trap-emit.js';

/** A control frame: block, loop, if, or the function body itself. */
interface Frame {
  kind: 'block' | 'loop' | 'if' | 'function';
  params: readonly ValType[];
  results: readonly ValType[];
  /** Value-stack height below the frame's parameters. */
  height: number;
  /** Where a branch to this frame's label goes: the end, or a loop's header. */
  target: L.BasicBlock;
  end: L.BasicBlock;
  /** What a branch to the label stores: results, or a loop's parameters. */
  labelSlots: readonly L.AllocaInst[];
  /** Results, stored by whatever reaches the end. */
  endSlots: readonly L.AllocaInst[];
  /** Whether anything reaches the end (a branch or falling through). */
  endReached: boolean;
  /** `if` only: the false branch, until `else` takes it. */
  elseBlock?: L.BasicBlock;
  ifParams?: L.Value[];
}

/** Lowers one function body. Locals and branch values live in allocas; opt's mem2reg makes SSA. */
export class FunctionLowering {
  readonly b: L.IRBuilder;
  stack: L.Value[] = [];
  private frames: Frame[] = [];
  /** Each local's slot, made when an instruction first uses it (params: on entry). */
  private locals: ({ slot: L.AllocaInst; type: L.Type } | undefined)[] = [];
  private localTypes: ValType[] = [];
  private entry: L.BasicBlock;
  private allocaBuilder: L.IRBuilder;
  private reachable = true;
  /** Depth of block/loop/if nested inside unreachable code, which is skipped. */
  private deadDepth = 0;
  /** The offset of the instruction being lowered, for errors. */
  offset = 0;
  /** Its index in the body. */
  position = 0;
  /** One trap block per kind and function: every check of that kind branches there. */
  readonly trapBlocks = new Map<string, L.BasicBlock>();
  /** Bounds checks that later accesses through the same address may merge into. */
  readonly checks = new CheckMerger();
  /** The function's instructions (bounds checks look ahead in them). */
  readonly body: readonly Instr[];
  /** Each x + C (an i32.add of an i32.const) still on the stack, as x and C: memory.ts addresses base + C, then + x. */
  readonly constantSums = new WeakMap<L.Value, { x: L.Value; c: number }>();

  constructor(
    readonly m: ModuleContext,
    readonly fn: L.Function,
    readonly index: number,
    private readonly code: FuncBody,
    /** The function's symbol (lower/names.ts). */
    private readonly symbol: string,
  ) {
    this.b = m.b;
    this.body = code.body;
    this.entry = llvm.BasicBlock.Create(m.ctx, 'entry', fn);
    this.allocaBuilder = new llvm.IRBuilder(this.entry);
  }

  /** Local `index`'s slot; a declared local's is made (zeroed, in the entry block) on first use. */
  private local(index: number): { slot: L.AllocaInst; type: L.Type } {
    let local = this.locals[index];
    if (!local) {
      const valType = this.localTypes[index]!;
      local = { slot: this.alloca(this.m.valType(valType), `l${index}`), type: this.m.valType(valType) };
      this.allocaBuilder.CreateStore(this.m.zero(valType), local.slot);
      this.locals[index] = local;
    }
    return local;
  }

  /** An alloca in the entry block, where mem2reg and SROA can see it. */
  alloca(type: L.Type, name = ''): L.AllocaInst {
    return this.allocaBuilder.CreateAlloca(type, null, name);
  }

  newBlock(name: string): L.BasicBlock {
    return llvm.BasicBlock.Create(this.m.ctx, name, this.fn);
  }

  pop(): L.Value {
    const v = this.stack.pop();
    if (!v) throw new Error(`value stack underflow at +0x${this.offset.toString(16)} (validation should prevent this)`);
    return v;
  }

  popN(n: number): L.Value[] {
    return n === 0 ? [] : this.stack.splice(this.stack.length - n, n);
  }

  push(v: L.Value): void {
    this.stack.push(v);
  }

  lower(): void {
    const m = this.m;
    const type = m.wasm.types[this.code.typeIndex]!;
    const locations = m.debug?.locations(this.fn, m.wasm.funcNames.get(this.index) ?? this.symbol, this.symbol, this.code);
    const opening = locations?.find((l) => l !== undefined);
    if (opening) this.b.SetCurrentDebugLocation(opening);
    const body = this.newBlock('body');
    this.b.SetInsertPoint(body);
    type.params.forEach((p, i) => {
      const slot = this.alloca(m.valType(p), `p${i}`);
      this.b.CreateStore(this.fn.getArg(i), slot);
      this.locals.push({ slot, type: m.valType(p) });
    });
    // Declared locals get a slot (and their zero) only when used: a module may declare many
    // thousands that no instruction touches, and each slot costs LLVM time.
    this.localTypes = [...type.params];
    for (const group of this.code.locals) {
      for (let i = 0; i < group.count; i++) this.localTypes.push(group.type);
    }
    if (m.options.stackCheck !== false) this.stackCheck();

    const ret = this.newBlock('return');
    const slots = type.results.map((r, i) => this.alloca(m.valType(r), `ret${i}`));
    this.frames.push({ kind: 'function', params: [], results: type.results, height: 0, target: ret, end: ret, labelSlots: slots, endSlots: slots, endReached: false });

    for (this.position = 0; this.position < this.body.length; this.position++) {
      const instr = this.body[this.position]!;
      this.offset = instr.offset;
      if (!this.reachable && this.skipDead(instr)) continue;
      const at = locations?.[this.position];
      if (at) this.b.SetCurrentDebugLocation(at);
      this.checks.before(instr, this.stack);
      this.lowerInstr(instr);
      this.checks.after(instr, this.stack);
    }
    // The allocas are complete: the entry block falls into the body.
    this.allocaBuilder.CreateBr(body);
    if (locations) DebugInfo.clearLocation(this.b);
  }

  /** On function entry: trap when the stack pointer is below the guest stack limit. */
  private stackCheck(): void {
    const m = this.m;
    const save = m.intrinsic(llvm.Intrinsic.stacksave, [], 'stacksave');
    const sp = this.b.CreatePtrToInt(this.b.CreateCall(save, []), m.i32);
    const limitVar = m.module.getGlobalVariable('bento_wasm_stack_limit') ?? new llvm.GlobalVariable(m.module, m.i32, false, llvm.GlobalValue.LinkageTypes.ExternalLinkage, null, 'bento_wasm_stack_limit');
    const limit = this.b.CreateLoad(m.i32, limitVar);
    emitTrapIf(this, this.b.CreateICmpULT(sp, limit), 'stackExhausted');
  }

  /** In unreachable code: track nesting, and say whether to skip this instruction. */
  private skipDead(instr: Instr): boolean {
    switch (instr.op) {
      case 'block':
      case 'loop':
      case 'if':
        this.deadDepth++;
        return true;
      case 'else':
        return this.deadDepth > 0;
      case 'end':
        if (this.deadDepth > 0) {
          this.deadDepth--;
          return true;
        }
        return false;
      default:
        return true;
    }
  }

  blockSig(bt: BlockType): { params: readonly ValType[]; results: readonly ValType[] } {
    if (bt.kind === 'empty') return { params: [], results: [] };
    if (bt.kind === 'value') return { params: [], results: [bt.type] };
    return this.m.wasm.types[bt.typeIndex]!;
  }

  private slotsFor(types: readonly ValType[], name: string): L.AllocaInst[] {
    return types.map((t, i) => this.alloca(this.m.valType(t), `${name}${i}`));
  }

  /** Stores values into a frame's label slots and branches there. */
  private branchTo(frame: Frame): void {
    const arity = frame.kind === 'loop' ? frame.params.length : frame.results.length;
    const values = this.stack.slice(this.stack.length - arity);
    values.forEach((v, i) => this.b.CreateStore(v, frame.labelSlots[i]!));
    if (frame.kind !== 'loop') frame.endReached = true;
    this.b.CreateBr(frame.target);
  }

  private frameAt(depth: number): Frame {
    return this.frames[this.frames.length - 1 - depth]!;
  }

  private unreachableFromHere(): void {
    this.reachable = false;
  }

  private lowerInstr(instr: Instr): void {
    const m = this.m;
    const b = this.b;
    switch (instr.op) {
      case 'nop':
        return;
      case 'unreachable':
        emitTrap(this, 'unreachable');
        this.unreachableFromHere();
        return;
      case 'block':
      case 'loop': {
        const sig = this.blockSig(instr.blockType!);
        const end = this.newBlock(`${instr.op}_end`);
        const endSlots = this.slotsFor(sig.results, 'r');
        if (instr.op === 'block') {
          this.frames.push({ kind: 'block', ...sig, height: this.stack.length - sig.params.length, target: end, end, labelSlots: endSlots, endSlots, endReached: false });
          return;
        }
        const header = this.newBlock('loop');
        const paramSlots = this.slotsFor(sig.params, 'lp');
        const frame: Frame = { kind: 'loop', ...sig, height: this.stack.length - sig.params.length, target: header, end, labelSlots: paramSlots, endSlots, endReached: false };
        this.frames.push(frame);
        this.branchTo(frame);
        b.SetInsertPoint(header);
        this.stack.length = frame.height;
        paramSlots.forEach((s, i) => this.push(b.CreateLoad(m.valType(sig.params[i]!), s)));
        return;
      }
      case 'if': {
        const cond = b.CreateICmpNE(this.pop(), m.const32(0));
        const sig = this.blockSig(instr.blockType!);
        const then = this.newBlock('then');
        const elseBlock = this.newBlock('else');
        const end = this.newBlock('if_end');
        const endSlots = this.slotsFor(sig.results, 'r');
        const height = this.stack.length - sig.params.length;
        this.frames.push({ kind: 'if', ...sig, height, target: end, end, labelSlots: endSlots, endSlots, endReached: false, elseBlock, ifParams: this.stack.slice(height) });
        b.CreateCondBr(cond, then, elseBlock);
        b.SetInsertPoint(then);
        return;
      }
      case 'else': {
        const frame = this.frameAt(0);
        if (this.reachable) this.fallThrough(frame);
        b.SetInsertPoint(frame.elseBlock!);
        frame.elseBlock = undefined;
        this.stack.length = frame.height;
        this.stack.push(...frame.ifParams!);
        this.reachable = true;
        return;
      }
      case 'end':
        this.endFrame();
        return;
      case 'br':
        this.branchTo(this.frameAt(instr.index!));
        this.unreachableFromHere();
        return;
      case 'br_if': {
        const cond = b.CreateICmpNE(this.pop(), m.const32(0));
        const frame = this.frameAt(instr.index!);
        const arity = frame.kind === 'loop' ? frame.params.length : frame.results.length;
        this.stack.slice(this.stack.length - arity).forEach((v, i) => b.CreateStore(v, frame.labelSlots[i]!));
        if (frame.kind !== 'loop') frame.endReached = true;
        const cont = this.newBlock('br_if_cont');
        b.CreateCondBr(cond, frame.target, cont);
        b.SetInsertPoint(cont);
        return;
      }
      case 'br_table': {
        const index = this.pop();
        const targets = [...instr.labels!, instr.index!];
        const edge = new Map<number, L.BasicBlock>();
        const here = b.GetInsertBlock()!;
        for (const depth of targets) {
          if (edge.has(depth)) continue;
          const block = this.newBlock(`br_table_${depth}`);
          b.SetInsertPoint(block);
          this.branchTo(this.frameAt(depth));
          edge.set(depth, block);
        }
        b.SetInsertPoint(here);
        const sw = b.CreateSwitch(index, edge.get(instr.index!)!, instr.labels!.length);
        instr.labels!.forEach((depth, i) => sw.addCase(b.getInt32(i), edge.get(depth)!));
        this.unreachableFromHere();
        return;
      }
      case 'return':
        this.branchTo(this.frames[0]!);
        this.unreachableFromHere();
        return;
      case 'call':
        this.call(instr.index!);
        return;
      case 'call_indirect':
        this.callIndirect(instr.index!, instr.index2 ?? 0);
        return;
      case 'drop':
        this.pop();
        return;
      case 'select': {
        const cond = b.CreateICmpNE(this.pop(), m.const32(0));
        const no = this.pop();
        const yes = this.pop();
        this.push(b.CreateSelect(cond, yes, no));
        return;
      }
      case 'local.get': {
        const local = this.local(instr.index!);
        this.push(b.CreateLoad(local.type, local.slot));
        return;
      }
      case 'local.set':
        b.CreateStore(this.pop(), this.local(instr.index!).slot);
        return;
      case 'local.tee':
        b.CreateStore(this.stack[this.stack.length - 1]!, this.local(instr.index!).slot);
        return;
      case 'global.get': {
        const type = globalType(m.wasm, instr.index!);
        this.push(b.CreateLoad(m.valType(type), m.globals[instr.index!]!));
        return;
      }
      case 'global.set':
        b.CreateStore(this.pop(), m.globals[instr.index!]!);
        return;
      default:
        if (lowerNumericOp(this, instr)) return;
        if (lowerMemoryOp(this, instr)) return;
        if (lowerTableOp(this, instr)) return;
        throw new Error(`no lowering for '${instr.op}' at +0x${instr.offset.toString(16)}`);
    }
  }

  /** Reachable code at the end of a frame's body: store its results and go to the end. */
  private fallThrough(frame: Frame): void {
    this.popN(frame.results.length).forEach((v, i) => this.b.CreateStore(v, frame.endSlots[i]!));
    frame.endReached = true;
    this.b.CreateBr(frame.end);
  }

  private endFrame(): void {
    const frame = this.frames.pop()!;
    if (this.reachable) this.fallThrough(frame);
    if (frame.kind === 'if' && frame.elseBlock) {
      // No else: the false branch passes the parameters through as results (validation checked).
      this.b.SetInsertPoint(frame.elseBlock);
      frame.ifParams!.forEach((v, i) => this.b.CreateStore(v, frame.endSlots[i]!));
      frame.endReached = true;
      this.b.CreateBr(frame.end);
    }
    this.b.SetInsertPoint(frame.end);
    this.stack.length = frame.height;
    this.reachable = frame.endReached;
    if (!this.reachable) {
      this.b.CreateUnreachable();
      return;
    }
    const values = frame.endSlots.map((s, i) => this.b.CreateLoad(this.m.valType(frame.results[i]!), s));
    if (frame.kind === 'function') {
      this.emitReturn(values);
      this.reachable = false;
      return;
    }
    this.stack.push(...values);
  }

  private emitReturn(values: L.Value[]): void {
    if (values.length === 0) this.b.CreateRetVoid();
    else if (values.length === 1) this.b.CreateRet(values[0]!);
    else {
      let agg: L.Value = llvm.UndefValue.get(this.fn.getReturnType());
      values.forEach((v, i) => (agg = this.b.CreateInsertValue(agg, v, [i])));
      this.b.CreateRet(agg);
    }
  }

  /** Pushes a call's results, unpacking a multi-value struct. */
  pushResults(call: L.Value, results: readonly ValType[]): void {
    if (results.length === 1) this.push(call);
    else results.forEach((_, i) => this.push(this.b.CreateExtractValue(call, [i])));
  }

  private call(index: number): void {
    const f = this.m.funcs[index]!;
    const args = this.popN(f.type.params.length);
    if (f.host) args.unshift(this.m.instance);
    const call = this.b.CreateCall(f.callee, args);
    this.pushResults(call, f.type.results);
  }

  private callIndirect(typeIndex: number, table: number): void {
    const m = this.m;
    const b = this.b;
    const type = m.wasm.types[typeIndex]!;
    const elem = this.pop();
    const ref = lowerTableEntry(this, table, elem);
    const record = b.CreateBitCast(ref, llvm.PointerType.getUnqual(m.funcrefTy));
    emitTrapIf(this, b.CreateICmpEQ(ref, llvm.Constant.getNullValue(m.ptr)), 'uninitializedElement');
    const sig = b.CreateLoad(m.ptr, b.CreateInBoundsGEP(m.funcrefTy, record, [m.const32(0), m.const32(0)]));
    const expected = llvm.ConstantExpr.getBitCast(m.signature(type), m.ptr);
    emitTrapIf(this, b.CreateICmpNE(sig, expected), 'indirectCallTypeMismatch');
    const code = b.CreateLoad(m.ptr, b.CreateInBoundsGEP(m.funcrefTy, record, [m.const32(0), m.const32(1)]));
    const llvmType = m.funcType(type);
    const callee = b.CreateBitCast(code, llvm.PointerType.getUnqual(llvmType));
    const args = this.popN(type.params.length);
    const call = b.CreateCall(llvmType, callee, args);
    this.pushResults(call, type.results);
  }
}
