// Host interrupt handlers (`host.interrupts.<name>`) checked against the board: a line the NVIC
// has, named once, a handler that is a C identifier, a priority the NVIC can hold below bento's
// own. Pure; run before anything is compiled. Every problem is collected and located.
import type { Board } from '../config/board.js';
import type { RecipeInterrupt } from '../config/recipe.js';
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { formatLocation } from '../diagnostics/print.js';

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
  handler: string;
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

/** Checks the recipe's host interrupts against the board and gives each its NVIC priority byte. */
export function planInterrupts(interrupts: readonly RecipeInterrupt[], board: Board): InterruptPlan {
  const bits = board.cpu.priorityBits;
  const lowest = 2 ** bits - 1;
  const lines = vectorTable(board).lines;
  const problems: Diagnostic[] = [];
  const byIrq = new Map<number, RecipeInterrupt>();
  const planned: PlannedInterrupt[] = [];
  for (const i of interrupts) {
    const at = `host.interrupts.${i.name}`;
    let ok = true;
    if (!lineName.test(i.name)) {
      ok = false;
      problems.push({ code: 'B1004', message: `'${at}': a line's name is letters, digits, '_' and '-'`, location: i.location.table });
    }
    if (i.irq >= lines) {
      ok = false;
      problems.push({
        code: 'B1004',
        message: `'${at}.irq' is ${i.irq}, but ${board.name} has interrupt lines 0..${lines - 1}`,
        location: i.location.irq,
        hint: `${board.name}'s lines are its 'cpu.irqs' (${board.file})`,
      });
    }
    const twin = byIrq.get(i.irq);
    if (twin) {
      ok = false;
      problems.push({
        code: 'B1004',
        message: `'${at}.irq' is ${i.irq}, which 'host.interrupts.${twin.name}' already names: a line has one handler`,
        location: i.location.irq,
        hint: `the other is at ${formatLocation(twin.location.irq)}`,
      });
    } else {
      byIrq.set(i.irq, i);
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
    if (ok) planned.push({ name: i.name, irq: i.irq, handler: i.handler, priority, nvicPriority: priority << (8 - bits) });
  }
  if (problems.length > 0) throw new BentoError(problems);
  return { lines, priorityBits: bits, interrupts: planned.sort((a, b) => a.irq - b.irq) };
}

