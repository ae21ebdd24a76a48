// The declarative schema's `either` fields: a value is checked by the first choice whose TOML type
// it has, a value of no choice's type is a located B1002 naming every type, and the JSON Schema
// gives the choices as anyOf.
import { describe, expect, it } from 'vitest';
import { checkDocument, toJsonSchema } from '../../src/config/schema.js';
import type { Field } from '../../src/config/schema.js';
import { parseToml } from '../../src/config/toml.js';
import { BentoError } from '../../src/diagnostics/error.js';
import type { Diagnostic } from '../../src/diagnostics/error.js';

const root: Record<string, Field> = {
  line: {
    kind: 'either',
    doc: 'a name or a number',
    required: true,
    of: [
      { kind: 'string', doc: 'a name', oneOf: ['TIMER0', 'TIMER1'] },
      { kind: 'int', doc: 'a number', min: 0, max: 31 },
    ],
  },
};

function check(text: string): { data?: Record<string, unknown>; problems: Diagnostic[] } {
  try {
    return { data: checkDocument(parseToml(text, 't.toml'), root), problems: [] };
  } catch (err) {
    if (err instanceof BentoError) return { problems: [...err.diagnostics] };
    throw err;
  }
}

describe('either fields', () => {
  it('take a value of any choice\'s type, as that choice checks it', () => {
    expect(check('line = "TIMER1"\n').data).toEqual({ line: 'TIMER1' });
    expect(check('line = 8\n').data).toEqual({ line: 8 });
    expect(check('line = 32\n').problems).toMatchObject([{ code: 'B1004', message: "'line' is 32, expected 0..31", location: { line: 1, column: 8 } }]);
    expect(check('line = "TIMR1"\n').problems).toMatchObject([{ code: 'B1004', hint: "did you mean 'TIMER1'?", location: { line: 1, column: 8 } }]);
  });

  it('refuse a value of no choice\'s type, naming them all, at the value', () => {
    expect(check('line = 1.5\n').problems).toMatchObject([{ code: 'B1002', message: "'line' must be a string or an integer, not float", location: { line: 1, column: 8 } }]);
    expect(check('x = 1\n').problems.map((p) => p.code)).toEqual(['B1001', 'B1003']);
  });

  it('become anyOf in the JSON Schema', () => {
    const schema = toJsonSchema(root, 't') as { properties: { line: { description: string; anyOf: { type: string }[] } } };
    expect(schema.properties.line.description).toBe('a name or a number');
    expect(schema.properties.line.anyOf.map((o) => o.type)).toEqual(['string', 'integer']);
  });
});
