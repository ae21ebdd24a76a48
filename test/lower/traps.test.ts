import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { trapKinds, trapMessages } from '../../src/lower/traps.js';
import { projectRoot } from '../support/cli.js';

it('numbers trap kinds as runtime-c/include/bento/wasm.h does', () => {
  const header = readFileSync(join(projectRoot, 'runtime-c/include/bento/wasm.h'), 'utf8');
  const fromC = [...header.matchAll(/BENTO_TRAP_(\w+) = (\d+)/g)].map((m) => Number(m[2]));
  expect(Object.values(trapKinds).sort((a, b) => a - b)).toEqual(fromC.sort((a, b) => a - b));
});

it('names each trap in C as the spec does', () => {
  const names = readFileSync(join(projectRoot, 'runtime-c/wasm/traps.c'), 'utf8');
  for (const message of Object.values(trapMessages)) expect(names).toContain(`"${message}"`);
});
