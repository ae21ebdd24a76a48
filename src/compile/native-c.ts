import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Board } from '../config/board.js';
import { fpuFlags, region } from '../config/board.js';
import { hex32 } from '../glue/render.js';
import { vectorTable } from '../plan/interrupts.js';
import { runtimeDir } from '../paths.js';
import { runTool } from '../toolchain/exec.js';
import { tools } from '../toolchain/tools.js';
import { join } from 'node:path';

/** Flags that make clang-14 produce Thumb code for the board, the same for every C file. */
export function boardCFlags(board: Board): string[] {
  const fpu = fpuFlags(board);
  const ram = region(board, 'ram');
  return [
    `--target=${board.llvm.triple}`,
    `-mcpu=${board.cpu.core}`,
    ...fpu,
    `-mfloat-abi=${board.cpu.floatAbi}`,
    '-mthumb',
    // arm-none-eabi's newlib and libgcc are built with short enums; match them.
    '-fshort-enums',
    // Wasm forbids fused multiply-add; native builds match so results compare bit for bit.
    '-ffp-contract=off',
    '-ffunction-sections',
    '-fdata-sections',
    '-isystem',
    '/usr/lib/arm-none-eabi/include',
    '-I',
    join(runtimeDir, 'include'),
    `-DBENTO_BOARD_NAME="${board.name}"`,
    `-DBENTO_UART_BASE=${hex32(board.uart.base)}u`,
    `-DBENTO_COUNTER_ADDRESS=${hex32(board.counter.address)}u`,
    `-DBENTO_COUNTER_HZ=${board.counter.hz}u`,
    `-DBENTO_RAM_ORIGIN=${hex32(ram.origin)}u`,
    `-DBENTO_RAM_SIZE=${hex32(ram.size)}u`,
    `-DBENTO_MPU_REGIONS=${board.mpu.kind === 'none' ? 0 : board.mpu.regions}`,
    ...vectorTableDefines(board),
    ...uartDefines(board),
    ...counterDefines(board),
    ...setupDefines(board),
  ];
}

/** The vector table's external lines and alignment (startup.c, bento/irq.h), from the board's NVIC. */
function vectorTableDefines(board: Board): string[] {
  const table = vectorTable(board);
  return [`-DBENTO_IRQ_VECTORS=${table.lines}`, `-DBENTO_VECTOR_TABLE_ALIGN=${table.align}`];
}

/** The board's reset-time register writes as a C initializer (startup.c applies them in order). */
function setupDefines(board: Board): string[] {
  if (board.setup.length === 0) return [];
  const rows = board.setup.map((w) => `{${hex32(w.address)}u,${hex32(w.clear)}u,${hex32(w.set)}u}`);
  return [`-DBENTO_BOARD_SETUP={${rows.join(',')}}`];
}

/** What the board's UART driver needs beyond its base (the CMSDK one needs nothing more). */
function uartDefines(board: Board): string[] {
  const u = board.uart;
  switch (u.kind) {
    case 'cmsdk':
      return [];
    case 'stm32-usart':
    case 'stm32-usart-v2':
    case 'pl011':
      return [`-DBENTO_UART_CLOCK_HZ=${u.clockHz}u`, `-DBENTO_UART_BAUD=${u.baud}u`];
    case 'nrf-uarte':
      return [`-DBENTO_UART_BAUD=${u.baud}u`, `-DBENTO_UART_TX_PIN=${u.txPin}u`, ...(u.rxPin !== undefined ? [`-DBENTO_UART_RX_PIN=${u.rxPin}u`] : [])];
  }
}

/** Counters that a driver starts at reset, and those that count down. */
function counterDefines(board: Board): string[] {
  switch (board.counter.kind) {
    case 'fpgaio':
      return [];
    case 'stm32-tim':
      return ['-DBENTO_COUNTER_INIT'];
    case 'cmsdk-watchdog':
      return ['-DBENTO_COUNTER_INIT', '-DBENTO_COUNTER_DOWN'];
    case 'dwt-cyccnt':
      return ['-DBENTO_COUNTER_INIT'];
  }
}

export interface CompileCInput {
  board: Board;
  source: string;
  object: string;
  /** Extra flags: optimisation, include paths, defines. */
  flags: readonly string[];
}

/** What compileC did: `cached` when the object was already up to date. */
export interface CompiledObject {
  object: string;
  source: string;
  cached: boolean;
  /** How it is (or was) compiled, for compile_commands.json. */
  command: CompileCommand;
}

/** One entry of compile_commands.json, the compilation database clangd and clang-tidy read. */
export interface CompileCommand {
  directory: string;
  file: string;
  arguments: readonly string[];
  output: string;
}

/**
 * Compiles one C file unless its object is newer than every file it depends on (from clang's
 * depfile) and was built with the same command line.
 */
export async function compileC(input: CompileCInput): Promise<CompiledObject> {
  const args = [...boardCFlags(input.board), ...input.flags, '-MMD', '-MF', `${input.object}.d`, '-c', input.source, '-o', input.object];
  const { cached, command } = await compileCached('clang', args, input.object, `compiling ${input.source}`);
  return { object: input.object, source: input.source, cached, command };
}

/**
 * Runs a compiler whose arguments write `object` and its depfile `object.d` from the source after
 * `-c`, unless the object is newer than everything the depfile names and was made by the same
 * command line. Its warnings are shown when it runs, so an object that is up to date shows none.
 */
export async function compileCached(tool: 'clang' | 'gcc', args: readonly string[], object: string, doing: string): Promise<{ cached: boolean; command: CompileCommand }> {
  const source = args[args.indexOf('-c') + 1];
  if (!args.includes('-c') || source === undefined) throw new Error(`internal: compileCached without -c <source> (${doing})`);
  const command = { directory: process.cwd(), file: source, arguments: [tools[tool].command, ...args], output: object };
  const stamp = stampOf(args);
  const stampFile = `${object}.cmd`;
  if (upToDate(object, stampFile, stamp)) return { cached: true, command };
  mkdirSync(dirname(object), { recursive: true });
  await runTool(tool, args, { failCode: 'B5002', doing, warnings: true });
  writeFileSync(stampFile, stamp);
  return { cached: false, command };
}

function upToDate(object: string, stampFile: string, stamp: string): boolean {
  if (!existsSync(`${object}.d`)) return false;
  const deps = readFileSync(`${object}.d`, 'utf8')
    .replace(/\\\n/g, ' ')
    .split(':')
    .slice(1)
    .join(':')
    .split(/\s+/)
    .filter(Boolean);
  return isFresh(object, stampFile, stamp, deps);
}

/** Whether `output` was made by the command `stamp` names and is newer than all its inputs. */
export function isFresh(output: string, stampFile: string, stamp: string, inputs: readonly string[]): boolean {
  if (!existsSync(output) || !existsSync(stampFile)) return false;
  if (readFileSync(stampFile, 'utf8') !== stamp) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((dep) => existsSync(dep) && statSync(dep).mtimeMs <= built);
}

export function stampOf(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}
