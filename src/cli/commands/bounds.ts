import { fail } from '../../diagnostics/error.js';
import { closest } from '../../diagnostics/suggest.js';
import { boundsStrategies } from '../../lower/types.js';
import type { BoundsStrategy } from '../../lower/types.js';

export const boundsOption = {
  type: 'string' as const,
  value: 'STRATEGY',
  description: 'how memory accesses are kept in bounds',
  choices: boundsStrategies,
  default: 'software',
};

export function parseBounds(value: string | boolean | undefined): BoundsStrategy {
  const v = String(value ?? 'software');
  if ((boundsStrategies as readonly string[]).includes(v)) return v as BoundsStrategy;
  const guess = closest(v, boundsStrategies);
  fail('B9001', `unknown bounds strategy '${v}'`, { hint: guess ? `did you mean '${guess}'?` : `use one of ${boundsStrategies.join(', ')}` });
}
