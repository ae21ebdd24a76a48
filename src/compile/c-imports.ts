// How `bento compile` resolves a module's imports when the object goes into someone else's
// firmware: WASI functions keep the names of bento's WASI runtime (bento_wasi_<name>), and every
// other function import becomes a C function the firmware provides,
// `<prefix>_import_<module>_<name>`, taking the calling instance first (the host-func convention
// of the lowering), so it can reach the module's linear memory through instance->memory.
import { BentoError } from '../diagnostics/error.js';
import { formatFuncType, resolveWasiImport, wasiModule } from '../link/wasi.js';
import type { ResolvedImport } from '../lower/types.js';
import type { Import, WasmModule } from '../wasm/types.js';

/** Letters and digits kept, `_` kept, anything else as _xx (its UTF-8 bytes in hex). */
export function cIdentifierText(name: string): string {
  return [...Buffer.from(name, 'utf8')].map((c) => (/[A-Za-z0-9_]/.test(String.fromCharCode(c)) ? String.fromCharCode(c) : `_${c.toString(16).padStart(2, '0')}`)).join('');
}

/** The C function a non-WASI function import calls. */
export function importSymbol(prefix: string, imp: Pick<Import, 'module' | 'name'>): string {
  return `${prefix}_import_${cIdentifierText(imp.module)}_${cIdentifierText(imp.name)}`;
}

/** Resolves imports for a standalone object; anything a C function cannot be is a located error. */
export function resolveCImport(wasm: WasmModule, prefix: string) {
  const wasi = resolveWasiImport(wasm);
  const claimed = new Map<string, Import>();
  return (imp: Import): ResolvedImport => {
    if (imp.module === wasiModule) return wasi(imp);
    const where = { file: wasm.file, offset: imp.offset, context: 'section import' };
    if (imp.desc.kind !== 'func') {
      throw new BentoError({
        code: 'B3004',
        message: `import ${imp.module}.${imp.name} is a ${imp.desc.kind}: a compiled object can only import functions`,
        location: where,
        hint: 'export it from the module instead (the header declares exported memories, globals and tables), or link the module in a bento recipe',
      });
    }
    const type = wasm.types[imp.desc.typeIndex]!;
    if (type.results.length > 1) {
      throw new BentoError({
        code: 'B3003',
        message: `import ${imp.module}.${imp.name} returns ${type.results.length} values ${formatFuncType(type)}: a C function returns one`,
        location: where,
        hint: 'return the extra values through linear memory (a pointer parameter)',
      });
    }
    const symbol = importSymbol(prefix, imp);
    const other = claimed.get(symbol);
    if (other && (other.module !== imp.module || other.name !== imp.name || other.desc.kind !== 'func' || formatFuncType(wasm.types[other.desc.typeIndex]!) !== formatFuncType(type))) {
      throw new BentoError({
        code: 'B3004',
        message: `imports ${other.module}.${other.name} and ${imp.module}.${imp.name} would both be the C function ${symbol}`,
        location: where,
        hint: 'rename one of them in the module',
      });
    }
    claimed.set(symbol, imp);
    return { kind: 'host-func', symbol };
  };
}
