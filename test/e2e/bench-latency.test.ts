// `bento bench --latency` on the M4 (PMSAv7) and the M33 (ARMv8-M, PMSAv8): every case of
// bench/latency is measured from QEMU's instruction trace, the handler ran once per raise (in
// the trace and by the firmware's count), the numbers are finite, and each case's verdict against
// issue 14's target (worst case within 30 instructions of the image without boxes) is the one its
// numbers give, misses included. --markdown replaces its own section and keeps the rest.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento } from '../support/cli.js';

const cases = ['host', 'wasm', 'native', 'boundary', 'fault', 'budget'];

interface Row {
  what: string;
  raised: number;
  handledTrace: number;
  handledFirmware: number;
  samples: number;
  typical: number;
  worst: number;
  over: string;
  verdict: string;
}

/** The rows of a board's table in the report. */
function rows(stdout: string, board: string): Row[] {
  const start = stdout.indexOf(`### ${board}: instructions from the raise`);
  expect(start, `no table for ${board} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const table = stdout.slice(start).split('\n\n')[1]!.split('\n').slice(2);
  return table.map((line) => {
    const cells = line.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim());
    const [raised, handledTrace, handledFirmware] = cells[1]!.split(' / ').map(Number);
    return { what: cells[0]!, raised: raised!, handledTrace: handledTrace!, handledFirmware: handledFirmware!, samples: Number(cells[2]), typical: Number(cells[3]), worst: Number(cells[4]), over: cells[5]!, verdict: cells[6]! };
  });
}

describe('bento bench --latency', () => {
  it('measures every case on the m33 against the image without boxes, and says which miss the target', { timeout: 900_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-latency-'));
    const markdown = join(dir, 'BENCHMARKS.md');
    writeFileSync(markdown, '# Benchmarks\n\nText of its own, kept.\n');
    // One board in npm test (an ARMv8-M one; `bento bench --latency` measures all five by hand):
    // each trace is millions of instructions.
    const r = await bento(['bench', '--latency', '--board', 'm33', '--markdown', markdown], dir);
    expect(r.code, r.stderr).toBe(0);
    const misses: string[] = [];
    for (const board of ['m33']) {
      const [baseline, ...measured] = rows(r.stdout, board);
      expect(baseline!.what).toContain('without boxes');
      expect(measured.map((m) => m.what.split(':')[0])).toEqual(cases);
      for (const row of [baseline!, ...measured]) {
        // Raised many times, and handled each time it was raised, by the trace and the firmware.
        expect(row.raised, row.what).toBeGreaterThanOrEqual(250);
        expect(row.handledTrace, row.what).toBe(row.raised);
        expect(row.handledFirmware, row.what).toBe(row.raised);
        expect(row.samples, row.what).toBeGreaterThan(0);
        expect(Number.isFinite(row.worst) && Number.isFinite(row.typical), row.what).toBe(true);
        // Never faster than the dispatcher alone: the handler is reached through it.
        expect(row.typical).toBeGreaterThanOrEqual(baseline!.worst);
        expect(row.worst).toBeGreaterThanOrEqual(row.typical);
      }
      for (const row of measured) {
        const over = row.worst - baseline!.worst;
        expect(row.over, row.what).toBe(`+${over}`);
        expect(row.verdict, row.what).toBe(over <= 30 ? 'yes' : '**no**');
        if (over > 30) misses.push(`${row.what.split(':')[0]} +${over}`);
      }
      // A box running (Wasm or native) is no worse than the host in the same image: the
      // dispatcher takes the interrupt wherever Thread mode runs.
      const host = measured[0]!;
      expect(measured[1]!.worst).toBe(host.worst);
      expect(measured[2]!.worst).toBe(host.worst);
    }
    // Every miss is said on stderr and in the report, none hidden.
    if (misses.length) {
      expect(r.stderr).toContain('bento: interrupt latency misses the target on m33: ');
      expect(r.stdout).toContain('**Missed**: ');
    } else {
      expect(r.stderr).toContain('within the target in every case measured');
    }
    const written = readFileSync(markdown, 'utf8');
    expect(written.startsWith('# Benchmarks\n\nText of its own, kept.\n\n## Interrupt latency\n')).toBe(true);
    expect(written).toContain(r.stdout.trim());
  });

  it('says a board without a timer it drives is not measured, and refuses when no board has one', async () => {
    const r = await bento(['bench', '--latency', '--board', 'stm32f405']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("stm32f405: not measured: QEMU 7.2's STM32 TIM3 stopped raising its line");
    expect(r.stderr).toContain('error[B6012]: no board of stm32f405 has a timer bench/latency drives');
    const notEmulated = await bento(['bench', '--latency', '--board', 'nrf52840-dk']);
    expect(notEmulated.stderr).toContain('error[B6010]');
  });
});
