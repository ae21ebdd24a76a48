import { describe, expect, it } from 'vitest';
import { parseMqttUrl } from '../../src/serve/mqtt/client.js';
import { connectPacket, PacketReader, publishPacket, subscribePacket } from '../../src/serve/mqtt/packets.js';

describe('MQTT 3.1.1 packets', () => {
  it('encodes the remaining length 7 bits a byte (2.2.3)', () => {
    const lengthBytes = (n: number) => [...publishPacket('', Buffer.alloc(n - 2), 0).subarray(1, 1 + (n < 128 ? 1 : n < 16384 ? 2 : 3))];
    expect(lengthBytes(2)).toEqual([0x02]);
    expect(lengthBytes(127)).toEqual([0x7f]);
    expect(lengthBytes(128)).toEqual([0x80, 0x01]);
    expect(lengthBytes(16383)).toEqual([0xff, 0x7f]);
    expect(lengthBytes(16384)).toEqual([0x80, 0x80, 0x01]);
  });
  it('writes CONNECT and SUBSCRIBE as the standard has them', () => {
    expect(connectPacket('id', 30).toString('hex')).toBe('10' + '0e' + '00044d515454' + '04' + '02' + '001e' + '00026964');
    expect(subscribePacket(1, [{ filter: 'a/#', qos: 1 }]).toString('hex')).toBe('82' + '08' + '0001' + '0003612f23' + '01');
  });
  it('reads packets split anywhere across chunks', () => {
    const big = Buffer.alloc(300, 7);
    const wire = Buffer.concat([publishPacket('t/1', big, 1, 9), Buffer.from([0x20, 0x02, 0x00, 0x00]), publishPacket('t/2', Buffer.from('x'), 0), Buffer.from([0xd0, 0x00])]);
    for (const cut of [1, 2, 3, 150, 306, wire.length - 1]) {
      const r = new PacketReader();
      const got = [...r.push(wire.subarray(0, cut)), ...r.push(wire.subarray(cut))];
      expect(got.map((p) => p.type)).toEqual(['publish', 'connack', 'publish', 'pingresp']);
      expect(got[0]).toMatchObject({ topic: 't/1', qos: 1, packetId: 9 });
      expect(got[0]!.type === 'publish' && got[0]!.payload.equals(big)).toBe(true);
      expect(got[1]).toEqual({ type: 'connack', sessionPresent: false, returnCode: 0 });
    }
  });
  it('reads broker URLs', () => {
    expect(parseMqttUrl('mqtt://127.0.0.1:1884')).toEqual({ host: '127.0.0.1', port: 1884 });
    expect(parseMqttUrl('mqtt://broker')).toEqual({ host: 'broker', port: 1883 });
    expect(parseMqttUrl('mqtt://[::1]:1883')).toEqual({ host: '::1', port: 1883 });
    expect(parseMqttUrl('http://x')).toBeUndefined();
  });
});
