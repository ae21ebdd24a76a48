import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSteps } from '../../src/spec/steps-glue.js';
import { projectRoot } from '../support/cli.js';

describe('spec step table', () => {
  it('matches the golden file', () => {
    const text = renderSteps(
      join(projectRoot, 'suite', 'linking.wast'),
      [
        { command: 0, kind: 'instantiate', run: 's0_init' },
        { command: 3, kind: 'invoke', run: 'bento_spec_cmd3' },
        { command: 4, kind: 'invoke', run: 'bento_spec_cmd4' },
        { command: 7, kind: 'invoke', run: 'bento_spec_cmd7' },
      ],
      projectRoot,
    );
    expect(text).toBe(readFileSync(join(projectRoot, 'test/fixtures/spec/steps.c'), 'utf8'));
  });

  it('stays valid C without steps', () => {
    expect(renderSteps('empty.wast', [], projectRoot)).toMatch(/\{ 0u, 0u, 0 \}, \/\* end marker[^\n]*\n\};\n\nconst uint32_t bento_spec_step_count = 0u;/);
  });
});
