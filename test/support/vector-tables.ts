/** Each board's NVIC lines, its vector table's bytes and the alignment VTOR needs (the size rounded up to a power of two, at least 128). */
export const vectorTables: [board: string, lines: number, bytes: number, align: number][] = [
  ['m4', 32, 192, 256],
  ['m7', 32, 192, 256],
  ['lm3s6965', 64, 320, 512],
  ['stm32f405', 82, 392, 512],
  ['m33', 96, 448, 512],
  ['m55', 128, 576, 1024],
];
