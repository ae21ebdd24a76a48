import { fail } from '../../diagnostics/error.js';
import { startGateway } from '../../serve/gateway.js';
import { parseMqttUrl } from '../../serve/mqtt/client.js';
import { startMqttBridge } from '../../serve/mqtt-bridge.js';
import { DevicePool } from '../../serve/pool.js';
import type { DeviceSource } from '../../serve/sources.js';
import type { Command, OptionValues } from '../command.js';
import { note } from '../output.js';
import { buildServerless, emulatedDevices, positiveInteger, serialDevices, tcpDevices } from './device-options.js';
import { seconds } from './shared.js';

/** The devices of `bento serve`: given ones (--device, --serial) or emulated ones (--emulate N --board). */
export async function servedDevices(options: OptionValues, command: string): Promise<DeviceSource[]> {
  const given = [...tcpDevices(options.device), ...serialDevices(options.serial, positiveInteger(options.baud, 'baud', 115200))];
  if (options.emulate !== undefined) {
    if (given.length > 0) fail('B9001', `bento ${command}: give --emulate or --device/--serial, not both`);
    if (options.board === undefined) fail('B9001', `bento ${command}: --emulate needs --board`, { hint: `e.g. \`bento ${command} --emulate 2 --board m4\`` });
    const count = positiveInteger(options.emulate, 'emulate', 1, 64);
    const project = await buildServerless(options.board as string, options.recipe as string);
    return emulatedDevices(project, count, options.icount === true, (name, line) => note(`[${name}] ${line}`));
  }
  if (given.length === 0) fail('B9001', `bento ${command} needs devices: --device tcp:HOST:PORT, --serial PATH, or --emulate N --board BOARD`);
  if (options.board !== undefined) fail('B9001', `bento ${command}: --board goes with --emulate`);
  return given;
}

export const deviceListOptions = {
  device: { type: 'string', value: 'tcp:HOST:PORT,...', description: 'devices whose request UARTs are served over TCP, comma-separated' },
  serial: { type: 'string', value: 'PATH,...', description: "serial ports wired to devices' request UARTs, comma-separated" },
  baud: { type: 'string', value: 'N', description: 'the serial ports\' speed (default: 115200)' },
  emulate: { type: 'string', value: 'N', description: 'start N emulated devices instead: the project in this folder, built for --board' },
  board: { type: 'string', short: 'b', value: 'BOARD', description: 'the emulated board (with --emulate)' },
  recipe: { type: 'string', short: 'r', value: 'FILE', description: 'the recipe to build (with --emulate)', default: 'bento.toml' },
  icount: { type: 'boolean', description: 'deterministic virtual time for the emulated devices (one instruction = 1 ns)' },
  timeout: { type: 'string', short: 't', value: 'SECONDS', description: 'how long a request may wait for its device (default: 10); a device that then does not answer INFO is down' },
} as const;

/**
 * Resolves on SIGINT or SIGTERM, once. `now` runs in the handler itself: the handler that
 * run/children.ts installs for the emulators exits the process right after this one returns.
 */
function stopSignal(now: (signal: string) => void): Promise<string> {
  return new Promise((resolve) => {
    for (const s of ['SIGINT', 'SIGTERM'] as const) {
      process.once(s, () => {
        now(s);
        resolve(s);
      });
    }
  });
}

