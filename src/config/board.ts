import { existsSync } from 'node:fs';
import { join, resolve, isAbsolute } from 'node:path';
import { BentoError, fail } from '../diagnostics/error.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/error.js';
import { boardsDir } from '../paths.js';
import { bootloaderSchema, checkBootloader, resolveBootloader } from './bootloader.js';
import type { BootloaderLayout } from './bootloader.js';
import { checkInterruptLines, interruptLinesSchema } from './interrupt-lines.js';
import type { InterruptLine } from './interrupt-lines.js';
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
  /** `irqs`: external interrupt lines of the NVIC; `priorityBits`: priority bits it implements. */
  cpu: { core: string; arch: string; fpu: string; floatAbi: 'hard' | 'soft' | 'softfp'; clockHz: number; irqs: number; priorityBits: number };
  /** The NVIC's lines by name (`[interrupts]`), sorted by line, then name; may be empty. */
  interrupts: readonly InterruptLine[];
  llvm: { triple: string; cpu: string; features: readonly string[] };
  /** Sorted by origin. `code` and `ram` always exist. */
  memory: readonly MemoryRegion[];
  mpu: { kind: 'pmsav7' | 'pmsav8' | 'none'; regions: number };
  uart: ConsoleUart;
  /** Further UARTs by the board's name for them (`[uarts.<NAME>]`): a serverless recipe's request line. */
  uarts: ReadonlyMap<string, BoardUart>;
  counter: FreeRunningCounter;
  /** How to emulate the board; absent for a board QEMU cannot emulate (build only). */
  qemu?: { machine: string; cpu?: string; args: readonly string[]; quiet: readonly string[] };
  /** Register writes at reset, before the counter and the console start: clocks and pins. */
  setup: readonly RegisterWrite[];
  /** Where the board is declared (its `name` key), for errors about the board as a whole. */
  at: SourceLocation;
  /** The serial bootloader bento flash talks to, when the board has one. */
  bootloader?: BootloaderLayout;
  serial: SerialLines;
}

/** A read-modify-write at reset: `*address = (*address & ~clear) | set`. */
export interface RegisterWrite {
  address: number;
  set: number;
  clear: number;
}

/** One driver per kind in runtime-c/uart/, chosen when the runtime sources are assembled. */
export const uartKinds = ['cmsdk', 'stm32-usart', 'stm32-usart-v2', 'pl011', 'nrf-uarte'] as const;
export type UartKind = (typeof uartKinds)[number];

/** The console UART: its kind picks the driver; the rest reaches C as -D defines. */
export interface ConsoleUart {
  kind: UartKind;
  base: number;
  baud: number;
  /** The clock the UART divides down to its baud rate (STM32 USART, PL011). */
  clockHz: number;
  /** nrf-uarte: PSEL values of the TX and RX pins (pin | port << 5). */
  txPin?: number;
  rxPin?: number;
}

/** A UART beside the console, driven by interrupt (runtime-c/serverless/ has its drivers). */
export interface BoardUart {
  name: string;
  kind: UartKind;
  base: number;
  baud: number;
  clockHz: number;
  /** Its NVIC lines, as written: names of the board's `[interrupts]` or numbers (RX first, where the part has two). */
  irqs: readonly (string | number)[];
  /** QEMU's index of the `-serial` option that backs it (0 is the console); absent: not emulated. */
  qemuSerial?: number;
  at: SourceLocation;
}

/**
 * The free-running up-counter the runtime reads for WASI clocks, bench and tests. `address` is
 * always the register that is read; a kind with an init driver (runtime-c/counter/) finds its
 * peripheral from it.
 */
export const counterKinds = ['fpgaio', 'stm32-tim', 'cmsdk-watchdog', 'dwt-cyccnt'] as const;
export type CounterKind = (typeof counterKinds)[number];
export interface FreeRunningCounter {
  kind: CounterKind;
  address: number;
  hz: number;
}

/** Register offset of the counter each kind reads, within its peripheral (the `address` check). */
const counterRegister: Record<CounterKind, { offset: number; what: string } | undefined> = {
  fpgaio: undefined,
  // TIMx_CNT of a general-purpose timer (TIM2/TIM5 are 32 bits wide)
  'stm32-tim': { offset: 0x24, what: 'TIMx_CNT, at +0x24 of the timer' },
  // WDOGVALUE of a CMSDK APB watchdog (the Stellaris watchdog QEMU models), a down-counter read inverted
  'cmsdk-watchdog': { offset: 0x04, what: 'WDOGVALUE, at +0x04 of the watchdog' },
  // the core's cycle counter, DWT_CYCCNT at 0xE0001004 (real Cortex-M3/M4/M7; QEMU 7.2 lacks it)
  'dwt-cyccnt': { offset: 0x04, what: 'DWT_CYCCNT (0xE0001004)' },
};

