import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLocation, parseAddr2line, parseFunctionSymbols } from '../../src/run/symbolize.js';

describe('parseFunctionSymbols', () => {
  it('keeps code symbols with a size, and drops data and sizeless ones', () => {
    const nm = ['00000000 000000c0 R bento_vectors', '000000c0 00000018 T main', '000000d8 00000024 t helper', '00000100 W weak_fn', '000000f0 00000004 W _init', '20000000 00000004 B counter'].join('\n');
    expect(parseFunctionSymbols(nm)).toEqual([
      { name: 'main', start: 0xc0, end: 0xd8 },
      { name: 'helper', start: 0xd8, end: 0xfc },
      { name: '_init', start: 0xf0, end: 0xf4 },
    ]);
  });
});

describe('parseAddr2line', () => {
  it('groups the line and its inlining chain under each address, and drops what debug info lacks', () => {
    const out = ['0x00000100', 'report', '/p/main.c:16', 'main', '/p/main.c:28 (discriminator 2)', '0x0000395c', 'box_writer_export_store', '??:?', ''].join('\n');
    expect(parseAddr2line(out)).toEqual(
      new Map([
        [
          0x100,
          [
            { function: 'report', file: '/p/main.c', line: 16 },
            { function: 'main', file: '/p/main.c', line: 28 },
          ],
        ],
        [0x395c, []],
      ]),
    );
  });
});

describe('describeLocation', () => {
  const here = (file: string) => join(process.cwd(), file);

  it('names the function and the line, relative to the current folder', () => {
    expect(describeLocation({ function: 'store_far', lines: [{ function: 'store_far', file: here('src/a.c'), line: 7 }] })).toBe('in store_far at src/a.c:7');
  });

  it('spells out inlining, innermost first', () => {
    const lines = [
      { function: 'report', file: here('main.c'), line: 16 },
      { function: 'main', file: here('main.c'), line: 28 },
    ];
    expect(describeLocation({ function: 'main', lines })).toBe('in report at main.c:16, inlined into main at main.c:28');
  });

  it('says what Wasm box functions are, since they have no lines', () => {
    expect(describeLocation({ function: 'box_writer_f3', lines: [] })).toBe('in box_writer_f3 (Wasm function 3 of box writer: compiled from Wasm, no source lines)');
    expect(describeLocation({ function: 'box_my_box_export_store', lines: [] })).toBe('in box_my_box_export_store (box my_box: compiled from Wasm, no source lines)');
    expect(describeLocation({ function: 'memcpy', lines: [] })).toBe('in memcpy (no line information)');
  });

  it('names a Wasm function by the name section\'s name its symbol carries', () => {
    expect(describeLocation({ function: 'box_lfs.lfs_dir_fetch', lines: [] })).toBe('in box_lfs.lfs_dir_fetch (Wasm function lfs_dir_fetch of box lfs: compiled from Wasm, no source lines)');
    expect(describeLocation({ function: 'box_my_box.helper.12', lines: [] })).toBe('in box_my_box.helper.12 (Wasm function helper (12) of box my_box: compiled from Wasm, no source lines)');
    expect(describeLocation({ function: 'wasm_prog.store_far', lines: [] })).toBe('in wasm_prog.store_far (Wasm function store_far of module prog: compiled from Wasm, no source lines)');
    expect(describeLocation({ function: 'box_w_export_get_f2', lines: [] })).toBe('in box_w_export_get_f2 (box w: compiled from Wasm, no source lines)');
    expect(describeLocation({ function: 'foo.constprop.0', lines: [] })).toBe('in foo.constprop.0 (no line information)');
  });

  it('says when an address is in no function', () => {
    expect(describeLocation(undefined)).toBe('is not inside any function');
  });
});