export const serveCommand: Command = {
  name: 'serve',
  positionals: 'none',
  summary: "an HTTP gateway to serverless devices: POST /<route> runs the route's function on one of them",
  usage: '[--port 8080] [--host 127.0.0.1] (--device tcp:HOST:PORT,... | --serial PATH,... | --emulate N --board BOARD [--recipe FILE] [--icount]) [--mqtt mqtt://HOST:PORT [--mqtt-topic bento]]',
  details:
    "POST /<route> sends the body as the request's payload to the device with the fewest requests in flight\n" +
    "and answers with the function's response; X-Bento-Deadline-Us sets the deadline. The answer's status\n" +
    'follows the device\'s (200 OK, 503 REJECTED and QUEUE_FULL, 504 DEADLINE_MISSED and timeouts, 502\n' +
    'FUNCTION_ERROR and BUDGET_EXCEEDED, 404, 413, 400), with X-Bento-Status, -Code, -Device and the ticks in\n' +
    'headers. GET /_bento/devices lists the devices, GET /_bento/stats their counters. A device that stops\n' +
    'answering is marked down (its requests get 504) and restarted (emulated) or reconnected. See docs/serve.md.',
  options: {
    port: { type: 'string', short: 'p', value: 'PORT', description: 'the HTTP port (0: any free one)', default: '8080' },
    host: { type: 'string', value: 'ADDRESS', description: 'the address to listen on', default: '127.0.0.1' },
    ...deviceListOptions,
    mqtt: { type: 'string', value: 'mqtt://HOST:PORT', description: 'also take requests over MQTT 3.1.1 from this broker: <topic>/request/<route>[/<id>] (docs/serve.md)' },
    'mqtt-topic': { type: 'string', value: 'TOPIC', description: 'the topic prefix', default: 'bento', needs: 'mqtt' },
  },
  async run(positionals, options) {
    if (positionals.length > 0) fail('B9001', `bento serve takes no arguments (got '${positionals[0]}')`);
    const port = Number(options.port);
    if (!/^\d+$/.test(options.port as string) || port > 65535) fail('B9001', `--port must be a TCP port (0-65535), not '${options.port}'`);
    const timeoutMs = seconds(options.timeout, 'timeout', 10) * 1000;
    const mqttUrl = options.mqtt as string | undefined;
    if (mqttUrl !== undefined && !parseMqttUrl(mqttUrl)) fail('B9001', `--mqtt must be mqtt://HOST[:PORT], not '${mqttUrl}'`);
    const topic = (options['mqtt-topic'] as string).replace(/\/+$/, '');
    if (!topic || /[#+]/.test(topic)) fail('B9001', `--mqtt-topic must be a topic without wildcards, not '${options['mqtt-topic']}'`);
    let stop = (signal: string) => note(`bento serve: ${signal}: stopping`);
    const stopped = stopSignal((signal) => stop(signal));
    const sources = await servedDevices(options, 'serve');
    const pool = new DevicePool(sources, {
      connection: { requestTimeoutMs: timeoutMs, livenessMs: 2000, heartbeatMs: 5000 },
      onState: (m, state, reason) => note(`bento serve: ${m.source.name} ${state}${reason ? `: ${reason}` : ''}${state === 'down' ? (m.source.restarts ? ' (restarting it)' : ' (reconnecting when it answers)') : ` (${m.source.where})`}`),
    });
    await pool.start();
    let gateway;
    try {
      gateway = await startGateway(pool, port, options.host as string);
    } catch (err) {
      await pool.close();
      fail('B9002', `bento serve cannot listen on ${options.host}:${port}: ${(err as Error).message}`, { hint: 'pick another --port (0 takes any free one)' });
    }
    note(`bento serve: listening on ${gateway.url} (POST ${gateway.url}/<route>; GET ${gateway.url}/_bento/devices)`);
    // The broker may come later: the bridge keeps trying, and HTTP serves meanwhile.
    const bridge = mqttUrl === undefined ? undefined : startMqttBridge(pool, mqttUrl, topic, (n) => note(`bento serve: ${n}`));
    if (mqttUrl !== undefined) note(`bento serve: MQTT requests on ${mqttUrl} topic ${topic}/request/<route>[/<id>]`);
    const served = gateway;
    // Everything that stops a QEMU or a socket begins synchronously here.
    stop = (signal) => {
      note(`bento serve: ${signal}: stopping`);
      void bridge?.close();
      void served.close();
      void pool.close();
    };
    await stopped;
    await bridge?.close();
    await gateway.close();
    await pool.close();
    return 0;
  },
};
