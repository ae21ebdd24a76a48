import { describe, expect, it } from 'vitest';
import { globPattern, selectCases } from '../../src/test-runner/select.js';
import { refusal } from '../support/diagnostics.js';

const all = ['boot', 'boot-fast', 'faults', 'uart'];

describe('choosing the cases to run', () => {
  it('runs every case unless some are named, in the folder order', () => {
    expect(selectCases(all, [])).toEqual(all);
    expect(selectCases(all, ['uart', 'boot'])).toEqual(['boot', 'uart']);
  });

  it('narrows by --filter, a glob over the whole name', () => {
    expect(selectCases(all, [], 'boot*')).toEqual(['boot', 'boot-fast']);
    expect(selectCases(all, [], 'boo?')).toEqual(['boot']);
    expect(selectCases(all, ['boot', 'uart'], '*t')).toEqual(['boot', 'uart']);
    expect(globPattern('a.b').test('axb')).toBe(false);
  });

  it('refuses a name that is no case, with a did-you-mean, as a command-line error', () => {
    const found = refusal(() => selectCases(all, ['fautls', 'zzzzzz']));
    expect(found.map((d) => d.code)).toEqual(['B9001', 'B9001']);
    expect(found[0]!.hint).toBe("did you mean 'faults'?");
    expect(found[1]!.hint).toBe('the cases are: boot, boot-fast, faults, uart');
  });

  it('refuses a filter that leaves nothing', () => {
    expect(refusal(() => selectCases(all, [], 'net*'))[0]).toMatchObject({ code: 'B9001', message: "--filter 'net*' matches no test case" });
  });
});
