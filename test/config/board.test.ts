import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard, resolveBoard } from '../../src/config/board.js';
import { parseToml } from '../../src/config/toml.js';
import { BentoError } from '../../src/diagnostics/error.js';
import type { Diagnostic } from '../../src/diagnostics/error.js';
import { projectRoot } from '../support/cli.js';

const m4Text = readFileSync(join(projectRoot, 'boards/m4.toml'), 'utf8');

/** The M4 board file with one edit, checked; returns the diagnostics it raised. */
function problemsOf(text: string): Diagnostic[] {
  try {
    resolveBoard(parseToml(text, 'edited.toml'));
  } catch (err) {
    if (err instanceof BentoError) return [...err.diagnostics];
    throw err;
  }
  return [];
}

describe('board files', () => {
  it('loads the M4 board', () => {
    const b = loadBoard('boards/m4.toml', projectRoot);
    expect(b.name).toBe('m4');
    expect(b.cpu).toMatchObject({ core: 'cortex-m4', fpu: 'fpv4-sp-d16', floatAbi: 'hard', clockHz: 25_000_000 });
    expect(b.llvm.triple).toBe('thumbv7em-none-eabihf');
    expect(b.memory.map((m) => [m.name, m.origin, m.size])).toEqual([
      ['code', 0, 4 << 20],
      ['ram', 0x2000_0000, 4 << 20],
      ['psram', 0x2100_0000, 16 << 20],
    ]);
    expect(b.mpu).toEqual({ kind: 'pmsav7', regions: 8 });
    expect(b.uart.base).toBe(0x4000_4000);
    expect(b.qemu?.machine).toBe('mps2-an386');
  });

  it('loads the M7 board by name, with its double-precision FPU', () => {
    const b = loadBoard('m7', '/');
    expect(b.cpu.fpu).toBe('fpv5-d16');
    expect(b.qemu?.machine).toBe('mps2-an500');
    expect(b.memory.find((m) => m.name === 'psram')!.origin).toBe(0x6000_0000);
  });

  it('rejects an unknown key with its location and a did-you-mean hint', () => {
    const [p, ...rest] = problemsOf(m4Text.replace('fpu = "fpv4-sp-d16"', 'fpu = "fpv4-sp-d16"\nfloat_abi = "hard"'));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'B1001', hint: "did you mean 'float-abi'?" });
    const line = m4Text.split('\n').findIndex((l) => l.startsWith('fpu =')) + 2;
    expect(p!.location).toEqual({ file: 'edited.toml', line, column: 1 });
  });

  it('rejects a value of the wrong type', () => {
    const [p] = problemsOf(m4Text.replace('regions = 8', 'regions = "eight"'));
    expect(p).toMatchObject({ code: 'B1002' });
    expect(p!.message).toContain('mpu.regions');
    expect(p!.location!.line).toBe(m4Text.split('\n').findIndex((l) => l.startsWith('regions =')) + 1);
    expect(p!.location!.column).toBe(11);
  });

  it('rejects overlapping memory regions', () => {
    const [p] = problemsOf(m4Text.replace('origin = 0x2100_0000', 'origin = 0x2020_0000'));
    expect(p).toMatchObject({ code: 'B1006' });
    expect(p!.message).toContain("'ram'");
    expect(p!.message).toContain("'psram'");
  });

  it('rejects a missing table and a bad size, all at once', () => {
    const problems = problemsOf(m4Text.replace(/\[uart\][^[]*/, '').replace('size = "16 MiB"', 'size = "16 parsecs"'));
    expect(problems.map((p) => p.code).sort()).toEqual(['B1002', 'B1003']);
  });

  it('rejects an enum value with a suggestion', () => {
    const [p] = problemsOf(m4Text.replace('float-abi = "hard"', 'float-abi = "hrd"'));
    expect(p).toMatchObject({ code: 'B1004', hint: "did you mean 'hard'?" });
  });

  it('gives both boards the NVIC QEMU 7.2 builds: 32 lines, 8 priority bits', () => {
    for (const name of ['m4', 'm7']) expect(loadBoard(name, '/').cpu).toMatchObject({ irqs: 32, priorityBits: 8 });
  });

  it('wants the interrupt lines and priority bits, within what the NVIC allows', () => {
    const missing = problemsOf(m4Text.replace(/^irqs = .*\n/m, ''));
    expect(missing).toMatchObject([{ code: 'B1003', message: expect.stringContaining("'cpu.irqs'") }]);
    const [bits] = problemsOf(m4Text.replace('priority-bits = 8', 'priority-bits = 9'));
    expect(bits).toMatchObject({ code: 'B1004', location: { line: m4Text.split('\n').findIndex((l) => l.startsWith('priority-bits')) + 1, column: 17 } });
    expect(problemsOf(m4Text.replace('irqs = 32', 'irqs = 497'))[0]!.message).toContain('expected 1..496');
  });

  it('says which files it looked for when a board does not exist', () => {
    expect(() => loadBoard('boards/m9.toml', projectRoot)).toThrow(/no board file 'boards\/m9.toml'/);
  });
});

