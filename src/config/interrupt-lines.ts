// A board's interrupt lines by name (`[interrupts]`): the part's vector table as its CMSIS device
// header names it (TIMER0_IRQn = 8 is `TIMER0 = 8`), so that a recipe can say which line a host
// handler serves by the name the part's manual uses, and a reader of the generated table sees it.
import type { Diagnostic, SourceLocation } from '../diagnostics/error.js';
import type { Field } from './schema.js';

/** One named line of the NVIC. A line may have more than one name (a vector peripherals share). */
export interface InterruptLine {
  name: string;
  line: number;
}

export const interruptLinesSchema: Field = {
  kind: 'map',
  doc: "the NVIC's external interrupt lines by name, as the part's vector table names them (its CMSIS device header's names without _IRQn): NAME = line; a recipe's host.interrupts.<name>.irq may be one of these names",
  of: { kind: 'int', doc: 'the line: the IRQ number in the vector table (its exception number - 16), 0 .. cpu.irqs - 1', min: 0 },
};

/** Names go into C comments and messages, and are what a part's header calls its vectors. */
const cIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a board's `[interrupts]` table against its NVIC (`cpu.irqs` lines) and returns the lines
 * sorted by line, then name. Names must be C identifiers, distinct even when case is ignored (a
 * recipe's misspelling would otherwise have two suggestions), and name a line the NVIC has.
 */
export function checkInterruptLines(
  table: Readonly<Record<string, number>>,
  irqs: number,
  at: { key(path: string): SourceLocation; value(path: string): SourceLocation },
): { lines: InterruptLine[]; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const lines: InterruptLine[] = [];
  const byFoldedName = new Map<string, string>();
  for (const [name, line] of Object.entries(table)) {
    const key = `interrupts.${name}`;
    let ok = true;
    if (!cIdentifier.test(name)) {
      ok = false;
      problems.push({
        code: 'B1004',
        message: `'${key}': a line's name is a C identifier`,
        location: at.key(key),
        hint: "use the name the part's vector table gives the line (its CMSIS header's IRQn name without _IRQn, e.g. TIMER0)",
      });
    }
    if (line >= irqs) {
      ok = false;
      problems.push({
        code: 'B1004',
        message: `'${key}' is ${line}, but the NVIC has lines 0..${irqs - 1} ('cpu.irqs' is ${irqs})`,
        location: at.value(key),
        hint: "a line is the IRQ number in the part's vector table: its exception number - 16",
      });
    }
    const folded = name.toLowerCase();
    const twin = byFoldedName.get(folded);
    if (twin !== undefined) {
      ok = false;
      problems.push({ code: 'B1004', message: `'${key}' and 'interrupts.${twin}' differ only in case`, location: at.key(key), hint: 'keep one of them: names are matched exactly, and a misspelling of either would suggest both' });
    } else {
      byFoldedName.set(folded, name);
    }
    if (ok) lines.push({ name, line });
  }
  lines.sort((a, b) => a.line - b.line || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { lines, problems };
}
