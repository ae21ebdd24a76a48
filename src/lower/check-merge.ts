// Merging software bounds checks of accesses through the same base address.
//
// `local.get $p; i32.load offset=0 ... local.get $p; i32.load offset=12` checks $p twice. When
// nothing with an observable effect lies between the two accesses (no store before the later
// one, no call, no global.set, no other kind of trap, no control flow), checking the larger end
// once, at the first access, traps in exactly the same cases, with the same trap and the same
// memory: the first access is in bounds whenever the later one is, and a trap raised a few loads
// earlier cannot be told apart. So the first check looks ahead for later loads through the same
// local and covers them too, and their own checks are dropped. Used only for memories of a fixed
// size, whose limits are constants.
//
// Addresses are tracked by where they come from: a local's value (which changes at each
// local.set or local.tee) plus a constant added with i32.add.
import type { Instr } from '../wasm/types.js';
import type { L } from './llvm.js';
import { loadSize } from './memory.js';

/** A value known as (a version of a local) + delta. */
interface AddressOrigin {
  /** "<local index>:<version>" */
  key: string;
  local: number;
  delta: number;
}

interface PendingCheck {
  /** The delta of the address the check compared. */
  delta: number;
  /** The largest end, relative to that address, it covers. */
  end: number;
}

/** What may run between two merged checks: nothing that traps differently or is observable. */
const transparent = new Set([
  'nop', 'drop', 'select', 'local.get', 'local.set', 'local.tee', 'global.get', 'memory.size',
  'i32.const', 'i64.const', 'f32.const', 'f64.const', 'ref.null', 'ref.is_null', 'ref.func',
]);
/** Numeric operators that can trap: every other numeric operator is transparent. */
const trapping = /\.(div|rem)_[su]$|\.trunc_f(32|64)_[su]$/;

/** Whether `instr` may lie between a check and the loads it covers. */
function stopsNothing(instr: Instr): boolean {
  if (transparent.has(instr.op) || loadSize(instr.op) !== undefined) return true;
  return /^[if](32|64)\./.test(instr.op) && !instr.op.includes('.store') && !trapping.test(instr.op);
}

/** Deltas beyond this are not tracked (an address plus it may wrap). */
const maxDelta = 1 << 24;

export class CheckMerger {
  private origins = new WeakMap<object, AddressOrigin>();
  private constants = new WeakMap<object, number>();
  private versions = new Map<number, number>();
  private pending = new Map<string, PendingCheck>();
  private pendingAdd: AddressOrigin | undefined;

  /** Before lowering `instr`, with the value stack as it is. */
  before(instr: Instr, stack: readonly L.Value[]): void {
    if (!stopsNothing(instr)) this.pending.clear();
    this.pendingAdd = undefined;
    if (instr.op === 'i32.add' && stack.length >= 2) {
      const [a, b] = [stack[stack.length - 2]!, stack[stack.length - 1]!];
      const left = this.origins.get(a), right = this.origins.get(b);
      const ca = this.constants.get(a), cb = this.constants.get(b);
      if (left && cb !== undefined) this.pendingAdd = { ...left, delta: left.delta + cb };
      else if (right && ca !== undefined) this.pendingAdd = { ...right, delta: right.delta + ca };
    }
    if (instr.op === 'local.set' || instr.op === 'local.tee') this.versions.set(instr.index!, (this.versions.get(instr.index!) ?? 0) + 1);
  }

  /** After lowering `instr`: tags the value it pushed. */
  after(instr: Instr, stack: readonly L.Value[]): void {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (instr.op === 'local.get') this.origins.set(top, { key: `${instr.index}:${this.versions.get(instr.index!) ?? 0}`, local: instr.index!, delta: 0 });
    else if (instr.op === 'i32.const') this.constants.set(top, instr.value as number);
    else if (instr.op === 'i32.add' && this.pendingAdd && this.pendingAdd.delta >= 0 && this.pendingAdd.delta < maxDelta) this.origins.set(top, this.pendingAdd);
  }

  /** For an access of `addr` ending `end` bytes past it: true when an earlier check covers it. */
  covered(addr: L.Value, end: number): boolean {
    const origin = this.origins.get(addr);
    if (!origin) return false;
    const p = this.pending.get(origin.key);
    return p !== undefined && origin.delta >= p.delta && origin.delta - p.delta + end <= p.end;
  }

  /**
   * How far past `addr` the check of the access at `body[at]` (ending `end` bytes past `addr`)
   * should reach: `end`, or further to cover the loads ahead that go through the same local
   * before anything that stops merging, up to `most` bytes. Remembers the check for those loads.
   */
  reach(addr: L.Value, end: number, body: readonly Instr[], at: number, most: number): number {
    const origin = this.origins.get(addr);
    if (!origin) return end;
    let reach = end;
    if (loadSize(body[at]?.op ?? '') !== undefined) {
      for (let i = at + 1; i < body.length; i++) {
        const instr = body[i]!;
        if (!stopsNothing(instr)) break;
        if ((instr.op === 'local.set' || instr.op === 'local.tee') && instr.index === origin.local) break;
        if (instr.op !== 'local.get' || instr.index !== origin.local) continue;
        let j = i + 1;
        let delta = 0;
        if (body[j]?.op === 'i32.const' && body[j + 1]?.op === 'i32.add') {
          delta = body[j]!.value as number;
          j += 2;
        }
        const access = body[j];
        const size = access ? loadSize(access.op) : undefined;
        if (size === undefined || delta < origin.delta || delta >= maxDelta) continue;
        const further = delta - origin.delta + access!.memarg!.offset + size;
        if (further <= most) reach = Math.max(reach, further);
      }
    }
    if (!this.pending.has(origin.key)) this.pending.set(origin.key, { delta: origin.delta, end: reach });
    return reach;
  }
}
