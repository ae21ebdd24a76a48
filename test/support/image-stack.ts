import { execFileSync } from 'node:child_process';

/** One function of a linked image: the bytes it moves SP down by, and what it branches to. */
interface ImageFunction {
  frame: number;
  calls: Set<string>;
  /** Code it branches or falls into without a call: a loop of such jumps nests no frames. */
  jumps: Set<string>;
  /** Whether SP is set from a register (no static frame). */
  dynamic: boolean;
}

const registerCount = (list: string) =>
  list
    .split(',')
    .map((r) => r.trim())
    .reduce((n, r) => {
      const range = /^[sd](\d+)-[sd](\d+)$/.exec(r);
      return n + (range ? Number(range[2]) - Number(range[1]) + 1 : 1);
    }, 0);

/**
 * Reads a linked image's code (objdump -d) into functions: every instruction that moves SP down
 * adds to the frame (pushes, VPUSH, SUB SP, pre-indexed stores), summed over the whole function,
 * which bounds its deepest point whatever path it takes; BL and B to another function are calls.
 * Independent of what llc records, so it can check bento's allowances for runtime helpers.
 */
export function readImageFunctions(elf: string): Map<string, ImageFunction> {
  const text = execFileSync('arm-none-eabi-objdump', ['-d', '--no-show-raw-insn', elf], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const functions = new Map<string, ImageFunction>();
  const byAddress = new Map<string, ImageFunction>();
  let current: ImageFunction | undefined;
  let currentName = '';
  // Code that does not end in a return or a branch runs on into the next function (__aeabi_dsub into __adddf3).
  let fallsThrough = false;
  // Branch targets by address: objdump names a target after the nearest symbol, which may be an
  // absolute one (__bento_stack_guard_size) rather than the function holding it.
  const starts: { address: number; name: string }[] = [];
  const branches: { from: ImageFunction; fromName: string; address: number; call: boolean }[] = [];
  for (const line of text.split('\n')) {
    const fn = /^([0-9a-f]+) <([^>]+)>:$/.exec(line);
    if (fn) {
      if (current && fallsThrough) current.jumps.add(fn[2]!);
      currentName = fn[2]!;
      current = { frame: 0, calls: new Set(), jumps: new Set(), dynamic: false };
      functions.set(currentName, current);
      byAddress.set(fn[1]!, current);
      starts.push({ address: parseInt(fn[1]!, 16), name: currentName });
      continue;
    }
    const insn = /^\s*[0-9a-f]+:\s+(\S+)\s*(.*)$/.exec(line);
    if (!insn || !current) continue;
    const [, mnemonic, operands] = insn as unknown as [string, string, string];
    // A BL last is a call that does not return (compiled C ends there).
    fallsThrough = !(/^(b|b\.w|b\.n|bx|bl)$/.test(mnemonic) || (/^(pop|ldmia)(\.w)?$/.test(mnemonic) && /\bpc\}/.test(operands)) || /^\.word|^udf/.test(mnemonic));
    const list = /\{([^}]*)\}/.exec(operands)?.[1];
    if (/^push(\.w)?$/.test(mnemonic) && list) current.frame += 4 * registerCount(list);
    else if (/^(stmdb|stmfd)(\.w)?$/.test(mnemonic) && operands.startsWith('sp!') && list) current.frame += 4 * registerCount(list);
    else if (/^(vpush|vstmdb)(\.\d+)?$/.test(mnemonic) && list) current.frame += (list.trim().startsWith('d') ? 8 : 4) * registerCount(list);
    else if (/^subw?(\.w)?$/.test(mnemonic) && /^sp, (sp, )?#(\d+)/.test(operands)) current.frame += Number(/#(\d+)/.exec(operands)![1]);
    else if (/^str\w*(\.w)?$/.test(mnemonic) && /\[sp, #-(\d+)\]!/.test(operands)) current.frame += Number(/\[sp, #-(\d+)\]!/.exec(operands)![1]);
    else if (/^(mov|sub|add)(\.w)?$/.test(mnemonic) && /^sp, (r\d+|ip|lr)$|^sp, sp, (r\d+|ip)/.test(operands)) current.dynamic = true;
    else if (/^(bl|b|b\.w|b\.n|b\w\w(\.w|\.n)?|cbn?z)$/.test(mnemonic)) {
      const target = /([0-9a-f]+) </.exec(operands)?.[1];
      if (target) branches.push({ from: current, fromName: currentName, address: parseInt(target, 16), call: mnemonic === 'bl' });
    }
  }
  starts.sort((a, b) => a.address - b.address);
  for (const b of branches) {
    const holder = starts.filter((s) => s.address <= b.address).at(-1)?.name;
    if (holder && holder !== b.fromName) (b.call ? b.from.calls : b.from.jumps).add(holder);
  }
  // objdump names one symbol per address: aliases (__aeabi_dadd for __adddf3) come from nm.
  const symbols = execFileSync('arm-none-eabi-nm', [elf], { encoding: 'utf8', maxBuffer: 1 << 26 });
  for (const line of symbols.split('\n')) {
    const m = /^([0-9a-f]{8}) [tTwW] (\S+)$/.exec(line);
    const f = m ? byAddress.get(m[1]!) : undefined;
    if (f && !functions.has(m![2]!)) functions.set(m![2]!, f);
  }
  return functions;
}

/**
 * The deepest stack `name` takes in the image, following calls and jumps; `stop` names functions
 * not followed (paths a box never takes). Recursion through calls throws; a jump back into code
 * already on the path adds nothing (hand-written helpers jump between their entry points).
 */
export function imageStackDepth(functions: Map<string, ImageFunction>, name: string, stop: ReadonlySet<string> = new Set(), active: string[] = []): number {
  const f = functions.get(name);
  if (!f) throw new Error(`the image has no function ${name}`);
  if (f.dynamic) throw new Error(`${name} sets SP from a register`);
  if (active.includes(name)) throw new Error(`recursion: ${[...active, name].join(' -> ')}`);
  let deepest = 0;
  for (const callee of f.calls) {
    if (!stop.has(callee)) deepest = Math.max(deepest, imageStackDepth(functions, callee, stop, [...active, name]));
  }
  for (const target of f.jumps) {
    if (stop.has(target) || active.includes(target)) continue;
    deepest = Math.max(deepest, imageStackDepth(functions, target, stop, [...active, name]));
  }
  return f.frame + deepest;
}

/**
 * A bound that holds even where imageStackDepth sees cycles (hand-written helpers that jump
 * between entry points look like recursion): the frames of every function reachable from
 * `name`, added up, since no chain without real recursion holds one twice.
 */
export function imageReachableFrames(functions: Map<string, ImageFunction>, name: string, stop: ReadonlySet<string> = new Set()): number {
  const seen = new Set<string>();
  const visit = (n: string): void => {
    if (seen.has(n) || stop.has(n)) return;
    const f = functions.get(n);
    if (!f) throw new Error(`the image has no function ${n}`);
    if (f.dynamic) throw new Error(`${n} sets SP from a register`);
    seen.add(n);
    for (const c of [...f.calls, ...f.jumps]) visit(c);
  };
  visit(name);
  return [...seen].reduce((total, n) => total + functions.get(n)!.frame, 0);
}
