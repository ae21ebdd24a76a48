import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemaFor } from '../../src/cli/commands/schema.js';
import { loadRecipe } from '../../src/config/recipe.js';
import { BentoError } from '../../src/diagnostics/error.js';
import type { Diagnostic } from '../../src/diagnostics/error.js';
import { projectRoot } from '../support/cli.js';

function project(recipe: string, files: string[] = ['main.c', 'ping.c', 'codec.wasm']): string {
  const dir = mkdtempSync(join(tmpdir(), 'bento-recipe-'));
  writeFileSync(join(dir, 'bento.toml'), recipe);
  for (const f of files) writeFileSync(join(dir, f), '');
  return dir;
}

function problems(recipe: string): Diagnostic[] {
  try {
    loadRecipe(project(recipe));
  } catch (err) {
    if (err instanceof BentoError) return [...err.diagnostics];
    throw err;
  }
  return [];
}

const good = `name = "hello"
[host]
sources = ["main.c"]
imports = { ping = "fn(i32) -> err" }

[box.ping]
runtime = "wasm"
sources = ["ping.c"]
stack = "2 KiB"
on-fault = "hold"
exports.ping = "fn(i32) -> err"

[box.codec]
runtime = "native"
sources = ["codec.wasm"]
ram = "16 KiB"
restarts = 5
`;

describe('recipes with boxes', () => {
  it('loads boxes sorted by name, with defaults and sizes in bytes', () => {
    const r = loadRecipe(project(good));
    expect(r.boxes.map((b) => b.name)).toEqual(['codec', 'ping']);
    const [codec, ping] = r.boxes;
    expect(codec).toMatchObject({ runtime: 'native', ram: 16384, stack: 4096, heap: 0, onFault: 'restart', restartLimit: 5, bounds: 'software' });
    expect(ping).toMatchObject({ runtime: 'wasm', stack: 2048, onFault: 'hold', restartLimit: 3 });
    expect(ping!.exports.get('ping')).toMatchObject({ text: 'fn(i32) -> err', location: { line: 11, column: 16 } });
    expect(r.host.imports.get('ping')!.text).toBe('fn(i32) -> err');
  });

  it('reports an unknown box key with a hint, and a bad enum value', () => {
    const found = problems(good.replace('on-fault = "hold"', 'on_fault = "hold"').replace('runtime = "native"', 'runtime = "natve"'));
    expect(found.map((p) => p.code).sort()).toEqual(['B1001', 'B1004']);
    expect(found.find((p) => p.code === 'B1001')).toMatchObject({ hint: "did you mean 'on-fault'?", location: { line: 10, column: 1 } });
    expect(found.find((p) => p.code === 'B1004')!.hint).toBe("did you mean 'native'?");
  });

  it('reports a missing box source at its place in the array', () => {
    const [p] = problems(good.replace('sources = ["ping.c"]', 'sources = ["pong.c"]'));
    expect(p).toMatchObject({ code: 'B1007', location: { line: 8, column: 12 } });
    expect(p!.message).toContain("box ping: source file 'pong.c' not found");
  });

  it('wants box names that are C identifiers', () => {
    const [p] = problems(good.replace('[box.codec]', '[box."my-codec"]'));
    expect(p).toMatchObject({ code: 'B1004' });
  });

  it('keeps the name host for the host, and refuses box names that differ only in case', () => {
    expect(problems(good.replace('[box.codec]', '[box.host]'))[0]!.message).toContain("'host' is the host's name");
    expect(problems(good.replace('[box.codec]', '[box.Ping]'))[0]!.message).toContain("boxes 'Ping' and 'ping' differ only in case");
  });

  it('takes native-stack for Wasm boxes only', () => {
    expect(loadRecipe(project(good.replace('[box.ping]', '[box.ping]\nnative-stack = "1 KiB"'))).boxes.find((b) => b.name === 'ping')!.nativeStack).toBe(1024);
    const [p] = problems(good.replace('[box.codec]', '[box.codec]\nnative-stack = "1 KiB"'));
    expect(p!.message).toBe("box codec: 'native-stack' is for Wasm boxes; a native box's only stack is its 'stack'");
  });

  it("refuses a box name whose record would clash with the runtime's bento_box_ functions", () => {
    const [p] = problems(good.replace('[box.codec]', '[box.caller]'));
    expect(p).toMatchObject({ code: 'B1004', hint: 'call the box something else' });
    expect(p!.message).toBe("box name 'caller' is taken: the runtime's bento_box_caller would clash with the box's record, bento_box_caller");
  });

  it('wants import and export names that are C identifiers, located at the key', () => {
    const [p] = problems(good.replace('exports.ping = "fn(i32) -> err"', 'exports."ping-2" = "fn(i32) -> err"'));
    expect(p).toMatchObject({ code: 'B1004', location: { line: 11 } });
    expect(p!.message).toContain("'ping-2' in box.ping.exports must be a C identifier");
  });
});

