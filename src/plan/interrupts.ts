// Host interrupt handlers (`host.interrupts.<name>`) checked against the board: a line the NVIC
// has, given by its number or by a name the board's `[interrupts]` table gives it, claimed by one
// handler only, a handler that is a C identifier, a priority the NVIC can hold below bento's own.
// Pure; run before anything is compiled. Every problem is collected and located.
import type { Board } from '../config/board.js';
import type { RecipeBox, RecipeBoxInterrupt, RecipeInterrupt } from '../config/recipe.js';
import { formatSignature, isFallible } from '../config/signature.js';
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/error.js';
import { formatLocation } from '../diagnostics/print.js';
import { closest } from '../diagnostics/suggest.js';

/**
 * bento's vector table on a board (runtime-c/startup/startup.c): the 16 system exceptions, then
 * a vector for each of the NVIC's lines (`cpu.irqs`), every one to the dispatcher.
 */
export interface VectorTable {
  /** External lines: BENTO_IRQ_VECTORS. */
  lines: number;
  bytes: number;
  /**
   * VTOR's requirement (ARMv7-M B1.5.3, ARMv8-M likewise): the table aligned to its size
   * rounded up to a power of two, and to 128 bytes at least (VTOR's low 7 bits are not
   * implemented). BENTO_VECTOR_TABLE_ALIGN.
   */
  align: number;
}

/** The vector table for a board's NVIC (the C side gets it as -D flags, boardCFlags). */
export function vectorTable(board: Board): VectorTable {
  const bytes = 4 * (16 + board.cpu.irqs);
  return { lines: board.cpu.irqs, bytes, align: Math.max(128, 2 ** Math.ceil(Math.log2(bytes))) };
}

/** One declared line as the runtime gets it. */
export interface PlannedInterrupt {
  name: string;
  irq: number;
  /** The board's names for the line (`[interrupts]`), the one the recipe used first; may be empty. */
  lineNames: readonly string[];
  /** A host function; for a box's line, the box's export its bottom half calls. */
  handler: string;
  /** The box that owns the line: the runtime's top half masks it and defers the handler. */
  box?: string;
  /** The box's handler returns an error code (fn() -> err); else it is fn(). */
  fallible?: boolean;
  /** Logical priority, 1 .. 2^bits - 1. */
  priority: number;
  /** The byte written to the NVIC's priority register: priority << (8 - bits). */
  nvicPriority: number;
}

export interface InterruptPlan {
  /** Lines of the board's NVIC, all of which the table covers (cpu.irqs). */
  lines: number;
  /** Priority bits of the board's NVIC. */
  priorityBits: number;
  /** Sorted by irq. */
  interrupts: readonly PlannedInterrupt[];
}

const cIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names go into the generated table's comments: a bare TOML key. */
const lineName = /^[A-Za-z0-9_-]+$/;

/**
 * Checks the recipe's host interrupts and the lines its boxes own against the board, and gives
 * each its NVIC priority byte (a box's line: the lowest; its top half only masks and notes it).
 */