describe('boards beyond MPS2', () => {
  const lineOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.startsWith(start)) + 1;
  const f405Text = readFileSync(join(projectRoot, 'boards/stm32f405.toml'), 'utf8');
  const nrfText = readFileSync(join(projectRoot, 'boards/nrf52840-dk.toml'), 'utf8');

  it('loads every shipped board', () => {
    const shipped = ['lm3s6965', 'm4', 'm7', 'nrf52840-dk', 'nucleo-f446re', 'stm32f405', 'stm32f746g-disco'];
    for (const name of shipped) expect(loadBoard(name, '/').name).toBe(name);
  });

  it('gives each UART and counter its kind, and the MPS2 boards the defaults they had', () => {
    expect(loadBoard('m4', '/')).toMatchObject({ uart: { kind: 'cmsdk', base: 0x4000_4000 }, counter: { kind: 'fpgaio', address: 0x4002_8018, hz: 25_000_000 }, setup: [] });
    expect(loadBoard('stm32f405', '/')).toMatchObject({
      uart: { kind: 'stm32-usart', base: 0x4001_1000 },
      counter: { kind: 'stm32-tim', address: 0x4000_0024, hz: 1_000_000_000 },
      qemu: { machine: 'netduinoplus2' },
    });
    expect(loadBoard('lm3s6965', '/')).toMatchObject({ cpu: { fpu: 'none', floatAbi: 'soft' }, uart: { kind: 'pl011', base: 0x4000_c000 }, counter: { kind: 'cmsdk-watchdog' } });
    expect(loadBoard('nrf52840-dk', '/').uart).toMatchObject({ kind: 'nrf-uarte', base: 0x4000_2000, txPin: 6, rxPin: 8, baud: 115200 });
  });

  it('has no emulator for the boards QEMU cannot emulate', () => {
    for (const name of ['nucleo-f446re', 'stm32f746g-disco', 'nrf52840-dk']) expect(loadBoard(name, '/').qemu).toBeUndefined();
    expect(loadBoard('nucleo-f446re', '/').setup).toContainEqual({ address: 0x4002_3840, set: 0x0002_0000, clear: 0 });
  });

  it('rejects an unknown UART kind at its value, with a suggestion', () => {
    const [p, ...rest] = problemsOf(f405Text.replace('kind = "stm32-usart"', 'kind = "stm32-uart"'));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'B1004', hint: "did you mean 'stm32-usart'?", location: { file: 'edited.toml', line: lineOf(f405Text, 'kind = "stm32-usart"'), column: 8 } });
  });

  it('rejects a UART base outside the peripheral space 0x40000000-0x5FFFFFFF, at the base', () => {
    for (const base of ['0x2000_0000', '0x6000_0000', '0x3FFF_FFFF']) {
      const [p, ...rest] = problemsOf(f405Text.replace('base = 0x4001_1000', `base = ${base}`));
      expect(rest).toEqual([]);
      expect(p).toMatchObject({ code: 'B1004', message: expect.stringContaining('peripheral space'), location: { line: lineOf(f405Text, 'base = 0x4001_1000'), column: 8 } });
      expect(p!.hint).toContain('reference manual');
    }
    expect(problemsOf(f405Text.replace('base = 0x4001_1000', 'base = 0x5FFF_F000'))).toEqual([]);
  });

  it('rejects SRAM that overlaps flash', () => {
    const [p] = problemsOf(f405Text.replace('origin = 0x2000_0000', 'origin = 0x080F_0000'));
    expect(p).toMatchObject({ code: 'B1006', message: expect.stringContaining("'code'") });
    expect(p!.location!.line).toBeGreaterThan(0);
  });

  it('wants the TX pin of a nrf-uarte console', () => {
    const [p] = problemsOf(nrfText.replace(/^tx-pin = .*\n/m, ''));
    expect(p).toMatchObject({ code: 'B1003', message: expect.stringContaining("'uart.tx-pin'"), location: { line: lineOf(nrfText, '[uart]') } });
  });

  it('wants a timer counter read at its counter register', () => {
    const [p] = problemsOf(f405Text.replace('address = 0x4000_0024', 'address = 0x4000_0000'));
    expect(p).toMatchObject({ code: 'B1004', message: expect.stringContaining('TIMx_CNT'), location: { line: lineOf(f405Text, 'address = 0x4000_0024') } });
    const [kind] = problemsOf(f405Text.replace('kind = "stm32-tim"', 'kind = "systick"'));
    expect(kind).toMatchObject({ code: 'B1004' });
  });

  it('keeps bento\'s resident bootloader to boards whose console is a CMSDK UART, pointing STM32s to their own', () => {
    const text = f405Text.replace(/kind = "stm32-system"\nsectors = .*\n/, 'kind = "an3155"\nsize = "16 KiB"\npage-size = "16 KiB"\n');
    const [p] = problemsOf(text);
    expect(p).toMatchObject({ code: 'B1004', message: expect.stringContaining('cmsdk UART only'), hint: expect.stringContaining('kind = "stm32-system"'), location: { line: lineOf(text, 'kind = "an3155"') } });
  });

  it('lays out an STM32F4\'s sectors from the board file, numbered from the start of flash', () => {
    const bl = loadBoard('stm32f405', '/').bootloader!;
    expect(bl).toMatchObject({ kind: 'stm32-system', alias: 0x0800_0000, productId: 0x413 });
    expect(bl.units.map((u) => u.size / 1024)).toEqual([16, 16, 16, 16, 64, 128, 128, 128, 128, 128, 128, 128]);
    expect(bl.units[5]).toEqual({ index: 5, address: 0x0802_0000, size: 128 * 1024 });
    const m4 = loadBoard('m4', '/').bootloader!;
    expect([m4.units.length, m4.units[8]]).toEqual([2048, { index: 8, address: 0x0800_4000, size: 2048 }]);
  });

  it.each([
    ['sectors that do not cover the flash', 'sectors = ["4 x 16 KiB", "64 KiB", "7 x 128 KiB"]', 'sectors = ["4 x 16 KiB", "64 KiB", "6 x 128 KiB"]', /the sectors add up to 917504 bytes, but code memory is 1048576 bytes/],
    ['a sector that is not a size', 'sectors = ["4 x 16 KiB", "64 KiB", "7 x 128 KiB"]', 'sectors = ["4 x 16 KiB", "64 KB!", "7 x 128 KiB"]', /entry '64 KB!' is not a size or "N x size"/],
    ['both pages and sectors', 'product-id = 0x413', 'product-id = 0x413\npage-size = "2 KiB"', /either 'bootloader.page-size' or 'bootloader.sectors'/],
    ['a resident size on a ROM bootloader', 'product-id = 0x413', 'product-id = 0x413\nsize = "16 KiB"', /'bootloader.size' is for bento's resident bootloader/],
  ])('refuses %s with a located error', (_what, from, to, message) => {
    const text = f405Text.replace(from, to);
    const [p] = problemsOf(text);
    expect(p).toMatchObject({ code: 'B1004', message: expect.stringMatching(message) });
    expect(p!.location!.line).toBeGreaterThan(lineOf(text, '[bootloader]'));
  });

  it('points a resident bootloader of size 0 to the ROM bootloader kind', () => {
    const [p] = problemsOf(m4Text.replace('size = "16 KiB"', 'size = 0'));
    expect(p).toMatchObject({ code: 'B1004', message: expect.stringContaining("needs 'bootloader.size'"), hint: expect.stringContaining('stm32-system') });
  });
});

