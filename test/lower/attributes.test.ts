import { describe, expect, it } from 'vitest';
import { addFunctionAttributes } from '../../src/lower/attributes.js';

describe('addFunctionAttributes', () => {
  it('puts the attribute group before a definition\'s metadata attachments, where LLVM reads it', () => {
    const ir = ['define internal i32 @"box_x.fold"(i32 %0) !dbg !12 {', 'define i32 @box_x_export_run(i32 %0) {', 'define void @f() #3 !dbg !4 {', 'declare void @bento_wasm_trap(i32)'].join('\n');
    expect(addFunctionAttributes(ir).split('\n').slice(0, 4)).toEqual([
      'define internal i32 @"box_x.fold"(i32 %0) #4242 !dbg !12 {',
      'define i32 @box_x_export_run(i32 %0) #4242 {',
      'define void @f() #3 !dbg !4 {',
      'declare void @bento_wasm_trap(i32) #4243',
    ]);
  });
});
