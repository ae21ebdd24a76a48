import { boardSchema } from '../../config/board.js';
import { recipeSchema } from '../../config/recipe.js';
import { toJsonSchema } from '../../config/schema.js';
import { fail } from '../../diagnostics/error.js';
import type { Command } from '../command.js';

/** The JSON Schemas bento's TOML files follow; schemas/ in the repository holds them. */
export function jsonSchemaFor(kind: string): object {
  if (kind === 'recipe') return toJsonSchema(recipeSchema, 'bento recipe (bento.toml)');
  if (kind === 'board') return toJsonSchema(boardSchema, 'bento board file');
  fail('B9001', `no schema '${kind}'`, { hint: 'use recipe or board' });
}

export const schemaCommand: Command = {
  name: 'schema',
  positionals: 'none',
  summary: 'print the JSON Schema of recipes or board files, for editors',
  usage: '[recipe|board]',
  details: 'Editors with TOML schema support (e.g. Taplo / Even Better TOML) complete and check files with it.',
  options: {},
  async run(positionals) {
    console.log(JSON.stringify(jsonSchemaFor(positionals[0] ?? 'recipe'), null, 2));
    return 0;
  },
};