/** Cortex-M's peripheral region: the console UART must be in it. */
export const peripheralSpace = { start: 0x4000_0000, end: 0x6000_0000 };

/** How a serial port talks to the board: speed, parity, and optional control lines. */
export interface SerialLines {
  baud: number;
  parity: 'none' | 'even';
  /** A line that resets the target when pulsed, and one that selects its bootloader (BOOT0). */
  reset: 'none' | 'dtr' | 'rts';
  boot: 'none' | 'dtr' | 'rts';
}

/** ARMv7-M and ARMv8-M NVICs have at most 496 external interrupt lines. */
export const maxIrqs = 496;

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
      fpu: { kind: 'string', doc: 'clang -mfpu value, "none", or "auto" (the -mcpu\'s own FPU, no -mfpu: the Cortex-M55 keeps MVE only so)', required: true },
      'float-abi': { kind: 'string', doc: 'clang -mfloat-abi', required: true, oneOf: ['hard', 'soft', 'softfp'] },
      'clock-hz': { kind: 'int', doc: 'core clock in Hz', required: true, min: 1 },
      irqs: { kind: 'int', doc: 'external interrupt lines of the NVIC (IRQ 0 to irqs - 1)', required: true, min: 1, max: maxIrqs },
      'priority-bits': { kind: 'int', doc: 'interrupt priority bits the NVIC implements (the top bits of each priority byte)', required: true, min: 3, max: 8 },
    },
  },
  interrupts: interruptLinesSchema,
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
      kind: { kind: 'string', doc: 'MPU architecture: pmsav7 (ARMv7-M), pmsav8 (ARMv8-M), none', required: true, oneOf: ['pmsav7', 'pmsav8', 'none'] },
      regions: { kind: 'int', doc: 'number of MPU regions', required: true, min: 0, max: 16 },
    },
  },
  uart: {
    kind: 'table',
    doc: 'the console UART',
    required: true,
    fields: {
      kind: { kind: 'string', doc: 'UART model, its driver in runtime-c/uart/: cmsdk (MPS2), stm32-usart (STM32 F1/F2/F4: SR, DR, BRR, CR1), stm32-usart-v2 (STM32 F0/F3/F7/L4: ISR, RDR, TDR), pl011 (Arm PrimeCell, Stellaris), nrf-uarte (nRF52 with EasyDMA)', required: true, oneOf: uartKinds },
      base: { ...address, doc: 'base address of its registers, in the peripheral space 0x40000000-0x5FFFFFFF' },
      baud: { kind: 'int', doc: 'baud rate (default 115200; QEMU ignores it)', min: 1 },
      'clock-hz': { kind: 'int', doc: 'the clock the UART divides to its baud rate: stm32-usart its APB clock, pl011 UARTCLK (default cpu.clock-hz)', min: 1 },
      'tx-pin': { kind: 'int', doc: 'nrf-uarte: PSEL.TXD, pin + 32 * port (required for nrf-uarte)', min: 0, max: 63 },
      'rx-pin': { kind: 'int', doc: 'nrf-uarte: PSEL.RXD, pin + 32 * port (default: not connected)', min: 0, max: 63 },
    },
  },
  uarts: {
    kind: 'map',
    doc: 'UARTs beside the console, by the part\'s name for them: one may carry a serverless recipe\'s requests',
    of: {
      kind: 'table',
      doc: 'one UART',
      fields: {
        kind: { kind: 'string', doc: 'UART model (as uart.kind)', required: true, oneOf: uartKinds },
        base: { ...address, doc: 'base address of its registers' },
        baud: { kind: 'int', doc: 'baud rate (default 115200; QEMU ignores it)', min: 1 },
        'clock-hz': { kind: 'int', doc: 'the clock it divides to its baud rate (default cpu.clock-hz)', min: 1 },
        irqs: {
          kind: 'array',
          doc: 'its interrupt lines, by the board\'s names or numbers; RX first where the part has two (CMSDK: RX, TX)',
          required: true,
          of: {
            kind: 'either',
            doc: 'a line',
            of: [
              { kind: 'string', doc: "a line of the board's [interrupts]" },
              { kind: 'int', doc: 'the external interrupt number', min: 0 },
            ],
          },
        },
        'qemu-serial': { kind: 'int', doc: "QEMU's index of the -serial option that backs this UART (0 is the console's)", min: 1, max: 8 },
      },
    },
  },
  counter: {
    kind: 'table',
    doc: 'a free-running counter register used for timing',
    required: true,
    fields: {
      kind: { kind: 'string', doc: 'what counts: fpgaio (MPS2, default), stm32-tim (a 32-bit STM32 timer), cmsdk-watchdog (Stellaris watchdog, counting down), dwt-cyccnt (the core cycle counter of real parts)', oneOf: counterKinds },
      address: { ...address, doc: 'the counter register bento reads' },
      hz: { kind: 'int', doc: 'tick rate in Hz', required: true, min: 1 },
    },
  },
  setup: {
    kind: 'array',
    doc: 'register writes at reset, in order, before the counter and the console start (on silicon: peripheral clocks, pin functions)',
    of: {
      kind: 'table',
      doc: 'one read-modify-write: *address = (*address & ~clear) | set',
      fields: {
        address: { ...address, doc: 'the register' },
        set: { kind: 'int', doc: 'bits to set', min: 0, max: 0xffff_ffff },
        clear: { kind: 'int', doc: 'bits to clear first', min: 0, max: 0xffff_ffff },
      },
    },
  },
  bootloader: bootloaderSchema,
  serial: {
    kind: 'table',
    doc: 'how bento flash and bento monitor talk to the board',
    fields: {
      baud: { kind: 'int', doc: 'baud rate (default 115200)', min: 1 },
      parity: { kind: 'string', doc: 'none (default), or even as STM32 system bootloaders want (8E1)', oneOf: ['none', 'even'] },
      reset: { kind: 'string', doc: 'control line pulsed to reset the target (default none)', oneOf: ['none', 'dtr', 'rts'] },
      boot: { kind: 'string', doc: 'control line held to start the bootloader, e.g. wired to BOOT0 (default none)', oneOf: ['none', 'dtr', 'rts'] },
    },
  },
  qemu: {
    kind: 'table',
    doc: 'how to emulate this board; leave it out for a board QEMU cannot emulate (bento builds for it, but cannot run it)',
    fields: {
      machine: { kind: 'string', doc: 'qemu-system-arm -M value', required: true },
      cpu: { kind: 'string', doc: 'qemu-system-arm -cpu value' },
      args: { kind: 'array', doc: 'extra QEMU arguments', of: { kind: 'string', doc: 'one argument' } },
      quiet: { kind: 'array', doc: "lines QEMU prints on stderr for this machine that say nothing about the firmware (left out of bento's output)", of: { kind: 'string', doc: 'one whole line' } },
    },
  },
};

