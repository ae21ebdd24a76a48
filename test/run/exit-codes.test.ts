import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { exitCodes } from '../../src/run/exit-codes.js';
import { projectRoot } from '../support/cli.js';

it('matches the C header the firmware uses', () => {
  const header = readFileSync(join(projectRoot, 'runtime-c/include/bento/exit_codes.h'), 'utf8');
  const fromC = Object.fromEntries([...header.matchAll(/#define BENTO_EXIT_(\w+)\s+(\d+)/g)].map((m) => [m[1]!.toLowerCase().replace(/_/g, ''), Number(m[2])]));
  const fromTs = Object.fromEntries(Object.entries(exitCodes).map(([k, v]) => [k.toLowerCase(), v]));
  expect(fromTs).toEqual(fromC);
});
