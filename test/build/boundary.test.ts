// Mistakes at the box boundary fail the build, never the firmware: each fixture under
// test/fixtures/boundary/ is built (no QEMU) and must stop with exit 1, the code, the place
// and the hint, and leave no image behind.
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

async function build(fixture: string) {
  const dir = mkdtempSync(join(tmpdir(), `bento-boundary-${fixture}-`));
  cpSync(join(projectRoot, 'test', 'fixtures', 'boundary', fixture), dir, { recursive: true });
  const r = await bento(['build', 'm4'], dir);
  expect(r.code, r.stderr).toBe(1);
  expect(existsSync(join(dir, 'build', 'm4', `${fixture}.elf`)), 'no image after a failed build').toBe(false);
  return { dir, stderr: r.stderr };
}

describe('mistakes at the box boundary', () => {
  it('a Wasm box calling a host function it did not import, or one nobody defines', async () => {
    const { dir, stderr } = await build('wasm-import');
    expect(stderr).toContain(`w.c (symbol log_line): error[B2009]: box w: w.c uses 'log_line', which the box neither defines nor imports\n  hint: the host exports it: add imports.log_line = "fn(const u8[len], usize len) -> err" to [box.w] (bento.toml:10:1)`);
    expect(stderr).toContain(`w.c (symbol helper): error[B2009]: box w: w.c uses 'helper'`);
    expect(stderr).toContain("hint: define it in the box's sources, or export it from the host or another box and add it to box.w.imports (bento.toml:10:1)");
    expect(stderr).not.toContain('wasm-ld');
  }, 300_000);

  it('the host calling a function no box exports, with a did-you-mean', async () => {
    const { dir, stderr } = await build('host-call');
    expect(stderr).toContain(`main.c:4 (symbol pnig): error[B2010]: main.c uses 'pnig' in main(), which neither the host's sources nor any box's exports define\n  hint: did you mean 'ping'? (box b exports it)`);
    expect(stderr).not.toContain('undefined reference');
  }, 300_000);

  it("a native box calling puts without the printf service, and another box's export it did not import", async () => {
    const { dir, stderr } = await build('native-call');
    expect(stderr).toContain(`n.c:5 (symbol puts): error[B2008]: box n: n.c uses 'puts'`);
    expect(stderr).toContain('hint: the C library\'s "printf" service provides it: add libc = ["printf"] to [box.n] (bento.toml:9:1)');
    expect(stderr).toContain(`n.c:6 (symbol secret): error[B2008]: box n: n.c uses 'secret'`);
    expect(stderr).toContain('hint: box vault exports it: add imports.secret = "fn(u32 key) -> u32" to [box.n] (bento.toml:9:1)');
  }, 300_000);
});
