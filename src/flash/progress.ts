import type { Phase } from './flash.js';

const names: Record<Phase, string> = { checking: 'Checking', erasing: 'Erasing', writing: 'Writing', verifying: 'Verifying' };

/**
 * Progress of a flash on stderr: a bar with bytes/s and ETA redrawn in place on a terminal
 * (like probe-rs), or a plain line per quarter when stderr is a file or a pipe.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr, unit: Record<Phase, number> = { checking: 1, erasing: 1, writing: 1, verifying: 1 }) {
  let phase: Phase | undefined;
  let started = 0;
  let lastQuarter = -1;
  const tty = stream.isTTY === true;
  return (p: Phase, done: number, total: number) => {
    if (p !== phase) {
      if (phase && tty) stream.write('\n');
      phase = p;
      started = Date.now();
      lastQuarter = -1;
    }
    const share = total > 0 ? done / total : 1;
    const seconds = (Date.now() - started) / 1000;
    const bytes = done * unit[p];
    const rate = seconds > 0 ? bytes / seconds : 0;
    const eta = rate > 0 ? (total * unit[p] - bytes) / rate : 0;
    const line = `${names[p].padEnd(9)} [${'='.repeat(Math.round(share * 20)).padEnd(20)}] ${String(Math.round(share * 100)).padStart(3)}%  ${(rate / 1024).toFixed(1)} KiB/s  ETA ${Math.ceil(eta)} s`;
    if (tty) {
      stream.write(`\r${line}`);
      if (done >= total) stream.write('\n');
      if (done >= total) phase = undefined;
      return;
    }
    const quarter = Math.floor(share * 4);
    if (quarter !== lastQuarter) {
      lastQuarter = quarter;
      stream.write(`${line}\n`);
    }
  };
}
