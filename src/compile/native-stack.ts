import type { CallGraph } from './call-graph.js';

export interface NativeStackInput {
  graph: CallGraph;
  /** The most stack a function outside the object may take (itself and what it calls); undefined when not known. */
  external: (symbol: string) => number | undefined;
  /** Bytes on top of the deepest chain of calls: the entry glue's frame and an exception frame. */
  boundary: number;
}

/** The native stack a compiled module needs, or why it has no static bound. */
export type NativeStack =
  | { bounded: true; bytes: number; /** The deepest chain, outermost first. */ deepest: readonly string[] }
  | { bounded: false; reason: string };

type Depth = { bytes: number; chain: string[] } | { unbounded: string };

/**
 * The worst-case native stack of a module's code: the deepest chain of frames from any function
 * it defines globally (what the glue and the box's init call), plus `boundary`, rounded up to
 * the 8 bytes AAPCS keeps the stack aligned to. Direct calls are known; an indirect call may
 * reach the code of every funcref record whose signature the calling function compares against
 * (all of them, if it compares against none). A cycle (recursion, through call_indirect too), a
 * frame of dynamic size or an external function of unknown stack has no static bound. Pure.
 */
export function measureNativeStack(input: NativeStackInput): NativeStack {
  const { graph } = input;
  const memo = new Map<string, Depth>();
  const active: string[] = [];

  const targets = (name: string): string[] => {
    const f = graph.functions.get(name)!;
    if (!f.indirect) return [...f.calls];
    const reachable = graph.funcrefs.filter((r) => f.signatures.length === 0 || f.signatures.includes(r.signature)).map((r) => r.code);
    return [...new Set([...f.calls, ...reachable])];
  };

  const depth = (name: string): Depth => {
    const known = memo.get(name);
    if (known) return known;
    const f = graph.functions.get(name);
    if (!f) {
      const bytes = input.external(name);
      return bytes === undefined ? { unbounded: `it calls ${name}, whose stack use bento does not know` } : { bytes, chain: [name] };
    }
    const cycleStart = active.indexOf(name);
    if (cycleStart >= 0) return { unbounded: `recursion: ${[...active.slice(cycleStart), name].join(' -> ')}` };
    if (f.frame === undefined) return { unbounded: `${name} allocates a frame of dynamic size` };
    active.push(name);
    let deepest: Depth = { bytes: 0, chain: [] };
    for (const callee of targets(name)) {
      const d = depth(callee);
      if ('unbounded' in d) {
        deepest = d;
        break;
      }
      if (d.bytes > (deepest as { bytes: number }).bytes) deepest = d;
    }
    active.pop();
    const result: Depth = 'unbounded' in deepest ? deepest : { bytes: f.frame + deepest.bytes, chain: [name, ...deepest.chain] };
    // A result found inside a cycle depends on where the walk entered it: keep only the others.
    if (!('unbounded' in result) || !result.unbounded.startsWith('recursion')) memo.set(name, result);
    return result;
  };

  let worst: { bytes: number; chain: string[] } = { bytes: 0, chain: [] };
  for (const root of graph.globals) {
    const d = depth(root);
    if ('unbounded' in d) return { bounded: false, reason: d.unbounded };
    if (d.bytes > worst.bytes) worst = d;
  }
  return { bounded: true, bytes: align8(worst.bytes + input.boundary), deepest: worst.chain };
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;
