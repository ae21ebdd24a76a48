// The WASI test programs (test/fixtures/wasi-programs) as data, and the two tools every use of
// them needs: compiling one to .wasm, and listing a .wasm's imports.
import { execFileSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { projectRoot } from '../support/cli.js';

export const programsDir = join(projectRoot, 'test/fixtures/wasi-programs');

/** Every program with the exit code it ends with; a new .c file must be added here. */
export const wasiPrograms: Readonly<Record<string, number>> = {
  'int-math': 0,
  'float-math': 0,
  strings: 0,
  alloc: 0,
  callbacks: 0,
  recursion: 0,
  'host-services': 0,
  'exit-code': 3,
  unaligned: 0,
};

/** clang-14's arguments for one program: the README's command, plus warnings as errors. */
export function compileArgs(source: string, output: string): string[] {
  return ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wall', '-Wextra', '-Werror', source, '-o', output, '-lm'];
}

/** Compiles test/fixtures/wasi-programs/<name>.c to <outDir>/<name>.wasm and returns its path. */
export function compileProgram(name: string, outDir: string): string {
  const output = join(outDir, `${name}.wasm`);
  execFileSync('clang-14', compileArgs(join(programsDir, `${name}.c`), output), { stdio: 'pipe' });
  return output;
}

/** `module.name` of every import, from `wasm-objdump -x -j Import`; only functions are allowed. */
export function listFunctionImports(wasmPath: string): string[] {
  const text = execFileSync('wasm-objdump', ['-x', '-j', 'Import', wasmPath], { encoding: 'utf8' });
  const imports: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^ - (\w+)\[\d+\].*<- ([\w$.-]+)$/.exec(line);
    if (m === null) continue;
    if (m[1] !== 'func') throw new Error(`${basename(wasmPath)} imports a ${m[1]}: ${line.trim()}`);
    imports.push(m[2]!);
  }
  return imports;
}
