import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tools } from './tools.js';
import type { ToolCheck } from './tools.js';
import { fileExists } from './tools.js';
import { traceCommand } from './trace.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  /** The version found, or what is wrong. */
  detail: string;
  purpose: string;
  /** Debian package to install, when that is the fix. */
  package?: string;
}

function checkTool(tool: ToolCheck): CheckResult {
  const base = { name: tool.name, purpose: tool.purpose, package: tool.package };
  if (tool.file) {
    const ok = fileExists(tool.file);
    return { ...base, ok, detail: ok ? tool.file : `missing ${tool.file}` };
  }
  const args = tool.versionArgs ?? ['--version'];
  traceCommand(tool.command!, args);
  const run = spawnSync(tool.command!, args, { encoding: 'utf8', timeout: 10_000 });
  if (run.error) return { ...base, ok: false, detail: 'not found on PATH' };
  const text = `${run.stdout}\n${run.stderr}`;
  const version = tool.versionPattern?.exec(text)?.[1] ?? '?';
  if (tool.accept && !tool.accept(version)) return { ...base, ok: false, detail: `version ${version} is not supported` };
  return { ...base, ok: true, detail: version };
}

function checkNode(): CheckResult {
  const version = process.versions.node;
  const ok = Number(version.split('.')[0]) >= 20;
  return { name: 'node', ok, detail: ok ? version : `version ${version}, need 20 or later`, purpose: 'runs bento' };
}

function checkLlvmBindings(): CheckResult {
  const base = { name: 'llvm-bindings', purpose: 'builds LLVM IR for Wasm boxes' };
  try {
    const require = createRequire(import.meta.url);
    const llvm = require('llvm-bindings') as { LLVMContext: unknown };
    return { ...base, ok: typeof llvm.LLVMContext === 'function', detail: 'native module loads' };
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    return { ...base, ok: false, detail: `${why} (run \`npm rebuild llvm-bindings --foreground-scripts\` with llvm-14-dev installed)` };
  }
}

/** Checks every tool bento runs, without changing anything. */
export function runDoctor(): CheckResult[] {
  return [checkNode(), checkLlvmBindings(), ...Object.values(tools).map(checkTool)];
}
