// Runs a wasm32-wasi program under Node's own WASI (preview1): the reference that bento's
// compiled Thumb code is compared against. The guest sees what bento's runtime-c/wasi gives it:
// no arguments, an empty environment, stdin at end of file, no preopened directories.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { exitCodes } from '../../src/run/exit-codes.js';

export interface NodeRunResult {
  stdout: string;
  stderr: string;
  /** The guest's exit code; exitCodes.trap (134) when it trapped, as bento reports a trap. */
  exitCode: number;
  /** V8's message for the trap (its wording, not the spec's), when there was one. */
  trap?: string;
}

type WasiImports = Record<string, (...args: number[]) => number>;

/**
 * Node 20's WASI answers args_get and environ_get with EINVAL when there is nothing to copy (an
 * empty args array or env object; see nodejs/node#40196). wasi-libc calls args_get whenever
 * main takes argc and argv, and then exits with 71 (EX_OSERR) before main runs. With zero
 * entries there is nothing to write, so success is the right answer, and it is what bento's
 * runtime gives. (wasi-libc skips environ_get when there are no variables; same fix.)
 */
function withEmptyArgsAndEnv(imports: WasiImports): WasiImports {
  return { ...imports, args_get: () => 0, environ_get: () => 0 };
}

export async function runInNode(wasmPath: string): Promise<NodeRunResult> {
  const module = await WebAssembly.compile(await readFile(wasmPath));
  const dir = mkdtempSync(join(tmpdir(), 'bento-node-wasi-'));
  const stdoutPath = join(dir, 'stdout');
  const stderrPath = join(dir, 'stderr');
  const stdin = openSync('/dev/null', 'r');
  const stdout = openSync(stdoutPath, 'w');
  const stderr = openSync(stderrPath, 'w');
  let closed = false;
  const closeAll = (): void => {
    if (closed) return;
    closed = true;
    for (const fd of [stdin, stdout, stderr]) closeSync(fd);
  };
  try {
    const wasi = new WASI({ version: 'preview1', args: [], env: {}, returnOnExit: true, stdin, stdout, stderr });
    const imports = wasi.getImportObject() as { wasi_snapshot_preview1: WasiImports };
    const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: withEmptyArgsAndEnv(imports.wasi_snapshot_preview1) });
    let exitCode: number;
    let trap: string | undefined;
    try {
      exitCode = wasi.start(instance);
    } catch (err) {
      if (!(err instanceof WebAssembly.RuntimeError)) throw err;
      exitCode = exitCodes.trap;
      trap = err.message;
    }
    closeAll();
    const result: NodeRunResult = { stdout: readFileSync(stdoutPath, 'utf8'), stderr: readFileSync(stderrPath, 'utf8'), exitCode };
    if (trap !== undefined) result.trap = trap;
    return result;
  } finally {
    closeAll();
    rmSync(dir, { recursive: true, force: true });
  }
}
