import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDevice, fakeRoute } from '../../src/serve/fake-device.js';
import { bentoBin, projectRoot } from '../support/cli.js';

/** The real bento executable, stdout kept as bytes: a payload need not be text. */
function bento(args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bentoBin, ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

let device: FakeDevice;
beforeAll(async () => {
  device = await FakeDevice.start({
    counterHz: 1_000_000,
    routes: [
      fakeRoute('echo', { kind: 'echo', runTicks: 250, queuedTicks: 50 }),
      fakeRoute('late', { kind: 'status', status: 'DEADLINE_MISSED', code: -1 }),
      fakeRoute('mute', { kind: 'silent' }),
    ],
  });
});
afterAll(() => device.close());

describe('bento invoke', () => {
  it('answers, exits by status and says what it did', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bento-invoke-')), 'payload.bin');
    const bytes = Buffer.from([0, 255, 10, 0, 128]);
    writeFileSync(file, bytes);
    const at = ['--device', device.address];
    const [binary, json, late, mute, info] = await Promise.all([
      bento(['invoke', 'echo', '--data', `@${file}`, '--deadline', '2ms', ...at]),
      bento(['invoke', 'echo', '--data', 'hi', '--json', ...at]),
      bento(['invoke', 'late', ...at]),
      bento(['invoke', 'mute', '--timeout', '0.3', ...at]),
      bento(['invoke', '--info', '--json', ...at]),
    ]);
    expect(binary.code).toBe(0);
    expect(binary.stdout.equals(bytes)).toBe(true);
    expect(binary.stderr).toContain('OK (code 5) from tcp0: latency 300 ticks (300.0 µs), queued 50, run 250');
    expect(device.requests.find((r) => r.payload.equals(bytes))?.deadlineUs).toBe(2000);
    expect(JSON.parse(json.stdout.toString())).toMatchObject({ status: 'OK', code: 2, latencyTicks: 300, latencyUs: 300, payload: { text: 'hi', base64: 'aGk=' } });
    expect(late.code).toBe(12);
    expect(late.stderr).toContain('DEADLINE_MISSED (code -1)');
    expect(mute.code).toBe(124);
    expect(mute.stderr).toContain('no answer within 0.3 s');
    expect(JSON.parse(info.stdout.toString()).routes.map((r: { route: string }) => r.route)).toEqual(['echo', 'late', 'mute']);
  });

  it('refuses a device address it cannot read', async () => {
    const r = await bento(['invoke', 'echo', '--device', 'localhost:80']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[B9001]: --device must be tcp:HOST:PORT');
  });
});

describe('bento serve command line', () => {
  it('says what is missing or contradictory before it starts anything', async () => {
    const [none, both, board, topic] = await Promise.all([
      bento(['serve']),
      bento(['serve', '--emulate', '2', '--board', 'm4', '--device', 'tcp:127.0.0.1:1']),
      bento(['serve', '--emulate', '1']),
      bento(['serve', '--device', 'tcp:127.0.0.1:1', '--mqtt', 'mqtt://127.0.0.1:1', '--mqtt-topic', 'a/#']),
    ]);
    expect(none.stderr).toContain('error[B9001]: bento serve needs devices: --device tcp:HOST:PORT, --serial PATH, or --emulate N --board BOARD');
    expect(both.stderr).toContain('error[B9001]: bento serve: give --emulate or --device/--serial, not both');
    expect(board.stderr).toContain('error[B9001]: bento serve: --emulate needs --board');
    expect(topic.stderr).toContain("error[B9001]: --mqtt-topic must be a topic without wildcards, not 'a/#'");
    expect([none.code, both.code, board.code, topic.code]).toEqual([2, 2, 2, 2]);
  });
});