export function planInterrupts(interrupts: readonly RecipeInterrupt[], board: Board, boxes: readonly RecipeBox[] = []): InterruptPlan {
  const bits = board.cpu.priorityBits;
  const lowest = 2 ** bits - 1;
  const lines = vectorTable(board).lines;
  const problems: Diagnostic[] = [];
  /** Every entry whose line is one of the board's, problems elsewhere or not: each line has one owner. */
  const claims: Claim[] = [];
  const planned: PlannedInterrupt[] = [];
  for (const i of interrupts) {
    const at = `host.interrupts.${i.name}`;
    let ok = true;
    if (!lineName.test(i.name)) {
      ok = false;
      problems.push({ code: 'B1004', message: `'${at}': a line's name is letters, digits, '_' and '-'`, location: i.location.table });
    }
    const line = resolveLine(i, board, lines);
    if ('problem' in line) {
      ok = false;
      problems.push(line.problem);
    } else {
      claims.push({ what: `'host.interrupts.${i.name}'`, location: i.location.irq, irq: line.irq });
    }
    if (!cIdentifier.test(i.handler)) {
      ok = false;
      problems.push({ code: 'B1004', message: `'${at}.handler' is '${i.handler}', which is not a C identifier: it names a host function void ${i.handler}(void)`, location: i.location.handler });
    }
    const priority = i.priority ?? lowest;
    if (priority === 0) {
      ok = false;
      problems.push({
        code: 'B1004',
        message: `'${at}.priority' is 0, the priority bento keeps for the box boundary (SVC, MemManage, BusFault, UsageFault, and SysTick while a box's budget counts)`,
        location: i.location.priority ?? i.location.table,
        hint: `use 1 (the highest a host handler may have) .. ${lowest}: a handler must never preempt the boundary`,
      });
    } else if (priority < 0 || priority > lowest) {
      ok = false;
      problems.push({
        code: 'B1004',
        message: `'${at}.priority' is ${priority}, expected 1..${lowest}: ${board.name}'s NVIC implements ${bits} priority bits`,
        location: i.location.priority ?? i.location.table,
      });
    }
    if (ok && 'irq' in line) {
      planned.push({ name: i.name, irq: line.irq, lineNames: namesOf(board, line.irq, i.irq), handler: i.handler, priority, nvicPriority: priority << (8 - bits) });
    }
  }
  for (const box of boxes) {
    for (const entry of box.interrupts) {
      const owned = planBoxLine(entry, box, board, lines, problems);
      if (owned === undefined) continue;
      claims.push({ what: `box ${box.name}`, location: entry.location.line, irq: owned.irq });
      planned.push({ ...owned, nvicPriority: owned.priority << (8 - bits) });
    }
  }
  problems.push(...doubleClaims(claims, board));
  if (problems.length > 0) throw new BentoError(problems.sort((a, b) => compareLocations(a.location, b.location)));
  return { lines, priorityBits: bits, interrupts: planned.sort((a, b) => a.irq - b.irq) };
}

/** A host handler's or a box's claim on a line, with where it is written. */
interface Claim {
  what: string;
  location: SourceLocation;
  irq: number;
}

/**
 * One owner per line, whether entries name it by number or by name, host handler or box: the
 * first written keeps it, and each later one is refused with both places.
 */
function doubleClaims(claims: readonly Claim[], board: Board): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const owners = new Map<number, Claim>();
  for (const claim of [...claims].sort((a, b) => compareLocations(a.location, b.location))) {
    const owner = owners.get(claim.irq);
    if (!owner) {
      owners.set(claim.irq, claim);
      continue;
    }
    const names = namesOf(board, claim.irq, undefined);
    const boxes = claim.what.startsWith('box') || owner.what.startsWith('box');
    problems.push({
      code: 'B1004',
      message: `${claim.what} and ${owner.what} both claim line ${claim.irq}${names.length > 0 ? ` (${names.join(', ')})` : ''}: a line has one ${boxes ? 'owner' : 'handler'}`,
      location: claim.location,
      hint: boxes ? `give the line to one of them; the other is at ${formatLocation(owner.location)}` : `call both functions from one handler if both must run; the other is at ${formatLocation(owner.location)}`,
    });
  }
  return problems;
}

