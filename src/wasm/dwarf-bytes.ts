// Reading DWARF sections: a bounded little-endian cursor whose every failure is MalformedDwarf,
// which the readers turn into "no debug information" (debug information never fails a module).

/** DWARF that cannot be read. */
export class MalformedDwarf extends Error {}

export class DwarfBytes {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    public end: number,
  ) {
    this.pos = start;
  }
  u8(): number {
    if (this.pos >= this.end) throw new MalformedDwarf('unexpected end');
    return this.bytes[this.pos++]!;
  }
  fixed(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v += this.u8() * 2 ** (8 * i);
    return v;
  }
  uleb(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return v;
    }
  }
  sleb(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return b & 0x40 ? v - scale : v;
    }
  }
  cstring(): string {
    const start = this.pos;
    while (this.u8() !== 0);
    return Buffer.from(this.bytes.subarray(start, this.pos - 1)).toString('utf8');
  }
  skip(n: number): void {
    if (this.pos + n > this.end) throw new MalformedDwarf('unexpected end');
    this.pos += n;
  }
}


/** A NUL-terminated string at `offset` of a string section. */
export function stringAt(section: Uint8Array | undefined, offset: number): string {
  if (!section || offset >= section.length) throw new MalformedDwarf(`string offset ${offset} outside its section`);
  const r = new DwarfBytes(section, offset, section.length);
  return r.cstring();
}
