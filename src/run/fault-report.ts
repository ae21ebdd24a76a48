/** The code addresses a fault report printed (runtime-c/fault/fault.c), as bento explains them. */
export interface FaultAddress {
  register: 'PC' | 'LR';
  value: number;
}

const header = '*** bento: ';
const registers = /^\s*PC (0x[0-9a-fA-F]{8})\s+LR (0x[0-9a-fA-F]{8})/m;

/**
 * PC and LR of the last fault report in the UART text, if it has a stacked frame. An LR of the
 * EXC_RETURN form (0xFFFFFFxx) is a marker for the exception return, not an address, so it is
 * left out.
 */
export function faultAddresses(uartText: string): FaultAddress[] {
  const start = uartText.lastIndexOf(header);
  if (start < 0) return [];
  const found = registers.exec(uartText.slice(start));
  if (!found) return [];
  const pc = Number.parseInt(found[1]!, 16);
  const lr = Number.parseInt(found[2]!, 16);
  const addresses: FaultAddress[] = [{ register: 'PC', value: pc }];
  if (lr >>> 8 !== 0xffffff) addresses.push({ register: 'LR', value: lr });
  return addresses;
}

/**
 * Where to look an address up: the Thumb bit cleared, and for LR one byte back, inside the call
 * instruction, so the line shown is the call's (as debuggers show a caller's line).
 */
export function lookupAddress(address: FaultAddress): number {
  const even = address.value & ~1;
  return address.register === 'LR' && even > 0 ? even - 1 : even;
}

/** Where a box stopped, as runtime-c/box/run.c reports a fault or a used-up CPU budget: the box's PC. */
export interface BoxStop {
  box: string;
  pc: number;
}

const boxStopLine = /^\[bento\] box (\S+): (?:memory fault|fault|CPU budget used up) at pc (0x[0-9a-fA-F]{8})/gm;

/** The most box stops explained in one run (a box restarted many times stops at the same few places). */
export const maxBoxStops = 8;

/** The distinct places boxes stopped at, in order of first report, at most maxBoxStops. */
export function boxStops(uartText: string): BoxStop[] {
  const stops: BoxStop[] = [];
  for (const m of uartText.matchAll(boxStopLine)) {
    const stop = { box: m[1]!, pc: Number.parseInt(m[2]!, 16) };
    if (!stops.some((s) => s.box === stop.box && s.pc === stop.pc)) stops.push(stop);
    if (stops.length === maxBoxStops) break;
  }
  return stops;
}
