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
    const wasm = variants.filter((v) => v.startsWith('wasm-'));
    out.push(`### ${board}: RAM the kernel needs (bytes) and Wasm compile time (seconds: lower + opt + llc)`, '');
    out.push(`| kernel | ${baseline} RAM | ${wasm.map((v) => `${v} RAM`).join(' | ')} | ${wasm.map((v) => `${v} compile`).join(' | ')} |`);
    out.push(`|---|---:|${wasm.map(() => '---:').join('|')}|${wasm.map(() => '---:').join('|')}|`);
    for (const k of kernels) {
      const secs = (v: string) => get(k, v)?.compileSeconds;
      out.push(`| ${k} | ${get(k, baseline)!.ram} | ${wasm.map((v) => get(k, v)!.ram).join(' | ')} | ${wasm.map((v) => (secs(v) === undefined ? '-' : secs(v)!.toFixed(2))).join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Geometric means of the instruction ratios, per board and variant: what the chart shows. */
export function geomeans(results: readonly Measurement[], baseline = 'native-clang'): { board: string; variant: string; value: number }[] {
  const out = [];
  for (const board of [...new Set(results.map((r) => r.board))]) {
    const rows = results.filter((r) => r.board === board);
    const base = new Map(rows.filter((r) => r.variant === baseline).map((r) => [r.kernel, r.instructions]));
    for (const variant of [...new Set(rows.map((r) => r.variant))].filter((v) => v !== baseline)) {
      const ratios = rows.filter((r) => r.variant === variant).map((r) => r.instructions / base.get(r.kernel)!);
      out.push({ board, variant, value: geomean(ratios) });
    }
  }
  return out;
}

/** A bar chart of the geometric means, as a small standalone SVG (one group of bars per board). */
export function geomeanChart(results: readonly Measurement[]): string {
  const data = geomeans(results);
  const boards = [...new Set(data.map((d) => d.board))];
  const variants = [...new Set(data.map((d) => d.variant))];
  const barW = 22;
  const gap = 30;
  const groupW = variants.length * barW + gap;
  const height = 220;
  const top = Math.max(2, ...data.map((d) => d.value));
  const y = (v: number) => 20 + (height - 40) * (1 - v / top);
  const colours = ['#7f7f7f', '#1f77b4', '#2ca02c', '#98df8a', '#d62728', '#ff7f0e', '#9467bd'];
  const parts: string[] = [];
  const width = 60 + boards.length * groupW + 160;
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 30}" font-family="sans-serif" font-size="11">`);
  parts.push(`<text x="10" y="12">geomean instructions / native clang (lower is better; 1.0 = native)</text>`);
  for (const v of [0.5, 1, 1.5, 2, 2.5, 3].filter((v) => v <= top)) {
    parts.push(`<line x1="40" x2="${40 + boards.length * groupW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${v === 1 ? '#000' : '#ddd'}"/>`, `<text x="8" y="${(y(v) + 4).toFixed(1)}">${v.toFixed(1)}</text>`);
  }
  boards.forEach((board, bi) => {
    const x0 = 50 + bi * groupW;
    variants.forEach((variant, vi) => {
      const d = data.find((e) => e.board === board && e.variant === variant);
      if (!d) return;
      const x = x0 + vi * barW;
      parts.push(`<rect x="${x}" y="${y(d.value).toFixed(1)}" width="${barW - 4}" height="${(y(0) - y(d.value)).toFixed(1)}" fill="${colours[vi % colours.length]}"><title>${board} ${variant}: ${d.value.toFixed(2)}</title></rect>`);
      parts.push(`<text x="${x}" y="${(y(d.value) - 3).toFixed(1)}" font-size="9">${d.value.toFixed(2)}</text>`);
    });
    parts.push(`<text x="${x0}" y="${height + 12}">${board}</text>`);
  });
  variants.forEach((variant, vi) => {
    const lx = 60 + boards.length * groupW;
    parts.push(`<rect x="${lx}" y="${30 + vi * 16}" width="10" height="10" fill="${colours[vi % colours.length]}"/>`, `<text x="${lx + 14}" y="${39 + vi * 16}">${variant}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
