import { BentoError } from '../diagnostics/error.js';
import type { ResolvedImport } from '../lower/types.js';
import type { FuncType, Import, ValType, WasmModule } from '../wasm/types.js';

export const wasiModule = 'wasi_snapshot_preview1';

const sig = (params: ValType[], results: ValType[] = ['i32']): FuncType => ({ params, results });

/** The WASI preview1 functions runtime-c/wasi implements, with their Wasm types. */
export const wasiFunctions: Record<string, FuncType> = {
  args_get: sig(['i32', 'i32']),
  args_sizes_get: sig(['i32', 'i32']),
  environ_get: sig(['i32', 'i32']),
  environ_sizes_get: sig(['i32', 'i32']),
  clock_res_get: sig(['i32', 'i32']),
  clock_time_get: sig(['i32', 'i64', 'i32']),
  fd_close: sig(['i32']),
  fd_fdstat_get: sig(['i32', 'i32']),
  fd_prestat_get: sig(['i32', 'i32']),
  fd_prestat_dir_name: sig(['i32', 'i32', 'i32']),
  fd_read: sig(['i32', 'i32', 'i32', 'i32']),
  fd_seek: sig(['i32', 'i64', 'i32', 'i32']),
  fd_write: sig(['i32', 'i32', 'i32', 'i32']),
  proc_exit: sig(['i32'], []),
  random_get: sig(['i32', 'i32']),
  sched_yield: sig([]),
};

export function formatFuncType(t: FuncType): string {
  return `(${t.params.join(', ')}) -> ${t.results.length === 0 ? '()' : t.results.length === 1 ? t.results[0] : `(${t.results.join(', ')})`}`;
}

function describe(imp: Import, wasm: WasmModule): string {
  if (imp.desc.kind === 'func') return `function ${formatFuncType(wasm.types[imp.desc.typeIndex]!)}`;
  return imp.desc.kind;
}

/** Resolves a program's imports against WASI; anything else is a located link error. */
export function resolveWasiImport(wasm: WasmModule) {
  return (imp: Import): ResolvedImport => {
    const where = { file: wasm.file, offset: imp.offset, context: 'section import' };
    const expected = imp.module === wasiModule ? wasiFunctions[imp.name] : undefined;
    if (!expected || imp.desc.kind !== 'func') {
      throw new BentoError({
        code: 'B3004',
        message: `unknown import ${imp.module}.${imp.name} (${describe(imp, wasm)})`,
        location: where,
        hint: `bento provides these ${wasiModule} functions: ${Object.keys(wasiFunctions).join(', ')}`,
      });
    }
    const actual = wasm.types[imp.desc.typeIndex]!;
    if (formatFuncType(actual) !== formatFuncType(expected)) {
      throw new BentoError({
        code: 'B3004',
        message: `import ${imp.module}.${imp.name} has type ${formatFuncType(actual)}, but WASI's is ${formatFuncType(expected)}`,
        location: where,
      });
    }
    return { kind: 'host-func', symbol: `bento_wasi_${imp.name}` };
  };
}
