import { describe, expect, it } from 'vitest';
import { encodeInfo, encodeResponse, encodeStats, decodeHostMessage } from '../../src/serve/device-side.js';
import { cobsDecode, cobsEncode, crc32, decodeDeviceMessage, encodeInfoRequest, encodeRequest, encodeStatsRequest, frame, FrameSplitter, ProtocolError } from '../../src/serve/protocol.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const range = (from: number, to: number) => Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => from + i));

describe('crc32', () => {
  it('gives zlib check value for "123456789"', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});

describe('COBS', () => {
  // Wikipedia's examples, without the trailing delimiter.
  const vectors: [Buffer, Buffer][] = [
    [hex('00'), hex('01 01')],
    [hex('00 00'), hex('01 01 01')],
    [hex('00 11 00'), hex('01 02 11 01')],
    [hex('11 22 00 33'), hex('03 11 22 02 33')],
    [hex('11 22 33 44'), hex('05 11 22 33 44')],
    [hex('11 00 00 00'), hex('02 11 01 01 01')],
    [range(0x01, 0xfe), Buffer.concat([hex('ff'), range(0x01, 0xfe)])],
    [range(0x00, 0xfe), Buffer.concat([hex('01 ff'), range(0x01, 0xfe)])],
    [range(0x01, 0xff), Buffer.concat([hex('ff'), range(0x01, 0xfe), hex('02 ff')])],
    [Buffer.concat([range(0x02, 0xff), hex('00')]), Buffer.concat([hex('ff'), range(0x02, 0xff), hex('01 01')])],
    [Buffer.concat([range(0x03, 0xff), hex('00 01')]), Buffer.concat([hex('fe'), range(0x03, 0xff), hex('02 01')])],
  ];
  it.each(vectors.map(([d, e], i) => [i + 1, d, e] as const))('encodes and decodes example %i', (_n, data, encoded) => {
    expect(cobsEncode(data).toString('hex')).toBe(encoded.toString('hex'));
    expect(cobsDecode(encoded)?.toString('hex')).toBe(data.toString('hex'));
  });
  it('round-trips random data and never emits a zero', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
    for (let n = 0; n < 200; n++) {
      const data = Buffer.from(Array.from({ length: next() % 700 }, () => (next() % 4 === 0 ? 0 : next() & 0xff)));
      const enc = cobsEncode(data);
      expect(enc.includes(0)).toBe(false);
      expect(cobsDecode(enc)?.equals(data)).toBe(true);
    }
  });
  it('refuses a block that runs past the end', () => {
    expect(cobsDecode(hex('05 11 22'))).toBeUndefined();
  });
});

