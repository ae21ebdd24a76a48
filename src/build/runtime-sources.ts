import { join } from 'node:path';
import type { Board } from '../config/board.js';
import { runtimeDir } from '../paths.js';

/**
 * The runtime-c pieces every image links: startup, console, exit, syscalls, fault reports, the
 * interrupt dispatcher, and the MPU driver the board's `mpu.kind` calls for (PMSAv8 on ARMv8-M;
 * PMSAv7 otherwise, also on a board without an MPU, where host_protect never calls it).
 */
export function hostRuntimeSources(mpu: Board['mpu']['kind']): string[] {
  return [
    'startup/startup.c',
    'irq/irq.c',
    'uart/cmsdk_uart.c',
    'semihost/semihost.c',
    'syscalls/newlib_syscalls.c',
    'fault/fault.c',
    'fault/unaligned.c',
    mpu === 'pmsav8' ? 'mpu/pmsav8.c' : 'mpu/pmsav7.c',
    'mpu/host_protect.c',
  ].map((f) => join(runtimeDir, f));
}
