// Source lines for compiled Wasm code: when the module carries a DWARF line table (C built with
// -g), each generated instruction gets the debug location of the Wasm instruction it comes from,
// so llc writes a .debug_line for the Thumb code and addr2line, gdb and the fault explainer name
// the C line of a box's PC. A function the table does not cover (wasi-libc's, built without -g)
// gets a subprogram with line 0 throughout, so the lines of what opt inlines into it survive.
//
// What llvm-bindings 0.4.2 offers shapes this: DIBuilder with files, a compile unit, subprograms
// and lexical blocks, and DILocation.get without an inlined-at (so inlining recorded in the
// module's .debug_info is not carried over: each instruction names the line it was written on).
// A function's lines from another file (an inlined header function) get a lexical block in that
// file, the one scope that can change the file inside a function.
import { readLineTable, rowsAt } from '../wasm/debug-line.js';
import { readCompDirs } from '../wasm/dwarf-units.js';
import type { LineRow, LineTable } from '../wasm/debug-line.js';
import type { FuncBody, WasmModule } from '../wasm/types.js';
import { llvm } from './llvm.js';
import type { L } from './llvm.js';

const DW_LANG_C99 = 0x0c;
/** Module::ModFlagBehavior::Warning. */
const WARNING = 2;

export class DebugInfo {
  private readonly builder: L.DIBuilder;
  private readonly files = new Map<string, L.DIFile>();
  private readonly subroutineType: L.DISubroutineType;
  /** The first line of each function with lines, by symbol: where its export's entry is said to be. */
  private readonly openings = new Map<string, LineRow>();

  private constructor(
    private readonly ctx: L.LLVMContext,
    module: L.Module,
    private readonly codeStart: number,
    private readonly table: LineTable,
    private readonly wasmFile: string,
  ) {
    module.addModuleFlag(WARNING, 'Debug Info Version', 3);
    module.addModuleFlag(WARNING, 'Dwarf Version', 4);
    this.builder = new llvm.DIBuilder(module);
    // No compilation directory: the table's paths are joined to their own units' (dwarf-units.ts);
    // one the module does not say (wasi-libc's) is better shown as it is than joined to a wrong one.
    this.builder.createCompileUnit(DW_LANG_C99, this.builder.createFile(wasmFile, ''), 'bento', true, '', 0);
    this.subroutineType = this.builder.createSubroutineType(this.builder.getOrCreateTypeArray([null]));
  }

  /** Debug information for `module`, or undefined when the Wasm module has no line table bento can read. */
  static of(wasm: WasmModule, ctx: L.LLVMContext, module: L.Module): DebugInfo | undefined {
    const line = wasm.debugSections?.get('.debug_line');
    const code = wasm.sections?.find((s) => s.id === 10);
    if (!line || !code) return undefined;
    const sections = wasm.debugSections!;
    const [str, lineStr, info, abbrev] = ['.debug_str', '.debug_line_str', '.debug_info', '.debug_abbrev'].map((name) => sections.get(name));
    const compDirs = info && abbrev ? readCompDirs({ info, abbrev, str, lineStr, strOffsets: sections.get('.debug_str_offsets') }) : undefined;
    const table = readLineTable({ line, str, lineStr, compDirs });
    if (!table || table.rows.length === 0) return undefined;
    return new DebugInfo(ctx, module, code.offset, table, wasm.file);
  }

  private file(path: string): L.DIFile {
    let file = this.files.get(path);
    if (!file) {
      const slash = path.lastIndexOf('/');
      file = this.builder.createFile(slash < 0 ? path : path.slice(slash + 1), slash < 0 ? '' : path.slice(0, slash) || '/');
      this.files.set(path, file);
    }
    return file;
  }

  /**
   * Gives `fn` a subprogram and returns the location of each instruction of `code`: undefined
   * where the table has no line for it (the previous one's goes on), line 0 throughout a
   * function it does not cover.
   */
  locations(fn: L.Function, name: string, symbol: string, code: FuncBody): (L.DILocation | undefined)[] {
    const rows = rowsAt(this.table, code.body.map((instr) => instr.offset - this.codeStart));
    const first = rows.find((r): r is LineRow => r !== undefined);
    if (!first) {
      // No lines (wasi-libc's own code): line 0 throughout, so what opt inlines into it keeps its lines.
      const nowhere = llvm.DILocation.get(this.ctx, 0, 0, this.subprogram(fn, name, symbol, { address: 0, file: this.wasmFile, line: 0, column: 0 }, true));
      return rows.map(() => nowhere);
    }
    this.openings.set(symbol, first);
    const sp = this.subprogram(fn, name, symbol, first, true);
    const scopes = new Map<string, L.DILocalScope>([[first.file, sp]]);
    const made = new Map<string, L.DILocation>();
    return rows.map((row) => {
      if (!row) return undefined;
      const key = `${row.file}\0${row.line}\0${row.column}`;
      let location = made.get(key);
      if (!location) {
        let scope = scopes.get(row.file);
        if (!scope) {
          scope = this.builder.createLexicalBlock(sp, this.file(row.file), row.line, row.column);
          scopes.set(row.file, scope);
        }
        location = llvm.DILocation.get(this.ctx, row.line, row.column, scope);
        made.set(key, location);
      }
      return location;
    });
  }

  /**
   * Gives an export's entry, which calls `callee`, a subprogram at the callee's first line, and
   * returns the location for that call: code opt inlines into the entry keeps its lines.
   */
  entry(fn: L.Function, name: string, symbol: string, callee: string): L.DILocation {
    const opening = this.openings.get(callee) ?? { address: 0, file: this.wasmFile, line: 0, column: 0 };
    return llvm.DILocation.get(this.ctx, opening.line, opening.column, this.subprogram(fn, name, symbol, opening, false));
  }

  private subprogram(fn: L.Function, name: string, symbol: string, at: LineRow, local: boolean): L.DISubprogram {
    const file = this.file(at.file);
    const flags = llvm.DISubprogram.DISPFlags;
    const spFlags = flags.SPFlagDefinition | flags.SPFlagOptimized | (local ? flags.SPFlagLocalToUnit : 0);
    const sp = this.builder.createFunction(file, name, symbol, file, at.line, this.subroutineType, at.line, 0, spFlags);
    fn.setSubprogram(sp);
    return sp;
  }

  /** Ends the builder's location: what is built next (another function, an export's entry) has none of this one's. */
  static clearLocation(b: L.IRBuilder): void {
    b.SetCurrentDebugLocation(new llvm.DebugLoc());
  }

  /** Completes the debug information; call once, before the module is printed. */
  finish(): void {
    this.builder.finalize();
  }
}