describe('CPU budgets in recipes', () => {
  const withBudget = (value: string) => good.replace('on-fault = "hold"', `on-fault = "hold"\nbudget = ${value}`);

  it('are times with a unit, in nanoseconds; none by default', () => {
    const [codec, ping] = loadRecipe(project(withBudget('"2.5 ms"'))).boxes;
    expect(codec!.budget).toBeUndefined();
    expect(ping!.budget).toMatchObject({ nanoseconds: 2_500_000, location: { line: 11, column: 10 } });
    expect(loadRecipe(project(withBudget('"500 us"'))).boxes[1]!.budget!.nanoseconds).toBe(500_000);
    expect(loadRecipe(project(withBudget('"1s"'))).boxes[1]!.budget!.nanoseconds).toBe(1e9);
  });

  it('refuse a number without a unit, an unknown unit, and less than 1 us, at the value', () => {
    expect(problems(withBudget('10'))).toMatchObject([{ code: 'B1002', location: { line: 11, column: 10 } }]);
    const [unit] = problems(withBudget('"10 min"'));
    expect(unit).toMatchObject({ code: 'B1004', location: { line: 11, column: 10 } });
    expect(unit!.message).toContain("'box.ping.budget' is '10 min'");
    const [zero] = problems(withBudget('"0 ms"'));
    expect(zero).toMatchObject({ code: 'B1004', location: { line: 11, column: 10 } });
    expect(zero!.message).toContain('must be at least 1 us');
  });
});

describe('host interrupts in recipes', () => {
  const withInterrupts = good.replace('imports = { ping = "fn(i32) -> err" }', `imports = { ping = "fn(i32) -> err" }
interrupts.uart = { irq = 1, handler = "uart_isr" }

[host.interrupts.timer0]
irq = 8
handler = "timer0_isr"
priority = 2`);

  it('are read sorted by name, each value with its place (checked against the board in the plan)', () => {
    const r = loadRecipe(project(withInterrupts));
    expect(r.host.interrupts).toMatchObject([
      { name: 'timer0', irq: 8, handler: 'timer0_isr', priority: 2, location: { table: { line: 7 }, irq: { line: 8, column: 7 }, priority: { line: 10, column: 12 } } },
      { name: 'uart', irq: 1, handler: 'uart_isr', location: { irq: { line: 5, column: 27 } } },
    ]);
    expect(r.host.interrupts[1]!.priority).toBeUndefined();
    expect(loadRecipe(project(good)).host.interrupts).toEqual([]);
  });

  it('refuse unknown keys, wrong types, a negative line and a missing handler, at their places', () => {
    const found = problems(withInterrupts.replace('priority = 2', 'prio = 2').replace('irq = 8', 'irq = -1').replace('handler = "uart_isr"', 'handler = 3'));
    expect(found.map((p) => [p.code, p.location!.line])).toEqual([
      ['B1002', 5],
      ['B1004', 8],
      ['B1001', 10],
    ]);
    expect(problems(withInterrupts.replace('handler = "timer0_isr"\n', ''))).toMatchObject([{ code: 'B1003', message: expect.stringContaining("'host.interrupts.timer0.handler'") }]);
  });

  it('take a line by name as written, for the plan to find on the board', () => {
    const r = loadRecipe(project(withInterrupts.replace('irq = 8', 'irq = "TIMER0"')));
    expect(r.host.interrupts[0]).toMatchObject({ name: 'timer0', irq: 'TIMER0', location: { irq: { line: 8, column: 7 } } });
  });

  it('refuse a line that is neither a name nor a number, at the value', () => {
    for (const value of ['true', '8.5', '[8]']) {
      const [p, ...rest] = problems(withInterrupts.replace('irq = 8', `irq = ${value}`));
      expect(rest).toEqual([]);
      expect(p).toMatchObject({ code: 'B1002', location: { line: 8, column: 7 } });
      expect(p!.message).toContain("'host.interrupts.timer0.irq' must be a string or an integer");
    }
  });
});

