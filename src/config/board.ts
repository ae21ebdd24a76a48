import { existsSync } from 'node:fs';
import { join, resolve, isAbsolute } from 'node:path';
import { BentoError, fail } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { boardsDir } from '../paths.js';
import { checkDocument } from './schema.js';
import type { Field } from './schema.js';
import { loadToml } from './toml.js';
import type { TomlDocument } from './toml.js';

export interface MemoryRegion {
  name: string;
  origin: number;
  size: number;
  access: string;
}

export interface Board {
  /** Absolute path of the board file. */
  file: string;
  name: string;
  description: string;
  cpu: { core: string; arch: string; fpu: string; floatAbi: 'hard' | 'soft' | 'softfp'; clockHz: number };
  llvm: { triple: string; cpu: string; features: readonly string[] };
  /** Sorted by origin. `code` and `ram` always exist. */
  memory: readonly MemoryRegion[];
  mpu: { kind: 'pmsav7' | 'none'; regions: number };
  uart: { kind: 'cmsdk'; base: number };
  counter: { address: number; hz: number };
  qemu: { machine: string; cpu?: string; args: readonly string[] };
}

const address: Field = { kind: 'int', doc: 'a 32-bit address', required: true, min: 0, max: 0xffff_ffff };

export const boardSchema: Record<string, Field> = {
  name: { kind: 'string', doc: 'short board name, used for build/<name>/', required: true },
  description: { kind: 'string', doc: 'one line shown by `bento boards`' },
  cpu: {
    kind: 'table',
    doc: 'the processor',
    required: true,
    fields: {
      core: { kind: 'string', doc: 'clang -mcpu value', required: true, oneOf: ['cortex-m3', 'cortex-m4', 'cortex-m7', 'cortex-m33', 'cortex-m55'] },
      arch: { kind: 'string', doc: 'architecture', required: true, oneOf: ['armv7-m', 'armv7e-m', 'armv8-m.main', 'armv8.1-m.main'] },
      fpu: { kind: 'string', doc: 'clang -mfpu value, or "none"', required: true },
      'float-abi': { kind: 'string', doc: 'clang -mfloat-abi', required: true, oneOf: ['hard', 'soft', 'softfp'] },
      'clock-hz': { kind: 'int', doc: 'core clock in Hz', required: true, min: 1 },
    },
  },
  llvm: {
    kind: 'table',
    doc: 'code generation settings for the Wasm compiler',
    required: true,
    fields: {
      triple: { kind: 'string', doc: 'LLVM target triple', required: true },
      cpu: { kind: 'string', doc: 'llc -mcpu value', required: true },
      features: { kind: 'array', doc: 'llc -mattr entries, e.g. "+fp64"', of: { kind: 'string', doc: 'one feature' } },
    },
  },
  memory: {
    kind: 'map',
    doc: 'memory regions by name; "code" and "ram" are required',
    required: true,
    of: {
      kind: 'table',
      doc: 'one memory region',
      fields: {
        origin: address,
        size: { kind: 'size', doc: 'size in bytes, or a string such as "4 MiB"', required: true },
        access: { kind: 'string', doc: 'permissions: r, w, x', required: true, oneOf: ['r', 'rx', 'rw', 'rwx'] },
      },
    },
  },
  mpu: {
    kind: 'table',
    doc: 'memory protection unit',
    required: true,
    fields: {
      kind: { kind: 'string', doc: 'MPU architecture', required: true, oneOf: ['pmsav7', 'none'] },
      regions: { kind: 'int', doc: 'number of MPU regions', required: true, min: 0, max: 16 },
    },
  },
  uart: {
    kind: 'table',
    doc: 'the console UART',
    required: true,
    fields: {
      kind: { kind: 'string', doc: 'UART model', required: true, oneOf: ['cmsdk'] },
      base: address,
    },
  },
  counter: {
    kind: 'table',
    doc: 'a free-running counter register used for timing',
    required: true,
    fields: { address, hz: { kind: 'int', doc: 'tick rate in Hz', required: true, min: 1 } },
  },
  qemu: {
    kind: 'table',
    doc: 'how to emulate this board',
    required: true,
    fields: {
      machine: { kind: 'string', doc: 'qemu-system-arm -M value', required: true },
      cpu: { kind: 'string', doc: 'qemu-system-arm -cpu value' },
      args: { kind: 'array', doc: 'extra QEMU arguments', of: { kind: 'string', doc: 'one argument' } },
    },
  },
};

