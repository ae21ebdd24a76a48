import { describe, expect, it } from 'vitest';
import { boxStops, faultAddresses, lookupAddress, maxBoxStops } from '../../src/run/fault-report.js';

const report = (lr: string) =>
  [
    'about to fault',
    '',
    '*** bento: BusFault',
    '  CFSR 0x00008200 PRECISERR BFARVALID',
    '  HFSR 0x00000000  MMFAR 0x00000000  BFAR 0x3f000000',
    `  PC 0x00000156  LR ${lr}  xPSR 0x01000000  SP 0x20001fd0`,
    '  EXC_RETURN 0xfffffff9',
    '',
  ].join('\r\n');

describe('faultAddresses', () => {
  it('reads PC and LR from a report', () => {
    expect(faultAddresses(report('0x000000df'))).toEqual([
      { register: 'PC', value: 0x156 },
      { register: 'LR', value: 0xdf },
    ]);
  });

  it('leaves out an LR of the EXC_RETURN form, which is no address', () => {
    expect(faultAddresses(report('0xfffffffd'))).toEqual([{ register: 'PC', value: 0x156 }]);
  });

  it('finds nothing without a report, or in a report without a stacked frame', () => {
    expect(faultAddresses('PC 0x00000100  LR 0x00000200 printed by the program\n')).toEqual([]);
    const noFrame = '*** bento: MemManage\r\n  CFSR 0x00000010 MSTKERR\r\n  stacked frame unavailable (stack pointer 0x1ffffff0)\r\n  EXC_RETURN 0xfffffff9\r\n';
    expect(faultAddresses(noFrame)).toEqual([]);
  });

  it('takes the last report when the program printed register lines before it', () => {
    const text = `  PC 0x00001000  LR 0x00002000\n${report('0x00000301')}`;
    expect(faultAddresses(text)[0]).toEqual({ register: 'PC', value: 0x156 });
  });
});

describe('lookupAddress', () => {
  it('clears the Thumb bit, and looks an LR up inside its call instruction', () => {
    expect(lookupAddress({ register: 'PC', value: 0x157 })).toBe(0x156);
    expect(lookupAddress({ register: 'LR', value: 0xdf })).toBe(0xdd);
  });
});

describe('boxStops', () => {
  it("reads where boxes stopped on a fault or a used-up budget, once per place, in the order reported", () => {
    const uart = [
      '[bento] box writer: memory fault at pc 0x00007281, address 0x20100000',
      '[bento] box writer aborted: memory fault (-22), restart 1 of 3 on its next call',
      '[bento] box spinner: CPU budget used up at pc 0x0000a010',
      '[bento] box writer: memory fault at pc 0x00007281, address 0x20100000',
      '[bento] box deep: fault at pc 0x00000400, cfsr 0x00000100',
      '[bento] box deep: stack overflow',
      'the program said: box x: fault at pc 0x00000001',
    ].join('\r\n');
    expect(boxStops(uart)).toEqual([
      { box: 'writer', pc: 0x7281 },
      { box: 'spinner', pc: 0xa010 },
      { box: 'deep', pc: 0x400 },
    ]);
  });

  it(`keeps at most ${maxBoxStops}`, () => {
    const uart = Array.from({ length: 20 }, (_, i) => `[bento] box b: CPU budget used up at pc 0x${(0x1000 + 2 * i).toString(16).padStart(8, '0')}`).join('\n');
    expect(boxStops(uart)).toHaveLength(maxBoxStops);
  });
});
