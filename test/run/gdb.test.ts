import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gdbArgs, gdbCommandLine, listenersOn } from '../../src/run/gdb.js';

describe('gdbArgs', () => {
  it('puts the stub on the loopback interface and holds the CPU', () => {
    expect(gdbArgs(1234)).toEqual(['-gdb', 'tcp:127.0.0.1:1234', '-S']);
  });
});

describe('gdbCommandLine', () => {
  it('names the ELF relative to the current folder', () => {
    expect(gdbCommandLine(join(process.cwd(), 'build/m4/mixed.elf'), 1234)).toBe("gdb-multiarch build/m4/mixed.elf -ex 'target remote :1234'");
  });

  it('quotes a path the shell would split', () => {
    expect(gdbCommandLine("/tmp/my fw's.elf", 3333)).toBe(`gdb-multiarch '/tmp/my fw'\\''s.elf' -ex 'target remote :3333'`);
  });
});

describe('listenersOn', () => {
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:04D2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0',
    '   1: 0100007F:1F90 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 20 4 30 10 -1',
  ].join('\n');

  it('finds the inode of a socket listening on 127.0.0.1:port', () => {
    expect(listenersOn(table, 1234)).toEqual(['1']);
  });

  it('does not take an established connection for a listener', () => {
    expect(listenersOn(table, 8080)).toEqual([]);
    expect(listenersOn(table, 4321)).toEqual([]);
  });
});
