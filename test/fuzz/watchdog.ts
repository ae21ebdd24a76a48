// A hang guard for synchronous work. Decoding, validating and lowering run on the main thread and
// cannot be interrupted from it, so a second thread watches a shared clock: when one input has
// run past its limit, it writes the input to the findings folder, says so on stderr (with a
// direct write: the main thread is stuck and cannot print for it) and kills the process, which
// fails the test or the fuzz run loudly instead of hanging it.
import { Worker } from 'node:worker_threads';

/** The most input bytes kept for the dump. */
const MAX_BYTES = 4 << 20;
const MAX_LABEL = 1024;

// Layout of the shared state: [busy, length, labelLength, limitMs] as Int32, then the start
// time as a BigInt64 at byte 16, the label at 24, the input after it.
const LABEL_AT = 24;
const BYTES_AT = LABEL_AT + MAX_LABEL;

const watcher = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { state, dir } = workerData;
const ints = new Int32Array(state, 0, 4);
const clock = new BigInt64Array(state, 16, 1);
setInterval(() => {
  if (Atomics.load(ints, 0) !== 1) return;
  const elapsed = Date.now() - Number(Atomics.load(clock, 0));
  if (elapsed <= Atomics.load(ints, 3)) return;
  const label = Buffer.from(new Uint8Array(state, ${LABEL_AT}, Atomics.load(ints, 2))).toString('utf8');
  const bytes = Buffer.from(new Uint8Array(state, ${BYTES_AT}, Atomics.load(ints, 1)));
  let where = '(not written)';
  try {
    fs.mkdirSync(dir, { recursive: true });
    where = path.join(dir, 'hang-' + label.replace(/[^A-Za-z0-9_.-]/g, '_') + '.wasm');
    fs.writeFileSync(where, bytes);
  } catch {}
  fs.writeSync(2, '\\nfuzz finding: hang: ' + label + ' ran for ' + elapsed + ' ms; input written to ' + where + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, 200);
`;

export class Watchdog {
  private readonly state = new SharedArrayBuffer(BYTES_AT + MAX_BYTES);
  private readonly ints = new Int32Array(this.state, 0, 4);
  private readonly clock = new BigInt64Array(this.state, 16, 1);
  private readonly worker: Worker;

  constructor(findingsDir: string) {
    this.worker = new Worker(watcher, { eval: true, workerData: { state: this.state, dir: findingsDir } });
    this.worker.unref();
  }

  /** Starts the clock for one input. */
  start(label: string, bytes: Uint8Array, limitMs: number): void {
    const name = Buffer.from(label, 'utf8').subarray(0, MAX_LABEL);
    new Uint8Array(this.state, LABEL_AT, MAX_LABEL).set(name);
    const kept = bytes.subarray(0, MAX_BYTES);
    new Uint8Array(this.state, BYTES_AT, kept.length).set(kept);
    Atomics.store(this.ints, 1, kept.length);
    Atomics.store(this.ints, 2, name.length);
    Atomics.store(this.ints, 3, limitMs);
    Atomics.store(this.clock, 0, BigInt(Date.now()));
    Atomics.store(this.ints, 0, 1);
  }

  stop(): void {
    Atomics.store(this.ints, 0, 0);
  }

  async dispose(): Promise<void> {
    this.stop();
    await this.worker.terminate();
  }
}