/** A box's line: a name the board gives one, and an export of the box of type fn() or fn() -> err. */
function planBoxLine(entry: RecipeBoxInterrupt, box: RecipeBox, board: Board, lines: number, problems: Diagnostic[]): Omit<PlannedInterrupt, 'nvicPriority'> | undefined {
  const at = `box.${box.name}.interrupts`;
  const irq = typeof entry.line === 'number' ? entry.line : board.interrupts.find((l) => l.name === entry.line)?.line;
  if (irq === undefined) {
    problems.push({ code: 'B1004', message: `'${at}' names '${entry.line}', which is not an interrupt line of ${board.name}`, location: entry.location.line, hint: unknownLineHint(String(entry.line), board, String(entry.line)) });
    return undefined;
  }
  if (irq >= lines) {
    problems.push({ code: 'B1004', message: `'${at}' gives line ${irq}${typeof entry.line === 'string' ? ` ('${entry.line}')` : ''}, but ${board.name} has interrupt lines 0..${lines - 1}`, location: entry.location.line, hint: `${board.name}'s lines are its 'cpu.irqs' (${board.file})` });
    return undefined;
  }
  const lineText = typeof entry.line === 'string' ? entry.line : `line ${irq}`;
  const exported = box.exports.get(entry.handler);
  if (!exported) {
    const guess = closest(entry.handler, [...box.exports.keys()]);
    problems.push({
      code: 'B1004',
      message: `box ${box.name} owns ${lineText}, but exports no '${entry.handler}' to handle it`,
      location: entry.location.handler,
      hint: guess ? `did you mean '${guess}'?` : `add exports.${entry.handler} = "fn()" to box ${box.name} (its C function void ${entry.handler}(void)), or name the handler: interrupts.${entry.line} = "<export>"`,
    });
    return undefined;
  }
  const sig = exported.signature;
  if (sig.params.length > 0 || (sig.result !== 'void' && !isFallible(sig))) {
    problems.push({
      code: 'B1004',
      message: `box ${box.name}: '${entry.handler}' handles ${lineText}, so it takes nothing and returns nothing or an err, but it is ${formatSignature(sig)}`,
      location: exported.location,
      hint: 'write it as "fn()" or "fn() -> err"',
    });
    return undefined;
  }
  const priority = 2 ** board.cpu.priorityBits - 1;
  return { name: String(entry.line), irq, lineNames: namesOf(board, irq, entry.line), handler: entry.handler, box: box.name, fallible: isFallible(sig), priority };
}

/** The line an entry's `irq` names: a number the NVIC has, or a name from the board's `[interrupts]`. */
function resolveLine(i: RecipeInterrupt, board: Board, lines: number): { irq: number } | { problem: Diagnostic } {
  const at = `host.interrupts.${i.name}.irq`;
  let irq: number;
  if (typeof i.irq === 'number') {
    irq = i.irq;
  } else {
    const hit = board.interrupts.find((l) => l.name === i.irq);
    if (!hit) return { problem: { code: 'B1004', message: `'${at}' is '${i.irq}', which is not an interrupt line of ${board.name}`, location: i.location.irq, hint: unknownLineHint(i.irq, board, `irq = ${i.irq}`) } };
    irq = hit.line;
  }
  if (irq < lines) return { irq };
  return {
    problem: {
      code: 'B1004',
      message: `'${at}' is ${typeof i.irq === 'number' ? i.irq : `'${i.irq}' (line ${irq})`}, but ${board.name} has interrupt lines 0..${lines - 1}`,
      location: i.location.irq,
      hint: `${board.name}'s lines are its 'cpu.irqs' (${board.file})`,
    },
  };
}

/** What to write instead of a name the board does not give a line. */
function unknownLineHint(written: string, board: Board, unquoted: string): string {
  const known = board.interrupts.map((l) => l.name);
  if (/^\d+$/.test(written)) return `a line's number is written without quotes: ${unquoted}`;
  if (known.length === 0) return `${board.name} names no lines (its board file has no [interrupts] table): give the line's number`;
  const guess = closest(written, known);
  if (guess) return `did you mean '${guess}'?`;
  return `${board.name} names its lines in the [interrupts] table of ${board.file}; or give the line's number`;
}

/** The board's names for a line, the one the recipe wrote (if it wrote a name) first. */
function namesOf(board: Board, irq: number, written: number | string | undefined): string[] {
  const names = board.interrupts.filter((l) => l.line === irq).map((l) => l.name);
  return typeof written === 'string' ? [written, ...names.filter((n) => n !== written)] : names;
}

/** File order: by file, then line, then column (a place without a line sorts first). */
function compareLocations(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  if (a === undefined || b === undefined) return (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
