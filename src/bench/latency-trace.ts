/**
 * Reads QEMU 7.2's instruction trace of a latency firmware (bench/latency) as it is written and
 * counts, for every raise of the measured interrupt line, the instructions executed from the
 * raise to the first instruction of the handler.
 *
 * The trace comes from `-singlestep -d exec,nochain,trace:nvic_set_pending`: one translation
 * block per instruction, one `Trace` line before each block runs, and a line when the NVIC marks
 * a line pending. Two kinds of line withdraw the `Trace` line just before them, whose block did
 * not run: "Stopped execution of TB chain before" (the block exited at its start: icount ran out
 * for a timer's deadline, or an interrupt was requested) and "cpu_io_recompile: rewound
 * execution" (a device access in the middle of a block under icount, run again). So a line is
 * counted only once the next line shows it was not withdrawn.
 *
 * "Raised" is the instruction boundary at which QEMU's timer model raises the line and the NVIC
 * marks it pending (`nvic_set_pending irq <16 + line>`): under -icount that is the virtual
 * nanosecond the timer expires, and the instructions counted are those after it.
 */

/** Addresses the firmware's symbols have (from the ELF), and the line it measures. */
export interface LatencyTraceSymbols {
  /** The measured handler's first instruction (latency_isr), Thumb bit cleared. */
  handler: number;
  /** latency_window_open / latency_window_close: the case's action runs between them. */
  windowOpen: number;
  windowClose: number;
  /** latency_case_<name>, each called once as its case begins. */
  cases: ReadonlyMap<number, string>;
  /** The NVIC's external line the timer raises. */
  irqLine: number;
  /** Functions whose entries the reader places in the window (the SVC, fault and SysTick handlers). */
  watched?: ReadonlyMap<number, string>;
}

/** Least and greatest offset (instructions since the window opened) something was seen at. */
export interface OffsetRange {
  min: number;
  max: number;
}

/** What the trace showed for one case. */
export interface CaseTrace {
  name: string;
  /** Instructions from each raise inside the action's window to the handler, in order. */
  latencies: number[];
  /** The worst of them, and the last instruction that ran before its raise. */
  worst?: { latency: number; pc: number };
  /** Where in the window raises came, and where each watched function was entered. */
  raisedAt?: OffsetRange;
  entered: Record<string, OffsetRange>;
  /** Raises the action outlasted (they landed after the window, in the host's wait loop). */
  outsideWindow: number;
  raised: number;
  /** Handler entries that followed a raise. */
  handled: number;
}

export interface LatencyTrace {
  cases: CaseTrace[];
  /** Instructions the trace holds in all. */
  instructions: number;
  /** Handler entries with no raise before them, and raises while one was pending: both 0 in a sound run. */
  unexpectedEntries: number;
  overlappingRaises: number;
}

const tracePc = /^Trace \d+: \S+ \[[0-9a-f]+\/([0-9a-f]+)\//;
const pendingIrq = /^nvic_set_pending NVIC set pending irq (\d+) /;

/** Counts a trace fed in chunks of text; `finish()` gives the result. */
export class LatencyTraceReader {
  private rest = '';
  /** The last Trace line's pc, not counted until the next line shows it ran. */
  private held: number | undefined;
  private executed = 0;
  private lastPc = 0;
  private current: CaseTrace | undefined;
  private readonly cases: CaseTrace[] = [];
  private inWindow = false;
  private openedAt = 0;
  /** Executed count at the pending raise, and whether it came inside the window. */
  private raise: { at: number; pc: number; inWindow: boolean; inCase: CaseTrace } | undefined;
  private unexpectedEntries = 0;
  private overlappingRaises = 0;
  private readonly exceptionNumber: string;

  constructor(private readonly symbols: LatencyTraceSymbols) {
    this.exceptionNumber = String(16 + symbols.irqLine);
  }

  feed(text: string): void {
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  finish(): LatencyTrace {
    if (this.rest) this.line(this.rest);
    this.rest = '';
    this.commit();
    return { cases: this.cases, instructions: this.executed, unexpectedEntries: this.unexpectedEntries, overlappingRaises: this.overlappingRaises };
  }

  private line(line: string): void {
    const pc = tracePc.exec(line);
    if (pc) {
      this.commit();
      this.held = parseInt(pc[1]!, 16);
      return;
    }
    if (line.startsWith('Stopped execution of TB chain') || line.startsWith('cpu_io_recompile: rewound')) {
      this.held = undefined; // that block did not run
      return;
    }
    const irq = pendingIrq.exec(line);
    if (irq && irq[1] === this.exceptionNumber) {
      this.commit();
      if (this.raise) this.overlappingRaises++;
      else if (this.current) {
        this.current.raised++;
        this.raise = { at: this.executed, pc: this.lastPc, inWindow: this.inWindow, inCase: this.current };
        if (this.inWindow) this.current.raisedAt = widen(this.current.raisedAt, this.executed - this.openedAt);
      }
    }
  }

  /** The held instruction ran: count it, and see what it was. */
  private commit(): void {
    const pc = this.held;
    if (pc === undefined) return;
    this.held = undefined;
    const s = this.symbols;
    if (pc === s.handler) {
      const r = this.raise;
      if (!r) this.unexpectedEntries++;
      else {
        r.inCase.handled++;
        const latency = this.executed - r.at;
        if (r.inWindow) {
          r.inCase.latencies.push(latency);
          if (!r.inCase.worst || latency > r.inCase.worst.latency) r.inCase.worst = { latency, pc: r.pc };
        }
        else r.inCase.outsideWindow++;
        this.raise = undefined;
      }
    } else if (pc === s.windowOpen) {
      this.inWindow = true;
      this.openedAt = this.executed;
    } else if (pc === s.windowClose) this.inWindow = false;
    else {
      const name = s.cases.get(pc);
      if (name !== undefined) {
        this.current = { name, latencies: [], outsideWindow: 0, raised: 0, handled: 0, entered: {} };
        this.cases.push(this.current);
      }
      const watched = s.watched?.get(pc);
      if (watched !== undefined && this.inWindow && this.current) this.current.entered[watched] = widen(this.current.entered[watched], this.executed - this.openedAt);
    }
    this.executed++;
    this.lastPc = pc;
  }
}

function widen(range: OffsetRange | undefined, offset: number): OffsetRange {
  return range ? { min: Math.min(range.min, offset), max: Math.max(range.max, offset) } : { min: offset, max: offset };
}
