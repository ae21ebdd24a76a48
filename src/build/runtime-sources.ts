import { join } from 'node:path';
import { runtimeDir } from '../paths.js';

/** The runtime-c pieces every image links: startup, console, exit, syscalls, fault reports, the interrupt dispatcher. */
export const hostRuntimeSources: readonly string[] = [
  'startup/startup.c',
  'irq/irq.c',
  'uart/cmsdk_uart.c',
  'semihost/semihost.c',
  'syscalls/newlib_syscalls.c',
  'fault/fault.c',
  'fault/unaligned.c',
  'mpu/pmsav7.c',
  'mpu/host_protect.c',
].map((f) => join(runtimeDir, f));
