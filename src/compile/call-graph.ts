import { runTool } from '../toolchain/exec.js';

/** One function of a compiled object, as its code and llc's .stack_sizes describe it. */
export interface FunctionNode {
  /** Bytes its own frame takes (pushes included); undefined when llc recorded none (a dynamic alloca). */
  frame: number | undefined;
  /** Functions it calls or tail-calls by name (relocated BL/B.W, or a BL within its own section). */
  calls: readonly string[];
  /** Whether it calls through a register (BLX/BX rN): a Wasm call_indirect, after inlining too. */
  indirect: boolean;
  /** The bento_sig_* symbols it takes the address of: the types its indirect calls compare against. */
  signatures: readonly string[];
}

/** A funcref record { signature, code }: what an indirect call of that signature may reach. */
export interface FuncrefTarget {
  signature: string;
  code: string;
}

/** The call graph of one compiled Wasm module, sorted by name. */
export interface CallGraph {
  functions: ReadonlyMap<string, FunctionNode>;
  /** Functions the object defines globally: where calls from outside (glue entries, init) come in. */
  globals: readonly string[];
  funcrefs: readonly FuncrefTarget[];
}

/** Relocations that make a call or a tail call. */
const callRelocations = new Set(['R_ARM_THM_CALL', 'R_ARM_THM_JUMP24', 'R_ARM_THM_JUMP19', 'R_ARM_CALL', 'R_ARM_JUMP24']);

/** A relocation against a section symbol of -function-sections names the function itself. */
const functionName = (symbol: string) => symbol.replace(/^\.text\./, '').replace(/\+0x[0-9a-f]+$/, '');

/**
 * Reads `objdump -dr` of an object: per function, what it calls directly, whether it calls
 * through a register, and which signature symbols it takes the address of.
 */
export function parseDisassembly(text: string): Map<string, Omit<FunctionNode, 'frame'>> {
  const out = new Map<string, { calls: Set<string>; indirect: boolean; signatures: Set<string> }>();
  let current: { calls: Set<string>; indirect: boolean; signatures: Set<string> } | undefined;
  // A BL without a relocation calls within its own section (self-recursion): its operand names the target.
  let pendingBranch: { offset: string; target: string } | undefined;
  const flushBranch = () => {
    if (pendingBranch && current) current.calls.add(functionName(pendingBranch.target));
    pendingBranch = undefined;
  };
  for (const line of text.split('\n')) {
    const fn = /^[0-9a-f]+ <([^>]+)>:$/.exec(line);
    if (fn) {
      flushBranch();
      current = { calls: new Set(), indirect: false, signatures: new Set() };
      out.set(fn[1]!, current);
      continue;
    }
    if (!current) continue;
    const reloc = /^\s*([0-9a-f]+): (R_ARM_\w+)\s+(\S+)$/.exec(line);
    if (reloc) {
      const [, offset, type, symbol] = reloc;
      if (callRelocations.has(type!)) {
        current.calls.add(functionName(symbol!));
        if (pendingBranch?.offset === offset) pendingBranch = undefined;
      } else if (symbol!.startsWith('bento_sig_')) {
        current.signatures.add(symbol!);
      }
      continue;
    }
    const insn = /^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$/.exec(line);
    if (!insn) continue;
    flushBranch();
    const [, offset, mnemonic, operands] = insn;
    if (/^bl?x(\.w)?$/.test(mnemonic!) && /^(r\d+|ip|sl|fp)$/.test(operands!.trim())) {
      current.indirect = true; // BX lr is a return; any other register is a call through a pointer
    } else if (/^bl(\.w)?$/.test(mnemonic!)) {
      const target = /<([^>+]+)(\+0x[0-9a-f]+)?>/.exec(operands!);
      if (target) pendingBranch = { offset: offset!, target: target[1]! };
    }
  }
  flushBranch();
  return new Map(
    [...out].sort(([a], [b]) => a.localeCompare(b)).map(([name, f]) => [name, { calls: [...f.calls].sort(), indirect: f.indirect, signatures: [...f.signatures].sort() }]),
  );
}

/** Reads `llvm-readelf --stack-sizes`: each function's frame in bytes. */
export function parseStackSizes(text: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\s+(\d+)\s+(\S+(?:, \S+)*)$/.exec(line);
    if (!m) continue;
    // Aliases of one function share its line, separated by commas.
    for (const name of m[2]!.split(', ')) sizes.set(name, Number(m[1]));
  }
  return sizes;
}

/** Reads `objdump -r`: the funcref records ({signature, code} at offsets 0 and 4) of the object. */
export function parseFuncrefs(text: string): FuncrefTarget[] {
  const records: FuncrefTarget[] = [];
  let fields: Map<number, string> | undefined;
  const close = () => {
    const signature = fields?.get(0);
    const code = fields?.get(4);
    if (signature?.startsWith('bento_sig_') && code) records.push({ signature, code: functionName(code) });
    fields = undefined;
  };
  for (const line of text.split('\n')) {
    const section = /^RELOCATION RECORDS FOR \[(\S+)\]:$/.exec(line);
    if (section) {
      close();
      if (/_funcref\d+$/.test(section[1]!)) fields = new Map();
      continue;
    }
    const reloc = /^([0-9a-f]+) R_ARM_ABS32\s+(\S+)$/.exec(line);
    if (reloc && fields) fields.set(parseInt(reloc[1]!, 16), reloc[2]!);
  }
  close();
  return records.sort((a, b) => a.code.localeCompare(b.code) || a.signature.localeCompare(b.signature));
}

/** Reads `nm --defined-only -g`: the functions an object defines globally. */
export function parseGlobalFunctions(text: string): string[] {
  return text
    .split('\n')
    .flatMap((l) => {
      const m = /^[0-9a-f]+ T (\S+)$/.exec(l);
      return m ? [m[1]!] : [];
    })
    .sort();
}

/** The call graph of an object compiled with llc -stack-size-section. */
export async function readCallGraph(object: string): Promise<CallGraph> {
  const doing = `reading the calls of ${object}`;
  const [code, relocations, sizes, symbols] = await Promise.all([
    runTool('objdump', ['-dr', '--no-show-raw-insn', object], { doing }),
    runTool('objdump', ['-r', object], { doing }),
    runTool('llvmReadelf', ['--stack-sizes', object], { doing: `reading the frame sizes of ${object}` }),
    runTool('nm', ['--defined-only', '-g', object], { doing }),
  ]);
  const frames = parseStackSizes(sizes.stdout);
  const functions = new Map<string, FunctionNode>();
  for (const [name, f] of parseDisassembly(code.stdout)) functions.set(name, { frame: frames.get(name), ...f });
  return { functions, globals: parseGlobalFunctions(symbols.stdout).filter((g) => functions.has(g)), funcrefs: parseFuncrefs(relocations.stdout) };
}
