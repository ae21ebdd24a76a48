import type { BenchResults, Measurement, NotFitted } from './bench.js';
import { didNotFitText } from './bench.js';

const geomean = (xs: readonly number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const fmt = (x: number) => x.toFixed(2);
const unique = (xs: readonly string[]) => [...new Set(xs)];

/**
 * Markdown tables per board: instructions of the native clang build, and every other variant
 * as a ratio to it (lower is better), with the geometric mean and the worst kernel; then code
 * size ratios and RAM. A variant that did not fit the board's RAM reads "did not fit" in its
 * cells, with what it needs and what the board has under the table; a geometric mean over fewer
 * kernels than the table has says over how many.
 */
export function formatReport(results: BenchResults, baseline = 'native-clang'): string {
  const out: string[] = [];
  const all: readonly (Measurement | NotFitted)[] = [...results.runs, ...results.notFitted];
  for (const board of unique(all.map((r) => r.board))) {
    const runs = results.runs.filter((r) => r.board === board);
    const refused = results.notFitted.filter((r) => r.board === board);
    const here = all.filter((r) => r.board === board);
    const kernels = results.kernels.filter((k) => here.some((r) => r.kernel === k));
    const variants = results.variants.filter((v) => v !== baseline && here.some((r) => r.variant === v));
    const get = (k: string, v: string) => runs.find((r) => r.kernel === k && r.variant === v);
    const fitted = (k: string, v: string) => !refused.some((r) => r.kernel === k && r.variant === v);
    /** The variant's count or size over the baseline's, where both ran. */
    const ratio = (k: string, v: string, key: 'instructions' | 'code') => {
      const [x, base] = [get(k, v), get(k, baseline)];
      return x && base ? x[key] / base[key] : undefined;
    };
    const cell = (k: string, v: string, key: 'instructions' | 'code') => {
      const r = ratio(k, v, key);
      return r !== undefined ? fmt(r) : fitted(k, v) ? '-' : 'did not fit';
    };
    const over = (v: string, key: 'instructions' | 'code') => kernels.filter((k) => ratio(k, v, key) !== undefined);
    const mean = (v: string, key: 'instructions' | 'code') => {
      const ks = over(v, key);
      if (ks.length === 0) return '-';
      const text = `**${fmt(geomean(ks.map((k) => ratio(k, v, key)!)))}**`;
      return ks.length < kernels.length ? `${text} (${ks.length} of ${kernels.length})` : text;
    };
    const base = (k: string, show: (m: Measurement) => string) => {
      const m = get(k, baseline);
      return m ? show(m) : fitted(k, baseline) ? '-' : 'did not fit';
    };

    out.push(`### ${board}: instructions, as a ratio to ${baseline}`, '');
    out.push(`| kernel | ${baseline} (instructions) | ${variants.join(' | ')} |`, `|---|---:|${variants.map(() => '---:').join('|')}|`);
    for (const k of kernels) out.push(`| ${k} | ${base(k, (m) => m.instructions.toLocaleString('en-US'))} | ${variants.map((v) => cell(k, v, 'instructions')).join(' | ')} |`);
    out.push(`| **geomean** | | ${variants.map((v) => mean(v, 'instructions')).join(' | ')} |`);
    out.push(
      `| worst | | ${variants
        .map((v) => {
          const ks = over(v, 'instructions');
          if (ks.length === 0) return '-';
          const worst = ks.reduce((a, b) => (ratio(b, v, 'instructions')! > ratio(a, v, 'instructions')! ? b : a));
          return `${fmt(ratio(worst, v, 'instructions')!)} (${worst})`;
        })
        .join(' | ')} |`,
      '',
    );
    // One line per kernel and need: the four Wasm boxes of a kernel usually need the same.
    const notes = new Map<string, { kernel: string; text: string; variants: string[] }>();
    for (const r of refused) {
      const text = didNotFitText(r);
      const note = notes.get(`${r.kernel} ${text}`) ?? { kernel: r.kernel, text, variants: [] };
      note.variants.push(r.variant);
      notes.set(`${r.kernel} ${text}`, note);
    }
    for (const n of notes.values()) out.push(`- ${n.kernel} as ${n.variants.join(', ')}: ${n.text}`);
    if (notes.size > 0) out.push('');

    out.push(`### ${board}: code size (text + rodata of the kernel), as a ratio to ${baseline}`, '');
    out.push(`| kernel | ${baseline} (bytes) | ${variants.join(' | ')} |`, `|---|---:|${variants.map(() => '---:').join('|')}|`);
    for (const k of kernels) out.push(`| ${k} | ${base(k, (m) => String(m.code))} | ${variants.map((v) => cell(k, v, 'code')).join(' | ')} |`);
    out.push(`| **geomean** | | ${variants.map((v) => mean(v, 'code')).join(' | ')} |`, '');

    const wasm = variants.filter((v) => v.startsWith('wasm-'));
    const ram = (k: string, v: string) => {
      const m = get(k, v);
      return m ? String(m.ram) : fitted(k, v) ? '-' : 'did not fit';
    };
    const secs = (k: string, v: string) => {
      const t = get(k, v)?.compileSeconds;
      return t === undefined ? '-' : t.toFixed(2);
    };
    out.push(`### ${board}: RAM the kernel needs (bytes) and Wasm compile time (seconds: lower + opt + llc)`, '');
    out.push(`| kernel | ${baseline} RAM | ${wasm.map((v) => `${v} RAM`).join(' | ')} | ${wasm.map((v) => `${v} compile`).join(' | ')} |`);
    out.push(`|---|---:|${wasm.map(() => '---:').join('|')}|${wasm.map(() => '---:').join('|')}|`);
    for (const k of kernels) out.push(`| ${k} | ${ram(k, baseline)} | ${wasm.map((v) => ram(k, v)).join(' | ')} | ${wasm.map((v) => secs(k, v)).join(' | ')} |`);
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
      const ratios = rows.filter((r) => r.variant === variant && base.has(r.kernel)).map((r) => r.instructions / base.get(r.kernel)!);
      if (ratios.length > 0) out.push({ board, variant, value: geomean(ratios) });
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