/** A board given as a path, or as a name found in bento's boards/ folder ("m4"). */
export function findBoardFile(spec: string, cwd = process.cwd()): string {
  const candidates = [resolve(cwd, spec)];
  if (!isAbsolute(spec)) {
    const bare = spec.replace(/^boards\//, '');
    candidates.push(join(boardsDir, bare), join(boardsDir, `${bare}.toml`));
  }
  const hit = candidates.find((c) => existsSync(c) && c.endsWith('.toml'));
  if (!hit) fail('B1007', `no board file '${spec}'`, { hint: `looked at ${candidates.join(', ')}; \`bento boards\` lists the boards bento ships` });
  return hit;
}

export function loadBoard(spec: string, cwd = process.cwd()): Board {
  const doc = loadToml(findBoardFile(spec, cwd));
  return resolveBoard(doc);
}

export function resolveBoard(doc: TomlDocument): Board {
  const raw = checkDocument(doc, boardSchema) as any;
  const memory: MemoryRegion[] = Object.entries(raw.memory as Record<string, any>)
    .map(([name, r]) => ({ name, origin: r.origin, size: r.size, access: r.access }))
    .sort((a, b) => a.origin - b.origin);

  const problems: Diagnostic[] = [];
  const at = (key: string) => doc.keys.get(key) ?? { file: doc.file };
  for (const needed of ['code', 'ram']) {
    if (!memory.some((m) => m.name === needed)) {
      problems.push({ code: 'B1003', message: `missing memory region 'memory.${needed}'`, location: { file: doc.file } });
    }
  }
  for (const m of memory) {
    if (m.size === 0) problems.push({ code: 'B1004', message: `memory region '${m.name}' has size 0`, location: at(`memory.${m.name}.size`) });
    if (m.origin + m.size > 2 ** 32) {
      problems.push({ code: 'B1004', message: `memory region '${m.name}' ends past 4 GiB (0x${(m.origin + m.size).toString(16)})`, location: at(`memory.${m.name}`) });
    }
  }
  for (let i = 1; i < memory.length; i++) {
    const a = memory[i - 1]!;
    const b = memory[i]!;
    if (a.origin + a.size > b.origin) {
      problems.push({
        code: 'B1006',
        message: `memory regions '${a.name}' (${hex(a.origin)}..${hex(a.origin + a.size)}) and '${b.name}' (${hex(b.origin)}..${hex(b.origin + b.size)}) overlap`,
        location: at(`memory.${b.name}`),
      });
    }
  }
  if (problems.length > 0) throw new BentoError(problems);

  return {
    file: doc.file,
    name: raw.name,
    description: raw.description ?? '',
    cpu: { core: raw.cpu.core, arch: raw.cpu.arch, fpu: raw.cpu.fpu, floatAbi: raw.cpu['float-abi'], clockHz: raw.cpu['clock-hz'] },
    llvm: { triple: raw.llvm.triple, cpu: raw.llvm.cpu, features: raw.llvm.features ?? [] },
    memory,
    mpu: raw.mpu,
    uart: raw.uart,
    counter: raw.counter,
    qemu: { machine: raw.qemu.machine, cpu: raw.qemu.cpu, args: raw.qemu.args ?? [] },
  };
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

export function region(board: Board, name: 'code' | 'ram'): MemoryRegion {
  return board.memory.find((m) => m.name === name)!;
}
