import type { Measurement } from './bench.js';

const geomean = (xs: readonly number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const fmt = (x: number) => x.toFixed(2);

/**
 * Markdown tables per board: instructions of the native clang build, and every other variant
 * as a ratio to it (lower is better), with the geometric mean and the worst kernel; then code
 * size ratios.
 */
export function formatReport(results: readonly Measurement[], baseline = 'native-clang'): string {
  const out: string[] = [];
  const boards = [...new Set(results.map((r) => r.board))];
  const variants = [...new Set(results.map((r) => r.variant))].filter((v) => v !== baseline);
  for (const board of boards) {
    const rows = results.filter((r) => r.board === board);
    const kernels = [...new Set(rows.map((r) => r.kernel))];
    const get = (k: string, v: string) => rows.find((r) => r.kernel === k && r.variant === v);
    const ratio = (k: string, v: string, key: 'instructions' | 'code') => get(k, v)![key] / get(k, baseline)![key];
    out.push(`### ${board}: instructions, as a ratio to ${baseline}`, '');
    out.push(`| kernel | ${baseline} (instructions) | ${variants.join(' | ')} |`, `|---|---:|${variants.map(() => '---:').join('|')}|`);
    for (const k of kernels) out.push(`| ${k} | ${get(k, baseline)!.instructions.toLocaleString('en-US')} | ${variants.map((v) => fmt(ratio(k, v, 'instructions'))).join(' | ')} |`);
    out.push(`| **geomean** | | ${variants.map((v) => `**${fmt(geomean(kernels.map((k) => ratio(k, v, 'instructions'))))}**`).join(' | ')} |`);
    out.push(
      `| worst | | ${variants
        .map((v) => {
          const worst = kernels.reduce((a, b) => (ratio(b, v, 'instructions') > ratio(a, v, 'instructions') ? b : a));
          return `${fmt(ratio(worst, v, 'instructions'))} (${worst})`;
        })
        .join(' | ')} |`,
      '',
    );
    out.push(`### ${board}: code size (text + rodata of the kernel), as a ratio to ${baseline}`, '');
    out.push(`| kernel | ${baseline} (bytes) | ${variants.join(' | ')} |`, `|---|---:|${variants.map(() => '---:').join('|')}|`);
    for (const k of kernels) out.push(`| ${k} | ${get(k, baseline)!.code} | ${variants.map((v) => fmt(ratio(k, v, 'code'))).join(' | ')} |`);
    out.push(`| **geomean** | | ${variants.map((v) => `**${fmt(geomean(kernels.map((k) => ratio(k, v, 'code'))))}**`).join(' | ')} |`, '');
  }
  return out.join('\n');
}
