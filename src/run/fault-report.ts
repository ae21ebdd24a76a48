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