describe('messages', () => {
  it('encodes a REQUEST byte for byte', () => {
    const body = encodeRequest(0x01020304, 'ab', Buffer.from([0xaa]), 2000);
    expect(body.subarray(0, -4).toString('hex')).toBe('0101' + '04030201' + 'd0070000' + '02' + '6162' + '0100' + 'aa');
    expect(body.readUInt32LE(body.length - 4)).toBe(crc32(body.subarray(0, -4)));
  });
  it('round-trips every message', () => {
    const request = decodeHostMessage(encodeRequest(9, 'parse', Buffer.from('hi'), 0xffffffff));
    expect(request).toEqual({ kind: 'request', id: 9, deadlineUs: 0xffffffff, route: 'parse', payload: Buffer.from('hi') });
    expect(decodeHostMessage(encodeInfoRequest(3))).toEqual({ kind: 'info', id: 3 });
    expect(decodeHostMessage(encodeStatsRequest(4))).toEqual({ kind: 'stats', id: 4 });
    const response = { id: 9, status: 'DEADLINE_MISSED' as const, code: -1, queuedTicks: 10, runTicks: 20, latencyTicks: 4_000_000_000, payload: Buffer.alloc(0) };
    expect(decodeDeviceMessage(encodeResponse(response))).toEqual({ kind: 'response', ...response });
    const info = {
      id: 5, counterHz: 25_000_000, policy: 'fifo' as const, utilisation: 0.8, queue: 16,
      routes: [{ route: 'parse', expectedUs: 200, deadlineUs: 2000, budgetUs: 0, maxRequest: 512, maxResponse: 256, instance: 'warm' as const }],
    };
    expect(decodeDeviceMessage(encodeInfo(info))).toEqual({ kind: 'info', ...info });
    const stats = { id: 6, uptimeTicks: 123, badFrames: 1, queueFull: 2, routes: [{ route: 'parse', served: 5, rejected: 1, missed: 2, failed: 3, budget: 4, restores: 6, restoreTicks: 700, latency: Array.from({ length: 20 }, (_, i) => i) }] };
    expect(decodeDeviceMessage(encodeStats(stats))).toEqual({ kind: 'stats', ...stats });
  });
  it('says what is wrong with a malformed body', () => {
    const good = encodeResponse({ id: 1, status: 'OK', code: 2, queuedTicks: 0, runTicks: 0, latencyTicks: 0, payload: Buffer.from('ok') });
    const flipped = Buffer.from(good);
    flipped[8] = flipped[8]! ^ 1;
    expect(() => decodeDeviceMessage(flipped)).toThrow(/CRC mismatch/);
    expect(() => decodeDeviceMessage(Buffer.from([0x81, 1]))).toThrow(ProtocolError);
    // A payload_len past the end, with a CRC that matches the short body.
    const cut = good.subarray(0, good.length - 4 - 2);
    const resealed = Buffer.concat([cut, Buffer.alloc(4)]);
    resealed.writeUInt32LE(crc32(cut), cut.length);
    expect(() => decodeDeviceMessage(resealed)).toThrow(/payload runs past the end/);
    expect(() => decodeDeviceMessage(encodeInfoRequest(1))).toThrow(/no device message/);
  });
  it('refuses route names the protocol cannot carry', () => {
    expect(() => encodeRequest(1, '', Buffer.alloc(0), 1)).toThrow(RangeError);
    expect(() => encodeRequest(1, 'x'.repeat(32), Buffer.alloc(0), 1)).toThrow(RangeError);
  });
});

describe('FrameSplitter', () => {
  const bodies = [encodeInfoRequest(1), encodeRequest(2, 'parse', Buffer.from([0, 0, 1, 0]), 5), encodeStatsRequest(3)];
  const wire = Buffer.concat(bodies.map(frame));
  it('finds frames split across chunks at every byte', () => {
    for (let cut = 0; cut <= wire.length; cut++) {
      const s = new FrameSplitter();
      const got = [...s.push(wire.subarray(0, cut)), ...s.push(wire.subarray(cut))];
      expect(got.map((b) => b.toString('hex'))).toEqual(bodies.map((b) => b.toString('hex')));
    }
  });
  it('delivers one byte at a time', () => {
    const s = new FrameSplitter();
    const got = [...wire].flatMap((b) => s.push(Buffer.from([b])));
    expect(got).toHaveLength(3);
  });
  it('skips garbage and empty frames between frames', () => {
    const s = new FrameSplitter();
    const garbage = Buffer.from([0x00, 0x05, 0x11, 0x00, 0x00, 0x00]);
    const got = s.push(Buffer.concat([Buffer.from('noise before'), frame(bodies[0]!), garbage, frame(bodies[1]!)]));
    expect(got.map((b) => b.toString('hex'))).toEqual([bodies[0], bodies[1]].map((b) => b!.toString('hex')));
    // Neither 'noise before' (its first byte says a block of 110) nor '05 11' is COBS.
    expect(s.skipped).toBe(2);
  });
  it('drops an overlong frame and finds the next one', () => {
    const s = new FrameSplitter();
    const got = s.push(Buffer.concat([Buffer.alloc(10_000, 0x41), frame(bodies[2]!)]));
    expect(got).toHaveLength(1);
    expect(s.skipped).toBe(1);
  });
});
