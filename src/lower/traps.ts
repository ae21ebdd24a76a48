// Trap kinds, numbered as in runtime-c/include/bento/wasm.h (a test keeps them in step).
export const trapKinds = {
  unreachable: 1,
  divideByZero: 2,
  integerOverflow: 3,
  invalidConversion: 4,
  memoryOutOfBounds: 5,
  tableOutOfBounds: 6,
  uninitializedElement: 7,
  indirectCallTypeMismatch: 8,
  stackExhausted: 9,
  memoryFault: 10,
} as const;

export type TrapKind = keyof typeof trapKinds;

/** The spec's wording of each trap, as the spec test suite expects it. */
export const trapMessages: Record<TrapKind, string> = {
  unreachable: 'unreachable',
  divideByZero: 'integer divide by zero',
  integerOverflow: 'integer overflow',
  invalidConversion: 'invalid conversion to integer',
  memoryOutOfBounds: 'out of bounds memory access',
  tableOutOfBounds: 'out of bounds table access',
  uninitializedElement: 'uninitialized element',
  indirectCallTypeMismatch: 'indirect call type mismatch',
  stackExhausted: 'call stack exhausted',
  memoryFault: 'memory fault (MPU)',
};
