// compile_commands.json in the build folder: every C file of the build with the command that
// compiles it, so that clangd (and clang-tidy) see the board's target, defines and include
// folders. Written whole on each build, cached objects included, so it never lists only what
// the last build happened to recompile.
import type { CompileCommand } from '../compile/native-c.js';
import { writeFileIfChanged } from '../link/link.js';

/** The database's entries in a stable order: by file, then by object. */
export function compileDatabase(commands: readonly CompileCommand[]): CompileCommand[] {
  const unique = new Map(commands.map((c) => [`${c.file}\0${c.output}`, c]));
  return [...unique.values()].sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.output < b.output ? -1 : a.output > b.output ? 1 : 0));
}

/** Writes the database (atomically, and only when it changed). */
export function writeCompileDatabase(file: string, commands: readonly CompileCommand[]): void {
  const entries = compileDatabase(commands).map((c) => ({ directory: c.directory, file: c.file, arguments: c.arguments, output: c.output }));
  writeFileIfChanged(file, `${JSON.stringify(entries, null, 2)}\n`);
}
