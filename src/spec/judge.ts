// Outcomes -> a verdict per command, with what was expected and what came back.
import { trapKinds, trapMessages } from '../lower/traps.js';
import type { TrapKind } from '../lower/traps.js';
import type { ValType } from '../wasm/types.js';
import type { CommandInfo, Expectation, ScriptPlan, Status, Step } from './plan.js';
import { exitBase, timeoutKind } from './protocol.js';
import type { Outcome } from './protocol.js';
import { formatBits, formatExpected, matches } from './values.js';

export interface CommandResult {
  command: number;
  line: number;
  text: string;
  status: Status;
  detail?: string;
}

/** What the build and the runs found out, besides the plan's own verdicts. */
export interface Findings {
  /** Steps left out of the image, with the reason (their module did not compile...). */
  dropped: ReadonlyMap<number, string>;
  /** Steps that were run, by command: the last outcome reported. */
  outcomes: ReadonlyMap<number, Outcome>;
  /** Steps that crashed or hung the firmware, or were not run because of that. */
  notRun: ReadonlyMap<number, string>;
}

export function trapName(kind: number): string {
  if (kind === timeoutKind) return 'hung: the watchdog stopped it';
  if (kind >= exitBase) return `proc_exit(${kind - exitBase})`;
  const name = (Object.keys(trapKinds) as TrapKind[]).find((k) => trapKinds[k] === kind);
  return name ? trapMessages[name] : `unknown trap ${kind}`;
}

/**
 * Whether a trap of `kind` is the one the script names (the reference interpreter's wording).
 * Generated scripts may name alternatives, "a|b", where their reference engine does not tell
 * the kinds apart (V8 says "null function or function signature mismatch" for both).
 */
export function trapMatches(text: string, kind: number): boolean {
  if (text.includes('|')) return text.split('|').some((alternative) => trapMatches(alternative, kind));
  const ours = trapName(kind);
  if (text.startsWith(ours) || ours.startsWith(text)) return true;
  // The reference interpreter says "undefined element" for a call_indirect index past the table's end.
  return text.startsWith('undefined element') && kind === trapKinds.tableOutOfBounds;
}

function formatValues(types: readonly ValType[], bits: readonly bigint[]): string {
  return `(${bits.map((b, i) => (types[i] ? formatBits(types[i]!, b) : `0x${b.toString(16)}`)).join(', ')})`;
}

function resultTypes(step: Step): readonly ValType[] {
  if (step.kind === 'invoke') return step.type.results;
  if (step.kind === 'get') return [step.type.type];
  return [];
}

function judgeExpectation(step: Step, expect: Expectation, outcome: Outcome): [Status, string?] {
  const types = resultTypes(step);
  switch (expect.kind) {
    case 'action':
      if (outcome.kind === 'trap') return ['failed', `trapped: ${trapName(outcome.trap)}`];
      return ['passed'];
    case 'return': {
      const wanted = `(${expect.values.map(formatExpected).join(', ')})`;
      if (outcome.kind === 'ok') return ['passed'];
      if (outcome.kind === 'trap') return ['failed', `expected ${wanted}, got trap: ${trapName(outcome.trap)}`];
      const agrees = expect.patterns.every((p, i) => outcome.bits[i] !== undefined && matches(p, outcome.bits[i]!));
      const note = agrees ? ' (the host reads these as matching: a harness bug)' : '';
      return ['failed', `expected ${wanted}, got ${formatValues(types, outcome.bits)}${note}`];
    }
    case 'trap':
    case 'exhaustion': {
      const wanted = expect.kind === 'exhaustion' ? `stack exhaustion ("${expect.text}")` : `trap "${expect.text}"`;
      if (outcome.kind === 'trap') {
        const ok = expect.kind === 'exhaustion' ? outcome.trap === trapKinds.stackExhausted : trapMatches(expect.text, outcome.trap);
        return ok ? ['passed'] : ['failed', `expected ${wanted}, got trap: ${trapName(outcome.trap)}`];
      }
      const bits = outcome.kind === 'returned' ? outcome.bits : [];
      return ['failed', `expected ${wanted}, but it returned ${formatValues(types, bits)}`];
    }
  }
}

const shortSizes = 'an imported table or memory is smaller than the import asks for (current size)';

/** The result of every counted command of a script, in command order. */
export function judgeScript(plan: ScriptPlan, findings: Findings): CommandResult[] {
  const verdicts = new Map(plan.verdicts.map((v) => [v.command, v]));
  const steps = new Map(plan.steps.map((s) => [s.command, s]));
  /** Instances whose instantiation should have worked and did not: why. */
  const dead = new Map<number, string>();
  const result = (c: CommandInfo, status: Status, detail?: string): CommandResult => ({ command: c.index, line: c.line, text: c.text, status, detail });

  return plan.commands.map((c) => {
    const v = verdicts.get(c.index);
    if (v) return result(c, v.status, v.detail);
    const step = steps.get(c.index);
    if (!step) return result(c, 'failed', 'harness bug: neither decided on the host nor run');
    const outcome = findings.outcomes.get(c.index);
    const missing = findings.dropped.get(c.index) ?? findings.notRun.get(c.index) ?? (outcome ? undefined : 'no report from the firmware');
    if (step.kind === 'link-check') {
      if (missing !== undefined || !outcome) return result(c, 'failed', missing);
      if (outcome.kind === 'ok') return result(c, 'passed');
      return result(c, 'failed', outcome.kind === 'trap' ? `trapped: ${trapName(outcome.trap)}` : 'expected unlinkable, but the current sizes of its imports fit');
    }
    const line = plan.instances[step.instance]!.line;
    const expectsSuccess = step.kind !== 'instantiate' || step.expect === 'success';
    if (missing !== undefined || !outcome) {
      if (step.kind === 'instantiate' && expectsSuccess) dead.set(step.instance, `the module at line ${line} did not instantiate: ${missing}`);
      return result(c, 'failed', missing);
    }
    const unavailable = expectsSuccess ? dead.get(step.instance) : undefined;
    if (unavailable) return result(c, 'failed', unavailable);
    if (step.kind === 'instantiate') {
      if (step.expect === 'success') {
        if (outcome.kind === 'ok') return result(c, 'passed');
        const why = outcome.kind === 'trap' ? `instantiation trapped: ${trapName(outcome.trap)}` : `unlinkable: ${shortSizes}`;
        dead.set(step.instance, `the module at line ${line} did not instantiate (${why})`);
        return result(c, 'failed', why);
      }
      if (outcome.kind === 'trap') {
        return trapMatches(step.expect.trap, outcome.trap) ? result(c, 'passed') : result(c, 'failed', `expected trap "${step.expect.trap}", got trap: ${trapName(outcome.trap)}`);
      }
      return result(c, 'failed', `expected trap "${step.expect.trap}", but ${outcome.kind === 'ok' ? 'it instantiated' : `it did not link: ${shortSizes}`}`);
    }
    return result(c, ...judgeExpectation(step, step.expect, outcome));
  });
}
