// How each box is entered: straight (a function call in privileged Thread mode on the box's own
// stack, no SVC, no MPU switch) or through the SVC boundary. Pure; the build compiles a straight
// box's recursive code with the software stack check, and the glue reads the choice as data.
import type { RecipeBox } from '../config/recipe.js';
import type { WasmModule } from '../wasm/types.js';

export type BoxEntry = 'direct' | 'svc';

/** What the build found of a Wasm box's native stack. */
export interface StackFacts {
  /** Its compiled code's stack has a static bound (measured), so it cannot run past its stack. */
  bounded: boolean;
  /** Its compiled code checks the stack pointer on every function entry (needsStackCheck). */
  checked: boolean;
}

/**
 * A Wasm box with `software` bounds is entered straight: every access of its code is checked by
 * code bento generated from a validated module, indirect calls are checked, and the code reads no
 * register but its arguments, so neither the MPU nor zeroed registers add to what it can reach.
 * Its stack must be safe without the MPU's edge too: measured, or checked in every function.
 * Every other box (native C; Wasm with `mask`, `mpu` or `none` bounds, whose accesses only the MPU
 * bounds; a straight candidate whose stack is neither measured nor checked) keeps the SVC
 * boundary: unprivileged, under the MPU. Without `stack`, the choice before anything is built.
 */
export function boxEntry(box: Pick<RecipeBox, 'runtime' | 'bounds'>, stack?: StackFacts): BoxEntry {
  if (box.runtime !== 'wasm' || box.bounds !== 'software') return 'svc';
  return !stack || stack.bounded || stack.checked ? 'direct' : 'svc';
}

/**
 * Whether a module's functions can call themselves again, directly or through `call_indirect`
 * (which may reach every function whose reference the module takes: elements, ref.func): then
 * its stack has no static bound, and a box entered straight checks its stack pointer on entry to
 * every function. Pure.
 */
export function needsStackCheck(wasm: WasmModule): boolean {
  const imported = wasm.imports.filter((i) => i.desc.kind === 'func').length;
  const taken = new Set<number>();
  const refs = (expr: readonly { op: string; index?: number }[]) => {
    for (const i of expr) if (i.op === 'ref.func' && i.index !== undefined && i.index >= imported) taken.add(i.index - imported);
  };
  for (const e of wasm.elems) for (const item of e.items) refs(item);
  for (const g of wasm.globals) refs(g.init);
  for (const c of wasm.codes) refs(c.body);
  const calls = wasm.codes.map((c) => {
    const out = new Set<number>();
    for (const i of c.body) {
      if (i.op === 'call' && i.index !== undefined && i.index >= imported) out.add(i.index - imported);
      if (i.op === 'call_indirect' || i.op === 'return_call_indirect') for (const t of taken) out.add(t);
      if (i.op === 'return_call' && i.index !== undefined && i.index >= imported) out.add(i.index - imported);
    }
    return out;
  });
  // Depth-first search for a cycle: 0 unvisited, 1 on the path, 2 done.
  const state = new Uint8Array(calls.length);
  const visit = (root: number): boolean => {
    const stack: { f: number; next: Iterator<number> }[] = [{ f: root, next: calls[root]!.values() }];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const n = top.next.next();
      if (n.done) {
        state[top.f] = 2;
        stack.pop();
        continue;
      }
      if (state[n.value] === 1) return true;
      if (state[n.value] === 0) {
        state[n.value] = 1;
        stack.push({ f: n.value, next: calls[n.value]!.values() });
      }
    }
    return false;
  };
  for (let f = 0; f < calls.length; f++) if (state[f] === 0 && visit(f)) return true;
  return false;
}