/** A board given as a path, or as a name found in bento's boards/ folder ("m4"). */
export function findBoardFile(spec: string, cwd = process.cwd()): string {
  const candidates = [resolve(cwd, spec)];
  if (!isAbsolute(spec)) {
    // By name: the project's own boards/ first (a part of its own, or a shipped board it changed), then bento's.
    const bare = spec.replace(/^boards\//, '');
    candidates.push(join(cwd, 'boards', `${bare}.toml`), join(boardsDir, bare), join(boardsDir, `${bare}.toml`));
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
  const atValue = (key: string) => doc.values.get(key) ?? at(key);
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
  const named = checkInterruptLines(raw.interrupts ?? {}, raw.cpu.irqs, { key: at, value: atValue });
  problems.push(...named.problems);
  const mpuProblem = checkMpuKind(raw.cpu.arch, raw.mpu.kind, raw.mpu.regions);
  if (mpuProblem) problems.push({ code: 'B1004', message: mpuProblem.message, hint: mpuProblem.hint, location: at(mpuProblem.key) });
  const code = memory.find((m) => m.name === 'code');
  const bl = raw.bootloader;
  if (bl && code) problems.push(...checkBootloader(bl, code, raw.uart.kind, at));
  const uart = raw.uart;
  if (uart.base < peripheralSpace.start || uart.base >= peripheralSpace.end) {
    problems.push({
      code: 'B1004',
      message: `'uart.base' is ${hex(uart.base)}, outside the peripheral space ${hex(peripheralSpace.start)}..${hex(peripheralSpace.end - 1)}`,
      location: atValue('uart.base'),
      hint: "a console UART is a peripheral: take its base address from the part's reference manual (its memory map)",
    });
  }
  if (uart.kind === 'nrf-uarte' && uart['tx-pin'] === undefined) {
    problems.push({ code: 'B1003', message: "missing key 'uart.tx-pin': a nrf-uarte console needs its TX pin", location: at('uart'), hint: 'e.g. tx-pin = 6 for P0.06, the nRF52840 DK\'s virtual COM port' });
  }
  const counterKind: CounterKind = raw.counter.kind ?? 'fpgaio';
  const reg = counterRegister[counterKind];
  if (reg && (raw.counter.address & 0x3ff) !== reg.offset) {
    problems.push({
      code: 'B1004',
      message: `'counter.address' is ${hex(raw.counter.address)}, but a ${counterKind} counter is read at ${reg.what}`,
      location: atValue('counter.address'),
      hint: `give the address of the register itself: the peripheral's base + 0x${reg.offset.toString(16)}`,
    });
  }
  if (problems.length > 0) throw new BentoError(problems);

  return {
    file: doc.file,
    name: raw.name,
    description: raw.description ?? '',
    cpu: { core: raw.cpu.core, arch: raw.cpu.arch, fpu: raw.cpu.fpu, floatAbi: raw.cpu['float-abi'], clockHz: raw.cpu['clock-hz'], irqs: raw.cpu.irqs, priorityBits: raw.cpu['priority-bits'] },
    interrupts: named.lines,
    llvm: { triple: raw.llvm.triple, cpu: raw.llvm.cpu, features: raw.llvm.features ?? [] },
    memory,
    mpu: raw.mpu,
    uart: { kind: uart.kind, base: uart.base, baud: uart.baud ?? 115200, clockHz: uart['clock-hz'] ?? raw.cpu['clock-hz'], txPin: uart['tx-pin'], rxPin: uart['rx-pin'] },
    uarts: new Map(
      Object.entries((raw.uarts ?? {}) as Record<string, any>).map(([name, u]) => [
        name,
        { name, kind: u.kind, base: u.base, baud: u.baud ?? 115200, clockHz: u['clock-hz'] ?? raw.cpu['clock-hz'], irqs: u.irqs, ...(u['qemu-serial'] !== undefined ? { qemuSerial: u['qemu-serial'] } : {}), at: doc.keys.get(`uarts.${name}`) ?? { file: doc.file } },
      ]),
    ),
    counter: { kind: counterKind, address: raw.counter.address, hz: raw.counter.hz },
    qemu: raw.qemu ? { machine: raw.qemu.machine, cpu: raw.qemu.cpu, args: raw.qemu.args ?? [], quiet: raw.qemu.quiet ?? [] } : undefined,
    setup: (raw.setup ?? []).map((w: any) => ({ address: w.address, set: w.set ?? 0, clear: w.clear ?? 0 })),
    at: doc.keys.get('name') ?? { file: doc.file },
    bootloader: bl ? resolveBootloader(bl, code!) : undefined,
    serial: { baud: raw.serial?.baud ?? 115200, parity: raw.serial?.parity ?? 'none', reset: raw.serial?.reset ?? 'none', boot: raw.serial?.boot ?? 'none' },
  };
}

/** ARMv8-M cores have a PMSAv8 MPU, ARMv7-M cores a PMSAv7 one; the region counts each implements. */
export function checkMpuKind(arch: string, kind: string, regions: number): { key: string; message: string; hint: string } | undefined {
  if (kind === 'none') return undefined;
  const v8 = arch.startsWith('armv8');
  const wanted = v8 ? 'pmsav8' : 'pmsav7';
  if (kind !== wanted) {
    return {
      key: 'mpu.kind',
      message: `'mpu.kind' is ${kind}, but an ${arch} core has a ${wanted === 'pmsav8' ? 'PMSAv8' : 'PMSAv7'} MPU`,
      hint: `use kind = "${wanted}" (regions ${v8 ? 'by base and limit, 32-byte granules' : 'power-of-two, aligned'}), or "none"`,
    };
  }
  // PMSAv8 cores implement regions in fours (Cortex-M33/M55: 0, 4, 8, 12 or 16); PMSAv7 ones 8 or 16.
  const counts = v8 ? [0, 4, 8, 12, 16] : [0, 8, 16];
  if (!counts.includes(regions)) {
    return {
      key: 'mpu.regions',
      message: `'mpu.regions' is ${regions}, a count no ${kind === 'pmsav8' ? 'PMSAv8' : 'PMSAv7'} MPU has`,
      hint: `a ${kind === 'pmsav8' ? 'PMSAv8' : 'PMSAv7'} MPU has ${counts.filter((c) => c > 0).join(', ')} regions (MPU_TYPE.DREGION)${v8 ? '' : '; 12 is a PMSAv8 count'}`,
    };
  }
  return undefined;
}

/** clang's and gcc's -mfpu for the board: none without an FPU or with "auto" (the core's own). */
export function fpuFlags(board: Board): string[] {
  return board.cpu.fpu === 'none' || board.cpu.fpu === 'auto' ? [] : [`-mfpu=${board.cpu.fpu}`];
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** The application slot after bento's resident bootloader: where its header and image go. */
export function applicationSlot(board: Board): { origin: number; size: number; header: number; alias: number } | undefined {
  if (board.bootloader?.kind !== 'an3155') return undefined;
  const code = region(board, 'code');
  const b = board.bootloader;
  return { origin: code.origin + b.size, size: code.size - b.size, header: b.header, alias: b.alias + b.size };
}

export function region(board: Board, name: 'code' | 'ram'): MemoryRegion {
  return board.memory.find((m) => m.name === name)!;
}
