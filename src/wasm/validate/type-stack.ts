// The operand and control stacks of the spec's validation algorithm (appendix "Validation
// Algorithm"), with its unknown type for the polymorphic stack below unreachable code.
import type { ValType } from '../types.js';

export const UNKNOWN = 'unknown';
export type OperandType = ValType | typeof UNKNOWN;

/** `block` also stands for the function body's own frame. */
export type FrameKind = 'block' | 'loop' | 'if' | 'else';

export interface ControlFrame {
  kind: FrameKind;
  params: readonly ValType[];
  results: readonly ValType[];
  /** Operand stack height when the frame was entered. */
  height: number;
  unreachable: boolean;
}

export function isNumeric(t: OperandType): boolean {
  return t === 'i32' || t === 'i64' || t === 'f32' || t === 'f64' || t === UNKNOWN;
}

export function isReference(t: OperandType): boolean {
  return t === 'funcref' || t === 'externref' || t === UNKNOWN;
}

export class TypeStack {
  private readonly vals: OperandType[] = [];
  private readonly ctrls: ControlFrame[] = [];

  constructor(private readonly fail: (message: string) => never) {}

  push(type: OperandType): void {
    this.vals.push(type);
  }

  pushAll(types: readonly OperandType[]): void {
    for (const type of types) this.vals.push(type);
  }

  pop(): OperandType {
    const frame = this.top();
    if (this.vals.length === frame.height) {
      if (frame.unreachable) return UNKNOWN;
      this.fail('type mismatch: expected a value, found none in this block');
    }
    return this.vals.pop()!;
  }

  popExpect(expected: OperandType): OperandType {
    const actual = this.pop();
    if (actual !== expected && actual !== UNKNOWN && expected !== UNKNOWN) {
      this.fail(`type mismatch: expected ${expected}, found ${actual}`);
    }
    return actual;
  }

  /** Pops `types` (the last one first). */
  popAllExpect(types: readonly ValType[]): void {
    for (let i = types.length - 1; i >= 0; i--) this.popExpect(types[i]!);
  }

  /** Pops `types` and returns what was there, in stack order (unknown where unreachable). */
  popAll(types: readonly ValType[]): OperandType[] {
    const popped = new Array<OperandType>(types.length);
    for (let i = types.length - 1; i >= 0; i--) popped[i] = this.popExpect(types[i]!);
    return popped;
  }

  pushFrame(kind: FrameKind, params: readonly ValType[], results: readonly ValType[]): void {
    this.ctrls.push({ kind, params, results, height: this.vals.length, unreachable: false });
    this.pushAll(params);
  }

  popFrame(): ControlFrame {
    const frame = this.top();
    this.popAllExpect(frame.results);
    const left = this.vals.length - frame.height;
    if (left !== 0) this.fail(`type mismatch: ${left} value${left === 1 ? '' : 's'} left at the end of the ${frame.kind}`);
    this.ctrls.pop();
    return frame;
  }

  /** The frame a branch with this label index targets, or undefined. */
  label(depth: number): ControlFrame | undefined {
    return this.ctrls[this.ctrls.length - 1 - depth];
  }

  /** The types a branch to this frame carries: a loop's parameters, else its results. */
  labelTypes(frame: ControlFrame): readonly ValType[] {
    return frame.kind === 'loop' ? frame.params : frame.results;
  }

  /** After an unconditional branch: the rest of the block is unreachable. */
  markUnreachable(): void {
    const frame = this.top();
    this.vals.length = frame.height;
    frame.unreachable = true;
  }

  depth(): number {
    return this.ctrls.length;
  }

  private top(): ControlFrame {
    const frame = this.ctrls[this.ctrls.length - 1];
    // The decoder checks that every end closes a block and that nothing follows the last one.
    if (frame === undefined) throw new Error('validator: instruction after the end of the function');
    return frame;
  }
}
