// The firmware's report lines (runtime-c/spec/driver.c) -> an outcome per command.

export type Outcome =
  /** Instantiated, or returned results that matched (a bare action: returned). */
  | { kind: 'ok' }
  /** Returned when it should not have, or with results that did not match: their bits. */
  | { kind: 'returned'; bits: readonly bigint[] }
  /** Trapped: a kind of bento/wasm.h, exitBase + code for proc_exit, or timeoutKind. */
  | { kind: 'trap'; trap: number };

/** Report kinds past the Wasm trap kinds (runtime-c/spec/spec.h): proc_exit, and the watchdog. */
export const exitBase = 0x100;
export const timeoutKind = 0x200;

export interface RunReport {
  /** The `S` line came: the firmware reached its driver. */
  started: boolean;
  /** The `E` line came: every step ran. */
  ended: boolean;
  outcomes: ReadonlyMap<number, Outcome>;
  /** Lines that are not part of the protocol (a fault report, say). */
  other: readonly string[];
}

export function parseReport(output: string): RunReport {
  const outcomes = new Map<number, Outcome>();
  const other: string[] = [];
  let started = false;
  let ended = false;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '') continue;
    const words = line.split(' ');
    const [tag, n, what, ...rest] = words;
    if (tag === 'S' && words.length === 2) started = true;
    else if (tag === 'E' && words.length === 2) ended = true;
    else if (tag === 'R' && n !== undefined && /^\d+$/.test(n) && what === 'ok' && rest.length === 0) outcomes.set(Number(n), { kind: 'ok' });
    else if (tag === 'R' && n !== undefined && /^\d+$/.test(n) && what === 'fail' && rest.every((w) => /^[0-9a-f]+$/.test(w))) {
      outcomes.set(Number(n), { kind: 'returned', bits: rest.map((w) => BigInt(`0x${w}`)) });
    } else if (tag === 'R' && n !== undefined && /^\d+$/.test(n) && what === 'trap' && rest.length === 1 && /^\d+$/.test(rest[0]!)) {
      outcomes.set(Number(n), { kind: 'trap', trap: Number(rest[0]) });
    } else other.push(line);
  }
  return { started, ended, outcomes, other };
}
