import { BentoError } from '../diagnostics/error.js';
import { openLink } from './byte-link.js';
import type { ByteLink, SerialSettings } from './byte-link.js';
import { portLocked } from './port-lock.js';
import { sharePort } from './port-share.js';
import type { PortShare } from './port-share.js';

export interface MonitorOptions {
  port: string;
  settings: SerialSettings;
  /** Stop at this time (ms since the epoch); Infinity for never. */
  until: number;
  /** Where the device's bytes go (stdout). */
  output: (data: Buffer) => void;
  /** Where the monitor's own lines go (stderr). */
  note: (text: string) => void;
}

export type MonitorEnd = 'closed' | 'timeout' | 'stopped';

export interface Monitor {
  /** Sends bytes typed by the user to the device (dropped while bento flash has the port). */
  send(data: Buffer): void;
  stop(): void;
  readonly done: Promise<MonitorEnd>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const same = (a: SerialSettings, b: SerialSettings) => a.baud === b.baud && a.parity === b.parity;

/**
 * Opens the port and copies what the device sends to `output`, keeping the port open until the
 * end and lending it to `bento flash` (port-share.ts), so no byte is lost or shown twice around
 * a flash. Ends when stopped, at `until`, or when the port closes (an emulator that ended, an
 * adapter unplugged): then it says so instead of polling a dead descriptor.
 */
export async function startMonitor(options: MonitorOptions): Promise<Monitor> {
  const { port, note, output } = options;
  let stopped = false;
  let wake: (() => void) | undefined;
  // A bento flash that opened the port itself (before this monitor started) holds it until done.
  if (portLocked(port)) {
    note(`bento: bento flash is using ${port}; waiting for it`);
    while (portLocked(port) && !stopped && Date.now() < options.until) await sleep(200);
  }
  let link: ByteLink = await openLink(port, options.settings);
  let current = options.settings;
  let reopening: Promise<void> | undefined;
  let held: Buffer[] = [];
  const showHeld = () => {
    for (const chunk of held) output(chunk);
    held = [];
  };
  const switchTo = async (settings: SerialSettings) => {
    if (same(settings, current)) return;
    reopening = (async () => {
      await link.close();
      link = await openLink(port, settings);
      current = settings;
    })();
    try {
      await reopening;
    } finally {
      reopening = undefined;
    }
  };
  let share: PortShare;
  try {
    share = await sharePort(port, {
      borrow: async (settings) => {
        showHeld();
        note('bento: bento flash is using the port');
        await switchTo(settings);
      },
      write: (data) => link.write(data),
      setLines: (lines) => link.setLines(lines),
      giveBack: async (unread) => {
        output(unread);
        showHeld();
        await switchTo(options.settings);
        note('bento: port back');
      },
    });
  } catch (err) {
    await link.close();
    throw err;
  }

  const pump = async (): Promise<MonitorEnd> => {
    try {
      for (;;) {
        if (stopped) return 'stopped';
        const left = options.until - Date.now();
        if (left <= 0) return 'timeout';
        const reading = link;
        let data: Buffer;
        try {
          data = await Promise.race([reading.readSome(Math.min(left, 1000)), new Promise<Buffer>((r) => (wake = () => r(Buffer.alloc(0))))]);
        } catch (err) {
          // The flasher asked for other settings: the old descriptor closed under the read.
          if (reopening) await reopening.catch(() => {});
          if (link !== reading) continue;
          if (err instanceof BentoError) {
            note(`bento: ${port} closed`);
            return 'closed';
          }
          throw err;
        }
        if (data.length === 0 || share.relay(data)) continue;
        // Lent but not relaying: the flasher is starting or ending; its unread bytes come first.
        if (share.lent) held.push(data);
        else output(data);
      }
    } finally {
      await share.close();
      await link.close();
    }
  };
  const done = pump();
  return {
    send(data) {
      if (!share.lent && !stopped) link.write(data).catch(() => {});
    },
    stop() {
      stopped = true;
      wake?.();
    },
    done,
  };
}
