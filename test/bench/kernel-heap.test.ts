// A kernel that allocates declares its heap with `#define KERNEL_HEAP_BYTES <n>` (bench/kernels/
// README.md); the bench reads it to size the native heap and the Wasm box's growing memory.
import { describe, expect, it } from 'vitest';
import { kernelHeap, kernelHeapOf, listKernels } from '../../src/bench/variants.js';

describe('the heap a kernel declares', () => {
  it('is the number on its own #define line, or 0 without one', () => {
    expect(kernelHeapOf('#include "kernel.h"\n\n#define KERNEL_HEAP_BYTES 98304\n#define N 4\n')).toBe(98304);
    expect(kernelHeapOf('#define KERNEL_HEAP_BYTES_MORE 12\n')).toBe(0);
    expect(kernelHeapOf('/* #define KERNEL_HEAP_BYTES 12 */\n')).toBe(0);
    expect(kernelHeapOf('#define N 2000\n')).toBe(0);
  });

  it('is declared by the kernels that malloc, and only by them', () => {
    const allocating = listKernels().filter((k) => kernelHeap(k) > 0);
    expect(allocating).toEqual(['linked-list', 'rb-tree']);
  });
});