describe('ARMv8-M boards', () => {
  it('loads the M33 (mps2-an505) and M55 (mps3-an547) at their Secure aliases, as QEMU 7.2 measures them', () => {
    const m33 = loadBoard('m33', '/');
    expect(m33.cpu).toMatchObject({ core: 'cortex-m33', arch: 'armv8-m.main', fpu: 'fpv5-sp-d16', clockHz: 20_000_000, irqs: 96 });
    expect(m33.mpu).toEqual({ kind: 'pmsav8', regions: 16 });
    expect(m33.memory.map((m) => [m.name, m.origin, m.size])).toEqual([['code', 0x1000_0000, 4 << 20], ['ram', 0x3800_0000, 4 << 20], ['psram', 0x8000_0000, 16 << 20]]);
    expect(m33.uart.base).toBe(0x5020_0000);
    expect(m33.counter).toMatchObject({ address: 0x5030_2018, hz: 20_000_000 });
    const m55 = loadBoard('m55', '/');
    expect(m55.cpu).toMatchObject({ core: 'cortex-m55', arch: 'armv8.1-m.main', fpu: 'auto', clockHz: 32_000_000, irqs: 128 });
    expect(m55.mpu).toEqual({ kind: 'pmsav8', regions: 16 });
    expect(m55.memory.map((m) => [m.name, m.origin, m.size])).toEqual([['code', 0x1000_0000, 512 << 10], ['ram', 0x3000_0000, 512 << 10], ['psram', 0x3100_0000, 4 << 20]]);
    expect(m55.uart.base).toBe(0x5930_3000);
    expect(m55.counter).toMatchObject({ address: 0x5930_2018, hz: 20_000_000 });
  });

  const m33Text = readFileSync(join(projectRoot, 'boards/m33.toml'), 'utf8');
  function problemsOfM33(text: string): Diagnostic[] {
    try {
      resolveBoard(parseToml(text, 'm33-edited.toml'));
    } catch (err) {
      if (err instanceof BentoError) return [...err.diagnostics];
      throw err;
    }
    return [];
  }

  it.each([
    { what: 'a PMSAv7 MPU on an ARMv8-M core', text: () => problemsOfM33(m33Text.replace('kind = "pmsav8"', 'kind = "pmsav7"')), key: 'kind = "pmsav7"', hint: /kind = "pmsav8"/ },
    { what: 'a PMSAv8 MPU on an ARMv7-M core', text: () => problemsOf(m4Text.replace('kind = "pmsav7"', 'kind = "pmsav8"')), key: 'kind = "pmsav8"', hint: /kind = "pmsav7"/ },
    { what: 'a PMSAv8 region count (12) on a PMSAv7 MPU', text: () => problemsOf(m4Text.replace('regions = 8', 'regions = 12')), key: 'regions = 12', hint: /12 is a PMSAv8 count/ },
    { what: 'a region count no PMSAv8 MPU has', text: () => problemsOfM33(m33Text.replace('regions = 16', 'regions = 10')), key: 'regions = 10', hint: /4, 8, 12, 16/ },
  ])('refuses $what, at its place, with a hint', ({ text, key, hint }) => {
    const problems = text();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'B1004' });
    expect(problems[0]!.hint).toMatch(hint);
    const source = problems[0]!.location!.file === 'm33-edited.toml' ? m33Text : m4Text;
    // The first `kind =` and `regions =` lines of both files are the [mpu] table's.
    expect(problems[0]!.location!.line).toBe(source.split('\n').findIndex((l) => l.startsWith(`${key.split(' ')[0]!} =`)) + 1);
  });
});

