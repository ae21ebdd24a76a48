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
  /** Parameters, then declared locals. */
  readonly locals: readonly ValType[];
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
  readonly locals: readonly ValType[];
  readonly results: readonly ValType[];
  private offset: number;

  constructor(
    readonly ctx: ModuleContext,
    private readonly funcIndex: number,
    type: FuncType,
    body: FuncBody,
  ) {
    this.stack = new TypeStack((message) => this.fail(message));
    this.results = type.results;
    this.offset = body.offset;
    const locals = [...type.params];
    // The decoder caps declared locals (MAX_LOCALS), so this expansion stays small.
    for (const group of body.locals) for (let i = 0; i < group.count; i++) locals.push(group.type);
    this.locals = locals;
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
