// Mistakes at the box boundary fail the build, never the firmware: each fixture under
// test/fixtures/boundary/ is built (no QEMU) and must stop with exit 1, the code, the place
// and the hint, and leave no image behind.
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

async function build(fixture: string, recipe = 'bento.toml') {
  const dir = mkdtempSync(join(tmpdir(), `bento-boundary-${fixture}-`));
  cpSync(join(projectRoot, 'test', 'fixtures', 'boundary', fixture), dir, { recursive: true });
  const r = await bento(['build', 'm4', '--recipe', recipe], dir);
  expect(r.code, r.stderr).toBe(1);
  const out = recipe === 'bento.toml' ? join(dir, 'build', 'm4') : join(dir, 'build', recipe.replace(/\.toml$/, ''), 'm4');
  expect(existsSync(join(out, `${fixture}.elf`)), 'no image after a failed build').toBe(false);
  return { dir, stderr: r.stderr };
}

describe('mistakes at the box boundary', () => {
  it('a Wasm box calling a host function it did not import, or one nobody defines', async () => {
    const { dir, stderr } = await build('wasm-import');
    expect(stderr).toContain(`w.c (symbol log_line): error[B2009]: box w: w.c uses 'log_line', which the box neither defines nor imports\n  hint: the host exports it: add imports.log_line = "fn(const u8[len], usize len) -> err" to [box.w] (bento.toml:10:1), and #include "bento_box.h" where it is called`);
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
    expect(stderr).toContain('hint: box vault exports it: add imports.secret = "fn(u32 key) -> u32" to [box.n] (bento.toml:9:1), and #include "bento_box.h" where it is called\n');
  }, 300_000);

  // util.c calls log_line, an import of its box, without including the box's header. Before,
  // the Wasm box was told to add the import it already had, and the native box built (the call
  // renamed like any other) with no more than the compiler's implicit-declaration warning.
  it('a Wasm box calling its own import from a source without the box header', async () => {
    const { stderr } = await build('no-header');
    expect(stderr).toContain(
      `util.c (symbol log_line): error[B2009]: box w: util.c calls 'log_line', an import of the box, without the box's header, so the compiler took it for an ordinary external function, not the import\n` +
        `  hint: #include "bento_box.h" in util.c: it declares the box's imports as the recipe gives them (imports.log_line at bento.toml:17:20)\n`,
    );
    expect(stderr).not.toContain('add imports.log_line');
    // Its export, defined without the header, is not exported.
    const lone = await build('no-header', 'unexported.toml');
    expect(lone.stderr).toContain(
      `unexported.toml:13:16: error[B2006]: box w: the recipe exports 'ping', but the module has no function export of that name\n  hint: in C, define it in a source that includes "bento_box.h": the declaration there adds export_name\n`,
    );
  }, 300_000);

  it('a native box doing the same: the same message and hint, at the line of the call', async () => {
    const { dir, stderr } = await build('no-header', 'native.toml');
    expect(stderr).toContain("warning: implicit declaration of function 'log_line'");
    expect(stderr).toContain(
      `util.c:3 (symbol log_line): error[B2008]: box n: util.c calls 'log_line', an import of the box, without the box's header, so the compiler took it for an ordinary external function, not the import\n` +
        `  hint: #include "bento_box.h" in util.c: it declares the box's imports as the recipe gives them (imports.log_line at native.toml:14:20)\n`,
    );
    // The failed builds (a Wasm box's link, a native box's check) left nothing temporary.
    expect(readdirSync(join(dir, 'build'), { recursive: true }).filter((f) => String(f).includes('tmp'))).toEqual([]);
  }, 300_000);
});
