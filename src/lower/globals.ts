import type { ValType, WasmModule } from '../wasm/types.js';

/** The value type of global `index`, counting imported globals first. */
export function globalType(wasm: WasmModule, index: number): ValType {
  const imported = wasm.imports.filter((i) => i.desc.kind === 'global');
  if (index < imported.length) {
    const desc = imported[index]!.desc;
    if (desc.kind === 'global') return desc.global.type;
  }
  return wasm.globals[index - imported.length]!.type.type;
}
