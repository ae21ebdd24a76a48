// `bento run --profile`: instructions per function, counted by QEMU itself. A TCG plugin of ours
// (tools/qemu-profile/tb_count.c, built for this machine on first use) counts how often each
// translated block runs; the blocks' instructions are then folded into the ELF's functions.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bentoRoot } from '../paths.js';
import { runTool } from '../toolchain/exec.js';
import { parseFunctionSymbols } from './symbolize.js';

const pluginSource = join(bentoRoot, 'tools', 'qemu-profile', 'tb_count.c');

/** The plugin, compiled once per source version into a cache outside any project. */
export async function profilePlugin(): Promise<string> {
  const source = readFileSync(pluginSource);
  const version = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `bento-${process.getuid?.() ?? 'user'}`);
  const plugin = join(dir, `qemu-tb-count-${version}.so`);
  if (existsSync(plugin)) return plugin;
  mkdirSync(dir, { recursive: true });
  const tmp = `${plugin}.${process.pid}.tmp`;
  // clang without --target builds for this machine, which runs QEMU.
  await runTool('clang', ['-O2', '-shared', '-fPIC', '-Wall', pluginSource, '-o', tmp], { doing: 'building the QEMU profiling plugin', failCode: 'B5002' });
  renameSync(tmp, plugin);
  return plugin;
}

/** QEMU's arguments that load the plugin, which writes its counts to `countsFile` at exit. */
export function profileArgs(plugin: string, countsFile: string): string[] {
  return ['-plugin', `${plugin},out=${countsFile}`];
}

export interface FunctionCount {
  name: string;
  instructions: number;
}

/** Block counts ("<address> <instructions> <runs>" lines) folded into functions, most first; code outside any function is "?". */
export function foldCounts(counts: string, nmOutput: string): { total: number; functions: FunctionCount[] } {
  const symbols = parseFunctionSymbols(nmOutput).sort((a, b) => a.start - b.start);
  const byName = new Map<string, number>();
  let total = 0;
  for (const line of counts.split('\n')) {
    const m = /^([0-9a-f]+) (\d+) (\d+)$/.exec(line.trim());
    if (!m) continue;
    const address = Number.parseInt(m[1]!, 16) & ~1;
    const instructions = Number(m[2]) * Number(m[3]);
    total += instructions;
    const name = containing(symbols, address) ?? '?';
    byName.set(name, (byName.get(name) ?? 0) + instructions);
  }
  const functions = [...byName].map(([name, instructions]) => ({ name, instructions })).sort((a, b) => b.instructions - a.instructions || a.name.localeCompare(b.name));
  return { total, functions };
}

function containing(symbols: readonly { name: string; start: number; end: number }[], address: number): string | undefined {
  let lo = 0;
  let hi = symbols.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = symbols[mid]!;
    if (address < s.start) hi = mid - 1;
    else if (address >= s.end) lo = mid + 1;
    else return s.name;
  }
  return undefined;
}

/** The profile of a run: the ELF's function symbols applied to the plugin's counts. */
export async function readProfile(elf: string, countsFile: string): Promise<{ total: number; functions: FunctionCount[] }> {
  const nm = await runTool('nm', ['-S', '--defined-only', elf], { doing: `reading the functions of ${elf}` });
  return foldCounts(existsSync(countsFile) ? readFileSync(countsFile, 'utf8') : '', nm.stdout);
}

/** The profile as a table: instructions, share of the total, function. */
export function formatProfile(profile: { total: number; functions: readonly FunctionCount[] }, limit?: number): string {
  const shown = limit === undefined ? profile.functions : profile.functions.slice(0, limit);
  const width = String(profile.total).length;
  const rows = shown.map((f) => `${String(f.instructions).padStart(width)}  ${((100 * f.instructions) / Math.max(profile.total, 1)).toFixed(1).padStart(5)}%  ${f.name}`);
  return [`${String(profile.total).padStart(width)}  100.0%  (all instructions executed)`, ...rows].join('\n');
}
