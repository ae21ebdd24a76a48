import { describe, expect, it } from 'vitest';
import { faultAddresses, lookupAddress } from '../../src/run/fault-report.js';

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
