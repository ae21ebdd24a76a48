// Who provides each symbol a compiled object leaves undefined.
import { describe, expect, it } from 'vitest';
import { classifyNeeds } from '../../src/compile/object-needs.js';

describe('classifyNeeds', () => {
  it('sorts runtime-c, firmware and library symbols apart', () => {
    const needs = classifyNeeds(
      ['__aeabi_ldivmod', 'bento_wasm_memory_grow', 'bento_wasm_memory_reset', 'bento_wasm_opaque_zero', 'bento_wasm_stack_limit', 'bento_wasm_table_reset', 'bento_wasm_trap', 'bento_wasi_fd_write', 'memcpy', 'm_import_env_f', 'm_memory'],
      'm',
    );
    expect(needs).toEqual({
      runtimeSources: ['wasm/bulk_memory.c', 'wasm/opaque.c', 'wasm/tables.c', 'wasm/trap_entry.c', 'wasm/traps.c'],
      firmware: ['bento_wasm_stack_limit', 'bento_wasi_fd_write', 'm_import_env_f', 'm_memory'],
      libraries: ['__aeabi_ldivmod', 'memcpy'],
      trapHook: true,
    });
  });

  it('needs no trap hook from an object that cannot trap', () => {
    expect(classifyNeeds(['bento_wasm_stack_limit'], 'm').trapHook).toBe(false);
  });
});
