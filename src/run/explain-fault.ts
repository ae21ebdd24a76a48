import { BentoError } from '../diagnostics/error.js';
import { faultAddresses, lookupAddress } from './fault-report.js';
import { describeLocation, symbolize } from './symbolize.js';

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * Lines naming the function and source line of the PC and LR of the fault report in `uartText`
 * (none without a report). The run's outcome does not hang on them: when the ELF cannot be read,
 * one line says why instead.
 */
export async function explainFault(elf: string, uartText: string): Promise<string[]> {
  const addresses = faultAddresses(uartText);
  if (addresses.length === 0) return [];
  try {
    const found = await symbolize(elf, addresses.map(lookupAddress));
    return addresses.map((a) => `${a.register} ${hex(a.value)} ${describeLocation(found.get(lookupAddress(a)))}`);
  } catch (err) {
    if (!(err instanceof BentoError)) throw err;
    return [`cannot name the fault's functions: ${err.message}${err.diagnostics[0]?.hint ? ` (${err.diagnostics[0].hint})` : ''}`];
  }
}