describe('named interrupt lines ([interrupts])', () => {
  const shipped = readdirSync(join(projectRoot, 'boards')).filter((f) => f.endsWith('.toml')).map((f) => f.replace(/\.toml$/, ''));
  const lineOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.startsWith(start)) + 1;

  it.each([
    // board, name, line: from QEMU 7.2's source for the emulated boards (hw/arm/mps2.c, armsse.c,
    // mps2-tz.c, stm32f405_soc.c, stellaris.c), from the vendors' device headers for the rest.
    ['m4', 'TIMER0', 8],
    ['m4', 'UARTRX0', 0],
    ['m4', 'DUALTIMER', 10],
    ['m7', 'TIMER1', 9],
    ['m7', 'UARTTX4', 21],
    ['m33', 'TIMER0', 3],
    ['m33', 'UART0', 42],
    ['m33', 'DMA0', 58],
    ['m55', 'TIMER3_AON', 27],
    ['m55', 'UART0', 43],
    ['m55', 'UART5', 127],
    ['lm3s6965', 'UART0', 5],
    ['lm3s6965', 'Timer0A', 19],
    ['lm3s6965', 'Timer3A', 35],
    ['lm3s6965', 'Ethernet', 42],
    ['stm32f405', 'USART1', 37],
    ['stm32f405', 'TIM2', 28],
    ['stm32f405', 'TIM5', 50],
    ['stm32f405', 'USART6', 71],
    ['stm32f405', 'FPU', 81],
    ['nucleo-f446re', 'USART2', 38],
    ['nucleo-f446re', 'FMPI2C1_ER', 96],
    ['stm32f746g-disco', 'USART1', 37],
    ['stm32f746g-disco', 'SPDIF_RX', 97],
    ['nrf52840-dk', 'UART0_UARTE0', 2],
    ['nrf52840-dk', 'TIMER0', 8],
    ['nrf52840-dk', 'SPIM3', 47],
  ])('%s names line %s', (board, name, line) => {
    expect(loadBoard(board, '/').interrupts).toContainEqual({ name, line });
  });

  it.each(shipped)('%s: names that are C identifiers, distinct in any case, on lines its NVIC has, sorted', (board) => {
    const b = loadBoard(board, '/');
    expect(b.interrupts.length).toBeGreaterThan(10);
    expect(new Set(b.interrupts.map((l) => l.name.toLowerCase())).size).toBe(b.interrupts.length);
    for (const l of b.interrupts) {
      expect(l.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(l.line).toBeLessThan(b.cpu.irqs);
    }
    expect(b.interrupts.map((l) => l.line)).toEqual(b.interrupts.map((l) => l.line).sort((x, y) => x - y));
  });

  it('leaves the table out of a board that has none', () => {
    expect(resolveBoard(parseToml(m4Text.replace(/\[interrupts\][^[]*/, ''), 'edited.toml')).interrupts).toEqual([]);
  });

  it('refuses a line the NVIC does not have, at the value', () => {
    const [p, ...rest] = problemsOf(m4Text.replace('ADCSPI = 22', 'ADCSPI = 32'));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'B1004', location: { file: 'edited.toml', line: lineOf(m4Text, 'ADCSPI ='), column: 10 } });
    expect(p!.message).toBe("'interrupts.ADCSPI' is 32, but the NVIC has lines 0..31 ('cpu.irqs' is 32)");
  });

  it('refuses a name that is not a C identifier, and one that differs from another only in case, at the key', () => {
    const found = problemsOf(m4Text.replace('ADCSPI = 22', '"ADC-SPI" = 22\ntimer0 = 8'));
    const at = lineOf(m4Text, 'ADCSPI =');
    expect(found.map((p) => [p.code, p.location!.line, p.location!.column])).toEqual([
      ['B1004', at, 1],
      ['B1004', at + 1, 1],
    ]);
    expect(found[0]!.message).toContain("'interrupts.ADC-SPI': a line's name is a C identifier");
    expect(found[1]!.message).toContain("'interrupts.timer0' and 'interrupts.TIMER0' differ only in case");
  });

  it('leaves a name given twice, a negative line and a line that is not a number to TOML and the schema', () => {
    expect(problemsOf(m4Text.replace('ADCSPI = 22', 'TIMER0 = 22'))).toMatchObject([{ code: 'B1005', location: { line: lineOf(m4Text, 'ADCSPI =') } }]);
    expect(problemsOf(m4Text.replace('ADCSPI = 22', 'ADCSPI = -1'))).toMatchObject([{ code: 'B1004', message: expect.stringContaining("'interrupts.ADCSPI' is -1") }]);
    expect(problemsOf(m4Text.replace('ADCSPI = 22', 'ADCSPI = "22"'))).toMatchObject([{ code: 'B1002', location: { line: lineOf(m4Text, 'ADCSPI =') } }]);
  });

  it('takes more than one name for a line (a vector peripherals share)', () => {
    const b = resolveBoard(parseToml(m4Text.replace('ADCSPI = 22', 'ADCSPI = 22\nCMSDK_TIMER0 = 8'), 'edited.toml'));
    expect(b.interrupts.filter((l) => l.line === 8)).toEqual([{ name: 'CMSDK_TIMER0', line: 8 }, { name: 'TIMER0', line: 8 }]);
  });
});
