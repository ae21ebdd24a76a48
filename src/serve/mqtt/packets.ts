/**
 * The MQTT 3.1.1 packets bento's client uses (OASIS standard, section 3): CONNECT, CONNACK,
 * PUBLISH, PUBACK, SUBSCRIBE, SUBACK, PINGREQ, PINGRESP, DISCONNECT. QoS 2 is not spoken: the
 * client subscribes with QoS 1 at most, so the broker sends nothing above it.
 */
export const packetType = { connect: 1, connack: 2, publish: 3, puback: 4, subscribe: 8, suback: 9, pingreq: 12, pingresp: 13, disconnect: 14 } as const;

export type Qos = 0 | 1;

export type Packet =
  | { type: 'connack'; sessionPresent: boolean; returnCode: number }
  | { type: 'publish'; topic: string; payload: Buffer; qos: number; packetId?: number; dup: boolean; retain: boolean }
  | { type: 'puback'; packetId: number }
  | { type: 'suback'; packetId: number; granted: number[] }
  | { type: 'pingresp' }
  | { type: 'other'; kind: number };

/** What CONNACK's return codes mean (3.2.2.3). */
export const connackReasons: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'client identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorised',
};

const str = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
};
const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);

/** The remaining length, 7 bits a byte, low first (2.2.3). */
function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

const packet = (first: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([first]), remainingLength(body.length), body]);
};

export function connectPacket(clientId: string, keepaliveSeconds: number): Buffer {
  // Clean session: the gateway subscribes afresh on every connection.
  return packet(packetType.connect << 4, str('MQTT'), Buffer.from([4, 0x02]), u16(keepaliveSeconds), str(clientId));
}

export function publishPacket(topic: string, payload: Buffer, qos: Qos, packetId = 0, dup = false): Buffer {
  const first = (packetType.publish << 4) | (dup ? 0x08 : 0) | (qos << 1);
  return packet(first, str(topic), qos > 0 ? u16(packetId) : Buffer.alloc(0), payload);
}

export const pubackPacket = (packetId: number) => packet(packetType.puback << 4, u16(packetId));

export function subscribePacket(packetId: number, filters: readonly { filter: string; qos: Qos }[]): Buffer {
  return packet((packetType.subscribe << 4) | 0x02, u16(packetId), ...filters.map((f) => Buffer.concat([str(f.filter), Buffer.from([f.qos])])));
}

export const pingreqPacket = () => packet(packetType.pingreq << 4);
export const disconnectPacket = () => packet(packetType.disconnect << 4);

/** Splits a byte stream into packets; the broker's bytes come in whatever chunks TCP makes. */
export class PacketReader {
  private buffer = Buffer.alloc(0);

  push(chunk: Buffer): Packet[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const packets: Packet[] = [];
    for (;;) {
      let length = 0;
      let multiplier = 1;
      let at = 1;
      for (;;) {
        if (at >= this.buffer.length) return packets;
        const byte = this.buffer[at++]!;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) === 0) break;
        if (at > 4) throw new Error('malformed MQTT remaining length');
      }
      if (this.buffer.length < at + length) return packets;
      packets.push(parsePacket(this.buffer[0]!, this.buffer.subarray(at, at + length)));
      this.buffer = this.buffer.subarray(at + length);
    }
  }
}

function parsePacket(first: number, body: Buffer): Packet {
  const kind = first >> 4;
  switch (kind) {
    case packetType.connack:
      return { type: 'connack', sessionPresent: (body[0]! & 1) === 1, returnCode: body[1]! };
    case packetType.publish: {
      const qos = (first >> 1) & 3;
      const topicLength = body.readUInt16BE(0);
      const topic = body.subarray(2, 2 + topicLength).toString('utf8');
      let at = 2 + topicLength;
      const packetId = qos > 0 ? body.readUInt16BE(at) : undefined;
      if (qos > 0) at += 2;
      return { type: 'publish', topic, payload: Buffer.from(body.subarray(at)), qos, packetId, dup: (first & 8) !== 0, retain: (first & 1) !== 0 };
    }
    case packetType.puback:
      return { type: 'puback', packetId: body.readUInt16BE(0) };
    case packetType.suback:
      return { type: 'suback', packetId: body.readUInt16BE(0), granted: [...body.subarray(2)] };
    case packetType.pingresp:
      return { type: 'pingresp' };
    default:
      return { type: 'other', kind };
  }
}
