import { BentoError } from '../diagnostics/error.js';
import { boxStops, faultAddresses, lookupAddress } from './fault-report.js';
import type { BoxStop } from './fault-report.js';
import { describeLocation, symbolize } from './symbolize.js';

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * Lines naming the function and source line of the PC and LR of the fault report in `uartText`,
 * and of the PC where each box stopped on a fault or a used-up budget (none without either).
 * The run's outcome does not hang on them: when the ELF cannot be read, one line says why instead.
 */
export async function explainFault(elf: string, uartText: string): Promise<string[]> {
  const addresses = faultAddresses(uartText);
  const stops = boxStops(uartText);
  if (addresses.length === 0 && stops.length === 0) return [];
  const stopAddress = (s: BoxStop) => s.pc & ~1;
  try {
    const found = await symbolize(elf, [...addresses.map(lookupAddress), ...stops.map(stopAddress)]);
    return [
      ...addresses.map((a) => `${a.register} ${hex(a.value)} ${describeLocation(found.get(lookupAddress(a)))}`),
      ...stops.map((s) => `box ${s.box} stopped at PC ${hex(s.pc)} ${describeLocation(found.get(stopAddress(s)))}`),
    ];
  } catch (err) {
    if (!(err instanceof BentoError)) throw err;
    return [`cannot name the fault's functions: ${err.message}${err.diagnostics[0]?.hint ? ` (${err.diagnostics[0].hint})` : ''}`];
  }
}
