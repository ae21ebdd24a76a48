// One function body through the spec's validation algorithm: a driver loop that hands each
// instruction to the checker of its group.
import { BentoError } from '../../diagnostics/error.js';
import { opOfInstr, type OpInfo } from '../opcodes.js';
import type { FuncBody, FuncType, Instr, ValType } from '../types.js';
import type { ModuleContext } from './context.js';
import { checkControl } from './control.js';
import { checkMemory } from './memory.js';
import { checkParametric } from './parametric.js';
import { checkTable } from './table.js';
import { TypeStack } from './type-stack.js';
import { checkVariable } from './variable.js';

/** What the group checkers see of the function being checked. */
export interface FuncChecker {
  readonly ctx: ModuleContext;
  readonly stack: TypeStack;
  /** The type of local `index` (parameters first, then declared locals), or undefined. */
  local(index: number): ValType | undefined;
  /** The function's result types, for `return`. */
  readonly results: readonly ValType[];
  /** Reports a problem at the current instruction. */
  fail(message: string): never;
  /** The type of function `index` (imports first); fails when there is none. */
  funcType(index: number): FuncType;
  /** The type with this index; fails when there is none. */
  type(index: number): FuncType;
}

export function validateFunction(ctx: ModuleContext, funcIndex: number, type: FuncType, body: FuncBody): void {
  const checker = new Checker(ctx, funcIndex, type, body);
  checker.run(body.body);
}

class Checker implements FuncChecker {
  readonly stack: TypeStack;
  readonly results: readonly ValType[];
  private offset: number;
  private readonly params: readonly ValType[];
  /** Declared locals by group: the index just past each group, and its type. */
  private readonly groupEnds: number[] = [];
  private readonly groupTypes: ValType[] = [];

  constructor(
    readonly ctx: ModuleContext,
    private readonly funcIndex: number,
    type: FuncType,
    body: FuncBody,
  ) {
    this.stack = new TypeStack((message) => this.fail(message));
    this.results = type.results;
    this.offset = body.offset;
    this.params = type.params;
    // Groups are kept as they are, not expanded: a module of many functions, each declaring
    // thousands of locals, would otherwise cost time and memory out of proportion to its size.
    let end = type.params.length;
    for (const group of body.locals) {
      if (group.count === 0) continue;
      end += group.count;
      this.groupEnds.push(end);
      this.groupTypes.push(group.type);
    }
  }

  local(index: number): ValType | undefined {
    if (index < this.params.length) return this.params[index];
    // The first group that ends past the index holds it.
    let lo = 0;
    let hi = this.groupEnds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.groupEnds[mid]! > index) hi = mid;
      else lo = mid + 1;
    }
    return this.groupTypes[lo];
  }

  run(body: readonly Instr[]): void {
    // The body is a block whose label carries the function's results.
    this.stack.pushFrame('block', [], this.results);
    for (const instr of body) {
      this.offset = instr.offset;
      const info = opOfInstr(instr);
      // Decoded modules only hold instructions of the opcode table.
      if (info === undefined) throw new Error(`validator: '${instr.op}' is not a Wasm 2.0 instruction`);
      this.check(instr, info);
    }
    if (this.stack.depth() !== 0) throw new Error(`validator: function ${this.funcIndex} ends inside a block (the decoder checks nesting)`);
  }

  fail(message: string): never {
    throw new BentoError({ code: 'B3002', message, location: { file: this.ctx.file, offset: this.offset, context: `function ${this.funcIndex}` } });
  }

  funcType(index: number): FuncType {
    const typeIndex = this.ctx.funcs[index];
    if (typeIndex === undefined) this.fail(`unknown function ${index}`);
    return this.type(typeIndex);
  }

  type(index: number): FuncType {
    const type = this.ctx.types[index];
    if (type === undefined) this.fail(`unknown type ${index}`);
    return type;
  }

  private check(instr: Instr, info: OpInfo): void {
    switch (info.group) {
      case 'numeric':
        // Every numeric instruction has a fixed signature in the opcode table.
        this.stack.popAllExpect(info.params!);
        this.stack.pushAll(info.results!);
        return;
      case 'control':
        return checkControl(this, instr);
      case 'parametric':
        return checkParametric(this, instr);
      case 'variable':
        return checkVariable(this, instr);
      case 'memory':
        return checkMemory(this, instr, info);
      case 'table':
      case 'reference':
        return checkTable(this, instr);
    }
  }
}
