// The monitor lending its port to bento flash over the share socket, with a recorded lender in
// place of a serial port: bytes both ways in order, and at the end the flasher's unread bytes
// come back before anything the device sent later.
import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { borrowPort, sharePath, sharePort } from '../../src/flash/port-share.js';
import type { Lender } from '../../src/flash/port-share.js';

function recorder() {
  const events: string[] = [];
  const lender: Lender = {
    borrow: async (s) => void events.push(`borrow ${s.baud} ${s.parity}`),
    write: async (d) => void events.push(`write ${d.toString('latin1')}`),
    setLines: async (l) => void events.push(`lines ${JSON.stringify(l)}`),
    giveBack: async (u) => void events.push(`give back '${u.toString('latin1')}'`),
  };
  return { events, lender };
}

const settle = () => new Promise((r) => setTimeout(r, 100));
let unique = 0;
const fakePort = () => `/dev/bento-test-${process.pid}-${unique++}`;

describe('lending a port to bento flash', () => {
  it('relays both ways, and gives back what the flasher did not read, before later bytes', async () => {
    const port = fakePort();
    const { events, lender } = recorder();
    const share = await sharePort(port, lender);
    try {
      expect(await borrowPort(`${port}-other`, { baud: 115200, parity: 'none' })).toBeUndefined();
      const link = (await borrowPort(port, { baud: 57600, parity: 'even' }))!;
      expect(share.lent).toBe(true);
      await link.write(Buffer.from('sync'));
      await link.setLines({ dtr: true });
      expect(share.relay(Buffer.from('ACK+'))).toBe(true);
      expect((await link.read(3, 1000)).toString()).toBe('ACK');
      expect(share.relay(Buffer.from('app starts'))).toBe(true);
      const closing = link.close();
      await settle();
      // Between the flasher's end and its give-back the monitor keeps the device's bytes.
      expect(share.relay(Buffer.from('later'))).toBe(false);
      await closing;
      await settle();
      expect(share.lent).toBe(false);
      expect(events).toEqual(['borrow 57600 even', 'write sync', 'lines {"dtr":true}', "give back '+app starts'"]);
    } finally {
      await share.close();
    }
  });

  it('takes the port back from a flasher that dies, and turns a second one away', async () => {
    const port = fakePort();
    const { events, lender } = recorder();
    const share = await sharePort(port, lender);
    try {
      // A flasher killed halfway: it said hello, then its socket just closes, with no give-back.
      const hello = Buffer.from(JSON.stringify({ baud: 115200, parity: 'none' }));
      const head = Buffer.from([0x48, 0, 0, 0, 0]);
      head.writeUInt32BE(hello.length, 1);
      const killed = createConnection(sharePath(port));
      await new Promise((r) => killed.once('connect', r));
      killed.write(Buffer.concat([head, hello]));
      await settle();
      expect(share.lent).toBe(true);
      await expect(borrowPort(port, { baud: 115200, parity: 'none' })).rejects.toMatchObject({ code: 'B6004' });
      killed.destroy();
      await settle();
      expect(share.lent).toBe(false);
      expect(events).toEqual(['borrow 115200 none', "give back ''"]);
    } finally {
      await share.close();
    }
  });

  it('fails the flasher\'s reads when the monitor ends', async () => {
    const port = fakePort();
    const share = await sharePort(port, recorder().lender);
    const link = (await borrowPort(port, { baud: 115200, parity: 'none' }))!;
    await share.close();
    await expect(link.read(1, 2000)).rejects.toMatchObject({ code: 'B6005' });
  });
});
