import { join } from 'node:path';
import type { Board, CounterKind, UartKind } from '../config/board.js';
import { runtimeDir } from '../paths.js';

/** The console driver of each UART kind (runtime-c/uart/): init, polled TX, RX poll. */
export const uartDrivers: Record<UartKind, string> = {
  cmsdk: 'uart/cmsdk_uart.c',
  'stm32-usart': 'uart/stm32_usart.c',
  'stm32-usart-v2': 'uart/stm32_usart_v2.c',
  pl011: 'uart/pl011.c',
  'nrf-uarte': 'uart/nrf_uarte.c',
};

/** The init driver of each counter kind (runtime-c/counter/); none when it runs from reset. */
export const counterDrivers: Record<CounterKind, string | undefined> = {
  fpgaio: undefined,
  'stm32-tim': 'counter/stm32_tim.c',
  'cmsdk-watchdog': 'counter/cmsdk_watchdog.c',
  'dwt-cyccnt': 'counter/dwt_cyccnt.c',
};

/**
 * The runtime-c pieces every image links: startup, console, exit, syscalls, fault reports, the
 * interrupt dispatcher, the MPU driver the board's `mpu.kind` calls for (PMSAv8 on ARMv8-M;
 * PMSAv7 otherwise, also on a board without an MPU, where host_protect never calls it), and the
 * board's counter driver when its kind has one.
 */
export function hostRuntimeSources(board: Board): string[] {
  const counter = counterDrivers[board.counter.kind];
  return [
    'startup/startup.c',
    'irq/irq.c',
    uartDrivers[board.uart.kind],
    'semihost/semihost.c',
    'syscalls/newlib_syscalls.c',
    'fault/fault.c',
    'fault/unaligned.c',
    board.mpu.kind === 'pmsav8' ? 'mpu/pmsav8.c' : 'mpu/pmsav7.c',
    'mpu/host_protect.c',
    ...(counter ? [counter] : []),
  ].map((f) => join(runtimeDir, f));
}