describe('werror', () => {
  it('is off by default, and on for the host or one box when the recipe says so', () => {
    const off = loadRecipe(project(good));
    expect([off.host.werror, ...off.boxes.map((b) => b.werror)]).toEqual([false, false, false]);
    const on = loadRecipe(project(good.replace('sources = ["main.c"]', 'sources = ["main.c"]\nwerror = true').replace('stack = "2 KiB"', 'stack = "2 KiB"\nwerror = true')));
    expect([on.host.werror, on.boxes.find((b) => b.name === 'ping')!.werror, on.boxes.find((b) => b.name === 'codec')!.werror]).toEqual([true, true, false]);
  });

  it('must be true or false, at its place in the recipe', () => {
    const found = problems(good.replace('sources = ["main.c"]', 'sources = ["main.c"]\nwerror = "yes"').replace('restarts = 5', 'restarts = 5\nwerror = 1'));
    expect(found.map((p) => [p.code, p.location?.line, p.location?.column, p.message])).toEqual([
      ['B1002', 4, 10, "'host.werror' must be true or false, not string"],
      ['B1002', 19, 10, "'box.codec.werror' must be true or false, not integer"],
    ]);
  });

  it('keeps where [host] and each [box] are written, for errors about them as a whole', () => {
    const r = loadRecipe(project(good));
    expect(r.host.location).toMatchObject({ line: 2, column: 1 });
    expect(r.boxes.map((b) => [b.name, b.location.line])).toEqual([
      ['codec', 13],
      ['ping', 6],
    ]);
  });
});

describe('JSON Schemas', () => {
  it.each([
    ['recipe', 'bento.schema.json'],
    ['board', 'board.schema.json'],
  ])('schemas/%s is what bento schema prints', (kind, file) => {
    expect(JSON.parse(readFileSync(join(projectRoot, 'schemas', file), 'utf8'))).toEqual(jsonSchemaFor(kind));
  });

  it('describes box keys with their allowed values', () => {
    const schema = jsonSchemaFor('recipe') as any;
    const box = schema.properties.box.additionalProperties;
    expect(box.properties['on-fault'].enum).toEqual(['restart', 'hold', 'panic']);
    expect(new RegExp(box.properties.budget.pattern).test('10 ms')).toBe(true);
    expect(new RegExp(box.properties.budget.pattern).test('10')).toBe(false);
    expect(box.required).toEqual(['runtime', 'sources']);
    expect(box.additionalProperties).toBe(false);
  });

  it('describes host interrupts', () => {
    const schema = jsonSchemaFor('recipe') as any;
    const line = schema.properties.host.properties.interrupts.additionalProperties;
    expect(Object.keys(line.properties)).toEqual(['irq', 'handler', 'priority']);
    expect(line.required).toEqual(['irq', 'handler']);
    expect(line.properties.irq.anyOf.map((o: { type: string }) => o.type)).toEqual(['string', 'integer']);
  });
});

describe('signatures in recipes', () => {
  it('are parsed when the recipe loads', () => {
    const r = loadRecipe(project(good));
    expect(r.boxes[1]!.exports.get('ping')!.signature.result).toBe('err32');
  });

  it('point an error at its column in the file', () => {
    const [p] = problems(good.replace('exports.ping = "fn(i32) -> err"', 'exports.ping = "fn(u33) -> err"'));
    // The string starts at column 16 (the quote); "u33" is its 4th character.
    expect(p).toMatchObject({ code: 'B1008', location: { line: 11, column: 20 }, hint: expect.stringContaining('u32') });
  });
});
