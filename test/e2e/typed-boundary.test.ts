// The box boundary beyond four scalar words, on QEMU: test/fixtures/typed-boundary has a Wasm box
// with two instances and a native box, called with eight- and nine-word signatures (64-bit values
// past r3), structs by pointer (filled in by the box, read by the host), handles, callbacks from a
// Wasm box and a native box back into the host and into another instance, and the refusals: an
// instance that does not exist, a handle from another instance or made up, a callback token the
// caller was never given, one of no type, and a box's own callback (it is on the call chain).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

it('carries long signatures, structs, handles, callbacks and instances on a PMSAv7 and a PMSAv8 board', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bento-typed-'));
  cpSync(join(projectRoot, 'test', 'fixtures', 'typed-boundary'), dir, { recursive: true });
  // The Wasm box is compiled once for both instances, then renamed into each.
  const built = await bento(['build', 'm4'], dir);
  expect(built.code, built.stderr).toBe(0);
  expect(built.stderr.match(/compiled box store \(/g) ?? []).toHaveLength(1);
  expect(built.stderr).not.toMatch(/compiled box store_(left|right)/);
  expect(built.stderr).toMatch(/box store_left: native stack/);
  const r = await bento(['test', '--board', 'm4,m33', '--timeout', '120'], dir);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  for (const board of ['m4', 'm33']) expect(r.stdout).toMatch(new RegExp(`^PASS typed on ${board} `, 'm'));
}, 900_000);
