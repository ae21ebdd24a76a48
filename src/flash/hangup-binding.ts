import { read } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';

// serialport reads a Unix port with non-blocking read(2) and, on a read of 0 bytes, simply
// reads again. A tty opened non-blocking returns EAGAIN when nothing waits, and 0 only once it is
// hung up: the other side of a pty closed (QEMU ended) or the adapter went away. So that loop
// spins a CPU at full speed forever, and the port never reports closing (which bento monitor
// once did after QEMU ended). This binding reads the same way but takes 0 bytes as the hang-up
// it is: the read fails as a disconnection, and the port closes.

const readAsync = promisify(read);

type ReadResult = { buffer: Buffer; bytesRead: number };
interface PortBinding {
  read(buffer: Buffer, offset: number, length: number): Promise<ReadResult>;
}
/** The part of serialport's binding interface used here (its own types are per platform). */
interface Binding {
  open(options: object): Promise<PortBinding>;
  list(): Promise<unknown[]>;
}
const base = SerialPort.binding as unknown as Binding;

interface UnixPort {
  fd: number | null;
  poller: { once(event: 'readable', cb: (err?: Error | null) => void): void };
}

const isUnixPort = (port: PortBinding): port is UnixPort & PortBinding => 'poller' in port && 'fd' in port;

class HungUp extends Error {
  readonly disconnect = true;
  readonly code = 'EHANGUP';
  constructor() {
    super('the port hung up (its other side closed)');
  }
}

async function readOrHangUp(port: UnixPort, buffer: Buffer, offset: number, length: number): Promise<ReadResult> {
  for (;;) {
    if (port.fd === null) throw Object.assign(new Error('Port is not open'), { canceled: true });
    try {
      const { bytesRead } = await readAsync(port.fd, buffer, offset, length, null);
      if (bytesRead === 0) throw new HungUp();
      return { buffer, bytesRead };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') {
        // EIO is what a pty slave reads once its master is gone: also a disconnection.
        if (code === 'EIO' || code === 'EBADF' || code === 'ENXIO') Object.assign(err as object, { disconnect: true });
        throw err;
      }
      // Closed while the read was out (the monitor ending): polling a closed descriptor is
      // what crashes libuv (node-serialport#686), so stop here as serialport's close expects.
      if (port.fd === null) throw Object.assign(new Error('Port is not open'), { canceled: true });
      await new Promise<void>((resolve, reject) => port.poller.once('readable', (e) => (e ? reject(e) : resolve())));
    }
  }
}

/** The platform's serialport binding, with reads that end on a hang-up instead of spinning. */
export const hangupAwareBinding: Binding = {
  list: () => base.list(),
  async open(options) {
    const port = await base.open(options);
    if (!isUnixPort(port)) return port;
    port.read = (buffer: Buffer, offset: number, length: number) => readOrHangUp(port, buffer, offset, length);
    return port;
  },
};
