import { cobsDecode } from './cobs.js';
import { maxBody } from './limits.js';

/** The longest COBS text a body of maxBody bytes encodes to. */
const maxEncoded = maxBody + Math.ceil(maxBody / 254) + 1;

/**
 * Bytes in, decoded frame bodies out, in whatever chunks the link delivers them. Empty frames
 * (two zeros in a row) are skipped silently; text that is no COBS or too long for a frame is
 * skipped and counted, and the next 0x00 starts afresh: that is what the leading zero is for.
 */
export class FrameSplitter {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private overlong = false;
  /** Frames skipped as garbage so far. */
  skipped = 0;

  push(chunk: Uint8Array): Buffer[] {
    const bodies: Buffer[] = [];
    let from = 0;
    for (;;) {
      const zero = chunk.indexOf(0, from);
      const end = zero < 0 ? chunk.length : zero;
      this.hold(chunk.subarray(from, end));
      if (zero < 0) break;
      const body = this.take();
      if (body) bodies.push(body);
      from = zero + 1;
    }
    return bodies;
  }

  private hold(part: Uint8Array): void {
    if (part.length === 0 || this.overlong) return;
    if (this.heldBytes + part.length > maxEncoded) {
      this.overlong = true;
      this.held = [];
      this.heldBytes = 0;
      return;
    }
    this.held.push(Buffer.from(part));
    this.heldBytes += part.length;
  }

  private take(): Buffer | undefined {
    const overlong = this.overlong;
    const text = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    this.overlong = false;
    if (overlong) {
      this.skipped++;
      return undefined;
    }
    if (text.length === 0) return undefined;
    const body = cobsDecode(text);
    if (!body || body.length === 0) {
      this.skipped++;
      return undefined;
    }
    return body;
  }
}
