// A real MQTT broker for tests: Debian's mosquitto (package mosquitto, in the set-up), on a free port
// of 127.0.0.1, ready once it accepts a connection. Tests skip with a message where it is missing.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../src/run/children.js';
import { freePort } from '../../src/serve/emulator.js';
import { MqttClient } from '../../src/serve/mqtt/client.js';

export const mosquittoBinary = findOnPath('mosquitto') ?? findOnPath('/usr/sbin/mosquitto');

export class Broker {
  private child?: ChildProcess;
  private constructor(readonly port: number, private readonly config: string) {}

  static async start(): Promise<Broker> {
    const port = await freePort();
    const config = join(mkdtempSync(join(tmpdir(), 'bento-mqtt-')), 'mosquitto.conf');
    writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
    const broker = new Broker(port, config);
    await broker.restart();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    await this.stop();
    this.child = spawn(mosquittoBinary!, ['-c', this.config], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((resolve) => {
        const probe = new MqttClient({ url: this.url, clientId: 'probe', subscriptions: [{ filter: 'probe', qos: 0 }], onMessage: () => {} });
        const timer = setTimeout(() => void probe.close().then(() => resolve(false)), 200);
        void probe.start().then(() => {
          clearTimeout(timer);
          void probe.close().then(() => resolve(true));
        });
      });
      if (up) return;
    }
    throw new Error('mosquitto did not start');
  }

  stop(): Promise<void> {
    const b = this.child;
    this.child = undefined;
    if (!b || b.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      b.once('exit', () => resolve());
      b.kill('SIGKILL');
    });
  }
}
