// Mirrors runtime-c/include/bento/exit_codes.h (a test keeps the two in step).
export const exitCodes = {
  timeout: 124,
  trap: 134,
  hardFault: 150,
  memManage: 151,
  busFault: 152,
  usageFault: 153,
  unexpected: 154,
  boxPanic: 155,
} as const;

/** What an exit code means, for the line bento prints after a run. */
export function describeExit(code: number): string | undefined {
  switch (code) {
    case exitCodes.timeout:
      return 'timed out';
    case exitCodes.trap:
      return 'a Wasm trap';
    case exitCodes.hardFault:
      return 'HardFault';
    case exitCodes.memManage:
      return 'MemManage fault';
    case exitCodes.busFault:
      return 'BusFault';
    case exitCodes.usageFault:
      return 'UsageFault';
    case exitCodes.unexpected:
      return 'unexpected exception';
    case exitCodes.boxPanic:
      return 'a box panicked';
    default:
      return undefined;
  }
}
