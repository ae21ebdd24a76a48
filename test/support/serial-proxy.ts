// A fault-injecting proxy between bento (TCP) and a device's pty: it forwards both ways and
// corrupts or drops chosen bytes on their way to the device, as a noisy line would.
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { SerialPort } from 'serialport';

export interface LineFaults {
  /** Flip a bit in every Nth byte sent to the device. */
  corruptEvery?: number;
  /** Drop every Nth byte sent to the device. */
  dropEvery?: number;
  /** Stop faulting after this many bytes (so a flash can finish). */
  faultyBytes?: number;
}

export interface Proxy {
  url: string;
  faultsInjected(): number;
  close(): Promise<void>;
}

export async function startProxy(pty: string, faults: LineFaults): Promise<Proxy> {
  const serial = new SerialPort({ path: pty, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => serial.open((err) => (err ? reject(err) : resolve())));
  let sent = 0;
  let injected = 0;
  let client: Socket | undefined;
  serial.on('data', (d: Buffer) => client?.write(d));
  // The device went away (the emulator ended): so does the line.
  serial.on('close', () => client?.destroy());
  serial.on('error', () => client?.destroy());
  const server: Server = createServer((socket) => {
    client = socket;
    socket.on('data', (d: Buffer) => {
      const out: number[] = [];
      for (const byte of d) {
        sent++;
        const faulty = sent <= (faults.faultyBytes ?? Infinity);
        if (faulty && faults.dropEvery && sent % faults.dropEvery === 0) {
          injected++;
          continue;
        }
        if (faulty && faults.corruptEvery && sent % faults.corruptEvery === 0) {
          injected++;
          out.push(byte ^ 0x01);
          continue;
        }
        out.push(byte);
      }
      serial.write(Buffer.from(out));
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `tcp://127.0.0.1:${port}`,
    faultsInjected: () => injected,
    close: async () => {
      client?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => serial.close(() => resolve()));
    },
  };
}
