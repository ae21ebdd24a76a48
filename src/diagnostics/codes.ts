// The catalogue of everything a user can cause. Codes are grouped by stage and never reused:
// B1xxx config, B2xxx plan, B3xxx wasm, B4xxx lower, B5xxx toolchain/link, B6xxx run/flash,
// B9xxx command line and environment.
export const codes = {
  // config
  B1001: 'unknown key',
  B1002: 'wrong type',
  B1003: 'missing key',
  B1004: 'invalid value',
  B1005: 'TOML syntax error',
  B1006: 'overlapping memory regions',
  B1007: 'file not found',
  B1008: 'bad signature',
  // plan
  B2001: 'memory does not fit',
  B2002: 'too many MPU regions',
  B2003: 'unresolved import',
  B2004: 'ambiguous import',
  B2005: 'mismatched link',
  B2006: 'box does not match its recipe',
  B2007: 'section a native box may not have',
  B2008: 'native box uses what it does not import',
  B2009: 'Wasm box uses what it does not import',
  B2010: 'host uses what nothing defines',
  // wasm
  B3001: 'malformed module',
  B3002: 'invalid module',
  B3003: 'unsupported feature',
  B3004: 'unknown import',
  B3005: 'memory does not fit',
  // toolchain and link
  B5001: 'tool missing',
  B5002: 'compile failed',
  B5003: 'link failed',
  B5004: 'tool failed',
  // run
  B6001: 'firmware not found',
  B6002: 'emulator failed to start',
  B6003: 'firmware timed out',
  B6004: 'cannot open the port',
  B6005: 'the port failed',
  B6006: 'no answer from the target',
  B6007: 'the target refused',
  B6008: 'verify failed',
  B6009: 'image does not fit',
  B6010: 'board not emulated',
  B6011: 'wrong target',
  B6012: 'no timer to measure with',
  // command line and environment
  B9001: 'bad command line',
  B9002: 'environment check failed',
} as const;

export type ErrorCode = keyof typeof codes;
