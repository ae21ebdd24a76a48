import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maxBody } from './limits.js';
import { dispatch, precheck, statusWord } from './dispatch.js';
import type { Reply } from './dispatch.js';
import type { DevicePool } from './pool.js';

/**
 * The HTTP face of the pool: `POST /<route>` with the payload as the body, the function's
 * response as the answer's (docs/serve.md has the status mapping); `GET /` or
 * `/_bento/devices` the devices; `GET /_bento/stats` each device's STATS.
 */
export interface Gateway {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
}

/** The answer to a POST: the payload on OK (and a late one), else a small JSON account. */
function sendReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = {
    'X-Bento-Status': statusWord(reply.status),
    'X-Bento-Code': reply.code,
    'X-Bento-Device': reply.device,
    'X-Bento-Latency-Ticks': reply.latencyTicks ?? '',
    'X-Bento-Queued-Ticks': reply.queuedTicks ?? '',
    'X-Bento-Run-Ticks': reply.runTicks ?? '',
  };
  if (reply.status === 'REJECTED' || reply.status === 'QUEUE_FULL' || reply.status === 'BUSY') headers['Retry-After'] = 0;
  let body = reply.payload;
  if (reply.status === 'OK' || body.length > 0) {
    headers['Content-Type'] = 'application/octet-stream';
  } else {
    body = Buffer.from(`${JSON.stringify({ status: reply.status, code: reply.code, device: reply.device || null, ...(reply.message ? { message: reply.message } : {}) })}\n`);
    headers['Content-Type'] = 'application/json';
  }
  headers['Content-Length'] = body.length;
  res.writeHead(reply.httpStatus, headers);
  res.end(body);
}

/** X-Bento-Deadline-Us: a whole number of microseconds (0 is passed on: the device refuses it). */
function deadlineOf(req: IncomingMessage): number | undefined | 'bad' {
  const h = req.headers['x-bento-deadline-us'];
  if (h === undefined) return undefined;
  const text = Array.isArray(h) ? h[0]! : h;
  return /^\d{1,10}$/.test(text.trim()) && Number(text) < 0xffff_ffff ? Number(text) : 'bad';
}

/** Reads the body, stopping at `limit` + 1 bytes (enough to know it is too large). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function post(pool: DevicePool, req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
  const deadline = deadlineOf(req);
  if (deadline === 'bad') {
    return sendReply(res, { status: 'BAD_DEADLINE', httpStatus: 400, code: 0, device: '', wallMs: 0, payload: Buffer.alloc(0), message: 'X-Bento-Deadline-Us must be a whole number of microseconds below 4294967295' });
  }
  // Unknown routes and announced oversize bodies are answered before the body is read.
  const announced = Number(req.headers['content-length'] ?? 0);
  const early = precheck(pool, route, Number.isFinite(announced) ? announced : 0);
  if (early) {
    res.setHeader('Connection', 'close');
    return sendReply(res, early);
  }
  const body = await readBody(req, pool.route(route)?.maxRequest ?? maxBody);
  sendReply(res, await dispatch(pool, route, body, deadline));
}

async function handle(pool: DevicePool, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://gateway').pathname;
  if (req.method === 'GET' && (path === '/' || path === '/_bento/devices')) return sendJson(res, 200, { devices: pool.describe() });
  if (req.method === 'GET' && path === '/_bento/stats') {
    const devices = await Promise.all(
      pool.members.map(async (m) => {
        if (m.state !== 'up') return { name: m.source.name, state: m.state };
        try {
          const { kind: _k, id: _id, ...stats } = await m.connection!.stats();
          return { name: m.source.name, state: m.state, counterHz: m.connection!.info.counterHz, ...stats };
        } catch (err) {
          return { name: m.source.name, state: m.state, error: (err as Error).message };
        }
      }),
    );
    return sendJson(res, 200, { devices });
  }
  let route: string;
  try {
    route = decodeURIComponent(path.slice(1));
  } catch {
    return sendJson(res, 400, { error: `${path} is no route: its %-escapes are malformed` });
  }
  if (req.method === 'POST' && route && !route.includes('/') && !route.startsWith('_bento')) return post(pool, req, res, route);
  if (req.method !== 'POST' && req.method !== 'GET') {
    res.setHeader('Allow', 'GET, POST');
    return sendJson(res, 405, { error: `${req.method} is not served: POST /<route> runs a function` });
  }
  sendJson(res, 404, { error: `nothing at ${req.method} ${path}: POST /<route> runs a function, GET /_bento/devices and /_bento/stats describe the devices` });
}

export function startGateway(pool: DevicePool, port: number, host: string): Promise<Gateway> {
  const server = createServer((req, res) => {
    handle(pool, req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: `bento serve: ${err.message}` });
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo;
      const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({
        server,
        url: `http://${shown}:${a.port}`,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}
